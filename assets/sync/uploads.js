/**
 * The engine's file uploads (methods of SyncEngine, installed by engine.js): resumable tus
 * uploads by sha256 (HEAD for the offset, then PATCH chunks), each account into its own
 * partial, and the files a push batch cites sent before that batch (sync/PROTOCOL.md, Blobs).
 */

import { SyncHttpError, readJson } from "./http.js";

export const uploadMethods = {
  /**
   * Evidence may cite only a file its learner's account has sent (or is sending): upload
   * the pending files a batch cites before pushing it, even one added during this flush.
   */
  async _sendCitedFiles(batch) {
    const cited = new Set(batch.filter((e) => e.name === "evidence.put" && e.args?.blob_sha256).map((e) => e.args.blob_sha256));
    if (!cited.size) return;
    for (const blob of await this.store.pendingBlobs()) if (cited.has(blob.sha256)) await this.uploadBlob(blob);
  },

  /** Upload every pending blob resumably: HEAD for the offset, then PATCH chunks. */
  async uploadBlobs() {
    for (const blob of await this.store.pendingBlobs()) await this.uploadBlob(blob);
  },

  _progress(sha, sent, total, done = false) {
    const uploads = { ...this.state.uploads };
    if (done) delete uploads[sha];
    else uploads[sha] = { sent, total, percent: total ? Math.floor((100 * sent) / total) : 100 };
    this._set({ uploads });
    this.target?.dispatchEvent?.(
      new CustomEvent("waypoint:upload", { detail: { sha256: sha, sent, total, percent: total ? Math.floor((100 * sent) / total) : 100, done } }),
    );
  },

  async uploadBlob(blob) {
    const path = `/api/blobs/${blob.sha256}`;
    const head = await this.request("HEAD", path);
    let offset;
    let fresh = false;
    if (head.status === 200) return this._blobDone(blob);
    if (head.status === 204) offset = Number(head.headers.get("Upload-Offset") ?? 0);
    else if (head.status === 404) [offset, fresh] = [0, true];
    else throw new SyncHttpError(head.status, await readJson(head));
    const bytes = new Uint8Array(blob.bytes);
    this._progress(blob.sha256, offset, blob.size);
    while (offset < blob.size || fresh) {
      const chunk = bytes.slice(offset, offset + this.chunkBytes);
      const headers = {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset),
        "Tus-Resumable": "1.0.0",
      };
      if (fresh) headers["Upload-Length"] = String(blob.size);
      const response = await this.request("PATCH", path, { body: chunk, headers });
      fresh = false;
      if (response.status === 409) {
        const body = await readJson(response);
        if (typeof body?.expected_offset === "number") {
          offset = body.expected_offset;
          // from 0 the server has no upload of ours (never started, expired, discarded):
          // start one, with its length
          fresh = offset === 0;
          continue;
        }
        throw new SyncHttpError(409, body);
      }
      if (response.status === 413 || response.status === 415 || response.status === 422) {
        // the server will never take these bytes: keep them, say why, stop retrying
        const body = await readJson(response);
        await this.store.updateBlob(blob.sha256, { status: "failed", reason: body?.message ?? `HTTP ${response.status}` });
        this._progress(blob.sha256, offset, blob.size, true);
        this._set({ lastError: body?.message ?? `upload refused (${response.status})` });
        return;
      }
      if (!response.ok) throw new SyncHttpError(response.status, await readJson(response));
      offset = Number(response.headers.get("Upload-Offset") ?? offset + chunk.length);
      await this.store.updateBlob(blob.sha256, { offset });
      this._progress(blob.sha256, offset, blob.size);
    }
    return this._blobDone(blob);
  },

  async _blobDone(blob) {
    await this.store.updateBlob(blob.sha256, { status: "uploaded", offset: blob.size });
    this._progress(blob.sha256, blob.size, blob.size, true);
  },
};
