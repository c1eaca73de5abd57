/**
 * The engine's HTTP session (methods of SyncEngine, installed by engine.js): requests with
 * the session's httpOnly cookies and the CSRF header, a refresh through the refresh cookie
 * on a 401 (once, then the request again), and who is signed in on this device.
 */

import { SyncHttpError, readJson } from "./http.js";

export const SESSION_KEY = "waypoint.session";

// The tokens live in httpOnly cookies this code cannot read (docs/deploy.md). Each has a
// readable companion cookie with its CSRF value, echoed in X-CSRF-TOKEN on unsafe methods.
export const CSRF_ACCESS_COOKIE = "waypoint_csrf_access";
export const CSRF_REFRESH_COOKIE = "waypoint_csrf_refresh";
export const CSRF_HEADER = "X-CSRF-TOKEN";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Who is signed in on this device: {user: {id, username, role, display_name}} — never a token. */
export function readSession(storage) {
  try {
    return JSON.parse(storage?.getItem(SESSION_KEY) ?? "null");
  } catch {
    return null;
  }
}

/** The value of one cookie in a `document.cookie` string, or "" when absent. */
export function readCookie(cookieString, name) {
  for (const part of String(cookieString ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > -1 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return "";
}

/** {"X-CSRF-TOKEN": value} for an unsafe method (access or refresh cookie), else {}. */
export function csrfHeaders(method, cookieString, cookieName = CSRF_ACCESS_COOKIE) {
  if (SAFE_METHODS.has(String(method).toUpperCase())) return {};
  const value = readCookie(cookieString, cookieName);
  return value ? { [CSRF_HEADER]: value } : {};
}

export const transportMethods = {
  _session() {
    return readSession(this.storage);
  },

  async _send(method, path, { body, headers = {}, csrfCookie = CSRF_ACCESS_COOKIE }) {
    let response;
    try {
      response = await this.fetch(this.baseUrl + path, {
        method,
        // the browser attaches the httpOnly session cookies; we prove the origin with CSRF
        credentials: "same-origin",
        headers: { ...headers, ...csrfHeaders(method, this.cookies(), csrfCookie) },
        body,
      });
    } catch (error) {
      throw new SyncHttpError(0, null, `offline: ${error.message}`);
    }
    return response;
  },

  /** One request with the session cookie; on 401 refresh once through the cookie and retry. */
  async request(method, path, { json, body, headers = {} } = {}) {
    const session = this._session();
    if (!session?.user) throw new SyncHttpError(401, null, "Please sign in.");
    if (json !== undefined) {
      body = JSON.stringify(json);
      headers = { ...headers, "Content-Type": "application/json" };
    }
    let response = await this._send(method, path, { body, headers });
    if (response.status === 401) {
      await this._refresh();
      response = await this._send(method, path, { body, headers });
    }
    return response;
  },

  /**
   * POST /api/auth/refresh with the refresh cookie: the server sets a new access cookie.
   * One refresh at a time; a refused one means the learner must sign in again (signedIn
   * false), and nothing in the outbox is touched.
   */
  _refresh() {
    this.refreshing ??= (async () => {
      const response = await this._send("POST", "/api/auth/refresh", { csrfCookie: CSRF_REFRESH_COOKIE });
      if (!response.ok) throw new SyncHttpError(401, await readJson(response), "Please sign in again.");
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  },
};
