/**
 * The profile's long lists, bounded for a page (pure: no React, tested under bun).
 */
import { t } from "./i18n.js";

const OBSERVATIONS_SHOWN = 30;

/**
 * A year of observations is a long list: the newest OBSERVATIONS_SHOWN, and any older one
 * still waiting for the learner's answer (never hidden), newest first; the count is all.
 */
export function observationsShown(notes, view) {
  const newest = [...notes].sort((a, b) => (String(a.data._put_hlc ?? "") < String(b.data._put_hlc ?? "") ? 1 : -1));
  const shown = newest.filter((r, index) => index < OBSERVATIONS_SHOWN || (r.data.response ?? "open") === "open");
  return {
    observations: shown.map(view),
    observations_more_text: shown.length < newest.length ? t({ one: "The newest {shown} of {n} observation are shown.", other: "The newest {shown} of {n} observations are shown.", n: newest.length, shown: shown.length }) : "",
  };
}
