/** The page-facing helpers end to end against the in-memory server, the binder, and the module graph. */

import { afterAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { buildBinder } from "../../assets/sync/binder.js";
import { SESSION_KEY } from "../../assets/sync/engine.js";
import * as waypoint from "../../assets/sync/index.js";
import { FakeServer, MemoryStorage } from "./fake-server.js";

const server = new FakeServer();
const storage = new MemoryStorage({
  [SESSION_KEY]: JSON.stringify({ user: { id: 1, role: "student" } }),
});
const engineOptions = { fetch: server.fetch, cookies: server.documentCookie, target: null, setTimeout: () => 0, clearTimeout: () => {} };

afterAll(() => waypoint.signOut({ force: true }));

test("index.js exposes the hooks, the helpers and the window.waypoint api", () => {
  for (const name of ["useRows", "useGoals", "useBinder", "useSyncStatus", "putGoal", "pickActivity", "selfAssess", "addEvidence", "flush", "signOut", "status"]) {
    expect(typeof waypoint[name]).toBe("function");
  }
  expect(Object.keys(waypoint.api)).toContain("mutate");
});

test("a learner's day offline, then one flush: goal, pick, self-assessment, photo evidence", async () => {
  const runtime = await waypoint.start({ storage, engineOptions });
  expect(runtime.user.id).toBe(1);
  const goal = await waypoint.putGoal({ title: "Explain photosynthesis", target_ids: [5] });
  const pick = await waypoint.pickActivity(42);
  await waypoint.setPickStatus(pick, "in_progress");
  await waypoint.selfAssess(5, 2.5, "getting there");
  const photo = new Blob([new Uint8Array(3000).fill(7)], { type: "application/pdf" });
  const evidence = await waypoint.addEvidence({ caption: "my lab notes", target_ids: [5], file: photo });
  expect(waypoint.status().pending).toBeGreaterThanOrEqual(0);
  expect(await waypoint.flush()).toBe(true);
  const rows = server.state.rows;
  expect(rows.goal[goal].data.title).toBe("Explain photosynthesis");
  expect(rows.pick[pick].data.status).toBe("in_progress");
  const sha = createHash("sha256").update(new Uint8Array(3000).fill(7)).digest("hex");
  expect(rows.evidence[evidence].data).toMatchObject({ kind: "file", blob_sha256: sha, caption: "my lab notes" });
  expect(server.blobs.get(sha).complete).toBe(true);
  expect(server.citedUnsent).toEqual([]); // the file went up before the evidence citing it
  expect(waypoint.status()).toMatchObject({ pending: 0, rejected: 0, online: true });
});

test("the binder keeps self and teacher levels apart and shows the resolved level", () => {
  const rows = [
    { type: "content_area", id: 1, deleted: false, data: { name: "Science", is_academic: true, position: 0 } },
    { type: "topic", id: 2, deleted: false, data: { content_area_id: 1, name: "Energy", position: 0 } },
    { type: "target", id: 5, deleted: false, data: { topic_id: 2, code: "SCI.E.1", title: "Photosynthesis", position: 0 } },
    { type: "self_assessment", id: "x", deleted: false, data: { student_id: 1, target_id: 5, level: 2.5, hlc: "1700000000000-0000-a" } },
    { type: "rating", id: "r", deleted: false, version: 3, data: { student_id: 1, target_id: 5, teacher_id: 9, level: 3, hlc: "1700000001000-0000-t" } },
    { type: "event", id: "e", deleted: false, data: { student_id: 1, target_id: 5, level: 3, source: "teacher", hlc: "1700000001000-0000-t" } },
    { type: "evidence", id: "v", deleted: false, data: { student_id: 1, target_ids: [5], caption: "notes" } },
    { type: "rating", id: "other", deleted: false, version: 4, data: { student_id: 2, target_id: 5, teacher_id: 9, level: 1, hlc: "1700000002000-0000-t" } },
  ];
  const [area] = buildBinder(rows, 1);
  const [target] = area.topics[0].targets;
  expect(target).toMatchObject({ code: "SCI.E.1", self_level: 2.5, teacher_level: 3, teacher_source: "rating", evidence_count: 1 });
  expect(target.events.length).toBe(1);
});
