/**
 * What the sync status bar says about the device's sign-in, kept apart from React so the
 * rules can be tested (tests/js/status_words.test.js): a screen never says more than it
 * knows. Right after signing in the runtime is still starting (not "not signed in"); a
 * sign-in the server ended is named as ended or expired, as the server said, and the bar
 * does not claim a fresh sync the server refused; a learner the school deleted leaves one
 * plain line and nothing else.
 */

import { t } from "./i18n.js";

// English msgids, for tests and callers to compare with: signInWords shows each through a
// literal t("…") (the catalog extractor reads only literal first arguments), equal to these
export const PURGED_TEXT = "This record was removed by the school. Nothing of it is left on this device.";
export const SIGNED_OUT_TEXT = "Signed out";
export const STARTING_TEXT = "Getting your work…";
export const NOT_SIGNED_IN_TEXT = "Not signed in on this device";
export const ENDED_TEXT = "Your sign-in has ended. Please sign in again.";
export const EXPIRED_TEXT = "Your sign-in has expired. Please sign in again.";
export const NOT_SYNCING_TEXT = "Not syncing until you sign in again";
export const ONLINE_STOPPED_TEXT = "Online · not syncing";
export const KEPT_ONE_TEXT = "Your change is kept on this device and is sent once you sign in again.";
export const KEPT_MANY_TEXT = "Your changes are kept on this device and are sent once you sign in again.";

/**
 * The sign-in part of the bar. `phase` is one of "purged" (the school deleted this learner;
 * the device was wiped), "starting" (a session is on this device but its sync core is not
 * running yet, or the page is still hydrating), "signed-out" (nobody), "ended" (the server
 * refused this device's sign-in: `code` is its reason), or "running".
 * Returns {is_purged, purged_text, is_signed_out_remote, signed_out_text, kept_text,
 * state_text (null: the caller's usual online words), synced_text (null: the usual)}.
 */
export function signInWords({ phase, code = null, pending = 0, online = false }) {
  const words = {
    is_purged: false,
    purged_text: "",
    is_signed_out_remote: false,
    signed_out_text: "",
    kept_text: "",
    state_text: null,
    synced_text: null,
  };
  if (phase === "purged") return { ...words, is_purged: true, purged_text: t("This record was removed by the school. Nothing of it is left on this device."), state_text: t("Signed out"), synced_text: "" };
  if (phase === "starting") return { ...words, state_text: t("Getting your work…"), synced_text: "" };
  if (phase === "signed-out") return { ...words, state_text: t("Not signed in on this device"), synced_text: "" };
  if (phase === "ended") {
    return {
      ...words,
      is_signed_out_remote: true,
      signed_out_text: code === "session_ended" ? t("Your sign-in has ended. Please sign in again.") : t("Your sign-in has expired. Please sign in again."),
      // the plural object stays literal (the catalog extractor reads it); equal to KEPT_*_TEXT
      kept_text: pending
        ? t({
            one: "Your change is kept on this device and is sent once you sign in again.",
            other: "Your changes are kept on this device and are sent once you sign in again.",
            n: pending,
          })
        : "",
      state_text: online ? t("Online · not syncing") : t("Offline"),
      synced_text: t("Not syncing until you sign in again"),
    };
  }
  return words;
}

/** Which phase the device is in (see signInWords), from what the page can see. */
export function signInPhase({ hydrated, purged, runtime, sessionUser, signedIn }) {
  if (purged) return "purged";
  if (!hydrated) return "starting";
  if (!runtime) return sessionUser ? "starting" : "signed-out";
  return signedIn === false ? "ended" : "running";
}
