/**
 * The glue every offline screen shares, learner and teacher alike (issue 14 item 6): one way
 * to say what a tap did (a notice beside the form, or a page-wide notice), one guarded write
 * (nobody signed in, storage full → a sentence, never a stack trace), one way to read a
 * form's fields, and one `beforeunload` guard that asks before a tab with unsent work closes.
 * Two copies of these had drifted apart (learner.js and teacher/teacher.js).
 */

import { useSyncExternalStore } from "react";
import { getRuntime, status } from "../sync/index.js";
import { t } from "./i18n.js";

// ---- notices -----------------------------------------------------------------------------

/** Write `text` into the form's [data-msg] box (role=status/alert lives on the box itself). */
export function say(form, text, isError = false) {
  const box = form?.querySelector("[data-msg]");
  if (box) {
    box.textContent = text;
    box.dataset.error = isError ? "1" : "0";
  }
}

/** A page-wide notice {text, isError}: what the last tap on a page led to. */
export function createNotice() {
  let current = { text: "", isError: false };
  const listeners = new Set();
  return {
    get: () => current,
    set(text, isError = false) {
      current = { text, isError };
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The notice's current value, re-rendering on each change. */
export function useNotice(notice) {
  return useSyncExternalStore(notice.subscribe, notice.get, notice.get);
}

// ---- form reading ------------------------------------------------------------------------

/** The element for an id (or the element itself). */
export function formOf(idOrForm) {
  return typeof idOrForm === "string" ? globalThis.document?.getElementById(idOrForm) : idOrForm;
}

/**
 * The named fields of a form-like container (a div with role="form": a real <form> would
 * submit and reload on Enter). {text(name), ids(name), file(name)}.
 */
export function values(form) {
  const fields = [...(form?.querySelectorAll("[name]") ?? [])];
  const named = (name) => fields.filter((f) => f.name === name);
  const text = (name) => {
    const field = named(name).find((f) => (f.type !== "radio" && f.type !== "checkbox") || f.checked);
    return String(field?.value ?? "").trim();
  };
  const ids = (name) => named(name).filter((f) => f.checked).map((f) => (/^\d+$/.test(f.value) ? Number(f.value) : f.value));
  const file = (name) => named(name)[0]?.files?.[0] ?? null;
  return { text, ids, file };
}

/** Empty a form after a successful "add" (text, dates, ticks and the chosen file). */
export function clear(form) {
  for (const field of form?.querySelectorAll("[name]") ?? []) {
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else field.value = "";
  }
}

// ---- the guarded write -------------------------------------------------------------------

/** What went wrong, in words a learner or teacher can act on (never a developer message). */
export function writeErrorText(error) {
  const message = error?.message ?? String(error ?? "");
  if (error?.name === "QuotaExceededError" || /quota/i.test(message)) {
    return t("This device is out of storage space. Delete some photos or sync, then try again. Your text is still here.");
  }
  return message || t("That did not work. Try again.");
}

/**
 * Run `work()` (a write through the sync core) for `form`; say `done` beside it, or why it
 * failed. Returns the work's result ({seq…}), or null when it failed.
 */
export async function guarded(form, work, done) {
  try {
    if (!getRuntime()) throw new Error(t("You are not signed in on this device. Sign in when you are online."));
    const result = await work();
    if (done) say(form, done);
    return result ?? true;
  } catch (error) {
    say(form, writeErrorText(error), true);
    return null;
  }
}

// ---- leaving with unsent work --------------------------------------------------------------

/** True while this device holds writes the server has not acknowledged. */
export function hasUnsentWork(current = status()) {
  return Number(current?.pending ?? 0) > 0;
}

/** The beforeunload handler: ask first when work is unsent (it stays on the device anyway). */
export function askBeforeLeaving(event, current = status()) {
  if (!hasUnsentWork(current)) return undefined;
  event.preventDefault();
  // older browsers show the dialog only when returnValue is set (they ignore the text)
  event.returnValue = "";
  return "";
}

if (typeof window !== "undefined" && !window.__waypointUnloadGuard) {
  window.__waypointUnloadGuard = true;
  window.addEventListener("beforeunload", (event) => askBeforeLeaving(event));
}

/**
 * Focus an element that a re-render is about to show (a tap's panel renders later than a
 * fixed delay on a busy phone): try every `every` ms, `tries` times; `then(element)` runs
 * once it is found, before the focus; `fallback` (an id) is focused if it never appears.
 */
export function focusSoon(id, { tries = 60, every = 50, then = null, fallback = null } = {}) {
  const element = globalThis.document?.getElementById(id);
  if (element) {
    then?.(element);
    element.focus();
  } else if (tries > 0) setTimeout(() => focusSoon(id, { tries: tries - 1, every, then, fallback }), every);
  else if (fallback) globalThis.document?.getElementById(fallback)?.focus();
}

/** An error beside a field (its `<id>-error` box, tied by aria-describedby), the field focused. */
export function fieldError(id, text) {
  const field = globalThis.document?.getElementById(id);
  const box = globalThis.document?.getElementById(`${id}-error`);
  if (box) box.textContent = text;
  if (!field) return;
  if (text) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
  } else field.removeAttribute("aria-invalid");
}
