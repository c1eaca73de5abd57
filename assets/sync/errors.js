/**
 * Errors of the sync core (= sync/errors.py): one SyncError root, narrow subclasses, each with
 * a reason code (spec.js REASONS) and its params; `message` is the English template filled.
 */

import { render } from "./reasons.js";

export class SyncError extends Error {
  constructor(code, params = {}) {
    const message = render(code, params);
    super(message);
    this.name = new.target.name;
    this.message = message;
    this.code = code;
    this.params = params;
  }

  /** The old name of `code` (a cap refusal's), still read by some callers. */
  get reasonCode() {
    return this.code;
  }

  /** The push answer of a mutation refused with this error. */
  result(seq, status = "rejected") {
    return { seq, status, code: this.code, params: { ...this.params }, reason: this.message };
  }
}

/** A hybrid logical clock stamp is malformed. */
export class ClockError extends SyncError {}

/** A mutation envelope or its arguments break the protocol. */
export class InvalidMutation extends SyncError {}

/** A mutation over a cap: `code` is one of the "cap.*" codes (= sync.caps.CapExceeded). */
export class CapExceeded extends InvalidMutation {}

/** The mutation name is not part of protocol v1. */
export class UnknownMutation extends InvalidMutation {
  constructor(name, shownName) {
    super("mutation.unknown", { mutation: shownName });
    this.mutationName = name;
  }
}

/** The actor may not make this change. */
export class NotAuthorized extends SyncError {}

/** The row a mutation refers to does not exist (or is not visible). */
export class NotFound extends SyncError {}

/** A push skipped sequence numbers; the client must resend from `expectedSeq`. */
export class SeqGap extends SyncError {
  constructor(expectedSeq, gotSeq = null) {
    super("seq.gap", gotSeq === null ? { expected_seq: expectedSeq } : { expected_seq: expectedSeq, got_seq: gotSeq });
    this.expectedSeq = expectedSeq;
    this.gotSeq = gotSeq;
  }
}
