/**
 * "My growth" (/teacher/growth, issue 17 part 3) over the sync core: a teacher's
 * microcredentials are the district's educator catalog on this device's store, and their work
 * on them is their own binder (goal.put and evidence.put with their own id as student_id),
 * written through the outbox like a learner's, so the page works offline and says "Sent" only
 * once the server acknowledged a piece. Buttons call `window.waypointGrowth.*` directly, so
 * they work with the Reflex socket down. What is typed in a form is kept on this device
 * (localStorage) until it is sent, so a reload or a dead battery loses nothing.
 *
 * The badge comes from the server (GET /api/credentials/educators/<id>, issued on read) when
 * online, and is remembered on this device so the page still shows it offline.
 */

import { useEffect, useSyncExternalStore } from "react";
import { api, getRuntime, onRuntimeChange, useRuntime, useSyncCounts, useSyncStatus } from "../sync/index.js";
import { OWN_INDEX } from "../sync/database.js";
import { uuid7 } from "../sync/uuid.js";
import { clear, focusSoon, formOf, say, values, writeErrorText } from "./glue.js";
import { getLocale, t, useT } from "./i18n.js";
import { reasonText } from "./reason_text.js";
import { formProblem, growthView } from "./growth_views.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";
// registers the service worker, so the page reloads with no connection too
import "./pwa.js";

const MAX_FILE_BYTES = 40 * 1024 * 1024;
const DRAFTS_KEY = (me) => `waypoint.growth.drafts.${me}`;
const BADGES_KEY = (me) => `waypoint.growth.badges.${me}`;

// ---- small device memory: drafts and the last list of badges -------------------------------

function readJson(key, fallback) {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(key) ?? "null") ?? fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or blocked: the form still holds the words on screen
  }
}

/** Keep what was typed in one competency's form (caption, reflection). */
function keepDraft(me, targetId, name, value) {
  const drafts = readJson(DRAFTS_KEY(me), {});
  drafts[targetId] = { ...(drafts[targetId] ?? {}), [name]: value };
  writeJson(DRAFTS_KEY(me), drafts);
}

function dropDraft(me, targetId) {
  const drafts = readJson(DRAFTS_KEY(me), {});
  delete drafts[targetId];
  writeJson(DRAFTS_KEY(me), drafts);
}

let badges = { tick: 0, list: null };
const badgeListeners = new Set();
function setBadges(list) {
  badges = { tick: badges.tick + 1, list };
  for (const listener of badgeListeners) listener();
}
const subscribeBadges = (listener) => {
  badgeListeners.add(listener);
  return () => badgeListeners.delete(listener);
};

// every memoized component of the page renders the hook: one request per sync, not one each
let badgesAsked = "";

/** The educator's credentials from the server (issued on read); kept for offline reading. */
async function fetchBadges(runtime, key) {
  if (badgesAsked === key) return;
  badgesAsked = key;
  const me = runtime.user.id;
  try {
    const response = await runtime.engine.request("GET", `/api/credentials/educators/${me}`);
    if (!response.ok) return;
    const body = await response.json();
    const list = (body.credentials ?? []).map((c) => ({ id: c.id, name: c.name, topic_id: c.topic_id, issued_at: c.issued_at, is_revoked: Boolean(c.is_revoked), download: c.download }));
    writeJson(BADGES_KEY(me), list);
    setBadges(list);
  } catch {
    // offline: the list kept on this device stands
  }
}

// ---- the view ------------------------------------------------------------------------------

/**
 * The teacher's own rows of one type, by key (OWN_INDEX): a teacher's store holds a year of
 * their learners' goals, picks and evidence too, which a scan would read one by one (2.9 s
 * for year-teacher1 of the ci year: 11,210 picks, 4,396 goals, 2,849 pieces).
 */
function ownRows(db, type, me) {
  return db.rows
    .where(OWN_INDEX)
    .equals([type, 1])
    .filter((r) => String(r.data?.student_id) === String(me))
    .toArray();
}

/**
 * What the page reads from the store: the catalog (areas, topics, targets: reference rows,
 * small) and the teacher's own goals, picks, evidence and reviews (by key: ownRows).
 */
export async function readGrowth(store, me) {
  const { db } = store;
  return db.transaction("r", db.rows, async () => {
    const [areas, topics, targets, activities, picks, goals, evidence, reviews] = await Promise.all([
      db.rows.where("type").equals("content_area").toArray(),
      db.rows.where("type").equals("topic").toArray(),
      db.rows.where("type").equals("target").toArray(),
      db.rows.where("type").equals("activity").toArray(),
      ownRows(db, "pick", me),
      ownRows(db, "goal", me),
      ownRows(db, "evidence", me),
      ownRows(db, "review", me),
    ]);
    return { areas, topics, targets, activities, picks, goals, evidence, reviews };
  });
}

// Reflex renders the hook in every memoized component of the page: the view is worked out
// once per change of what it is made of (rows, outbox, badges, language), not once each
let memo = { deps: [], value: null };
function cachedView(deps, make) {
  if (memo.deps.length === deps.length && memo.deps.every((d, i) => Object.is(d, deps[i]))) return memo.value;
  memo = { deps, value: make() };
  return memo.value;
}

/** {items, is_empty, ready, is_online, working_count}: the growth page from this device. */
export function useGrowth() {
  useT(); // re-render on a language change
  const runtime = useRuntime();
  const me = runtime?.user?.id ?? null;
  const { pending, rejected, lastSyncedAt } = useSyncCounts();
  const { online } = useSyncStatus();
  const read = useSharedQuery(`growth:${runtimeKey(runtime)}`, async () => (runtime ? readGrowth(runtime.store, me) : null), null, "growth");
  const outbox = useSharedQuery(
    `growth-outbox:${runtimeKey(runtime)}:${pending}:${rejected}:${lastSyncedAt}`,
    async () => (runtime ? runtime.store.db.outbox.toArray() : null),
    null,
    "growth-outbox",
  );
  const kept = useSyncExternalStore(subscribeBadges, () => badges, () => badges);
  useEffect(() => {
    if (runtime && online) fetchBadges(runtime, `${runtimeKey(runtime)}:${lastSyncedAt}`);
  }, [runtime, online, lastSyncedAt]);
  if (!read || !outbox || me === null) return { items: [], is_empty: false, ready: false, is_online: Boolean(online), working_count: 0 };
  const view = cachedView([read, outbox, kept, me, getLocale()], () =>
    growthView({ ...read, outbox, credentials: kept.list ?? readJson(BADGES_KEY(me), []) }, me, readJson(DRAFTS_KEY(me), {})),
  );
  return { ...view, ready: true, is_online: Boolean(online) };
}

// ---- actions -------------------------------------------------------------------------------

function me() {
  const runtime = getRuntime();
  if (!runtime) throw new Error(t("You are not signed in on this device. Sign in when you are online."));
  return runtime.user.id;
}

/** "Work on this": one goal naming the microcredential's competencies (own binder). */
async function workOn(topicId) {
  const box = formOf(`mc-topic-${topicId}`);
  try {
    const { db } = getRuntime()?.store ?? {};
    const user = me();
    const topic = await db.rows.get(["topic", /^\d+$/.test(String(topicId)) ? Number(topicId) : topicId]);
    const targets = (await db.rows.where("type").equals("target").toArray()).filter((r) => !r.deleted && String(r.data.topic_id) === String(topicId));
    if (!topic || !targets.length) return say(box, t("This microcredential has no competencies yet. Ask the district office."), true);
    await api.putGoal({ student_id: user, title: topic.data.name, target_ids: targets.map((r) => r.id) });
    say(box, t("You are working on it. Add evidence for each competency below."));
    focusSoon(`mc-${targets[0].id}-caption`);
  } catch (error) {
    say(box, writeErrorText(error), true);
  }
}

/** Mark a field invalid (or not) and describe it with the form's message. */
function invalid(form, name, isInvalid) {
  const element = form?.querySelector(`[name="${name}"]`);
  if (element) element.setAttribute("aria-invalid", isInvalid ? "true" : "false");
  return element;
}

/**
 * Send one competency's evidence for review: words, a photo or a file, with the required
 * reflection on transfer to practice. Refused on the form when the reflection is blank (the
 * server refuses it too: microcredential.reflection_required).
 */
async function send(targetId) {
  const form = formOf(`mc-form-${targetId}`);
  if (!form) return null;
  const { text, file: fileOf } = values(form);
  const caption = text("caption");
  const reflection = text("reflection");
  const file = fileOf("file");
  const hasFile = file instanceof File && file.size > 0;
  const problem = formProblem({ caption, reflection, hasFile });
  invalid(form, "reflection", problem === "reflection");
  invalid(form, "caption", problem === "evidence");
  if (problem === "reflection") {
    say(form, t("Write how this changed your teaching first: the reflection on transfer to practice is required."), true);
    invalid(form, "reflection", true)?.focus();
    return null;
  }
  if (problem === "evidence") {
    say(form, t("Add what you did: a few words, a photo or a file."), true);
    invalid(form, "caption", true)?.focus();
    return null;
  }
  if (hasFile && file.size > MAX_FILE_BYTES) {
    say(form, t("That file is too big ({mb} MB). Choose one under {max} MB.", { mb: Math.round(file.size / 1048576), max: MAX_FILE_BYTES / 1048576 }), true);
    return null;
  }
  const tid = /^\d+$/.test(String(targetId)) ? Number(targetId) : targetId;
  try {
    const user = me();
    let answer;
    if (hasFile) {
      say(form, t("Preparing the file…"));
      // the existing upload path: kept on this device, uploaded just before the evidence
      // (a refusal of the server shows on the competency, with its reason and "Drop")
      await api.addEvidence({ file, caption, target_ids: [tid], reflection, submitted: true });
    } else {
      answer = await api.mutate("evidence.put", { id: uuid7(), student_id: user, kind: "text", caption, text: caption, target_ids: [tid], reflection, submitted: true });
    }
    if (answer?.result?.status === "rejected") {
      // this device already knows the server would refuse it: take it back, say why
      await api.withdraw(answer.seq).catch(() => {});
      say(form, t("Not saved: {reason}", { reason: reasonText(answer.result) }), true);
      return null;
    }
    clear(form);
    dropDraft(user, String(targetId));
    say(form, t("Saved on this phone. It is sent when you are online."));
    return answer;
  } catch (error) {
    say(form, writeErrorText(error), true);
    return null;
  }
}

/** Drop a piece the server refused (its words stay in the form to send again). */
async function dismiss(seq) {
  await api.dismissRejection(Number(seq)).catch(() => {});
  getRuntime()?.engine.nudge();
}

/**
 * Download the badge (the signed credential, as the server keeps it) as a file: fetched with
 * the session (a stale access cookie is refreshed), then saved by the browser.
 */
async function downloadBadge(href, file, topicId) {
  const box = formOf(`mc-badge-${topicId}`);
  try {
    const runtime = getRuntime();
    if (!runtime) throw new Error(t("You are not signed in on this device. Sign in when you are online."));
    const response = await runtime.engine.request("GET", href);
    if (!response.ok) throw new Error(t("The badge could not be downloaded. Try again."));
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(globalThis.document.createElement("a"), { href: url, download: file });
    globalThis.document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(box, "");
  } catch (error) {
    say(box, error?.status === 0 || /offline/.test(error?.message ?? "") ? t("Downloading the badge needs a connection. Try again when you are online.") : writeErrorText(error), true);
  }
}

const activityRef = (id) => (/^\d+$/.test(String(id)) ? Number(id) : id);

/** Pick an activity of a competency (own binder: pick.put through the outbox). */
async function pick(activityId, targetId) {
  const box = formOf(`mc-acts-${targetId}`);
  try {
    await api.pickActivity(activityRef(activityId), { student_id: me() });
    say(box, "");
  } catch (error) {
    say(box, writeErrorText(error), true);
  }
}

/** Move a pick on: in progress, then done. */
async function movePick(pickId, status, targetId) {
  const box = formOf(`mc-acts-${targetId}`);
  try {
    await api.setPickStatus(pickId, status);
    say(box, "");
  } catch (error) {
    say(box, writeErrorText(error), true);
  }
}

export const growth = { workOn, send, dismiss, pick, movePick, downloadBadge };

if (typeof window !== "undefined") {
  window.waypointGrowth = growth;
  // what is typed in a competency's form is kept as it is typed (not the file)
  // (a test's stand-in document may have no addEventListener)
  globalThis.document?.addEventListener?.("input", (event) => {
    const element = event.target;
    const form = element?.closest?.('[id^="mc-form-"]');
    const runtime = getRuntime();
    if (!form || !runtime || !["caption", "reflection"].includes(element.name)) return;
    keepDraft(runtime.user.id, form.id.slice("mc-form-".length), element.name, element.value);
    if (element.getAttribute("aria-invalid") === "true" && element.value.trim()) element.setAttribute("aria-invalid", "false");
  });
  onRuntimeChange(() => setBadges(null));
}
