/**
 * /admin/growth (issue 17 part 3): the district's talent view, online. Who works on which
 * microcredential and where it stands (GET /api/admin/growth, paged), recording the stipend
 * paid and the hours for an awarded credential (PUT /api/admin/growth/awards/<id>), and each
 * microcredential's requirements, stipend and hours (GET/PUT /api/admin/microcredentials).
 * These are admin records, not binder rows: they go straight to the API (never the outbox),
 * and each form keeps what was typed when the server refuses it, with the reason beside it.
 */

import { useEffect, useSyncExternalStore } from "react";
import { getRuntime } from "../sync/index.js";
import { csrfHeaders } from "../sync/transport.js";
import { formOf, say, values } from "./glue.js";
import { formatDate, t, useT } from "./i18n.js";
import { worthText } from "./growth_views.js";

export const PAGE = 20;

let state = { ready: false, error: "", items: [], total: 0, offset: 0, micro: [], tick: 0 };
const listeners = new Set();
function change(next) {
  state = { ...state, ...next, tick: state.tick + 1 };
  for (const listener of listeners) listener();
}
const subscribe = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** One API call with the session cookie (and the CSRF proof on writes): {ok, status, body}. */
async function call(method, path, json) {
  const init = { body: json === undefined ? undefined : JSON.stringify(json), headers: json === undefined ? {} : { "Content-Type": "application/json" } };
  let response;
  try {
    const runtime = getRuntime();
    response = runtime
      ? await runtime.engine.request(method, path, { json })
      : await fetch(path, { method, credentials: "same-origin", ...init, headers: { ...init.headers, ...csrfHeaders(method, globalThis.document?.cookie ?? "") } });
  } catch {
    return { ok: false, status: 0, body: { message: t("No connection to the school's server. Try again when you are online.") } };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { ok: response.ok, status: response.status, body };
}

const STATUS_WORDS = {
  working: () => t("Working on it"),
  submitted: () => t("Evidence waiting for an assessor"),
  returned: () => t("Returned for more evidence"),
  awarded: () => t("Awarded"),
};

const dollars = (cents) => (cents === null || cents === undefined ? "" : (Number(cents) / 100).toFixed(2).replace(/\.00$/, ""));

/** One row of the talent view as the page shows it. */
export function talentRow(item) {
  const award = item.award;
  return {
    key: `${item.educator_id}-${item.topic_id}`,
    educator_name: item.educator_name ?? "",
    topic_name: item.topic_name ?? "",
    status: item.status ?? "",
    status_text: STATUS_WORDS[item.status]?.() ?? item.status ?? "",
    progress_text: t("{done} of {n} competencies approved · {pieces} pieces of evidence ({returned} returned)", {
      done: item.competencies_approved ?? 0,
      n: item.competencies ?? 0,
      pieces: item.evidence_count ?? 0,
      returned: item.returned_count ?? 0,
    }),
    last_text: item.last_activity ? t("Last activity {when}", { when: formatDate(item.last_activity, "date") }) : t("No activity yet"),
    credential_id: item.credential_id ?? "",
    can_record: Boolean(item.credential_id),
    award_text: award?.recorded_at ? t("Recorded {when}: {worth}", { when: formatDate(award.recorded_at, "date"), worth: worthText(award) || t("nothing paid") }) : item.credential_id ? t("Nothing recorded yet") : "",
    stipend: dollars(award?.stipend_cents ?? item.terms?.stipend_cents),
    hours: String(award?.recert_hours ?? item.terms?.recert_hours ?? ""),
    note: award?.note ?? "",
    form_id: `award-${item.credential_id ?? "none"}`,
  };
}

/** One microcredential's editable terms. */
export function microRow(item) {
  return {
    id: String(item.topic_id),
    name: item.name ?? "",
    requirements: item.requirements ?? "",
    stipend: dollars(item.stipend_cents),
    hours: item.recert_hours === null || item.recert_hours === undefined ? "" : String(item.recert_hours),
    competencies_text: (item.competencies ?? []).map((c) => c.code || c.title).join(" · "),
    form_id: `terms-${item.topic_id}`,
  };
}

async function load(offset = state.offset) {
  const [talent, micro] = await Promise.all([call("GET", `/api/admin/growth?limit=${PAGE}&offset=${offset}`), call("GET", "/api/admin/microcredentials")]);
  if (!talent.ok) return change({ ready: true, error: talent.body?.message ?? t("That did not work. Try again.") });
  change({
    ready: true,
    error: "",
    items: (talent.body.items ?? []).map(talentRow),
    total: talent.body.total ?? 0,
    offset: talent.body.offset ?? offset,
    micro: micro.ok ? (micro.body.items ?? []).map(microRow) : [],
  });
}

/** {ready, error, items, total, page_text, has_prev, has_next, micro}. */
export function useAdminGrowth() {
  useT();
  const s = useSyncExternalStore(subscribe, () => state, () => state);
  useEffect(() => {
    if (!state.ready) load(0);
  }, []);
  const shownTo = s.offset + s.items.length;
  return {
    ready: s.ready,
    error: s.error,
    items: s.items,
    micro: s.micro,
    is_empty: s.ready && !s.error && s.total === 0,
    page_text: s.total ? t("Showing {from}–{to} of {n}", { from: s.offset + 1, to: shownTo, n: s.total }) : "",
    has_prev: s.offset > 0,
    has_next: shownTo < s.total,
  };
}

/** A money field ("250" or "250.50", dollars) in cents; null when blank; NaN when not money. */
export function cents(text) {
  const value = String(text ?? "").trim().replace(/^\$/, "");
  if (!value) return null;
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return Number.NaN;
  return Math.round(Number(value) * 100);
}

/** Hours ("10", "7.5"); null when blank; NaN when not a number. */
export function hours(text) {
  const value = String(text ?? "").trim();
  if (!value) return null;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
}

/** The field errors of a refused write, beside the form ("" when none). */
function refusal(body) {
  const fields = Object.values(body?.errors ?? {}).flat().filter(Boolean);
  return [body?.message, ...fields].filter(Boolean).join(" ");
}

/**
 * Stipend and hours from a form, checked here first (the server checks again), then `send`
 * with them; the answer is said in the form, and the list reloads once saved.
 */
async function saveMoney(form, send, done) {
  const { text } = values(form);
  const stipend = cents(text("stipend"));
  const hrs = hours(text("hours"));
  if (Number.isNaN(stipend)) return say(form, t("Write the stipend in dollars, e.g. 250 or 250.50."), true);
  if (Number.isNaN(hrs)) return say(form, t("Write the hours as a number, e.g. 10 or 7.5."), true);
  say(form, t("Saving…"));
  const answer = await send(text, stipend, hrs);
  if (!answer.ok) return say(form, refusal(answer.body) || t("That did not work. Try again."), true);
  say(form, done);
  await load();
}

function recordAward(credentialId) {
  return saveMoney(formOf(`award-${credentialId}`), (text, stipend, hrs) => call("PUT", `/api/admin/growth/awards/${credentialId}`, { stipend_cents: stipend, recert_hours: hrs, note: text("note") }), t("Recorded."));
}

function saveTerms(topicId) {
  return saveMoney(formOf(`terms-${topicId}`), (text, stipend, hrs) => call("PUT", `/api/admin/microcredentials/${topicId}`, { requirements: text("requirements"), stipend_cents: stipend, recert_hours: hrs }), t("Saved. Teachers see it after their next sync."));
}

export const adminGrowth = {
  recordAward,
  saveTerms,
  next: () => load(state.offset + PAGE),
  prev: () => load(Math.max(0, state.offset - PAGE)),
  reload: () => load(),
};

if (typeof window !== "undefined") window.waypointAdminGrowth = adminGrowth;
