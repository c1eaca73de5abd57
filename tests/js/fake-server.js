/** A tiny in-memory Waypoint API for engine tests: push/pull on merge.js, token refresh, tus blobs. */

import { createHash } from "node:crypto";
import { Actor, SeqGap, applyBatch, newState, stateRows } from "../../assets/sync/merge.js";

export const NOW = 1_700_000_600_000;

export class FakeServer {
  constructor({ pageSize = 500 } = {}) {
    this.state = newState();
    this.users = { 1: new Actor(1, "student"), 2: new Actor(2, "teacher", [1]) };
    this.tokens = new Map([["access-1", 1], ["access-2", 2]]);
    this.refreshTokens = new Map([["refresh-1", 1], ["refresh-2", 2]]);
    this.pageSize = pageSize;
    this.blobs = new Map(); // sha -> {length, bytes: number[]}
    this.log = [];
    this.offline = false;
    this.dropResponses = 0; // apply a push, then lose the answer
    this.extraRows = []; // reference rows (targets…) with versions
    this.issued = 0;
  }

  /** A row the pull returns that the merge rules do not make (curriculum). */
  addReference(type, id, data) {
    this.state.version += 1;
    this.extraRows.push({ type, id, version: this.state.version, deleted: false, data });
  }

  expire(token) {
    this.tokens.delete(token);
  }

  fetch = async (url, init = {}) => {
    const method = init.method ?? "GET";
    const { pathname, searchParams } = new URL(url, "http://waypoint.test");
    const headers = new Headers(init.headers);
    this.log.push({ method, path: pathname, headers: Object.fromEntries(headers), body: init.body });
    if (this.offline) throw new TypeError("Failed to fetch");
    const token = (headers.get("Authorization") ?? "").replace(/^Bearer /, "");
    if (pathname === "/api/auth/refresh") {
      const user = this.refreshTokens.get(token);
      if (!user) return json(401, { code: "unauthorized", message: "Please sign in." });
      const fresh = `access-${user}-${++this.issued}`;
      this.tokens.set(fresh, user);
      return json(200, { access_token: fresh });
    }
    const userId = this.tokens.get(token);
    if (!userId) return json(401, { code: "unauthorized", message: "Please sign in." });
    if (pathname === "/api/sync/push") return this.push(userId, JSON.parse(init.body));
    if (pathname === "/api/sync/pull") return this.pull(searchParams, headers);
    if (pathname.startsWith("/api/blobs/")) return this.blob(method, pathname.split("/").at(-1), headers, init.body);
    return json(404, { code: "not_found" });
  };

  push(userId, body) {
    let results;
    let lastSeq;
    try {
      ({ results, lastSeq } = applyBatch(this.state, body.client_id, body.mutations, this.users[userId], NOW));
    } catch (error) {
      if (!(error instanceof SeqGap)) throw error;
      return json(409, { code: "seq_gap", status: 409, message: error.message, errors: {}, expected_seq: error.expectedSeq });
    }
    if (this.dropResponses > 0) {
      this.dropResponses -= 1;
      throw new TypeError("connection reset");
    }
    return json(200, { last_seq: lastSeq, results, server_hlc: this.state.clock });
  }

  pull(query, headers) {
    const after = Number((query.get("cursor") ?? "v1.0").slice(3));
    const limit = Math.min(Number(query.get("limit") ?? 500), this.pageSize);
    const upto = this.state.version;
    const rows = [...stateRows(this.state), ...this.extraRows]
      .filter((r) => r.version > after && r.version <= upto)
      .sort((a, b) => a.version - b.version);
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const cursor = `v1.${hasMore ? page.at(-1).version : upto}`;
    const client = this.state.clients[headers.get("X-Client-Id")];
    return json(200, { changes: structuredClone(page), cursor, has_more: hasMore, last_seq: client?.last_seq ?? null, server_hlc: this.state.clock });
  }

  blob(method, sha, headers, body) {
    const blob = this.blobs.get(sha);
    const tus = (status, b) => new Response(null, { status, headers: { "Tus-Resumable": "1.0.0", "Upload-Offset": String(b?.bytes.length ?? 0) } });
    if (method === "HEAD") {
      if (!blob) return new Response(null, { status: 404 });
      return tus(blob.complete ? 200 : 204, blob);
    }
    if (method !== "PATCH") return json(405, {});
    if (headers.get("Content-Type") !== "application/offset+octet-stream") return json(415, { message: "bytes please" });
    const offset = Number(headers.get("Upload-Offset"));
    let target = blob;
    if (!target) {
      if (!headers.has("Upload-Length")) return json(400, { message: "Upload-Length" });
      if (offset !== 0) return json(409, { expected_offset: 0 });
      target = { length: Number(headers.get("Upload-Length")), bytes: [], complete: false };
      this.blobs.set(sha, target);
    }
    if (offset > target.bytes.length) return json(409, { expected_offset: target.bytes.length });
    const data = [...new Uint8Array(body)];
    target.bytes.push(...data.slice(target.bytes.length - offset));
    if (target.bytes.length === target.length) {
      const digest = createHash("sha256").update(Uint8Array.from(target.bytes)).digest("hex");
      if (digest !== sha) {
        this.blobs.delete(sha);
        return json(422, { code: "hash_mismatch", message: "The file's bytes do not match its sha256; please send it again." });
      }
      target.complete = true;
    }
    return tus(204, target);
  }
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A localStorage stand-in. */
export class MemoryStorage {
  constructor(entries = {}) {
    this.map = new Map(Object.entries(entries));
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}
