/** The learner's own evidence and a target's history on the device (issue 15 item 6): the
 * thumbnail made at capture is read from the store (never the photo), a refused upload says so
 * and offers its fix, history lines carry their day in the one date format, the plain sentence
 * comes from the level row, and counts read as whole sentences with their plurals. */

import "fake-indexeddb/auto";
import { afterEach, expect, test } from "bun:test";
import { openDatabase } from "../../assets/sync/store.js";
import { fetchThumbs } from "../../assets/ui/evidence_photos.js";
import { evidenceData, targetData, thumbKey } from "../../assets/ui/learner_data.js";
import { binderView, indexRows } from "../../assets/ui/views.js";
import vector from "../vectors/level_sentences.json";

const dbs = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete().catch(() => {});
});

const row = (type, id, data) => ({ type, id, version: 1, deleted: false, local: 0, data });
const TARGET = row("target", "100", { code: "M5.F.1", title: "Fractions", topic_id: "10", scale_level: 3, position: 1 });
const TOPIC = row("topic", "10", { name: "Fractions", content_area_id: "1", position: 1 });

async function device(rows) {
  const db = openDatabase(`learner-evidence-${dbs.length}-${Date.now()}`);
  dbs.push(db);
  await db.rows.bulkPut(rows);
  return db;
}

test("a photo's thumbnail comes from the device's store; a refused upload says why and can be fixed", async () => {
  const db = await device([
    TARGET,
    row("evidence", "e1", { student_id: 7, kind: "photo", caption: "my chart", target_ids: ["100"], blob_sha256: "aa", submitted: true }),
    row("evidence", "e2", { student_id: 7, kind: "photo", caption: "too big", target_ids: [], blob_sha256: "bb", submitted: true }),
  ]);
  await db.meta.put({ key: thumbKey("aa"), value: "data:image/jpeg;base64,AAAA" });
  const blobs = new Map([["aa", { status: "uploaded" }], ["bb", { status: "failed", reason: "That file is larger than 10 MB." }]]);
  const view = await evidenceData(db, 7, blobs, {}, { limit: 20 });
  const byId = Object.fromEntries(view.items.map((i) => [i.id, i]));
  expect(byId.e1.thumb).toBe("data:image/jpeg;base64,AAAA");
  expect(byId.e1.is_refused).toBe(false);
  expect(byId.e1.targets_text).toBe("For M5.F.1");
  expect(byId.e2.thumb).toBe("");
  expect(byId.e2.is_refused).toBe(true);
  expect(byId.e2.status_text).toBe("Upload refused: That file is larger than 10 MB.");
  expect(byId.e2.fix_form_id).toBe("fix-e2");
  expect(view.count_text).toBe("Showing 2 of 2 pieces of evidence");
});

test("history lines carry their day, the plain sentence comes from the level row, counts have plurals", async () => {
  const sentence = vector.cases.find((c) => c.method === "decaying_average" && c.sentence.params.earlier_on);
  const db = await device([
    TARGET,
    TOPIC,
    row("event", "v1", { student_id: 7, target_id: "100", level: 2, source: "teacher", assessed_on: "2026-10-22", hlc: "1700000000000-0000-a" }),
    row("event", "v2", { student_id: 7, target_id: "100", level: 2.5, source: "self", hlc: `${Date.UTC(2026, 10, 8, 12)}-0000-a` }),
    row("level", "7:100", { student_id: 7, target_id: "100", level: 2.98, method_label: "Decaying average", sentence: sentence.sentence }),
  ]);
  const view = await targetData(db, 7, "100", new Map(), {}, { historyLimit: 1, evidenceLimit: 20 });
  expect(view.events.map((e) => [e.level_text, e.source_text, e.when_text])).toEqual([["2.5", "Self-assessment", "Nov 8, 2026"]]);
  expect(view.history_count_text).toBe("Showing 1 of 2 scores");
  expect(view.history_more_text).toBe("Show 1 more score");
  expect(view.sentence_text).toBe(sentence.text);
  expect([view.level_text, view.level_words]).toEqual(["3.0", "proficient"]);

  const all = await targetData(db, 7, "100", new Map(), {}, { historyLimit: 20, evidenceLimit: 20 });
  expect(all.events.map((e) => e.when_text)).toEqual(["Nov 8, 2026", "Oct 22, 2026"]);
  expect(all.history_more_text).toBe("");
});

test("a topic's count follows the number shown, in one sentence with its plural", () => {
  const rows = [
    row("content_area", "1", { name: "Math", position: 1 }),
    TOPIC,
    TARGET,
    row("level", "7:100", { student_id: 7, target_id: "100", level: 2.95 }),
  ];
  const topic = binderView(indexRows(rows, 7)).academic[0].topics[0];
  expect(topic.progress_text).toBe("1 of 1 target proficient");
  expect(topic.targets[0].scale_text).toBe("Target 3.0");
});

test("a piece whose one write the server refused (its file refused first) stays listed with its fix", async () => {
  const db = await device([TARGET]);
  const args = { id: "e9", student_id: 7, kind: "photo", caption: "refused one", target_ids: ["100"], blob_sha256: "cc", submitted: true };
  await db.outbox.put({ seq: 1, name: "evidence.put", args, status: "rejected", reason: "the file this evidence names was not sent" });
  await db.outbox.put({ seq: 2, name: "evidence.put", args: { ...args, id: "e8", student_id: 8 }, status: "rejected" }); // someone else's
  const blobs = new Map([["cc", { status: "failed", reason: "This kind of file is not accepted." }]]);
  const view = await evidenceData(db, 7, blobs, {}, { limit: 20 });
  expect(view.items.map((i) => [i.id, i.is_refused, i.status_text])).toEqual([["e9", true, "Upload refused: This kind of file is not accepted."]]);
  expect(view.count_text).toBe("Showing 1 of 1 piece of evidence");
  const target = await targetData(db, 7, "100", blobs, {}, { historyLimit: 20, evidenceLimit: 20 });
  expect(target.evidence.map((i) => i.id)).toEqual(["e9"]);

  // once the piece stands again (a new evidence.put), the refused write is not listed twice
  await db.rows.put(row("evidence", "e9", args));
  expect((await evidenceData(db, 7, blobs, {}, { limit: 20 })).items.map((i) => i.id)).toEqual(["e9"]);
});

test("a piece added on this device and not yet sent is first, newest first, whatever the server's ids", async () => {
  // the server's ids sort after the device's UUIDv7 ones (F25: seeded ids made the new piece last)
  const server = Array.from({ length: 25 }, (_, i) => row("evidence", `z-${String(i).padStart(2, "0")}`, { student_id: 7, kind: "text", caption: `old ${i}`, target_ids: ["100"] }));
  const unsent = (id, caption) => ({ type: "evidence", id, version: 0, deleted: false, local: 1, data: { student_id: 7, kind: "text", caption, target_ids: ["100"] } });
  const edited = { ...row("evidence", "z-03", { student_id: 7, kind: "text", caption: "old 3, edited", target_ids: ["100"] }), local: 1 };
  const db = await device([TARGET, ...server, edited, unsent("0190a000-0000-7000-8000-000000000001", "made first"), unsent("0190b000-0000-7000-8000-000000000002", "made just now")]);
  const view = await evidenceData(db, 7, new Map(), {}, { limit: 20 });
  expect(view.items.slice(0, 3).map((i) => i.caption)).toEqual(["made just now", "made first", "old 24"]);
  expect(view.items).toHaveLength(20);
  expect(new Set(view.items.map((i) => i.id)).size).toBe(20); // the unsent pieces are not listed twice
  expect(view.count_text).toBe("Showing 20 of 27 pieces of evidence");
  const all = await evidenceData(db, 7, new Map(), {}, { limit: 40 });
  expect(all.items.map((i) => i.caption)).toContain("old 3, edited"); // an edit of a server piece keeps its place
  expect(all.items.findIndex((i) => i.caption === "old 3, edited")).toBe(2 + 21);
  const target = await targetData(db, 7, "100", new Map(), {}, { historyLimit: 20, evidenceLimit: 1 });
  expect(target.evidence.map((i) => i.caption)).toEqual(["made just now"]);
  expect(target.evidence_count_text).toBe("Showing 1 of 27 pieces of evidence");
});

test("a photo taken on another device: its server thumbnail is fetched once online, kept, and shown offline", async () => {
  const [aa, bb, cc] = ["a", "b", "c"].map((c) => c.repeat(64));
  const db = await device([
    row("evidence", "p1", { student_id: 7, kind: "photo", caption: "from the tablet", target_ids: [], blob_sha256: aa }),
    row("evidence", "p2", { student_id: 7, kind: "photo", caption: "no thumb there", target_ids: [], blob_sha256: bb }),
    row("evidence", "p3", { student_id: 7, kind: "photo", caption: "refused", target_ids: [], blob_sha256: cc }),
  ]);
  const blobs = new Map([[cc, { status: "failed", reason: "no" }]]);
  const before = await evidenceData(db, 7, blobs, {}, { limit: 20 });
  expect(before.items.map((i) => i.thumb)).toEqual(["", "", ""]);
  expect(before.missing_thumbs.sort()).toEqual([aa, bb]); // a refused file is not asked for

  const asked = [];
  const fetchImpl = async (url) => {
    asked.push(url);
    if (url.includes(aa)) return new Response(new Uint8Array([0xff, 0xd8, 0xff]), { headers: { "Content-Type": "image/jpeg" } });
    return new Response(JSON.stringify({ code: "not_found" }), { status: 404, headers: { "Content-Type": "application/json" } });
  };
  expect(await fetchThumbs(db, before.missing_thumbs, { fetchImpl, online: false })).toBe(0);
  expect(asked).toEqual([]); // offline: nothing asked
  expect(await fetchThumbs(db, before.missing_thumbs, { fetchImpl, online: true })).toBe(1);
  expect(asked.sort()).toEqual([`/api/blobs/${aa}?size=thumb`, `/api/blobs/${bb}?size=thumb`]);

  const after = await evidenceData(db, 7, blobs, {}, { limit: 20 }); // read from the store: offline too
  expect(Object.fromEntries(after.items.map((i) => [i.caption, i.thumb]))).toEqual({ "from the tablet": "data:image/jpeg;base64,/9j/", "no thumb there": "", refused: "" });
  expect(after.missing_thumbs).toEqual([bb]);
  // kept: not asked again; the server's "no thumbnail" is not asked again either
  expect(await fetchThumbs(db, [aa, bb], { fetchImpl, online: true })).toBe(0);
  expect(asked).toHaveLength(2);
});
