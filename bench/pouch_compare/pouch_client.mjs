/**
 * The peer's client: PouchDB (LevelDB) replicating to express-pouchdb over HTTP. Prints one
 * JSON line of timings (ms).
 *
 *   node bench/pouch_compare/pouch_client.mjs <spec.json>
 *   spec: {base, dir, push: [[doc, …], …], pull_rows}
 *
 * Push: a local database holding the same 500 changes as documents (written first, not
 * timed) replicates to a new remote database: db.replicate.to(remote). Pull: a remote
 * database of `pull_rows` documents (filled first, not timed) replicates to a new local
 * database: db.replicate.from(remote).
 */

import { readFileSync } from "node:fs";
import PouchDB from "pouchdb-node";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const Local = PouchDB.defaults({ prefix: `${spec.dir}/local-` });
const out = { push_ms: [], pull_ms: [], pulled_rows: [] };

async function fill(db, docs) {
  // one change per document revision, as the device wrote them: same ids update in turn
  const revs = new Map();
  for (const doc of docs) {
    const rev = revs.get(doc._id);
    const saved = await db.put(rev ? { ...doc, _rev: rev } : doc);
    revs.set(doc._id, saved.rev);
  }
}

for (const [i, docs] of spec.push.entries()) {
  const local = new Local(`push${i}`);
  await fill(local, docs);
  const started = performance.now();
  const result = await local.replicate.to(new PouchDB(`${spec.base}/push${i}`));
  out.push_ms.push(performance.now() - started);
  if (!result.ok || result.doc_write_failures) throw new Error(`push ${i}: ${JSON.stringify(result)}`);
}

const source = new PouchDB(`${spec.base}/pullsource`);
const batch = [];
for (let i = 0; i < spec.pull_rows; i++) batch.push({ _id: `goal-${String(i).padStart(6, "0")}`, ...spec.pull_doc, title: `Goal ${i}` });
for (let i = 0; i < batch.length; i += 1000) await source.bulkDocs(batch.slice(i, i + 1000));
for (let i = 0; i < spec.pull_reps; i++) {
  const local = new Local(`pull${i}`);
  const started = performance.now();
  await local.replicate.from(new PouchDB(`${spec.base}/pullsource`));
  out.pull_ms.push(performance.now() - started);
  out.pulled_rows.push((await local.info()).doc_count);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
