/** Every conformance vector of sync/vectors passes through merge.js, as through the Python library. */

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Actor, SeqGap, applyBatch, newState, project, stateRows } from "../../assets/sync/merge.js";

const VECTORS = join(import.meta.dir, "..", "..", "sync", "vectors");
const DEFAULT_NOW = 1_700_000_600_000;

// an assessor ("assessor": true, a teacher or an admin) assesses every other teacher and admin
function actors(world) {
  const staff = Object.keys(world.users).filter((key) => ["teacher", "admin"].includes(world.users[key].role));
  return Object.fromEntries(
    Object.entries(world.users).map(([key, user]) => [
      key,
      new Actor(key, user.role, user.learners ?? [], user.assessor ? staff.filter((k) => k !== key) : []),
    ]),
  );
}

function ratingVersions(state) {
  const seen = {};
  for (const r of stateRows(state)) {
    if (r.type !== "rating") continue;
    const key = `${r.data.student_id}|${r.data.target_id}`;
    seen[key] = Math.max(seen[key] ?? 0, r.version);
  }
  return seen;
}

function resolve(mutations, snapshots) {
  const out = structuredClone(mutations);
  for (const m of out) {
    const base = m?.args?.base_version;
    if (base && typeof base === "object" && "$seen" in base) {
      m.args.base_version = snapshots[base.$seen][`${m.args.student_id}|${m.args.target_id}`] ?? 0;
    }
  }
  return out;
}

function matches(actual, expected) {
  // exact, code and params included; the words (reason) are the code's template filled
  const { reason, ...got } = actual;
  return Bun.deepEquals(got, expected, true);
}

function runStep(state, step, who, snapshots, now) {
  let outcome;
  try {
    const { results, lastSeq } = applyBatch(state, step.client, resolve(step.mutations, snapshots), who[step.user], step.server_now_ms ?? now);
    outcome = { results, last_seq: lastSeq };
  } catch (error) {
    if (!(error instanceof SeqGap)) throw error;
    outcome = { error: { gap: error.expectedSeq } };
  }
  if (step.label) snapshots[step.label] = ratingVersions(state);
  return outcome;
}

const files = readdirSync(VECTORS).filter((f) => f.endsWith(".json")).sort();

test("the vectors are found beside the Python library", () => {
  expect(files.length).toBeGreaterThanOrEqual(14);
});

describe("conformance vectors", () => {
  for (const file of files) {
    test(file, () => {
      const vector = JSON.parse(readFileSync(join(VECTORS, file), "utf8"));
      const state = newState();
      const snapshots = {};
      const who = actors(vector.world);
      const now = vector.server_now_ms ?? DEFAULT_NOW;
      for (const step of vector.initial ?? []) runStep(state, step, who, snapshots, now);
      vector.steps.forEach((step, index) => {
        const outcome = runStep(state, step, who, snapshots, now);
        const expected = step.expect;
        if (!expected) return;
        const where = `step ${index} (${step.label ?? step.client})`;
        if ("error" in expected || "error" in outcome) {
          expect({ where, ...outcome }).toEqual({ where, error: expected.error });
          return;
        }
        expect({ where, last_seq: outcome.last_seq }).toEqual({ where, last_seq: expected.last_seq });
        const ok = outcome.results.length === expected.results.length && outcome.results.every((r, i) => matches(r, expected.results[i]));
        if (!ok) expect({ where, results: outcome.results }).toEqual({ where, results: expected.results });
      });
      expect(JSON.parse(JSON.stringify(project(state)))).toEqual(vector.final);
    });
  }
});
