/** Errors of the sync core: one SyncError root and narrow subclasses (= sync/errors.py, sync/caps.py). */

import { REASONS } from "./caps.js";

export class SyncError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
    this.message = message;
  }
}
SyncError.prototype.code = "sync_error";

/** A hybrid logical clock stamp is malformed. */
export class ClockError extends SyncError {}
ClockError.prototype.code = "clock_error";

/** A mutation envelope or its arguments break the protocol. */
export class InvalidMutation extends SyncError {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}
InvalidMutation.prototype.code = "invalid_mutation";

/** The plain-English message of a reason code of sync/caps.py (params fill its braces). */
export function capReason(reasonCode, params = {}) {
  return REASONS[reasonCode].replace(/\{(\w+)\}/g, (_, key) => String(params[key]));
}

/** A mutation over a cap: `reasonCode` (a key of REASONS) and its `params` (= sync.caps.CapExceeded). */
export class CapExceeded extends InvalidMutation {
  constructor(reasonCode, params = {}) {
    super(capReason(reasonCode, params));
    this.reasonCode = reasonCode;
    this.params = params;
  }

  /** The push answer: rejected, with the message, the code and its numbers. */
  result(seq) {
    return { seq, status: "rejected", reason: this.message, code: this.reasonCode, params: { ...this.params } };
  }
}
CapExceeded.prototype.code = "cap_exceeded";

/** The mutation name is not part of protocol v1. */
export class UnknownMutation extends InvalidMutation {
  constructor(name, reason) {
    super(reason);
    this.mutationName = name;
  }
}
UnknownMutation.prototype.code = "unknown_mutation";

/** The actor may not make this change. */
export class NotAuthorized extends SyncError {}
NotAuthorized.prototype.code = "not_authorized";

/** The row a mutation refers to does not exist (or is not visible). */
export class NotFound extends SyncError {}
NotFound.prototype.code = "not_found";

/** A push skipped sequence numbers; the client must resend from `expectedSeq`. */
export class SeqGap extends SyncError {
  constructor(expectedSeq, gotSeq = null) {
    const got = gotSeq === null ? "" : ` (got ${gotSeq})`;
    super(`mutations must continue at seq ${expectedSeq}${got}`);
    this.expectedSeq = expectedSeq;
    this.gotSeq = gotSeq;
  }
}
SeqGap.prototype.code = "seq_gap";
