/**
 * The learner's conference rehearsal (issue 18 item 4, app/pages/learner_conference.py) and the
 * star on each piece of evidence ("Show this at my conference"). Both read the device's store
 * and write through the sync core's outbox (evidence.put with `highlight`, sync/PROTOCOL.md
 * "Conference highlights"), so they work offline. One slide per part: my profile, my
 * highlights (with the photos kept on this device), my goals, my levels. Next/previous
 * buttons and the arrow keys move between them; printing shows every slide, one a page.
 */

import { useSyncExternalStore } from "react";
import { api, getRuntime, useRuntime } from "../sync/index.js";
import { formOf, guarded, say } from "./glue.js";
import { t } from "./i18n.js";
import { SLIDES, conferenceData } from "./conference_data.js";
import { knownCode, reasonText } from "./reason_text.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";

export { SLIDES };
const SLIDE_TITLES = {
  profile: () => t("My profile, in my own words"),
  highlights: () => t("My highlights"),
  goals: () => t("My goals"),
  levels: () => t("My levels"),
};

// ---- which slide is showing: one small store, read by the page and moved by its buttons ----

let slide = 0;
const listeners = new Set();
const current = () => slide;
function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Move by `step` slides (clamped to the first and last). */
export function go(step) {
  const next = Math.min(SLIDES.length - 1, Math.max(0, slide + Number(step)));
  if (next === slide) return slide;
  slide = next;
  // the focus stays on the button pressed (pressing Next again moves on); the counter, a
  // live status, says "Slide 2 of 4" to a screen reader
  for (const listener of listeners) listener();
  return slide;
}

const EMPTY = { is_loaded: false, profile: [], accepted: [], highlights: [], goals: [], levels: [] };

/** The rehearsal view: the data, which slide shows, its counter; arrow keys move slides. */
export function useConferenceView() {
  const runtime = useRuntime();
  const key = JSON.stringify(["conference", runtimeKey(runtime)]);
  const data = useSharedQuery(
    key,
    async () => (runtime ? { is_loaded: true, ...(await conferenceData(runtime.store.db, runtime.user.id)) } : null),
    null,
    "conference",
  );
  const index = useSyncExternalStore(subscribe, current, current);
  const view = data ?? EMPTY;
  return {
    ...view,
    slide: SLIDES[index],
    slide_title: SLIDE_TITLES[SLIDES[index]](),
    counter_text: t("Slide {n} of {total}", { n: index + 1, total: SLIDES.length }),
    is_first: index === 0,
    is_last: index === SLIDES.length - 1,
  };
}

// ---- the star on a piece of evidence ---------------------------------------------------------

/**
 * Star (on = "1") or unstar a piece of evidence for the conference: an evidence.put with the
 * row's own student_id and kind and the new `highlight`, queued in the outbox. A star over
 * the highlights cap is refused on the device, in words, beside the button.
 */
export async function star(formId, evidenceId, on) {
  const form = formOf(formId);
  const db = getRuntime()?.store?.db;
  const row = db ? await db.rows.get(["evidence", evidenceId]) : null;
  if (!row) return say(form, t("This piece of work is not on this device yet."), true); // a stale tap
  const highlight = on === true || on === "1" || on === "true";
  const args = { id: evidenceId, student_id: row.data.student_id, kind: row.data.kind, highlight };
  const done = highlight ? t("Starred for my conference") : t("Unstarred.");
  return guarded(form, async () => {
    try {
      return await api.mutate("evidence.put", args);
    } catch (error) {
      if (error?.code && knownCode(error.code)) throw new Error(reasonText({ code: error.code, params: error.params ?? {} }));
      throw error;
    }
  }, done);
}

/** The arrow keys move the slides while the rehearsal is on screen (mirrored right to left). */
function onKey(event) {
  if (!globalThis.document?.querySelector(".conf-slide")) return;
  const tag = event.target?.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.altKey || event.ctrlKey || event.metaKey) return;
  const rtl = globalThis.document.documentElement?.dir === "rtl";
  if (event.key === "ArrowRight") go(rtl ? -1 : 1);
  else if (event.key === "ArrowLeft") go(rtl ? 1 : -1);
  else return;
  event.preventDefault();
}

if (typeof window !== "undefined") {
  window.waypointConference = { go, star, print: () => globalThis.print?.() };
  // once per page load: the view's hook runs in several components, a listener each would
  // move several slides per key
  if (!window.waypointConferenceKeys) {
    window.waypointConferenceKeys = true;
    window.addEventListener("keydown", onKey);
  }
}
