/** Hybrid logical clock: totally ordered stamps "<wall ms:13>-<counter:4>-<node>" (= sync/clock.py). */

import { ClockError } from "./errors.js";
import { jsonType, shown } from "./reasons.js";

export const MAX_AHEAD_MS = 300_000; // a client stamp more than 5 minutes ahead is clamped
// A client stamp more than 400 days behind the server is clamped up to server time (why: sync/clock.py).
export const MAX_BEHIND_MS = 400 * 24 * 3600 * 1000;
export const MAX_COUNTER = 9999; // four digits keep string order equal to tuple order
const STAMP = /^(\d{13})-(\d{4})-([A-Za-z0-9._:-]{1,64})$/;
const NODE = /^[A-Za-z0-9._:-]{1,64}$/;

export { ClockError };

/** One stamp; compare with `compare`/`hlcCompare`, print with `toString()`. */
export class HLC {
  constructor(wall, counter, node) {
    if (!Number.isInteger(wall) || wall < 0 || wall >= 1e13) {
      throw new ClockError("clock.bad_wall", { value: shown(wall) });
    }
    if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
      throw new ClockError("clock.bad_counter", { max: MAX_COUNTER, value: shown(counter) });
    }
    if (typeof node !== "string" || !NODE.test(node)) {
      throw new ClockError("clock.bad_node", { value: shown(node) });
    }
    this.wall = wall;
    this.counter = counter;
    this.node = node;
    Object.freeze(this);
  }

  /** Parse a stamp string (an HLC passes through); anything malformed throws ClockError. */
  static parse(stamp) {
    if (stamp instanceof HLC) return stamp;
    if (typeof stamp !== "string") {
      throw new ClockError("clock.not_text", { type: jsonType(stamp) });
    }
    const match = STAMP.exec(stamp);
    if (!match) {
      throw new ClockError("clock.bad_stamp", { value: shown(stamp) });
    }
    return new HLC(Number(match[1]), Number(match[2]), match[3]);
  }

  toString() {
    return `${String(this.wall).padStart(13, "0")}-${String(this.counter).padStart(4, "0")}-${this.node}`;
  }

  compare(other) {
    return compare(this, other);
  }

  equals(other) {
    return compare(this, other) === 0;
  }
}

function cmpString(a, b) {
  // node names are ASCII, where UTF-16 order is code point order (Python's)
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 ordering two stamps (HLC or string) as tuples (wall, counter, node). */
export function compare(a, b) {
  const x = HLC.parse(a);
  const y = HLC.parse(b);
  return Math.sign(x.wall - y.wall) || Math.sign(x.counter - y.counter) || cmpString(x.node, y.node);
}

/** The later of two stamps (either may be an HLC or a string). */
export function max(a, b) {
  return compare(a, b) >= 0 ? HLC.parse(a) : HLC.parse(b);
}

/** A node's clock; `nowMs` is injectable so tests control time. */
export class Clock {
  constructor(node, nowMs = () => Date.now(), last = null) {
    this.node = node;
    this.nowMs = nowMs;
    this.last = last ? HLC.parse(last) : new HLC(0, 0, node);
  }

  _advance(wall, counter) {
    if (counter > MAX_COUNTER) {
      // borrow a millisecond rather than widen the format
      wall += 1;
      counter = 0;
    }
    this.last = new HLC(wall, counter, this.node);
    return this.last;
  }

  /** Stamp a local event. */
  send() {
    const wall = Math.max(this.last.wall, this.nowMs());
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    return this._advance(wall, counter);
  }

  tick() {
    return this.send();
  }

  /** Merge a remote stamp so that later local stamps order after it. */
  receive(remote) {
    const r = HLC.parse(remote);
    const last = this.last;
    const wall = Math.max(last.wall, r.wall, this.nowMs());
    let counter;
    if (wall === last.wall && wall === r.wall) counter = Math.max(last.counter, r.counter) + 1;
    else if (wall === last.wall) counter = last.counter + 1;
    else if (wall === r.wall) counter = r.counter + 1;
    else counter = 0;
    return this._advance(wall, counter);
  }
}

/**
 * Clamp a stamp more than `maxAheadMs` ahead of the server, or more than `maxBehindMs` behind
 * it, to server time. The counter and node are kept so two clamped stamps still differ.
 * Returns [stamp, clamped].
 */
export function clamp(stamp, serverNowMs, maxAheadMs = MAX_AHEAD_MS, maxBehindMs = MAX_BEHIND_MS) {
  const hlc = HLC.parse(stamp);
  if (hlc.wall > serverNowMs + maxAheadMs || hlc.wall < serverNowMs - maxBehindMs) {
    return [new HLC(serverNowMs, hlc.counter, hlc.node), true];
  }
  return [hlc, false];
}
