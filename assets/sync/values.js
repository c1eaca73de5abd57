/**
 * JSON values the way the Python library treats them, where JS differs: ids as text (derived
 * row ids hash it), equality (1 == 1.0, key order ignored), copies, trimming and lengths of
 * text (code points, Python's whitespace) and code-point order (Python's sorted()).
 */

/** A plain JSON object, not an array or null. */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** An id as text, as str() spells it in Python: ids hash into derived row ids (null is "None"). */
export function idText(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

// str.isspace() characters: what Python's str.strip() removes.
const SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

/** Trim as Python's str.strip(): JS trim() also removes U+FEFF and keeps U+001C–U+001F. */
export function strip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE.includes(text[start])) start++;
  while (end > start && SPACE.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/** The length of text in code points (as Python's len()), not UTF-16 units. */
export function codePointLength(text) {
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

/** Equality of JSON values as Python's == (1 == 1.0, dict order ignored). */
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

/** A deep copy of JSON data. */
export function clone(value) {
  return value === undefined ? undefined : structuredClone(value);
}

// Keys whose numbers are floats on the Python side (levels are validated to float): 3 is "3.0".
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

/**
 * The canonical JSON text the projection sorts rows by, byte for byte Python's
 * json.dumps(value, sort_keys=True): ", " and ": " separators, ASCII only, levels as floats.
 */
export function canonicalJson(value, isFloat = false) {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") return isFloat && Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === "string") return jsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, isFloat)).join(", ")}]`;
  const keys = Object.keys(value).sort(codePointCompare);
  return `{${keys.map((k) => `${jsonString(k)}: ${canonicalJson(value[k], FLOAT_KEYS.has(k))}`).join(", ")}}`;
}
