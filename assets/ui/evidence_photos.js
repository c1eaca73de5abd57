/**
 * A learner's own photos on this device: a thumbnail made at capture and kept in IndexedDB
 * (so the list shows it offline and after a reload, without reading the photo's bytes), and
 * what a learner can do with an upload the server refused: try again, pick another photo, or
 * remove the piece. Every write goes through the sync core (evidence.put / evidence.delete in
 * the outbox); only the device's own copy of a file (blobs, thumbnails) is touched here.
 *
 * Thumbnails live in the store's `meta` table under "thumb:<sha256>" (a small JPEG data URL):
 * no schema change, and a sign-out that wipes the store wipes them too.
 */

import { api, getRuntime } from "../sync/index.js";
import { thumbKey } from "./learner_data.js";

export const THUMB_SIDE = 160;

/** A JPEG data URL at most THUMB_SIDE px on its longer side; "" if the browser cannot decode it. */
export async function makeThumb(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, THUMB_SIDE / Math.max(bitmap.width, bitmap.height));
    const [w, h] = [Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale))];
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [w, h];
    canvas.getContext("2d").drawImage(bitmap, 0, 0, w, h);
    bitmap.close?.();
    return canvas.toDataURL("image/jpeg", 0.7);
  } catch {
    return "";
  }
}

/**
 * [runtime, piece] for evidence `id`: its row on this device or, when the server refused its
 * evidence.put (its file was refused first) and the row is gone, that refused write's own
 * arguments, still kept in the outbox (`{id, data, refused: true}`).
 */
async function evidenceRow(id) {
  const runtime = getRuntime();
  if (!runtime) return [null, null];
  const row = await runtime.store.getRow("evidence", id);
  if (row && !row.deleted) return [runtime, row];
  const refused = (await runtime.store.rejectedEntries()).filter((e) => e.name === "evidence.put" && String(e.args?.id) === String(id)).at(-1);
  return [runtime, refused ? { id, data: refused.args, refused: true } : null];
}

/** Keep a thumbnail for the photo of evidence `id` (called right after it is added). */
export async function keepThumb(id, file) {
  const [runtime, row] = await evidenceRow(id);
  const sha = row?.data?.blob_sha256;
  if (!sha) return;
  const url = await makeThumb(file);
  if (url) await runtime.store.db.meta.put({ key: thumbKey(sha), value: url });
}

// ---- thumbnails of photos taken on another device (issue 15 #6, F28) ------------------------
// The server's thumbnail (/api/blobs/<sha>?size=thumb), fetched once online and kept in the
// same `meta` rows as the ones made at capture: the list reads it offline afterwards, and a
// sign-out or purge that wipes the store wipes it too (a Cache Storage of its own would
// outlive the sign-out on a shared device).

export const MAX_THUMB_BYTES = 256 * 1024;
const unreadable = new Set(); // shas the server has no picture of: not asked again this page
const fetching = new Set();

/** A data URL of `blob` (typed `type`). */
async function dataUrl(blob, type) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

/**
 * Fetch and keep the thumbnails of these photos (sha256s with no thumbnail on this device):
 * one request each, only online; a refusal (no thumbnail, not an image) is not asked again.
 * Resolves to how many were kept. `fetchImpl` and `online` are for tests.
 */
export async function fetchThumbs(db, shas, { fetchImpl = globalThis.fetch, online = globalThis.navigator?.onLine ?? true } = {}) {
  if (!online || !fetchImpl) return 0;
  let kept = 0;
  for (const sha of shas) {
    if (!/^[0-9a-f]{64}$/.test(sha) || unreadable.has(sha) || fetching.has(sha)) continue;
    fetching.add(sha);
    try {
      if (await db.meta.get(thumbKey(sha))) continue;
      const response = await fetchImpl(`/api/blobs/${sha}?size=thumb`, { credentials: "same-origin" });
      const type = response.headers.get("content-type")?.split(";")[0] ?? "";
      if (!response.ok || !type.startsWith("image/")) {
        if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 429) unreadable.add(sha);
        continue;
      }
      const blob = await response.blob();
      if (blob.size > MAX_THUMB_BYTES) {
        unreadable.add(sha);
        continue;
      }
      await db.meta.put({ key: thumbKey(sha), value: await dataUrl(blob, type) });
      kept += 1;
    } catch {
      // offline or the store closed: asked again the next time the list is shown online
    } finally {
      fetching.delete(sha);
    }
  }
  return kept;
}

async function forget(runtime, sha) {
  if (!sha) return;
  await runtime.store.db.blobs.delete(sha);
  await runtime.store.db.meta.delete(thumbKey(sha));
}

/**
 * The evidence.put the server refused for want of its file is kept, rejected, in the outbox;
 * once the learner acts on it that rejection is answered: forget it (the fix is a new write).
 */
async function answerRejections(runtime, id) {
  const rejected = await runtime.store.rejectedEntries();
  const answered = rejected.filter((entry) => String(entry.args?.id) === String(id));
  for (const entry of answered) await api.dismissRejection(entry.seq);
  // the status bar's lastRejection is counted by the engine: count again, so it goes now
  if (answered.length) runtime.engine?.nudge?.(0);
}

/** The evidence.put arguments of a row as it stands on this device. */
function putArgs(row) {
  const { student_id, kind, caption, target_ids, url, text, submitted, blob_sha256 } = row.data;
  const args = { id: row.id, student_id, kind, caption, target_ids, url, text, submitted, blob_sha256 };
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null));
}

/** Try a refused upload again: the file goes back to waiting and the evidence is sent anew. */
export async function retryUpload(id) {
  const [runtime, row] = await evidenceRow(id);
  const sha = row?.data?.blob_sha256;
  if (!sha) return false;
  await runtime.store.updateBlob(sha, { status: "pending", reason: null, offset: 0 });
  await answerRejections(runtime, id);
  await api.mutate("evidence.put", putArgs(row));
  return true;
}

/** Replace the photo of evidence `id` (same caption and targets) through evidence.put. */
export async function replacePhoto(id, file) {
  const [runtime, row] = await evidenceRow(id);
  if (!row) return false;
  const old = row.data.blob_sha256;
  const { caption, target_ids, submitted } = row.data;
  await answerRejections(runtime, id);
  await api.addEvidence({ id, kind: "photo", file, caption, target_ids, submitted: submitted ?? true });
  await keepThumb(id, file);
  const [, now] = await evidenceRow(id);
  if (old && old !== now?.data?.blob_sha256) await forget(runtime, old);
  return true;
}

/**
 * Remove evidence `id` and this device's copy of its file: evidence.delete through the outbox
 * when the piece stands (on the server, or waiting to go); a piece the server never took
 * (its one write refused) has nothing to delete there, so only the refusal is answered.
 */
export async function removeEvidence(id) {
  const [runtime, row] = await evidenceRow(id);
  if (!row) return false;
  await answerRejections(runtime, id);
  if (!row.refused) await api.deleteEvidence(id);
  await forget(runtime, row.data.blob_sha256);
  return true;
}
