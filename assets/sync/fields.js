/** Validators of mutation arguments (= sync/fields.py): each returns the normalized value or throws. */

import { HLC } from "./clock.js";
import { CapExceeded, ClockError, InvalidMutation } from "./errors.js";
import { jsonType, shown } from "./reasons.js";
import { CAPS, LEVELS } from "./spec.js";
import { codePointCompare, codePointLength, idText, strip } from "./values.js";

// the shape caps and the level scale (sync/caps.py and sync/fields.py; spec.js is generated)
export const MAX_TITLE = CAPS.title;
export const MAX_TEXT = CAPS.text;
export const MAX_URL = CAPS.url;
export const MAX_TARGETS = CAPS.target_ids;
export const MAX_SEEN = CAPS.profile_seen;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SHA = /^[0-9a-fA-F]{64}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const isNumber = (v) => typeof v === "number";

/** A proficiency level: a number 0-4 in steps of 0.5 (booleans are not numbers). */
export function level(name, value) {
  if (!isNumber(value) || !Number.isFinite(value)) {
    throw new InvalidMutation("field.not_level", { field: name, type: jsonType(value) });
  }
  if (!(value >= LEVELS.min && value <= LEVELS.max && Number.isInteger(value / LEVELS.step))) {
    throw new InvalidMutation("field.level_step", { field: name, value: shown(value) });
  }
  return value;
}

/** An id of the API's own (user, target, activity): text or a whole number, kept as given. */
export function refId(name, value) {
  if (!(typeof value === "string" || Number.isInteger(value))) {
    throw new InvalidMutation("field.not_id", { field: name, type: jsonType(value) });
  }
  if (typeof value === "string" && !strip(value)) throw new InvalidMutation("field.empty", { field: name });
  return value;
}

/** An id of a row a device created: a UUID in 8-4-4-4-12 form, normalized to lower case. */
export function rowId(name, value) {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new InvalidMutation("field.not_uuid", { field: name, value: shown(value) });
  }
  return value.toLowerCase();
}

/** Trimmed text; null means empty unless required. */
export function text(name, value, maxLen = MAX_TEXT, required = false) {
  if (value === null && !required) return "";
  if (typeof value !== "string") throw new InvalidMutation("field.not_text", { field: name, type: jsonType(value) });
  const clean = strip(value);
  if (required && !clean) throw new InvalidMutation("field.empty", { field: name });
  const length = codePointLength(clean);
  if (length > maxLen) {
    throw new CapExceeded("cap.text_length", { field: name, limit: maxLen, count: length });
  }
  return clean;
}

/** One of a fixed set of words. */
export function choice(name, value, allowed) {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new InvalidMutation("field.not_choice", { field: name, allowed: [...allowed], value: shown(value) });
  }
  return value;
}

/** A list of learning target ids, duplicates dropped, order kept. */
export function targetIds(name, value) {
  if (!Array.isArray(value)) {
    throw new InvalidMutation("field.not_list", { field: name, type: jsonType(value) });
  }
  if (value.length > MAX_TARGETS) {
    throw new CapExceeded("cap.target_ids", { field: name, limit: MAX_TARGETS });
  }
  const seen = new Set();
  const result = [];
  for (const raw of value) {
    const item = refId(name, raw);
    if (!seen.has(idText(item))) {
      seen.add(idText(item));
      result.push(item);
    }
  }
  return result;
}

function isCalendarDate(value) {
  const [y, m, d] = value.split("-").map(Number);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** An ISO calendar date YYYY-MM-DD, or null to clear it. */
export function date(name, value) {
  if (value === null) return null;
  if (typeof value !== "string" || !DATE.test(value)) {
    throw new InvalidMutation("field.not_date", { field: name, value: shown(value) });
  }
  if (!isCalendarDate(value)) {
    throw new InvalidMutation("field.not_calendar_date", { field: name, value });
  }
  return value;
}

/** The scheme and netloc of urllib.parse.urlsplit (tabs and newlines are dropped first, as there). */
function splitUrl(value) {
  const url = value.replace(/[\t\r\n]/g, "");
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(url);
  const scheme = match ? match[1].toLowerCase() : "";
  const rest = match ? match[2] : url;
  const netloc = rest.startsWith("//") ? /^\/\/([^/?#]*)/.exec(rest)[1] : "";
  return { scheme, netloc };
}

/** An http(s) address, or empty. */
export function url(name, value) {
  const clean = text(name, value, MAX_URL);
  if (clean) {
    const { scheme, netloc } = splitUrl(clean);
    // Python's urlsplit raises ValueError on an unbalanced "[" in the host; here it is a rejection.
    const badHost = netloc.includes("[") !== netloc.includes("]");
    if (!["http", "https"].includes(scheme) || !netloc || badHost) {
      throw new InvalidMutation("field.not_web_address", { field: name, value: shown(clean) });
    }
  }
  return clean;
}

/** A blob's sha256 as 64 hex digits (normalized to lower case), or null. */
export function sha256(name, value) {
  if (value === null) return null;
  if (typeof value !== "string" || !SHA.test(value)) {
    throw new InvalidMutation("field.not_sha256", { field: name, value: shown(value) });
  }
  return value.toLowerCase();
}

/** true or false, nothing else. */
export function boolean(name, value) {
  if (typeof value !== "boolean") throw new InvalidMutation("field.not_boolean", { field: name, type: jsonType(value) });
  return value;
}

/** A server version number seen by the client: a whole number >= 0. */
export function version(name, value) {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidMutation("field.not_version", { field: name, value: shown(value) });
  }
  return value;
}

/** A list of words from a fixed set, duplicates dropped, order kept. */
export function words(name, value, allowed) {
  if (!Array.isArray(value)) throw new InvalidMutation("field.not_word_list", { field: name, allowed: [...allowed] });
  const result = [];
  for (const raw of value) {
    const item = choice(name, raw, allowed);
    if (!result.includes(item)) result.push(item);
  }
  return result;
}

/** A list of clock stamps (the versions a device saw), duplicates dropped, sorted. */
export function stamps(name, value) {
  if (!Array.isArray(value)) throw new InvalidMutation("field.not_stamps", { field: name, value: shown(value) });
  if (value.length > MAX_SEEN) throw new CapExceeded("cap.profile_seen", { field: name, limit: MAX_SEEN, count: value.length });
  for (const item of value) {
    try {
      HLC.parse(item);
    } catch (error) {
      if (!(error instanceof ClockError)) throw error;
      throw new InvalidMutation("field.not_stamps", { field: name, value: shown(item) });
    }
  }
  return [...new Set(value)].sort(codePointCompare);
}
