/**
 * Text in the reader's language for every screen (Reflex pages via app/i18n.py, and the
 * JS offline screens): one gettext catalog per locale (locales/), compiled to JSON.
 *
 * Contract (issue 15):
 *   t(msgid, params)                      "{name}" placeholders
 *   t({one, other, n, ...params})         plural form of n (Intl.PluralRules), {n} filled
 *   useT()                                React hook: a t bound to the current locale
 *   getLocale() / setLocale(code)         BCP 47: en, es, ar, vi, zh-Hans
 * A string missing from a catalog falls back to the English msgid, never to a key.
 */

import { useSyncExternalStore } from "react";

let locale = "en";
const listeners = new Set();

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined || params[k] === null ? m : String(params[k])));
}

export function t(msgid, params) {
  if (msgid && typeof msgid === "object") {
    const { one, other, ...rest } = msgid;
    return fill(Number(rest.n) === 1 ? one : other, rest);
  }
  return fill(msgid, params);
}

export function getLocale() {
  return locale;
}

export function setLocale(code) {
  locale = code;
  listeners.forEach((l) => l());
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useT() {
  useSyncExternalStore(subscribe, getLocale, getLocale);
  return t;
}
