/** Python's spellings the protocol's reasons and canonical JSON depend on (repr, str, json.dumps). */

import { pyStrRepr } from "../clock.js";

export { pyStrRepr };

/** A plain JSON object (Python dict), not an array or null. */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** repr() of a JSON value as Python would print it. */
export function pyRepr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pyStrRepr(value);
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
}

/** str() of an id or text (ids are text or whole numbers). */
export function pyStr(value) {
  return value === null || value === undefined ? "None" : typeof value === "string" ? value : pyRepr(value);
}

/** str() of a level: levels are floats in Python, so 3 prints as "3.0". */
export function pyFloat(value) {
  if (typeof value !== "number") return pyStr(value);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Python's word for a value's type in "must be … (got …)" messages. */
export function kind(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "number") return "a number";
  if (typeof value === "string") return "text";
  return Array.isArray(value) ? "list" : "dict";
}

// str.isspace() characters: what Python's str.strip() removes.
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

/** str.strip(): JS trim() also removes U+FEFF and keeps U+001C–U+001F, Python does the opposite. */
export function pyStrip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && PY_SPACE.includes(text[start])) start++;
  while (end > start && PY_SPACE.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/** len() of a str counts code points, not UTF-16 units. */
export function pyLen(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Compare strings by code point, as Python's sorted() does. */
export function codePointCompare(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

/** Python's == over JSON values (1 == 1.0, dict order ignored). */
export function deepEqual(a, b) {
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** copy.deepcopy of JSON data. */
export function clone(value) {
  return value === undefined ? undefined : structuredClone(value);
}

// Keys whose numbers are floats on the Python side (levels are validated to float).
const FLOAT_KEYS = new Set(["level", "resolved_level"]);

function jsonString(text) {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** json.dumps(value, sort_keys=True): ", " and ": " separators, ASCII only, levels as floats. */
export function pyDumps(value, isFloat = false) {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") return isFloat ? pyFloat(value) : String(value);
  if (typeof value === "string") return jsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyDumps(v, isFloat)).join(", ")}]`;
  const keys = Object.keys(value).sort(codePointCompare);
  return `{${keys.map((k) => `${jsonString(k)}: ${pyDumps(value[k], FLOAT_KEYS.has(k))}`).join(", ")}}`;
}
