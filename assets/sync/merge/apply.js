/** One mutation end to end (clamp, validate, authorize, merge) and the in-memory push driver (= apply.py). */

import { Clock, HLC, MAX_AHEAD_MS, MAX_BEHIND_MS, clamp, compare } from "../clock.js";
import { ClockError, InvalidMutation, SeqGap } from "../errors.js";
import { outcome, resultOf, selfAssessmentId } from "./common.js";
import { mergeSuggestionDecline, suggestionDeclineId } from "./declines.js";
import { mergeEvidenceDelete, mergeEvidencePut, mergeEvidenceReview } from "./evidence.js";
import { mergeGoalDelete, mergeGoalPut, mergePickDelete, mergePickPut } from "./goals.js";
import { mergeObservationPut, mergeObservationRespond, mergeProfileSectionPut, profileSectionId } from "./profile.js";
import { parseMutation, parseSeq, validateArgs } from "../protocol.js";
import { clone, idText } from "../values.js";
import { mergeConflictResolve, mergeRatingPut, mergeSelfAssessmentPut } from "./ratings.js";

export const SERVER_NODE = "server";

const PROFILE_RULES = {
  "profile.observation.put": mergeObservationPut,
  "profile.observation.respond": mergeObservationRespond,
};

const ROW_RULES = {
  "goal.put": mergeGoalPut,
  "goal.delete": mergeGoalDelete,
  "pick.put": mergePickPut,
  "pick.delete": mergePickDelete,
  "evidence.put": mergeEvidencePut,
  "evidence.delete": mergeEvidenceDelete,
};

/**
 * The rows mutation `name` reads, so an asynchronous store (IndexedDB) can load them before the
 * synchronous merge runs: {get: [[type, id]…], ratings: [studentId, targetId] | null}.
 */
export function rowsTouched(name, args) {
  if (name === "self_assessment.put") return { get: [["self_assessment", selfAssessmentId(args.student_id, args.target_id)]], ratings: null };
  if (name === "rating.put") return { get: [], ratings: [args.student_id, args.target_id] };
  if (name === "evidence.review") return { get: [["evidence", args.evidence_id]], ratings: null };
  if (name === "conflict.resolve") return { get: [["conflict", args.conflict_id]], ratings: null };
  if (name === "profile.section.put") return { get: [["profile_section", profileSectionId(args.student_id, args.section)]], ratings: null };
  if (name in PROFILE_RULES) return { get: [["profile_observation", args.id]], ratings: null };
  if (name === "suggestion.decline") return { get: [["suggestion_decline", suggestionDeclineId(args.student_id, args.activity_id)]], ratings: null };
  return { get: [[name.split(".")[0], args.id]], ratings: null };
}

/** Load exactly the rows mutation `name` touches from `store` ({get, ratings}) and run its merge rule. */
export function merge(store, name, args, ctx) {
  if (name === "self_assessment.put") {
    return mergeSelfAssessmentPut(store.get("self_assessment", selfAssessmentId(args.student_id, args.target_id)), args, ctx);
  }
  if (name === "rating.put") return mergeRatingPut(store.ratings(args.student_id, args.target_id), args, ctx);
  if (name === "evidence.review") return mergeEvidenceReview(store.get("evidence", args.evidence_id), args, ctx);
  if (name === "conflict.resolve") return mergeConflictResolve(store.get("conflict", args.conflict_id), args, ctx);
  if (name === "profile.section.put") {
    return mergeProfileSectionPut(store.get("profile_section", profileSectionId(args.student_id, args.section)), args, ctx);
  }
  if (name in PROFILE_RULES) return PROFILE_RULES[name](store.get("profile_observation", args.id), args, ctx);
  if (name === "suggestion.decline") {
    return mergeSuggestionDecline(store.get("suggestion_decline", suggestionDeclineId(args.student_id, args.activity_id)), args, ctx);
  }
  return ROW_RULES[name](store.get(name.split(".")[0], args.id), args, ctx);
}

/**
 * Clamp, validate, authorize and merge one raw mutation; nothing is written here.
 * `lastHlc` is the stamp this client's previous mutation used: a clamped stamp is lifted just
 * above it so successive clamped writes of one device stay distinct and in seq order.
 * Returns {result, rows, hlc} (hlc null when the stamp was unusable).
 */
export function applyMutation(store, raw, clientId, actor, serverNowMs, { maxAheadMs = MAX_AHEAD_MS, lastHlc = null, maxBehindMs = MAX_BEHIND_MS } = {}) {
  const seq = parseSeq(raw);
  let clamped = false;
  let hlc = null;
  let out;
  try {
    const mutation = parseMutation(raw);
    [hlc, clamped] = clamp(mutation.hlc, serverNowMs, maxAheadMs, maxBehindMs);
    if (clamped && lastHlc != null && compare(hlc, lastHlc) <= 0) {
      hlc = new Clock(hlc.node, () => 0, HLC.parse(lastHlc)).send();
    }
    const args = validateArgs(mutation.name, mutation.args);
    out = merge(store, mutation.name, args, { actor, clientId, seq, hlc: String(hlc) });
  } catch (error) {
    if (!(error instanceof InvalidMutation || error instanceof ClockError)) throw error;
    out = outcome({ status: "rejected", code: error.code, params: error.params });
  }
  const result = resultOf(out, seq);
  if (clamped) Object.assign(result, { clamped: true, hlc: String(hlc) });
  return { result, rows: out.rows, hlc };
}

/** An empty in-memory server: rows by type and id, version counter, clients, clock. */
export function newState(serverNode = SERVER_NODE) {
  return { version: 0, rows: {}, clients: {}, clock: String(new HLC(0, 0, serverNode)) };
}

/** Store over an in-memory state, for tests, vectors and the device's own optimistic writes. */
export class MemoryStore {
  constructor(state) {
    this.state = state;
  }

  get(type, id) {
    return this.state.rows[type]?.[id] ?? null;
  }

  ratings(studentId, targetId) {
    return Object.values(this.state.rows.rating ?? {}).filter(
      (r) => idText(r.data.student_id) === idText(studentId) && idText(r.data.target_id) === idText(targetId),
    );
  }

  /** Upsert rows, each with the next version. */
  write(rows) {
    for (const r of rows) {
      this.state.version += 1;
      this.state.rows[r.type] ??= {};
      this.state.rows[r.type][r.id] = { ...clone(r), version: this.state.version };
    }
  }
}

/** Refuse a batch that skips a seq (SeqGap with the expected seq) before anything applies. */
export function planSeqs(lastSeq, seqs) {
  let expected = lastSeq + 1;
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    if (seq === expected) expected += 1;
    else if (seq > expected) throw new SeqGap(expected, seq);
  }
}

/**
 * Push semantics of DESIGN §3 in memory; returns {results (in seq order), lastSeq}.
 * A seq <= last_seq is a duplicate and gets the first answer again, unchanged.
 */
export function applyBatch(state, clientId, mutations, actor, serverNowMs) {
  if (!Array.isArray(mutations)) throw new InvalidMutation("batch.not_list");
  state.clients[clientId] ??= { last_seq: 0, last_hlc: null, results: {} };
  const client = state.clients[clientId];
  const seqs = mutations.map(parseSeq);
  planSeqs(client.last_seq, seqs);
  const store = new MemoryStore(state);
  const serverLast = HLC.parse(state.clock);
  const server = new Clock(serverLast.node, () => serverNowMs, serverLast);
  const results = [];
  const ordered = seqs.map((seq, i) => [seq, mutations[i]]).sort((a, b) => a[0] - b[0]);
  for (const [seq, raw] of ordered) {
    if (seq <= client.last_seq) {
      results.push(clone(client.results[seq] ?? { seq, status: "duplicate" }));
      continue;
    }
    const lastHlc = client.last_hlc ?? null;
    const { result, rows, hlc } = applyMutation(store, raw, clientId, actor, serverNowMs, { lastHlc });
    store.write(rows);
    if (hlc !== null) {
      client.last_hlc = lastHlc && compare(lastHlc, hlc) > 0 ? lastHlc : String(hlc);
    }
    if (hlc !== null && result.status !== "rejected") server.receive(hlc);
    client.results[seq] = clone(result);
    client.last_seq = seq;
    results.push(result);
  }
  state.clock = String(server.last);
  return { results, lastSeq: client.last_seq };
}
