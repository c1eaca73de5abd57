/**
 * The teacher's screens other than the review queue (class lists, Grid, Rate, Conflicts,
 * Ready to demonstrate), as React hooks over the device's store: the same rows online,
 * offline and after an offline reload, so no screen waits for the Reflex socket. What they
 * show is worked out in teacher_views.js (pure, bun-tested); writes go through the sync core
 * (rating.put, conflict.resolve → outbox → /api/sync/push), and what a write's card says
 * comes from its outbox entry: "Saved on this phone", then "Sent" once the server
 * acknowledged it (decisionWords, shared with the review queue).
 *
 * Regrouping (a group with a playlist) is a server write with no sync mutation yet: it
 * needs a connection and says so, keeping what was picked.
 */

import { useMemo, useRef, useSyncExternalStore } from "react";
import { getRuntime, rate as rateTarget, resolveConflict, useRuntime, useSyncCounts, withdraw } from "../sync/index.js";
import { fieldError, focusSoon, formOf, say, values, writeErrorText } from "./glue.js";
import { t, useT } from "./i18n.js";
import { reasonText } from "./reason_text.js";
import { countText, moreText, usePageLimit } from "./paging.js";
import { decisionWords } from "./queue_views.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";
import * as views from "./teacher_views.js";
import { ratePair, READERS } from "./teacher_reads.js";
// registers the service worker, so a teacher page reloads with no connection too
import "./pwa.js";

export const CONFLICT_LIST = "conflicts";
export const READY_LIST = "ready";

// ---- page memory: grid choices, the open cell, conflicts settled here ----------------------

let local = { classId: "", topicId: "", name: "", need: "all", by: "next", grouped: false, cell: null, sent: 0 };
const listeners = new Set();
const settledHere = new Set();
// ratings made on this page that the server acknowledged: their outbox entry is dropped by
// the next pull (store._rebase), and the form must still say "Sent", not fall silent
const sentHere = new Map(); // "learner:target" → seq
const subscribeLocal = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
/** A write of this page was saved or answered: its card's words are read again. */
const written = () => change({ sent: local.sent + 1 });
function change(next) {
  local = { ...local, ...next };
  for (const listener of listeners) listener();
}

/**
 * The rows one screen needs, read again only after a write to the store's rows (a sync's
 * page, this device's own write; shared_query.js): not on every outbox or status change, so
 * an offline reload reads once and a screen does not re-read the year while the outbox moves.
 */
function useScreenRows(screen, options = {}) {
  const runtime = useRuntime();
  // what the screen shows is part of the key: the rate page's pair, the grid's class × topic,
  // the conflicts page's length; a new choice reads again (showing the last answer meanwhile)
  const shows = screen === "rate" ? Object.values(ratePair()) : Object.values(options);
  const where = shows.length ? `:${shows.join(":")}` : "";
  return useSharedQuery(
    `teacher-${screen}${where}:${runtimeKey(runtime)}`,
    async () => (runtime ? READERS[screen](runtime.store, settledHere, options) : null),
    null,
    `teacher-${screen}`,
  );
}

/**
 * The outbox (small: this device's unsent and just-answered writes), for what a write's card
 * says; read again when the sync counts move or a write of this page was answered.
 */
function useOutbox() {
  const runtime = useRuntime();
  const { pending, rejected, lastSyncedAt } = useSyncCounts();
  // not on the page's own choices (a letter typed in the name filter): only this page's writes
  const { sent } = useSyncExternalStore(subscribeLocal, () => local, () => local);
  return useSharedQuery(
    `teacher-outbox:${runtimeKey(runtime)}:${pending}:${rejected}:${lastSyncedAt}:${sent}`,
    async () => (runtime ? runtime.store.db.outbox.toArray() : null),
    null,
    "teacher-outbox",
  );
}

/** A screen's rows with the outbox beside them ({...rows, outbox}), or null until both are read. */
function useScreen(screen, options) {
  const rows = useScreenRows(screen, options);
  const outbox = useOutbox();
  return useMemo(() => (rows && outbox ? { ...rows, outbox } : null), [rows, outbox]);
}

/** The latest outbox entry of `name` per key ({seq, status, reason, sending}). */
function latestEntries(outbox, name, keyOf) {
  const out = new Map();
  for (const entry of [...(outbox ?? [])].sort((a, b) => a.seq - b.seq)) {
    if (entry.name === name) out.set(keyOf(entry.args ?? {}), { seq: entry.seq, status: entry.status, reason: reasonText(entry.result) || entry.reason || null, sending: Boolean(entry.sending) });
  }
  return out;
}
const ratingKey = (a) => `${a.student_id}:${a.target_id}`;

/** What the rate form of one pair says: its outbox entry's words, or "Sent" for a rating of
 * this page the server acknowledged whose entry the next pull has dropped. */
function ratingStatus(outbox, learnerId, targetId) {
  const key = `${learnerId}:${targetId}`;
  const entry = latestEntries(outbox, "rating.put", ratingKey).get(key);
  if (entry) return decisionWords(entry).status_text;
  return sentHere.has(key) ? decisionWords({ status: "acked" }).status_text : "";
}

// ---- hooks ---------------------------------------------------------------------------------

/** {ready, classes, is_empty}: the class lists from the store. */
export function useClassLists() {
  useT();
  const rows = useScreenRows("classes");
  const classes = useMemo(() => (rows ? views.classLists(rows) : []), [rows]);
  return { ready: Boolean(rows), classes, is_empty: Boolean(rows) && classes.length === 0 };
}

/** The grid: choices, rows, groups, and the open cell's rate form (rubric one tap away). */
export function useGrid() {
  useT();
  const state = useSyncExternalStore(subscribeLocal, () => local, () => local);
  const rows = useScreen("grid", { classId: state.classId, topicId: state.topicId });
  const classes = useMemo(() => (rows ? views.classLists(rows).map((c) => ({ value: c.id, label: c.name })) : []), [rows]);
  const topics = useMemo(() => (rows ? views.topicOptions(rows) : []), [rows]);
  const classId = classes.some((c) => c.value === state.classId) ? state.classId : (classes[0]?.value ?? "");
  const topicId = topics.some((c) => c.value === state.topicId) ? state.topicId : (topics[0]?.value ?? "");
  // the rows hold the levels of the class × topic they were read for: after a new choice,
  // the last grid stays until the new one's rows are read (a few ms), never empty cells
  const readFor = rows?.readFor;
  const fresh = Boolean(readFor) && readFor.classId === classId && readFor.topicId === topicId;
  const lastGrid = useRef(null);
  const grid = useMemo(
    () => (fresh && classId && topicId ? views.gridView(rows, { classId, topicId, name: state.name, need: state.need, by: state.by }) : lastGrid.current),
    [rows, fresh, classId, topicId, state.name, state.need, state.by],
  );
  lastGrid.current = grid;
  const cell = state.cell;
  const picked = useMemo(() => {
    if (!rows || !cell) return null;
    const view = views.rateView(rows, cell.learnerId, cell.targetId);
    if (!view.found) return null;
    return { ...view, status_text: ratingStatus(rows.outbox, cell.learnerId, cell.targetId), form_id: "grid-rate" };
  }, [rows, cell]);
  return {
    ready: Boolean(rows),
    classes,
    topics,
    class_id: classId,
    topic_id: topicId,
    name: state.name,
    need: state.need,
    need_options: (grid?.codes ?? []).map((code) => ({ value: code, label: code })),
    grouped: state.grouped,
    by: state.by,
    by_options: Object.entries(views.GROUP_BY).map(([value, label]) => ({ value, label: label() })),
    by_answer: Boolean(grid?.by_answer),
    by_title: views.GROUP_BY[state.by]?.() ?? "",
    not_said_names: grid?.not_said_names ?? "",
    codes: grid?.codes ?? [],
    rows: grid?.rows ?? [],
    has_learners: (grid?.total ?? 0) > 0,
    groups: grid?.groups ?? [],
    done_names: grid?.done_names ?? "",
    playlists: grid?.playlists ?? [],
    picked,
    has_pick: Boolean(picked),
    no_classes: Boolean(rows) && classes.length === 0,
  };
}

/** The rate screen for the learner and target in the address (/teacher/learners/1/targets/2). */
export function useRate() {
  useT();
  const rows = useScreen("rate");
  const { learnerId, targetId } = ratePair();
  return useMemo(() => {
    if (!rows) return { ready: false, found: false };
    const view = views.rateView(rows, learnerId, targetId);
    return { ready: true, ...view, status_text: ratingStatus(rows.outbox, learnerId, targetId), form_id: "rate-form", binder_href: views.binderHref(learnerId) };
  }, [rows, learnerId, targetId]);
}

/** Open conflicts with their context, 20 at a time with the true count. */
export function useConflicts() {
  useT();
  const limit = usePageLimit(CONFLICT_LIST);
  const rows = useScreen("conflicts", { limit });
  const all = useMemo(() => {
    if (!rows) return [];
    // what each card's resolution says (saved here, sent, Undo) comes from rows.outbox
    return views.conflictViews(rows, settledHere);
  }, [rows]);
  const open = all.filter((c) => c.is_open).length;
  const words = {
    showing: (shown, n) => t({ one: "Showing {shown} of {n} open conflict", other: "Showing {shown} of {n} open conflicts", n, shown }),
    more: (n) => t({ one: "Show {n} more open conflict", other: "Show {n} more open conflicts", n }),
  };
  return { ...pagedList(rows, all, limit, words), open_count: open };
}

/** The Conflicts badge: open conflicts in this device's store (true after a reload). */
export function useConflictCount() {
  const rows = useScreenRows("badge");
  return rows ? views.openConflictCount(rows.conflicts) : 0;
}

/** "Ready to demonstrate" requests from the store, 20 at a time. */
export function useReady() {
  useT();
  const rows = useScreen("ready");
  const limit = usePageLimit(READY_LIST);
  const all = useMemo(() => (rows ? views.readyList(rows) : []), [rows]);
  const words = {
    showing: (shown, n) => t({ one: "Showing {shown} of {n} request", other: "Showing {shown} of {n} requests", n, shown }),
    more: (n) => t({ one: "Show {n} more request", other: "Show {n} more requests", n }),
  };
  return pagedList(rows, all, limit, words);
}

/** One page of a list read from the store, with its count and "Show 20 more" words. */
function pagedList(rows, all, limit, words) {
  const shown = Math.min(limit, all.length);
  return {
    ready: Boolean(rows),
    items: all.slice(0, limit),
    shown,
    count_text: countText(shown, all.length, words),
    more_text: moreText(shown, all.length, words),
    is_empty: Boolean(rows) && all.length === 0,
  };
}

// ---- actions (plain click handlers: they work with the Reflex socket down) -----------------

function need() {
  if (!getRuntime()) throw new Error(t("You are not signed in on this device. Sign in when you are online."));
}

/** Save a rating from a form holding a `level` radio group and a `note` box. */
async function rateFrom(formId, learnerId, targetId) {
  const form = formOf(formId);
  const { text } = values(form);
  const level = text("level");
  if (level === "") {
    say(form, t("Choose a level first."), true);
    form?.querySelector("input[name='level']")?.focus();
    return null;
  }
  try {
    need();
    const answer = await rateTarget(Number(learnerId), Number(targetId), Number(level), text("note") || undefined);
    if (answer?.result?.status === "rejected") {
      say(form, t("Not saved: {reason}", { reason: reasonText(answer.result) }), true);
      return null;
    }
    say(form, "");
    const key = `${learnerId}:${targetId}`;
    sentHere.delete(key); // a newer rating of the pair: its own entry speaks until answered
    getRuntime()?.engine.whenAnswered(answer.seq).then((status) => {
      // "gone": acknowledged and already dropped by a pull (ratings have no Undo)
      if (status === "acked" || status === "gone") sentHere.set(key, answer.seq);
      written();
    });
    written();
    return answer;
  } catch (error) {
    say(form, writeErrorText(error), true);
    return null;
  }
}

export const screens = {
  pickClass: (value) => change({ classId: String(value), cell: null }),
  pickTopic: (value) => change({ topicId: String(value), need: "all", cell: null }),
  setName: (value) => change({ name: String(value ?? "") }),
  setNeed: (value) => change({ need: String(value || "all") }),
  toggleGrouped: () => change({ grouped: !local.grouped, cell: null }),
  /** "Group by": next target, or a profile answer (shows the groups at once). */
  setGroupBy: (value) => change({ by: String(value || "next"), grouped: true, cell: null }),
  /** Tap a cell: its rate form opens below the grid and takes the focus. */
  openCell(learnerId, targetId) {
    change({ cell: { learnerId: String(learnerId), targetId: String(targetId) } });
    focusSoon("grid-rate-heading");
  },
  closeCell() {
    const back = local.cell;
    change({ cell: null });
    if (back) setTimeout(() => globalThis.document?.getElementById(`cell-${back.learnerId}-${back.targetId}`)?.focus(), 50);
  },
  rate: (formId, learnerId, targetId) => rateFrom(formId, learnerId, targetId),

  /**
   * Keep one side's level; the reason (why) is asked for, as the page says, and goes with it
   * on the resolution's event. An empty reason: the error beside the box, which takes focus.
   */
  async resolve(conflictId, level) {
    const form = formOf(`conflict-${conflictId}`);
    const noteId = `conflict-note-${conflictId}`;
    const note = values(form).text("note");
    if (!note) {
      fieldError(noteId, t("Say why this level stands: the reason is kept with your choice."));
      return null;
    }
    fieldError(noteId, "");
    say(form, "");
    try {
      need();
      settledHere.add(String(conflictId));
      const answer = await resolveConflict(String(conflictId), Number(level), note);
      if (answer?.result?.status === "rejected") {
        settledHere.delete(String(conflictId));
        say(form, t("Not saved: {reason}", { reason: reasonText(answer.result) }), true);
        return null;
      }
      getRuntime()?.engine.whenAnswered(answer.seq).then(written);
      written();
      return answer;
    } catch (error) {
      settledHere.delete(String(conflictId));
      say(form, writeErrorText(error), true);
      return null;
    }
  },

  /** Take a resolution back while it is only on this phone; the reason typed comes back. */
  async undoResolve(conflictId, seq) {
    const form = formOf(`conflict-${conflictId}`);
    const entry = await getRuntime()?.store.db.outbox.get(Number(seq)).catch(() => null);
    const outcome = await Promise.resolve()
      .then(() => withdraw(Number(seq)))
      .catch(() => "gone");
    if (outcome === "withdrawn") {
      settledHere.delete(String(conflictId));
      written();
      say(form, t("Decision undone. Nothing was sent."));
      focusSoon(`conflict-note-${conflictId}`, {
        then: (box) => {
          if (!box.value) box.value = entry?.args?.note ?? "";
        },
      });
    } else if (outcome === "sending" || outcome === "sent") {
      say(form, t("Already sent: it cannot be undone here."), true);
    } else written();
    return outcome;
  },

  /**
   * Make the group of learners who need a target and hand it a playlist (POST /api/groups):
   * online only. Offline it says so beside the group and keeps the playlist picked.
   */
  async assign(classId, targetId, heading, learnerIds) {
    const form = formOf(`group-${targetId}`);
    const playlist = values(form).text("playlist_id");
    if (!playlist) {
      say(form, t("Choose a playlist first."), true);
      return null;
    }
    if (!navigator.onLine || !getRuntime()) {
      say(form, t("Making a group needs a connection. Your choice is kept: tap again when you are back online."), true);
      return null;
    }
    try {
      const response = await getRuntime().engine.request("POST", "/api/groups", {
        json: { class_id: Number(classId), name: heading, student_ids: learnerIds.map(Number), playlist_id: Number(playlist) },
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        say(form, body?.message ?? t("The school's server did not make the group. Try again."), true);
        return null;
      }
      say(form, t("“{title}” now goes to this group.", { title: body.assigned_playlist_title }));
      return body;
    } catch {
      say(form, t("Making a group needs a connection. Your choice is kept: tap again when you are back online."), true);
      return null;
    }
  },
};

if (typeof window !== "undefined") window.waypointScreens = screens;
