/** A tiny in-memory Waypoint API for engine tests: push/pull on merge.js, cookie sessions with CSRF, tus blobs. */

import { createHash } from "node:crypto";
import { Actor, SeqGap, applyBatch, newState, stateRows } from "../../assets/sync/merge.js";
import { SESSION_KEY, SyncEngine } from "../../assets/sync/engine.js";
import { SyncStore, openDatabase } from "../../assets/sync/store.js";

export const NOW = 1_700_000_600_000;

/**
 * Sessions work as in the real API for a browser: the tokens sit in httpOnly cookies of a
 * jar the page cannot read (`jar`), each with a readable csrf companion (`documentCookie()`
 * is what `document.cookie` would show). A request carries the jar only when sent with
 * `credentials`; an unsafe method must echo the token's csrf value in X-CSRF-TOKEN.
 */
export class FakeServer {
  constructor({ pageSize = 500, user = 1, phased = false } = {}) {
    this.phased = phased; // knows the first-sync phases (a server before them ignores ?phase)
    this.beforePull = null; // async hook run as each pull arrives (a tap while a page loads)
    this.state = newState();
    this.users = { 1: new Actor(1, "student"), 2: new Actor(2, "teacher", [1]) };
    this.tokens = new Map(); // access token -> {user, csrf}
    this.refreshTokens = new Map(); // refresh token -> {user, csrf}
    this.jar = {};
    this.pageSize = pageSize;
    this.blobs = new Map(); // sha -> {length, bytes: number[]} (this account's upload of it)
    this.citedUnsent = []; // evidence.put citing a file not yet started: the real server rejects it
    this.log = [];
    this.offline = false;
    this.dropResponses = 0; // apply a push, then lose the answer
    this.extraRows = []; // reference rows (targets…) with versions
    this.issued = 0;
    if (user) this.signIn(user);
  }

  /** A row the pull returns that the merge rules do not make (curriculum). */
  addReference(type, id, data) {
    this.state.version += 1;
    this.extraRows.push({ type, id, version: this.state.version, deleted: false, data });
  }

  /** What POST /api/auth/login with "cookies": true leaves in the browser's jar. */
  signIn(user) {
    this._issue("access", user);
    this._issue("refresh", user);
  }

  _issue(kind, user) {
    const n = ++this.issued;
    const token = `${kind}-${user}-${n}`;
    const csrf = `csrf-${kind}-${n}`;
    (kind === "access" ? this.tokens : this.refreshTokens).set(token, { user, csrf });
    this.jar[`waypoint_${kind}`] = token;
    this.jar[`waypoint_csrf_${kind}`] = csrf;
    return token;
  }

  /** document.cookie as a page sees it: the csrf cookies only (the tokens are httpOnly). */
  documentCookie = () =>
    Object.entries(this.jar)
      .filter(([name]) => name.startsWith("waypoint_csrf_"))
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");

  /** The browser's access cookie stops working (expired, or revoked elsewhere). */
  expireAccess() {
    this.tokens.delete(this.jar.waypoint_access);
  }

  /** The refresh cookie stops working too: the learner must sign in again. */
  expireRefresh() {
    this.refreshTokens.delete(this.jar.waypoint_refresh);
  }

  /** Who the request's cookie says (or an error response): checks the CSRF double submit. */
  _who(kind, method, headers, withCookies) {
    const token = withCookies ? this.jar[`waypoint_${kind}`] : undefined;
    const session = (kind === "access" ? this.tokens : this.refreshTokens).get(token);
    if (!session) return { error: json(401, { code: "unauthorized", message: "Please sign in." }) };
    if (method !== "GET" && method !== "HEAD" && headers.get("X-CSRF-TOKEN") !== session.csrf) {
      return { error: json(403, { code: "csrf_failed", message: "Waypoint could not confirm this came from its own page." }) };
    }
    return { user: session.user };
  }

  fetch = async (url, init = {}) => {
    const method = init.method ?? "GET";
    const { pathname, searchParams } = new URL(url, "http://waypoint.test");
    const headers = new Headers(init.headers);
    const withCookies = init.credentials === "same-origin" || init.credentials === "include";
    this.log.push({ method, path: pathname, query: searchParams.toString(), headers: Object.fromEntries(headers), credentials: init.credentials ?? null, body: init.body });
    if (this.offline) throw new TypeError("Failed to fetch");
    if (pathname === "/api/auth/refresh") {
      const { user, error } = this._who("refresh", method, headers, withCookies);
      if (error) return error;
      this._issue("access", user);
      return json(200, {});
    }
    const { user: userId, error } = this._who("access", method, headers, withCookies);
    if (error) return error;
    if (pathname === "/api/sync/push") return this.push(userId, JSON.parse(init.body));
    if (pathname === "/api/sync/pull") {
      if (this.beforePull) await this.beforePull(searchParams);
      const phase = this.phased ? searchParams.get("phase") : null;
      if (phase === "current") return this.pullCurrent(searchParams);
      if (phase === "history") return this.pullHistory(searchParams);
      return this.pull(searchParams, headers);
    }
    if (pathname.startsWith("/api/blobs/")) return this.blob(method, pathname.split("/").at(-1), headers, init.body);
    return json(404, { code: "not_found" });
  };

  push(userId, body) {
    for (const m of body.mutations ?? []) {
      const sha = m.name === "evidence.put" ? m.args?.blob_sha256 : null;
      if (sha && !this.blobs.has(sha)) this.citedUnsent.push(sha);
    }
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

  /** Every row a pull may send (merge rows and reference rows), by version. */
  allRows() {
    return [...stateRows(this.state), ...this.extraRows].sort((a, b) => a.version - b.version);
  }

  /**
   * phase=current (the real rule is sync/phases.py; this one is smaller): reference rows,
   * active goals, evidence not reviewed, registers and open conflicts at or below the
   * watermark. The cursor here is an offset into that list (the real server's is a keyset).
   */
  pullCurrent(query) {
    const [watermark, offset] = query.get("cursor") ? query.get("cursor").split(".").slice(1).map(Number) : [this.state.version, 0];
    const limit = Math.min(Number(query.get("limit") ?? 500), this.pageSize);
    const isCurrent = (r) =>
      r.type === "target" ||
      (r.type === "goal" && !r.deleted && r.data.status === "active") ||
      (r.type === "evidence" && !r.deleted && !r.data.reviewed) ||
      ["self_assessment", "rating"].includes(r.type) ||
      (r.type === "conflict" && r.data.status === "open");
    const rows = this.allRows().filter((r) => r.version <= watermark && isCurrent(r));
    const page = rows.slice(offset, offset + limit);
    const body = { changes: structuredClone(page), phase: "current", has_more: rows.length > offset + limit, server_hlc: this.state.clock };
    if (body.has_more) return json(200, { ...body, cursor: `c1.${watermark}.${offset + limit}` });
    const total = this.allRows().filter((r) => r.type !== "target" && r.version <= watermark).length;
    return json(200, { ...body, cursor: `v1.${watermark}`, history: { cursor: total ? `h1.${watermark}.${watermark + 1}` : null, total } });
  }

  /** phase=history: every learner row at or below the watermark, newest first. */
  pullHistory(query) {
    const [watermark, before] = query.get("cursor").split(".").slice(1).map(Number);
    const limit = Math.min(Number(query.get("limit") ?? 500), this.pageSize);
    const rows = this.allRows()
      .filter((r) => r.type !== "target" && r.version < before && r.version <= watermark)
      .reverse();
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    return json(200, { changes: structuredClone(page), phase: "history", has_more: hasMore, cursor: hasMore ? `h1.${watermark}.${page.at(-1).version}` : null, server_hlc: this.state.clock });
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
      if (offset !== 0) return json(409, { expected_offset: 0 }); // none of ours (or it expired)
      if (!headers.has("Upload-Length")) return json(400, { message: "Upload-Length" });
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

let deviceSeq = 0;
/**
 * A signed-in device against `server`: a fresh store and an engine on fake timers (nothing
 * runs on its own). `cleanup` gets the store's destroy, for the test file's afterEach.
 */
export function testDevice(server, user, cleanup, { fetch = server.fetch, name = "device" } = {}) {
  const store = new SyncStore(user, { now: () => NOW, db: openDatabase(`${name}-${user.id}-${++deviceSeq}`) });
  const engine = new SyncEngine(store, {
    fetch,
    storage: new MemoryStorage({ [SESSION_KEY]: JSON.stringify({ user }) }),
    cookies: server.documentCookie,
    target: null,
    now: () => NOW,
    random: () => 0.5,
    setTimeout: () => {},
    clearTimeout: () => {},
  });
  cleanup.push(() => store.destroy().catch(() => {}));
  return { store, engine };
}
