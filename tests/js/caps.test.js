/** Count caps on the device: refused before queueing with the server's reason code, params and words; the store's paged and counted reads. */

import { afterEach, expect, test } from "bun:test";
import { CAPS, countCap, evidenceStatus, localCounts } from "../../assets/sync/caps.js";
import { REASONS } from "../../assets/sync/spec.js";
import { CapExceeded } from "../../assets/sync/errors.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";
import { uuid7 } from "../../assets/sync/uuid.js";

const NOW = 1_700_000_600_000;
const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

let dbSeq = 0;
function store(user = { id: 1, role: "student" }) {
  const s = new SyncStore(user, { now: () => NOW, db: openDatabase(`caps-${++dbSeq}`) });
  cleanup.push(() => s.destroy().catch(() => {}));
  return s;
}

const gid = (i) => `0190a0a1-0000-7000-8000-${String(i).padStart(12, "0")}`;
const goal = (i, status = "active", extra = {}) => ({ type: "goal", id: gid(i), version: i + 1, deleted: false, data: { student_id: 1, title: `Goal ${i}`, status, ...extra } });

test("the 501st active goal is refused on the device with the server's code, numbers and words; nothing is queued", async () => {
  const s = store();
  await s.applyPull([...Array.from({ length: CAPS.active_goals }, (_, i) => goal(i)), goal(900, "done")], { cursor: "v1.1000", isLast: true });
  const error = await s.mutate("goal.put", { id: uuid7(), student_id: 1, title: "one more" }).catch((e) => e);
  expect(error).toBeInstanceOf(CapExceeded);
  expect(error.code).toBe("cap.active_goals");
  expect(error.params).toEqual({ count: 500, limit: 500 });
  expect(error.message).toBe(REASONS["cap.active_goals"].replace("{count}", "500").replace("{limit}", "500"));
  expect(error.message.startsWith("You have 500 active goals. Finish or archive some first")).toBe(true);
  expect(error.result(7)).toEqual({ seq: 7, status: "rejected", code: "cap.active_goals", params: { count: 500, limit: 500 }, reason: error.message });
  expect(await s.db.outbox.count()).toBe(0);
  // editing, finishing and recording a finished goal are never capped
  await s.mutate("goal.put", { id: gid(1), student_id: 1, title: "renamed" });
  await s.mutate("goal.put", { id: uuid7(), student_id: 1, title: "already done", status: "done" });
  expect((await s.capCheck("goal.put", { id: gid(900), student_id: 1, title: "x", status: "active" }))?.code).toBe("cap.active_goals");
  await s.mutate("goal.put", { id: gid(2), student_id: 1, title: "Goal 2", status: "done" });
  await s.mutate("goal.put", { id: gid(900), student_id: 1, title: "reopened", status: "active" }); // the freed place
  expect(await s.db.outbox.count()).toBe(4);
});

test("evidence caps: open items and what this device added today", () => {
  const caps = { ...CAPS, open_evidence: 2, evidence_per_day: 3 };
  const ev = (id, data) => ({ type: "evidence", id, version: 1, deleted: false, data: { student_id: 1, ...data } });
  const rows = [ev("a", { submitted: true }), ev("b", {}), ev("c", { submitted: true, reviewed: { decision: "approved" } })];
  expect(rows.map((r) => evidenceStatus(r.data))).toEqual(["submitted", "draft", "approved"]);
  const today = [1, 2, 3].map((seq) => ({ seq, name: "evidence.put", status: "acked", created: true, created_at: NOW - 1000, args: { student_id: 1 } }));
  const counts = localCounts(rows, today, 1, NOW);
  expect(counts).toEqual({ active_goals: 0, open_evidence: 2, highlights: 0, evidence_today: 3 });
  expect(countCap("evidence.put", { kind: "text" }, null, counts, caps).code).toBe("cap.evidence_per_day");
  expect(countCap("evidence.put", { kind: "text" }, null, { ...counts, evidence_today: 0 }, caps).code).toBe("cap.open_evidence");
  expect(countCap("evidence.put", { caption: "edit" }, rows[0], counts, caps)).toBeNull();
  const yesterday = today.map((e) => ({ ...e, created_at: NOW - 86_400_000 }));
  expect(localCounts(rows, yesterday, 1, NOW).evidence_today).toBe(0);
});

test("page and count: bounded reads for the screens, newest first by default", async () => {
  const s = store();
  await s.applyPull([...Array.from({ length: 45 }, (_, i) => goal(i, i % 3 ? "done" : "active")), { ...goal(99), deleted: true }], { cursor: "v1.100", isLast: true });
  expect(await s.count("goal")).toBe(45);
  expect(await s.count("goal", { status: "active" })).toBe(15);
  const first = await s.page("goal", { status: "done" }, { limit: 20 });
  expect(first.length).toBe(20);
  expect(first[0].version).toBeGreaterThan(first[1].version);
  const rest = await s.page("goal", { status: "done" }, { limit: 20, offset: 20 });
  expect(rest.length).toBe(10);
  expect(new Set([...first, ...rest].map((r) => r.id)).size).toBe(30);
  const byTitle = await s.page("goal", (r) => r.data.status === "active", { limit: 3, order: "title" });
  expect(byTitle.map((r) => r.data.title)).toEqual(["Goal 0", "Goal 12", "Goal 15"]);
  expect((await s.page("goal", {}, { includeDeleted: true, limit: 100 })).length).toBe(46);
});

test("highlights: starring one more piece of work past the cap is refused, unstarring never", () => {
  const caps = { ...CAPS, highlights: 2 };
  const ev = (id, data) => ({ type: "evidence", id, version: 1, deleted: false, data: { student_id: 1, ...data } });
  const rows = [ev("a", { highlight: true }), ev("b", { highlight: true }), ev("c", {}), { ...ev("d", { highlight: true }), deleted: true }];
  const counts = localCounts(rows, [], 1, NOW);
  expect(counts.highlights).toBe(2); // the deleted one does not count
  const refused = countCap("evidence.put", { id: "c", highlight: true }, rows[2], counts, caps);
  expect(refused.code).toBe("cap.highlights");
  expect(refused.message).toContain("Unstar one first");
  expect(countCap("evidence.put", { id: "a", highlight: true }, rows[0], counts, caps)).toBeNull(); // already starred
  expect(countCap("evidence.put", { id: "a", highlight: false }, rows[0], counts, caps)).toBeNull();
  expect(countCap("evidence.put", { id: "c", highlight: true }, rows[2], { ...counts, highlights: 1 }, caps)).toBeNull();
});

test("the store refuses a 13th star before queueing, with the server's words; unstarring and re-starring queue", async () => {
  const s = store();
  const eid = (i) => `0190e0e1-0000-7000-8000-${String(i).padStart(12, "0")}`;
  const ev = (i, highlight) => ({ type: "evidence", id: eid(i), version: i + 1, deleted: false, data: { student_id: 1, kind: "text", text: `work ${i}`, highlight } });
  const rows = [...Array.from({ length: CAPS.highlights }, (_, i) => ev(i, true)), ev(50, false)];
  await s.applyPull(rows, { cursor: "v1.100", isLast: true });
  const error = await s.mutate("evidence.put", { id: eid(50), student_id: 1, kind: "text", highlight: true }).catch((e) => e);
  expect(error).toBeInstanceOf(CapExceeded);
  expect(error.code).toBe("cap.highlights");
  expect(error.message).toBe(REASONS["cap.highlights"].replace("{count}", String(CAPS.highlights)));
  expect(await s.db.outbox.count()).toBe(0);
  await s.mutate("evidence.put", { id: eid(0), student_id: 1, kind: "text", highlight: false });
  await s.mutate("evidence.put", { id: eid(50), student_id: 1, kind: "text", highlight: true });
  await s.mutate("evidence.put", { id: eid(1), student_id: 1, kind: "text", highlight: true }); // already starred
  expect(await s.db.outbox.count()).toBe(3);
});
