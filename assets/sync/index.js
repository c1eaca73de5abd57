/**
 * Entry point for the pages: re-exports the hooks and helpers, and registers
 * `window.waypoint` for rx.call_script (works with the Reflex socket down).
 */

import * as runtime from "./runtime.js";

export * from "./hooks.js";
export * from "./runtime.js";
export { setWorkerUrl } from "./compress.js";

/** What rx.call_script can reach: window.waypoint.putGoal({...}), .flush(), .signOut()… */
export const api = {
  start: runtime.start,
  mutate: runtime.mutate,
  putGoal: runtime.putGoal,
  deleteGoal: runtime.deleteGoal,
  pickActivity: runtime.pickActivity,
  setPickStatus: runtime.setPickStatus,
  unpick: runtime.unpick,
  declineSuggestion: runtime.declineSuggestion,
  selfAssess: runtime.selfAssess,
  addEvidence: runtime.addEvidence,
  editEvidence: runtime.editEvidence,
  deleteEvidence: runtime.deleteEvidence,
  reviewEvidence: runtime.reviewEvidence,
  rate: runtime.rate,
  resolveConflict: runtime.resolveConflict,
  dismissRejection: runtime.dismissRejection,
  withdraw: runtime.withdraw,
  flush: runtime.flush,
  signOut: runtime.signOut,
  status: runtime.status,
  subscribe: runtime.subscribe,
};

if (typeof window !== "undefined") {
  window.waypoint = Object.assign(window.waypoint ?? {}, api);
  // sign-in in this tab calls waypoint.start(); sign-in or out in another tab shows up here
  window.addEventListener("storage", (event) => {
    if (event.key === "waypoint.session") runtime.start().catch(() => {});
  });
  runtime.start().catch((error) => console.error("waypoint sync did not start", error));
}
