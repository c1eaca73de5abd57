/**
 * The peer's client: PouchDB (LevelDB) replicating to express-pouchdb over HTTP. Prints one
 * JSON line of timings (ms).
 *
 *   node bench/pouch_compare/pouch_client.mjs <spec.json>
 *   spec: {base, dir, rep, push: [doc, …] | null, pull: bool, pull_rows, pull_doc}
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

// spec.rep: which run this is (a new local and remote database per run)
const i = spec.rep;
if (spec.push) {
  const local = new Local(`push${i}`);
  await fill(local, spec.push);
  const started = performance.now();
  const result = await local.replicate.to(new PouchDB(`${spec.base}/push${i}`));
  out.push_ms.push(performance.now() - started);
  if (!result.ok || result.doc_write_failures) throw new Error(`push ${i}: ${JSON.stringify(result)}`);
}
const source = new PouchDB(`${spec.base}/pullsource`);
if ((await source.info()).doc_count < spec.pull_rows) {
  // the remote database to pull from, filled once (not timed)
  const batch = [];
  for (let k = 0; k < spec.pull_rows; k++) batch.push({ _id: `goal-${String(k).padStart(6, "0")}`, ...spec.pull_doc, title: `Goal ${k}` });
  for (let k = 0; k < batch.length; k += 1000) await source.bulkDocs(batch.slice(k, k + 1000));
}
if (spec.pull) {
  const local = new Local(`pull${i}`);
  const started = performance.now();
  await local.replicate.from(source);
  out.pull_ms.push(performance.now() - started);
  out.pulled_rows.push((await local.info()).doc_count);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
