/**
 * The plain sentence that opens "How this level was worked out", rendered on the device the
 * same way backend/mastery/sentence.py renders it on the server. The server chooses the
 * sentence (msgid, values, ISO dates in params named *_on) and sends it with the level row;
 * this file only writes it in the reader's language, so there is one home for the choice and
 * tests/vectors/level_sentences.json proves both renderings equal (tests/js/sentence.test.js).
 *
 * dayText is the one date format of the learner's screens (history, goals, this sentence); it
 * matches backend/mastery/words.py `day` ("8 Nov 2026"). When assets/ui/i18n.js gains
 * formatDate, point dayText at it and `day` at backend/i18n.format_date together.
 */

import { getLocale, t } from "./i18n.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A calendar day ("2026-11-08", a Date, or ms since 1970) as "8 Nov 2026"; "" for none. */
export function dayText(value) {
  if (value === null || value === undefined || value === "") return "";
  let d;
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, dd] = value.split("-").map(Number);
    d = { y, m: m - 1, d: dd };
  } else {
    const when = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(when.getTime())) return "";
    d = { y: when.getFullYear(), m: when.getMonth(), d: when.getDate() };
  }
  const locale = getLocale();
  if (!locale || locale === "en") return `${d.d} ${MONTHS[d.m]} ${d.y}`;
  const fmt = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  return fmt.format(new Date(Date.UTC(d.y, d.m, d.d)));
}

/** The sentence in the reader's words; "" when the server sent none (an older level row). */
export function renderSentence(sentence) {
  if (!sentence || !sentence.msgid) return "";
  const params = {};
  for (const [k, v] of Object.entries(sentence.params ?? {})) params[k] = k.endsWith("_on") ? dayText(v) : v;
  if (sentence.plural) return t({ one: sentence.msgid, other: sentence.plural, n: sentence.n, ...params });
  return t(sentence.msgid, params);
}
