/**
 * The teacher's review queue over the sync core (issue 14): one read model, the device's
 * store, the same online, offline and after an offline reload (there is no REST twin any
 * more). Buttons call `window.waypointQueue.*` directly, so they work with the Reflex
 * socket down. Every decision is one evidence.review mutation through the outbox; what its
 * card says comes from that outbox entry (queue_views.js): "Saved on this phone", then
 * "Sent" once the server acknowledged it, or the server's reason beside the card.
 */

import { useEffect, useSyncExternalStore } from "react";
import { api, getRuntime, onRuntimeChange, useRuntime, useSyncCounts } from "../sync/index.js";
import { WAIT_INDEX, WAITING } from "../sync/store.js";
import { createNotice, focusSoon, formOf, useNotice, values, writeErrorText } from "./glue.js";
import { formatDate, t, useT } from "./i18n.js";
import { reasonText } from "./reason_text.js";
import { onThumbsFound, thumbs, wantThumbs } from "./queue_thumbs.js";
import { countText, moreText, resetPage, usePageLimit } from "./paging.js";
import { buildQueue, decisionText, filterOptions, filterQueue, namedIds, queueEvidence, unsentText, waitingText } from "./queue_views.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";
// registers the service worker, so a teacher page reloads with no connection too
import "./pwa.js";

export const QUEUE_LIST = "review-queue";
const PIECES = {
  showing: (shown, n) => t({ one: "Showing {shown} of {n} piece waiting for review", other: "Showing {shown} of {n} pieces waiting for review", n, shown }),
  more: (n) => t({ one: "Show {n} more piece waiting for review", other: "Show {n} more pieces waiting for review", n }),
};

// ---- page memory: order, filters, cards decided here, per-card messages ----------------------

let local = { order: "oldest", filters: { class_id: "", target_id: "", learner_id: "" }, tick: 0, cards: {}, opened: {}, decided: {} };
const localListeners = new Set();
const keep = new Set(); // decided on this page: stays on screen with its status
export const notice = createNotice();

/** New page memory; `rebuild` when the cards themselves change (a thumbnail, a new sign-in). */
function change(next, rebuild = false) {
  local = { ...local, ...next, tick: local.tick + (rebuild ? 1 : 0) };
  for (const listener of localListeners) listener();
}

// Reflex renders the hook in every memoized component of the page: the queue is worked out
// once per change for all of them, not once per component (a tap re-rendered dozens)
const memo = new Map();
function cached(name, deps, make) {
  const hit = memo.get(name);
  if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => Object.is(d, deps[i]))) return hit.value;
  const value = make();
  memo.set(name, { deps, value });
  return value;
}

/** One card's message ({text, isError}) shown beside it; "" clears it. */
function cardSays(id, text, isError = false) {
  change({ cards: { ...local.cards, [id]: text ? { text, isError } : undefined } });
}

// a thumbnail found rebuilds the cards (once for every one found in the same moment)
onThumbsFound(() => change({}, true));

const subscribeLocal = (listener) => {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
};

/**
 * What this page knows before the store is read again: a tapped card locks at once
 * ("saving"), and says "Saved on this phone" as soon as the outbox holds the decision.
 */
export function overlay(item, mine) {
  if (mine?.outcome === "acked" && item.state !== "sent") {
    // the server answered this decision; the store is read again a moment later
    return { state: "sent", locked: true, can_undo: false, seq: String(mine.seq), status_text: t("Sent"), decision_text: decisionText(mine.decision, item.is_micro) };
  }
  if (!mine || (item.state !== "open" && item.state !== "rejected")) return {}; // the store knows
  if (item.state === "rejected" && item.seq === String(mine.seq ?? "")) return {}; // refused: say so
  if (mine.saving) return { state: "saving", locked: true, can_undo: false, status_text: t("Saving…"), decision_text: decisionText(mine.decision, item.is_micro) };
  return { state: "saved", locked: true, can_undo: true, seq: String(mine.seq), status_text: t("Saved on this phone"), decision_text: decisionText(mine.decision, item.is_micro) };
}

function decided(id, value) {
  change({ decided: { ...local.decided, [id]: value } });
}

// ---- the view ------------------------------------------------------------------------------

const when = (ms) => formatDate(ms, "dateTime");

/**
 * The rows the queue shows, bounded by the queue itself: the evidence that waits (or carries
 * a decision of this device or page; queueEvidence), and only the learners and targets
 * those pieces name (a key lookup each, not every learner and target row of the year), with
 * the teacher's classes (the class filter). Read once after an offline reload and again only
 * after a write to the store's rows (shared_query.js): not on every outbox or status change,
 * so a tap's IndexedDB write does not queue behind a re-read of the year.
 */
export async function readQueue(store, kept = keep) {
  const { db } = store;
  // by key: the pieces that wait (the store's [type+wait] index), those changed on this
  // device and those decided on this page, in one read-only transaction; not every
  // evidence row of the year
  const candidates = await db.transaction("r", db.rows, async () => {
    const [waiting, local, decided] = await Promise.all([
      db.rows.where(WAIT_INDEX).equals(WAITING).toArray(),
      db.rows.where("[type+local]").equals(["evidence", 1]).toArray(),
      kept.size ? db.rows.bulkGet([...kept].map((id) => ["evidence", id])) : [],
    ]);
    const byId = new Map();
    for (const row of [...waiting, ...local, ...decided]) if (row) byId.set(String(row.id), row);
    return [...byId.values()];
  });
  const evidence = queueEvidence(candidates, kept, store.user?.id ?? null);
  const { learners, targets } = namedIds(evidence);
  const [learner, staff, target, classes] = await Promise.all([
    rowsById(db, "learner", learners),
    // an educator's microcredential evidence (an assessor's queue): named by the staff rows
    rowsById(db, "staff", learners),
    rowsById(db, "target", targets),
    db.rows.where("type").equals("class").toArray(),
  ]);
  // the topics of those targets and their areas (a microcredential is an educator area's topic)
  const topic = await rowsById(db, "topic", [...new Set(target.map((r) => r.data.topic_id))].filter((id) => id != null));
  const area = await rowsById(db, "content_area", [...new Set(topic.map((r) => r.data.content_area_id))].filter((id) => id != null));
  return { evidence, learner, staff, target, class: classes, topic, content_area: area };
}

async function rowsById(db, type, ids) {
  return (await db.rows.bulkGet(ids.map((id) => [type, id]))).filter(Boolean);
}

/**
 * This device's review decisions in the outbox (small: unsent and just-answered writes), for
 * what each card says; read again when the sync counts move, never with the evidence.
 */
function useQueueOutbox(runtime) {
  const { pending, rejected, lastSyncedAt } = useSyncCounts();
  return useSharedQuery(
    `teacher-queue-outbox:${runtimeKey(runtime)}:${pending}:${rejected}:${lastSyncedAt}`,
    async () => (runtime ? runtime.store.db.outbox.toArray() : null),
    null,
    "review-queue-outbox",
  );
}

/**
 * {items, ready, count_text, more_text, shown, waiting_text, unsent_text, order, filters,
 * options, has_filters, notice}: one page of cards of the queue from this device's store.
 */
export function useTeacherQueue() {
  useT(); // re-render on a language change
  const runtime = useRuntime();
  const state = useSyncExternalStore(subscribeLocal, () => local, () => local);
  const read = useSharedQuery(`teacher-queue:${runtimeKey(runtime)}`, async () => (runtime ? readQueue(runtime.store) : null), null, "review-queue");
  const outbox = useQueueOutbox(runtime);
  const rows = cached("rows", [read, outbox], () => (read && outbox ? { ...read, outbox } : null));
  const limit = usePageLimit(QUEUE_LIST);
  const all = cached("all", [rows, state.order, state.tick], () => {
    if (!rows) return [];
    const built = buildQueue(rows, { order: state.order, thumbs: thumbs(), keep, when });
    // a decision seen on this page stays on screen with its status ("Sent" included) after
    // the pull that follows its answer drops it from the outbox
    for (const item of built) if (item.seq) keep.add(item.id);
    return built;
  });
  const filtered = cached("filtered", [all, state.filters], () => filterQueue(all, state.filters));
  const items = cached("items", [filtered, limit, state.cards, state.opened, state.decided], () =>
    // a card decided on this page stays on it: a first sync's later pages may bring older
    // pieces that sort before it and would push it past the page's end mid-decision
    filtered.filter((item, i) => i < limit || state.decided[item.id]).map((item) => {
      const said = state.cards[item.id];
      const shown = { ...item, ...overlay(item, state.decided[item.id]) };
      return { ...shown, message: said?.text ?? "", message_is_error: Boolean(said?.isError), comment_open: Boolean(state.opened[item.id]) };
    }),
  );
  useEffect(() => {
    // the cache first (offline too), then the server when online; once the page is idle:
    // found thumbnails rebuild the cards, which must not take the main-thread turns a first
    // tap's outbox write needs while the page still boots after a reload
    wantThumbs(items.filter((item) => item.media === "later").map((item) => item.file_href.split("/").at(-1)));
  }, [items]);
  const options = cached("options", [all, rows], () => filterOptions(all, rows?.class ?? []));
  const f = state.filters;
  return {
    items,
    ready: Boolean(rows),
    shown: items.length,
    total: filtered.length,
    count_text: countText(items.length, filtered.length, PIECES),
    more_text: moreText(items.length, filtered.length, PIECES),
    waiting_text: waitingText(all),
    unsent_text: unsentText(all),
    order: state.order,
    filters: f,
    options,
    has_filters: Boolean(f.class_id || f.target_id || f.learner_id),
    is_empty: Boolean(rows) && all.length === 0,
    nothing_matches: all.length > 0 && filtered.length === 0,
  };
}

/** {text, isError} of the page-wide notice (bulk approve's summary). */
export const useQueueNotice = () => useNotice(notice);

// ---- actions -------------------------------------------------------------------------------

const field = (id) => globalThis.document?.getElementById(id);

/** The level chosen on a card ("" = none) and its comment. */
function cardInput(id) {
  const { text } = values(formOf(`card-${id}`));
  return { level: text(`level-${id}`), comment: text(`comment-${id}`) };
}

/**
 * Record one decision: the card locks at once (the store's answer comes in milliseconds),
 * then says "Saved on this phone" until the server acknowledges it.
 */
async function decide(id, decision, { level = "", comment = "", targetId = null } = {}) {
  const options = {};
  if (comment) options.comment = comment;
  if (decision === "approved" && level !== "" && targetId != null) {
    options.level = Number(level);
    options.target_id = Number(targetId);
  }
  keep.add(String(id));
  try {
    if (!getRuntime()) throw new Error(t("You are not signed in on this device. Sign in when you are online."));
    const started = performance.now();
    // "Saved on this phone" as soon as IndexedDB has committed the decision (the store's
    // transaction is done: never before), in the turn the sync count moves: one re-render
    const saved = (answer) => {
      // how long the outbox write took, apart from the re-render (bench/teacher_day.py reads it)
      performance.measure("waypoint:review-write", { start: started });
      if (answer?.result?.status === "rejected") return;
      const cards = local.cards[id] ? { ...local.cards, [id]: undefined } : local.cards;
      change({ decided: { ...local.decided, [id]: { decision, seq: answer.seq } }, cards });
    };
    // the write starts first (its transaction opens in this turn), then the card locks
    // ("Saving…") while IndexedDB works: the lock's re-render does not delay the write
    const write = api.reviewEvidence(id, decision, options, { onSaved: saved });
    // the tapped button goes with the lock: a keyboard user's focus moves to the card's Undo
    // (or the card itself once nothing can be undone), never falls to <body> (QA F37)
    const card = globalThis.document?.getElementById(`card-${id}`);
    const hadFocus = Boolean(card?.contains(globalThis.document.activeElement));
    decided(id, { decision, saving: true });
    if (hadFocus) focusSoon(`undo-${id}`, { tries: 20, every: 30, fallback: `card-${id}` });
    const answer = await write;
    if (answer?.result?.status === "rejected") {
      // this device already knows the server would refuse it: take it back, say why
      await api.withdraw(answer.seq).catch(() => {});
      decided(id, undefined);
      cardSays(id, t("Not saved: {reason}", { reason: reasonText(answer.result) }), true);
      return null;
    }
    // "Sent" as soon as the server answers this change, however long a first sync runs
    getRuntime()
      ?.engine.whenAnswered(answer.seq)
      .then((outcome) => {
        const now = local.decided[id];
        if (now?.seq === answer.seq) decided(id, outcome === "acked" ? { ...now, outcome } : undefined);
      });
    return answer;
  } catch (error) {
    decided(id, undefined);
    cardSays(id, writeErrorText(error), true);
    return null;
  }
}

/** The card's first target (a level is for one target; the card names it). */
function firstTarget(id) {
  return field(`card-${id}`)?.dataset.target || null;
}

export const queue = {
  /** Approve with the level chosen on the card (if any). */
  approve(id) {
    const { level, comment } = cardInput(id);
    return decide(id, "approved", { level, comment, targetId: firstTarget(id) });
  },

  /** Return to the learner: a comment says what to change (its error sits beside the box). */
  giveBack(id) {
    const { comment } = cardInput(id);
    if (!comment) {
      change({ opened: { ...local.opened, [id]: true } });
      cardSays(id, t("Write a comment so the learner knows what to change."), true);
      focusSoon(`comment-${id}`);
      return Promise.resolve(null);
    }
    return decide(id, "returned", { comment });
  },

  /** Show the comment box of a card. */
  openComment(id) {
    change({ opened: { ...local.opened, [id]: true } });
    focusSoon(`comment-${id}`);
  },

  /** Take a decision back while it is only on this phone. */
  async undo(id, seq) {
    const outcome = await api.withdraw(Number(seq)).catch(() => "gone");
    if (outcome === "withdrawn") {
      keep.delete(String(id));
      decided(id, undefined);
      cardSays(id, t("Decision undone. Nothing was sent."));
      focusSoon(`approve-${id}`);
    } else if (outcome === "sending" || outcome === "sent") {
      cardSays(id, t("Already sent: it cannot be undone here."), true);
    } else change({}, true);
  },

  /** Drop a decision the server refused (the card is open again). */
  async dismiss(id, seq) {
    await api.dismissRejection(Number(seq)).catch(() => {});
    getRuntime()?.engine.nudge(); // the counts move, so the queue reads the store again
    decided(id, undefined);
    cardSays(id, "");
  },

  /** Approve every ticked card at the level chosen above the list, one mutation each. */
  async approveSelected() {
    const boxes = [...(globalThis.document?.querySelectorAll('input[name="queue-pick"]:checked') ?? [])];
    if (!boxes.length) return notice.set(t("Tick the pieces to approve first."), true);
    const level = field("bulk-level")?.value ?? "";
    let saved = 0;
    for (const box of boxes) {
      const answer = await decide(box.value, "approved", { level, targetId: firstTarget(box.value) });
      if (answer) saved += 1;
      box.checked = false;
    }
    const failed = boxes.length - saved;
    notice.set(
      failed
        ? t("{saved} approved and saved on this phone; {failed} not saved: see the cards.", { saved, failed })
        : t({ one: "{n} approval saved on this phone.", other: "{n} approvals saved on this phone.", n: saved }),
      failed > 0,
    );
  },

  /** Read the three filter selects (class, target, learner). */
  readFilters() {
    const value = (id) => field(id)?.value ?? "";
    resetPage(QUEUE_LIST);
    change({ filters: { class_id: value("filter-class"), target_id: value("filter-target"), learner_id: value("filter-learner") } });
  },

  clearFilters() {
    for (const id of ["filter-class", "filter-target", "filter-learner"]) if (field(id)) field(id).value = "";
    queue.readFilters();
  },

  setOrder(value) {
    resetPage(QUEUE_LIST);
    change({ order: value === "newest" ? "newest" : "oldest" });
  },
};

if (typeof window !== "undefined") {
  window.waypointQueue = queue;
  // another sign-in on this page: nothing decided here belongs to it
  onRuntimeChange(() => {
    keep.clear();
    change({ decided: {}, cards: {}, opened: {} }, true);
  });
}
