/** Teacher microcredentials on the device: a teacher's own binder, the required transfer
 * reflection refused before it is queued, and an assessor (a coach or an admin) reviewing a
 * colleague's work offline, never their own (= sync/merge/common.py, vectors microcredential_*). */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { SyncStore } from "../../assets/sync/store.js";
import { uuid7 } from "../../assets/sync/uuid.js";

let userSeq = 500;
const stores = [];

function openStore(user) {
  const store = new SyncStore({ ...user, id: user.id ?? ++userSeq }, { now: () => 1_700_000_000_000 });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.destroy().catch(() => {});
});

const REFLECTION = "My exit tickets now name the target; I regroup the next day.";

test("a teacher keeps their own binder, and cannot submit without the reflection", async () => {
  const store = openStore({ role: "teacher" });
  const me = store.user.id;
  const goal = await store.mutate("goal.put", { id: uuid7(), student_id: me, title: "Earn Student-Centered Feedback", target_ids: [7, 8] });
  expect(goal.result.status).toBe("applied");
  const bare = await store.mutate("evidence.put", { id: uuid7(), student_id: me, kind: "text", text: "Log", target_ids: [7], submitted: true });
  expect(bare.result.status).toBe("rejected"); // the code is the vectors' (microcredential.reflection_required)
  const id = uuid7();
  const ok = await store.mutate("evidence.put", { id, student_id: me, kind: "text", text: "Log", target_ids: [7], reflection: `  ${REFLECTION} `, submitted: true });
  expect(ok.result.status).toBe("applied");
  const row = await store.getRow("evidence", id);
  expect(row.data).toMatchObject({ reflection: REFLECTION, submitted: true, student_id: me });
  const own = await store.mutate("evidence.review", { evidence_id: id, decision: "approved" });
  expect(own.result.status).toBe("rejected"); // auth.own_work
  const self = await store.mutate("self_assessment.put", { student_id: me, target_id: 7, level: 2.5 });
  expect(self.result.status).toBe("applied");
});

test("a teacher still cannot put evidence for a learner", async () => {
  const store = openStore({ role: "teacher" });
  const answer = await store.mutate("evidence.put", { id: uuid7(), student_id: 42, kind: "text", text: "For Maya" });
  expect(answer.result.status).toBe("rejected"); // auth.teacher_cannot
});

test("an admin who assesses reviews a colleague's evidence offline; one who does not cannot", async () => {
  const colleague = 900;
  const seeded = { type: "evidence", id: uuid7(), version: 3, deleted: false, data: {
    student_id: colleague, kind: "text", caption: "", target_ids: [7], blob_sha256: null, url: "", text: "Log",
    submitted: true, caption_version: 1, edited_after_review: false, reviewed: null, highlight: false, reflection: REFLECTION } };
  for (const [isAssessor, status] of [[true, "applied"], [false, "rejected"]]) {
    const store = openStore({ role: "admin", is_assessor: isAssessor });
    await store.db.rows.put({ ...seeded, local: 0 });
    const answer = await store.mutate("evidence.review", { evidence_id: seeded.id, decision: "approved", level: 3, target_id: 7, comment: "Clear transfer." });
    expect(answer.result.status).toBe(status);
    const goal = await store.mutate("goal.put", { id: uuid7(), student_id: colleague, title: "Not an admin's" });
    expect(goal.result.status).toBe("rejected"); // auth.admin_no_assess
  }
});
