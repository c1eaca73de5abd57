/**
 * Reason codes (= sync/reasons.py): the English template of a code filled with its params,
 * and the spellings of params both twins share. The table itself is generated into spec.js;
 * a screen renders a code in the reader's language with `t(REASONS[code], params)`.
 */

import { APPLIED_CODES, CONFLICT_CODES, REASONS, SHOWN_MAX } from "./spec.js";

export { APPLIED_CODES, CONFLICT_CODES, REASONS };

const BRACE = /\{(\w+)\}/g;

/** How a param reads inside a sentence (= sync.reasons.param_text). */
export function paramText(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return value.map(paramText).join(", ");
  return String(value);
}

/** The template with its braces replaced by the params (an unknown brace stays). */
export function fill(template, params = {}) {
  return template.replace(BRACE, (whole, key) => (Object.hasOwn(params, key) ? paramText(params[key]) : whole));
}

/** The English sentence of a reason code. */
export function render(code, params = {}) {
  return fill(REASONS[code], params);
}

/** The offending value as text for params: text itself, anything else as compact JSON, cut to SHOWN_MAX code points (= sync.reasons.shown). */
export function shown(value) {
  const out = typeof value === "string" ? value : value === undefined ? "null" : JSON.stringify(value) ?? typeof value;
  const points = [...out];
  return points.length <= SHOWN_MAX ? out : `${points.slice(0, SHOWN_MAX).join("")}…`;
}

/** The JSON type of a value: null, boolean, number, text, list or object (= sync.reasons.json_type). */
export function jsonType(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "text";
  return Array.isArray(value) ? "list" : "object";
}
