/** While a new device's first sync is still running, the learner screens' counts say "so far" (QA F5, F8): they are what has arrived, not the learner's totals; once it ends they are plain. */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { openDatabase } from "../../assets/sync/store.js";
import { evidenceData, goalsData } from "../../assets/ui/learner_data.js";

const dbs = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete().catch(() => {});
});

const id = (n) => `0190${String(n).padStart(4, "0")}-0000-7000-8000-000000000000`;
const row = (type, n, data) => ({ type, id: id(n), version: n, deleted: false, local: 0, data: { student_id: 7, ...data } });

async function device() {
  const db = openDatabase(`so-far-${dbs.length}-${Date.now()}`);
  dbs.push(db);
  const goals = Array.from({ length: 30 }, (_, i) => row("goal", i + 1, { title: `goal ${i}`, status: i % 3 ? "done" : "active" }));
  const evidence = Array.from({ length: 25 }, (_, i) => row("evidence", 100 + i, { kind: "text", text: `piece ${i}`, target_ids: [] }));
  await db.rows.bulkPut([...goals, ...evidence]);
  return db;
}

test("goal counts and the done button say 'so far' while the first sync runs, plain after", async () => {
  const db = await device();
  const during = await goalsData(db, 7, { openLimit: 20, doneLimit: 0, streaming: true });
  expect(during.open_count_text).toBe("Showing 10 of 10 current goals so far");
  expect(during.done_button_text).toBe("Show done goals (20 so far)");
  const after = await goalsData(db, 7, { openLimit: 20, doneLimit: 0, streaming: false });
  expect(after.open_count_text).toBe("Showing 10 of 10 current goals");
  expect(after.done_button_text).toBe("Show done goals (20)");
  const shown = await goalsData(db, 7, { openLimit: 20, doneLimit: 20, streaming: true });
  expect(shown.done_count_text).toBe("Showing 20 of 20 done goals so far");
});

test("the evidence count says 'so far' while the first sync runs, plain after", async () => {
  const db = await device();
  const during = await evidenceData(db, 7, new Map(), {}, { limit: 20, streaming: true });
  expect(during.count_text).toBe("Showing 20 of 25 pieces of evidence so far");
  expect(during.more_text).toBe("Show 5 more pieces of evidence");
  const after = await evidenceData(db, 7, new Map(), {}, { limit: 20 });
  expect(after.count_text).toBe("Showing 20 of 25 pieces of evidence");
});
