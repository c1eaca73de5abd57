/**
 * Text in the reader's language for every screen (Reflex pages via app/i18n.py, and the
 * JS offline screens): one gettext catalog per locale (locales/), compiled to
 * /i18n/<locale>.json by `make catalogs` (backend/i18n_catalogs.py).
 *
 * Contract (issue 15):
 *   t(msgid, params)                      "{name}" placeholders
 *   t({one, other, n, ...params})         plural form of n (Intl.PluralRules), {n} filled
 *   useT()                                React hook: a t bound to the current locale
 *   getLocale() / setLocale(code)         BCP 47: en, es, ar, vi, zh-Hans
 *   formatDate(value, "date"|"dateTime"|"weekdayTime"), formatNumber(n)
 * A string missing from a catalog falls back to the English msgid, never to a key.
 *
 * Why it starts synchronously: the chosen language (localStorage "waypoint.locale") and its
 * catalog (localStorage "waypoint.i18n.<code>") are on the device, so the first render
 * offline is already in the reader's language; the catalog is then refreshed from the
 * network (the service worker precaches /i18n/*.json with the build).
 */

import { useEffect, useSyncExternalStore } from "react";

export const LOCALES = ["en", "es", "ar", "vi", "zh-Hans"];
export const NAMES = { en: "English", es: "Español", ar: "العربية", vi: "Tiếng Việt", "zh-Hans": "简体中文" };
export const LOCALE_KEY = "waypoint.locale";
export const COOKIE = "waypoint_locale";
const CATALOG_KEY = (code) => `waypoint.i18n.${code}`;
const RTL = new Set(["ar"]);
const SERVER = "ssr"; // the prerendered HTML is English: hydrate in English, then switch

const browser = typeof window !== "undefined";
const listeners = new Set();
let locale = "en";
let catalog = {};
let version = 0;

function store(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode or full: the language still applies to this page */
  }
}

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** One of LOCALES for a language tag ("es-MX" → "es", "zh-CN" → "zh-Hans"), else null. */
export function normalize(tag) {
  if (!tag) return null;
  const code = String(tag).trim().replace(/_/g, "-").toLowerCase();
  if (code.startsWith("zh")) return code.includes("hant") || ["zh-tw", "zh-hk", "zh-mo"].includes(code) ? null : "zh-Hans";
  const base = code.split("-")[0];
  return LOCALES.includes(base) ? base : null;
}

/** The first supported language of an ordered list of tags (navigator.languages). */
export function negotiate(tags) {
  for (const tag of tags ?? []) {
    const code = normalize(tag);
    if (code) return code;
  }
  return "en";
}

export const isRtl = (code = locale) => RTL.has(code);

function fill(text, params, code = locale) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => {
    const value = params[k];
    if (value === undefined || value === null) return m;
    return k === "n" && typeof value === "number" ? formatNumber(value, code) : String(value);
  });
}

const rulesCache = new Map();
function pluralRules(code) {
  if (!rulesCache.has(code)) rulesCache.set(code, new Intl.PluralRules(code));
  return rulesCache.get(code);
}

function translate(table, code, msgid, params) {
  if (msgid && typeof msgid === "object") {
    const { one, other, ...rest } = msgid;
    const n = Number(rest.n);
    const entry = table[one];
    if (entry && typeof entry === "object") {
      const text = entry[pluralRules(code).select(n)] ?? entry.other;
      if (text) return fill(text, rest, code);
    }
    return fill(pluralRules("en").select(n) === "one" ? one : other, rest, code); // English, this string alone
  }
  const text = table[msgid];
  return fill(typeof text === "string" && text ? text : msgid, params, code);
}

// A page hydrating prerendered (English) HTML renders English until React has hydrated it:
// a screen computing its words with t() during that first render would otherwise differ
// from the HTML (React error #418), and React would render the whole document again,
// dropping the page's CSS-in-JS rules (44 px targets) and <html lang>. Plain scripts and
// tests translate at once.
let hydrated = !(browser && window.__reactRouterContext);

/** `msgid` (or a {one, other, n} plural) in the current language, English when missing. */
export function t(msgid, params) {
  return hydrated ? translate(catalog, locale, msgid, params) : translate({}, "en", msgid, params);
}

/**
 * After the first commit: the real language everywhere (every subscribed screen re-renders).
 * <html data-hydrated> then says the page's controls are live (a change made before that is
 * the prerendered HTML's and React drops it; browser tests wait for it).
 */
function markHydrated() {
  if (typeof document !== "undefined") document.documentElement?.setAttribute("data-hydrated", "");
  if (hydrated) return;
  hydrated = true;
  applyDocument();
  tell();
}

const english = (msgid, params) => translate({}, "en", msgid, params);

export function getLocale() {
  return locale;
}

function tell() {
  version += 1;
  listeners.forEach((listener) => listener());
}

function applyDocument() {
  if (typeof document === "undefined") return;
  // the API answers in the language the screen shows (backend/i18n.py current_locale)
  try {
    document.cookie = `${COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
  } catch {
    /* a document without cookies (tests): the header decides */
  }
  const root = document.documentElement;
  if (!root) return;
  root.lang = locale;
  root.dir = isRtl(locale) ? "rtl" : "ltr";
}

/** Put a catalog in use (and on the device) if it is still the chosen language's. */
export function putCatalog(code, table) {
  store(CATALOG_KEY(code), JSON.stringify(table));
  if (code === locale) {
    catalog = table;
    tell();
  }
}

/** Fetch /i18n/<code>.json (through the service worker when offline). */
export async function loadCatalog(code = locale) {
  if (code === "en" || typeof fetch === "undefined") return;
  try {
    const response = await fetch(`/i18n/${code}.json`, { cache: "no-cache" });
    if (response.ok) putCatalog(code, await response.json());
  } catch {
    /* offline and not cached: the copy on the device (or English) stays */
  }
}

function cached(code) {
  try {
    return JSON.parse(read(CATALOG_KEY(code)) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

/** Switch the language of every screen on this device (remembered in localStorage). */
export function setLocale(code) {
  const next = normalize(code) ?? "en";
  store(LOCALE_KEY, next);
  locale = next;
  catalog = next === "en" ? {} : cached(next);
  applyDocument();
  tell();
  return loadCatalog(next);
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => `${locale}:${version}`;

/** React hook: a t that follows the current language (re-renders on a change). */
export function useT() {
  useEffect(markHydrated, []);
  const key = useSyncExternalStore(subscribe, snapshot, () => SERVER);
  return key === SERVER ? english : t;
}

/** React hook: the current locale code ("en" while hydrating the English HTML). */
export function useLocale() {
  useEffect(markHydrated, []);
  const key = useSyncExternalStore(subscribe, snapshot, () => SERVER);
  return key === SERVER ? "en" : locale;
}

const DATE_OPTIONS = {
  date: { dateStyle: "medium" },
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  weekdayTime: { weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
};
const formatters = new Map();
function formatter(kind, code) {
  const key = `${code}|${kind}`;
  if (!formatters.has(key)) {
    formatters.set(key, kind === "number" ? new Intl.NumberFormat(code) : new Intl.DateTimeFormat(code, DATE_OPTIONS[kind] ?? DATE_OPTIONS.date));
  }
  return formatters.get(key);
}

/** A date in the locale's one format for `kind`; "2026-10-22" is that calendar day. */
export function formatDate(value, kind = "date", code = locale) {
  if (value === null || value === undefined || value === "") return "";
  let day = value;
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-").map(Number);
    day = new Date(y, m - 1, d);
  } else if (!(value instanceof Date)) {
    day = new Date(value);
  }
  if (Number.isNaN(day.getTime())) return String(value);
  return formatter(kind, code).format(day);
}

/** A number as the locale writes it. */
export function formatNumber(value, code = locale) {
  const n = Number(value);
  return Number.isFinite(n) ? formatter("number", code).format(n) : String(value);
}

if (browser) {
  const chosen = normalize(read(LOCALE_KEY));
  locale = chosen ?? negotiate(navigator.languages ?? [navigator.language]);
  catalog = locale === "en" ? {} : cached(locale);
  applyDocument();
  loadCatalog(locale);
  window.addEventListener("storage", (event) => {
    if (event.key === LOCALE_KEY && normalize(event.newValue) && normalize(event.newValue) !== locale) setLocale(event.newValue);
  });
}
