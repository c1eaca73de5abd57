/** The review queue's pure view (assets/ui/queue_views.js): what waits, what each card says of its decision, filters and counts. */

import "fake-indexeddb/auto";
import { expect, test } from "bun:test";
import { SyncStore } from "../../assets/sync/store.js";
import { buildQueue, decisionWords, filterOptions, filterQueue, isWaiting, mediaOf, namedIds, queueEvidence, unsentText, waitingText } from "../../assets/ui/queue_views.js";
import { IDLE_TIMEOUT_MS, whenIdle } from "../../assets/ui/queue_thumbs.js";
import { overlay, readQueue } from "../../assets/ui/teacher_queue.js";

const stamp = (ms) => `${ms}-0000-dev`;
const evidence = (id, student, extra = {}) => ({
  type: "evidence",
  id,
  version: 1,
  deleted: false,
  local: 0,
  data: { student_id: student, kind: "text", caption: `work ${id}`, text: "steps", submitted: true, target_ids: [7], caption_version: 1, _put_hlc: stamp(1000 + Number(id.slice(1))), ...extra },
});
const rows = (extra = {}) => ({
  evidence: [evidence("e1", 11), evidence("e2", 12, { target_ids: [8] }), evidence("e3", 11, { reviewed: { decision: "approved", caption_version: 1 } })],
  learner: [
    { id: 11, deleted: false, data: { display_name: "Ana" } },
    { id: 12, deleted: false, data: { display_name: "Ben" } },
  ],
  target: [
    { id: 7, deleted: false, data: { code: "M1", title: "Fractions" } },
    { id: 8, deleted: false, data: { code: "S2", title: "Forces" } },
  ],
  class: [{ id: 3, deleted: false, data: { name: "Math A", learner_ids: [11] } }],
  outbox: [],
  ...extra,
});
const review = (seq, evidenceId, status, extra = {}) => ({ seq, name: "evidence.review", args: { evidence_id: evidenceId, decision: "approved" }, status, reason: null, ...extra });

test("waiting: submitted and not reviewed since its last edit", () => {
  expect(isWaiting({ submitted: true })).toBe(true);
  expect(isWaiting({ submitted: false })).toBe(false);
  expect(isWaiting({ submitted: true, reviewed: { decision: "approved" } })).toBe(false);
  expect(isWaiting({ submitted: true, reviewed: { decision: "approved" }, edited_after_review: true })).toBe(true);
});

test("the queue holds what waits, oldest first, with names, targets and classes", () => {
  const items = buildQueue(rows());
  expect(items.map((i) => i.id)).toEqual(["e1", "e2"]);
  expect(items[0]).toMatchObject({ learner_name: "Ana", targets_text: "M1", class_ids: ["3"], state: "open", locked: false, first_target: "7" });
  expect(buildQueue(rows(), { order: "newest" }).map((i) => i.id)).toEqual(["e2", "e1"]);
});

test("a pending decision says 'Saved on this phone' and can be undone; acked says 'Sent'", () => {
  const [pending] = buildQueue(rows({ outbox: [review(4, "e3", "pending")] })).filter((i) => i.id === "e3");
  expect(pending).toMatchObject({ state: "saved", status_text: "Saved on this phone", locked: true, can_undo: true, seq: "4", decision_text: "Approved" });
  const [sending] = buildQueue(rows({ outbox: [review(4, "e3", "pending", { sending: 123 })] })).filter((i) => i.id === "e3");
  expect(sending).toMatchObject({ state: "saved", can_undo: true }); // withdraw waits for that push
  const [acked] = buildQueue(rows({ outbox: [review(4, "e3", "acked")] })).filter((i) => i.id === "e3");
  expect(acked).toMatchObject({ state: "sent", status_text: "Sent", locked: true, can_undo: false });
});

test("never 'Sent' for a decision only this device holds", () => {
  const local = { local: 1, data: { submitted: true, reviewed: { decision: "approved" } } };
  expect(decisionWords(undefined, local).status_text).not.toBe("Sent");
  expect(decisionWords(undefined, { local: 0, data: { submitted: true, reviewed: { decision: "approved" } } }).status_text).toBe("Sent");
  const words = ["pending", "rejected"].map((status) => decisionWords({ seq: 1, status, decision: "approved" }).status_text);
  expect(words.every((w) => !/\bSent\b|Synced/.test(w))).toBe(true);
});

test("a refused decision opens the card again with the server's reason", () => {
  const outbox = [review(5, "e1", "rejected", { reason: "already reviewed by 9 at caption version 1" })];
  const [item] = buildQueue(rows({ outbox })).filter((i) => i.id === "e1");
  expect(item.state).toBe("rejected");
  expect(item.locked).toBe(false);
  expect(item.status_text).toContain("already reviewed by 9");
  expect(item.seq).toBe("5");
});

test("filters by class, target and learner; options come from the queue itself", () => {
  const items = buildQueue(rows());
  expect(filterQueue(items, { class_id: "3" }).map((i) => i.id)).toEqual(["e1"]);
  expect(filterQueue(items, { target_id: "8" }).map((i) => i.id)).toEqual(["e2"]);
  expect(filterQueue(items, { learner_id: "12" }).map((i) => i.id)).toEqual(["e2"]);
  expect(filterQueue(items, {}).length).toBe(2);
  const options = filterOptions(items, rows().class);
  expect(options.classes).toEqual([{ value: "3", label: "Math A" }]);
  expect(options.learners.map((o) => o.label)).toEqual(["Ana", "Ben"]);
  expect(options.targets.map((o) => o.label)).toEqual(["M1 Fractions", "S2 Forces"]);
});

test("counts: decided cards no longer wait; unsent decisions are counted apart", () => {
  const items = buildQueue(rows({ outbox: [review(4, "e1", "pending")] }), { keep: new Set(["e1"]) });
  expect(waitingText(items)).toBe("1 piece waiting for review");
  expect(unsentText(items)).toBe("1 decision saved on this phone, not sent yet");
  expect(waitingText([])).toBe("");
});

test("photos: shown from the device, later when offline, unreadable said plainly; other files open", () => {
  expect(mediaOf({ kind: "photo", blob_sha256: "a" }, { url: "blob:1" }).media).toBe("photo");
  expect(mediaOf({ kind: "photo", blob_sha256: "a" }, null).media_text).toBe("Photo will show when online");
  const unreadable = mediaOf({ kind: "photo", blob_sha256: "a" }, { unreadable: true });
  expect(unreadable.media).toBe("unreadable");
  expect(unreadable.media_text).toContain("could not be read");
  expect(mediaOf({ kind: "file", blob_sha256: "b" }, null).media).toBe("file");
  expect(mediaOf({ kind: "text" }, null).media).toBe("none");
});

test("the tapped card locks before the store answers, and says 'Saved' only once it holds the decision", () => {
  const [open] = buildQueue(rows());
  expect(overlay(open, { decision: "approved", saving: true })).toMatchObject({ state: "saving", locked: true, can_undo: false });
  expect(overlay(open, { decision: "approved", saving: true }).status_text).not.toContain("Saved");
  expect(overlay(open, { decision: "approved", seq: 9 })).toMatchObject({ state: "saved", status_text: "Saved on this phone", seq: "9" });
  const [sent] = buildQueue(rows({ outbox: [review(9, "e1", "acked")] }));
  expect(overlay(sent, { decision: "approved", seq: 9 })).toEqual({}); // the store knows more
  // the server's answer came before the store was read again: "Sent" at once
  const [stale] = buildQueue(rows({ outbox: [review(9, "e1", "pending")] }));
  expect(overlay(stale, { decision: "approved", seq: 9, outcome: "acked" })).toMatchObject({ state: "sent", status_text: "Sent", can_undo: false });
  expect(overlay(stale, { decision: "approved", seq: 9 })).toEqual({});
});

test("the queue keeps only the evidence that waits, is changed here or was decided on this page", () => {
  const all = rows().evidence.concat([evidence("e4", 13, { submitted: false }), evidence("e5", 14, { submitted: false })]);
  all.push({ ...evidence("e6", 15, { reviewed: { decision: "approved" } }), local: 1 });
  all.push({ ...evidence("e7", 16), deleted: true });
  expect(queueEvidence(all).map((r) => r.id)).toEqual(["e1", "e2", "e6"]);
  expect(queueEvidence(all, new Set(["e3"])).map((r) => r.id)).toEqual(["e1", "e2", "e3", "e6"]);
  expect(namedIds(queueEvidence(all))).toEqual({ learners: [11, 12, 15], targets: [7, 8] });
});

test("readQueue reads only the learners and targets the waiting pieces name, and builds the same queue", async () => {
  const store = new SyncStore({ id: 9901, role: "teacher" });
  try {
    const base = rows();
    const extra = [
      evidence("e9", 99, { submitted: false, target_ids: [9] }), // a draft: names nobody the queue needs
      { type: "learner", id: 99, version: 1, deleted: false, local: 0, data: { display_name: "Zed" } },
      { type: "target", id: 9, version: 1, deleted: false, local: 0, data: { code: "X9", title: "Unused" } },
    ];
    const put = (type, list) => list.map((r) => ({ type, version: 1, local: 0, ...r }));
    await store.db.rows.bulkPut([...base.evidence, ...put("learner", base.learner), ...put("target", base.target), ...put("class", base.class), ...extra]);
    const read = await readQueue(store, new Set());
    expect(read.evidence.map((r) => r.id).sort()).toEqual(["e1", "e2"]);
    expect(read.learner.map((r) => r.id).sort()).toEqual([11, 12]);
    expect(read.target.map((r) => r.id).sort()).toEqual([7, 8]);
    expect(read.class.map((r) => r.id)).toEqual([3]);
    const strip = (items) => items.map(({ sort, ...rest }) => rest);
    expect(strip(buildQueue({ ...read, outbox: [] }))).toEqual(strip(buildQueue(rows())));
  } finally {
    await store.destroy();
  }
});

test("whenIdle: requestIdleCallback with a timeout, cancellable; a short timer without it", async () => {
  const calls = [];
  const scope = {
    requestIdleCallback: (fn, options) => (calls.push(["request", options.timeout]), setTimeout(fn, 0)),
    cancelIdleCallback: (handle) => (calls.push(["cancel"]), clearTimeout(handle)),
  };
  let ran = 0;
  whenIdle(() => (ran += 1), { scope });
  const cancel = whenIdle(() => (ran += 10), { scope, timeoutMs: 300 });
  cancel();
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(ran).toBe(1);
  expect(calls).toEqual([["request", IDLE_TIMEOUT_MS], ["request", 300], ["cancel"]]);
  let later = 0;
  whenIdle(() => (later += 1), { scope: {} });
  expect(later).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(later).toBe(1);
  // not before afterMs; cancelled during the wait, nothing is asked
  calls.length = 0;
  let delayed = 0;
  whenIdle(() => (delayed += 1), { scope, afterMs: 30 });
  whenIdle(() => (delayed += 10), { scope, afterMs: 30 })();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(calls).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(delayed).toBe(1);
  expect(calls).toEqual([["request", IDLE_TIMEOUT_MS]]);
});
