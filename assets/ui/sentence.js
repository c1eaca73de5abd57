/**
 * The plain sentence that opens "How this level was worked out", rendered on the device the
 * same way backend/mastery/sentence.py renders it on the server. The server chooses the
 * sentence (msgid, values, ISO dates in params named *_on) and sends it with the level row;
 * this file only writes it in the reader's language, so there is one home for the choice and
 * tests/vectors/level_sentences.json proves both renderings equal (tests/js/sentence.test.js).
 *
 * dayText is the one date format of the learner's screens (history, goals, this sentence): the
 * i18n helper's formatDate(…, "date"), as backend/mastery/words.py `day` is its format_date.
 */

import { formatDate, t } from "./i18n.js";

/** A calendar day ("2026-11-08", a Date, or ms since 1970) in the locale's format; "" for none. */
export function dayText(value) {
  if (value === null || value === undefined || value === "") return "";
  const when = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(value);
  if (when instanceof Date && Number.isNaN(when.getTime())) return "";
  return formatDate(when, "date");
}

/** The sentence, or one step behind "Show the math" (backend/mastery/steps.py: the same data
 * shape), in the reader's words; "" when the server sent none (an older level row). */
export function renderSentence(sentence) {
  if (!sentence || !sentence.msgid) return "";
  const params = {};
  // *_on: an ISO day in the locale's format; *_label: a msgid itself (a method, a level's words)
  for (const [k, v] of Object.entries(sentence.params ?? {})) params[k] = k.endsWith("_on") ? dayText(v) : k.endsWith("_label") ? t(v) : v;
  if (sentence.plural) return t({ one: sentence.msgid, other: sentence.plural, n: sentence.n, ...params });
  return t(sentence.msgid, params);
}
