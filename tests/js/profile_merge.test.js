/**
 * The profile section's merge in the JS core (assets/sync/merge/profile.js), as the Python
 * property test (tests/sync/test_profile_properties.py) checks the library: any arrival order
 * of the same puts (each device's own in seq order) gives the same section, every version no
 * put said it saw is still shown, and every text is in the history. Seeded, so a failure
 * names its seed.
 */

import { expect, test } from "bun:test";
import { Actor, applyBatch, newState, project } from "../../assets/sync/merge.js";

const T0 = 1_700_000_000_000;
const NOW = 1_700_000_600_000;
const LEARNER = new Actor("s1", "student");
const CLIENTS = [1, 2, 3, 4].map((n) => `0190c11e-0000-7000-8000-00000000000${n}`);
const TEXTS = ["I build", "I draw", "Kind", "", "Maths and music"];

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pickOf = (r, list) => list[Math.floor(r() * list.length)];

function script(r) {
  const devices = 2 + Math.floor(r() * 3);
  const puts = [];
  const made = [];
  const count = 1 + Math.floor(r() * 9);
  for (let i = 0; i < count; i += 1) {
    const device = Math.floor(r() * devices);
    const ms = Math.floor(r() * 5000);
    const hlc = `${String(T0 + ms).padStart(13, "0")}-${String(i).padStart(4, "0")}-d${device}`;
    const seen = made.filter(() => r() < 0.4);
    const section = r() < 0.5 ? "strengths" : "learn_by";
    const args = { student_id: "s1", section, text: pickOf(r, TEXTS), seen };
    if (section === "learn_by") args.choices = ["doing", "talking"].filter(() => r() < 0.5);
    puts.push({ device, mutation: { name: "profile.section.put", args, hlc } });
    made.push(hlc);
  }
  return { devices, puts };
}

function arrivals(r, { devices, puts }) {
  const queues = Array.from({ length: devices }, (_, d) => puts.filter((p) => p.device === d).map((p) => p.mutation));
  const tokens = puts.map((p) => p.device);
  for (let i = tokens.length - 1; i > 0; i -= 1) {
    const j = Math.floor(r() * (i + 1));
    [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
  }
  const seqs = new Array(devices).fill(0);
  return tokens.map((d) => {
    seqs[d] += 1;
    return [d, { ...queues[d].shift(), seq: seqs[d] }];
  });
}

function run(order) {
  const state = newState();
  for (const [device, mutation] of order) {
    const { results } = applyBatch(state, CLIENTS[device], [mutation], LEARNER, NOW);
    expect(results[0].status).toBe("applied");
  }
  return project(state);
}

const byHlc = (entries) => [...entries].sort((a, b) => (a.hlc < b.hlc ? -1 : 1));

test("profile sections converge whatever the arrival order, and no text is lost", () => {
  for (let seed = 1; seed <= 300; seed += 1) {
    const r = rng(seed);
    const s = script(r);
    const first = run(arrivals(r, s));
    const second = run(arrivals(r, s));
    expect({ seed, sections: first.profile_sections }).toEqual({ seed, sections: second.profile_sections });
    expect(byHlc(first.profile_entries)).toEqual(byHlc(second.profile_entries));
    const replaced = new Set(s.puts.flatMap((p) => p.mutation.args.seen.map((h) => `${p.mutation.args.section} ${h}`)));
    const shown = new Map();
    for (const entry of first.profile_sections ?? []) {
      const versions = entry.hlc ? [entry, ...entry.alternatives] : entry.alternatives;
      shown.set(entry.section, new Map(versions.map((v) => [v.hlc, v.text])));
    }
    for (const { mutation } of s.puts) {
      const { section, text } = mutation.args;
      const here = shown.get(section) ?? new Map();
      if (replaced.has(`${section} ${mutation.hlc}`)) expect({ seed, gone: here.has(mutation.hlc) }).toEqual({ seed, gone: false });
      else expect({ seed, text: here.get(mutation.hlc) }).toEqual({ seed, text });
    }
    expect(first.profile_entries.length).toBe(s.puts.length);
  }
});
