/**
 * Photo compression for evidence: long side ≤ 1920 px, ≤ 500 KB by stepping JPEG quality
 * down, EXIF orientation applied, sha256 of the result. Decoding runs in a worker with
 * OffscreenCanvas; the planning below is pure so it can be tested outside a browser.
 * No bare imports: this file also loads as-is from /sync/compress.js inside the worker.
 */

export const MAX_SIDE = 1920;
export const MAX_BYTES = 500 * 1024;
export const QUALITIES = [0.85, 0.78, 0.7, 0.62, 0.54, 0.46, 0.38];
export const MIN_SIDE = 640; // below this a photo of work stops being readable
export const HUGE_PIXELS = 50e6; // never decode more than this at full size

/** Width, height, type and EXIF orientation from a file's first bytes (JPEG, PNG, GIF, WebP); null if unknown. */
export function imageInfo(buffer) {
  const b = new Uint8Array(buffer);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b.length >= 24) {
    return { type: "image/png", width: v.getUint32(16), height: v.getUint32(20), orientation: 1 };
  }
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b.length >= 10) {
    return { type: "image/gif", width: v.getUint16(6, true), height: v.getUint16(8, true), orientation: 1 };
  }
  if (b.length >= 30 && String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP") {
    const chunk = String.fromCharCode(...b.slice(12, 16));
    if (chunk === "VP8X") return { type: "image/webp", width: 1 + (v.getUint32(24, true) & 0xffffff), height: 1 + (v.getUint32(27, true) & 0xffffff), orientation: 1 };
    if (chunk === "VP8 ") return { type: "image/webp", width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff, orientation: 1 };
    if (chunk === "VP8L") {
      const bits = v.getUint32(21, true);
      return { type: "image/webp", width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff), orientation: 1 };
    }
  }
  if (b[0] === 0xff && b[1] === 0xd8) return jpegInfo(b, v);
  return null;
}

function jpegInfo(b, v) {
  let orientation = 1;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    const length = v.getUint16(i + 2);
    if (marker === 0xe1 && String.fromCharCode(...b.slice(i + 4, i + 8)) === "Exif") orientation = exifOrientation(v, i + 10) ?? 1;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return { type: "image/jpeg", width: v.getUint16(i + 7), height: v.getUint16(i + 5), orientation };
    i += 2 + length;
  }
  return null;
}

function exifOrientation(v, tiff) {
  if (tiff + 8 > v.byteLength) return null;
  const little = v.getUint16(tiff) === 0x4949;
  const ifd = tiff + v.getUint32(tiff + 4, little);
  if (ifd + 2 > v.byteLength) return null;
  const count = v.getUint16(ifd, little);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > v.byteLength) return null;
    if (v.getUint16(entry, little) === 0x0112) return v.getUint16(entry + 8, little);
  }
  return null;
}

/** The size as displayed: EXIF orientations 5–8 turn the picture a quarter. */
export function orientedSize(width, height, orientation = 1) {
  return orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height };
}

/** Scale so the long side is at most `maxSide` (never enlarge). */
export function planResize(width, height, maxSide = MAX_SIDE) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/**
 * The encodings to try, in order: every quality at the planned size, then the same at 80% of
 * the size, and so on down to MIN_SIDE. The first result ≤ maxBytes wins.
 */
export function* encodingPlan(width, height, { maxSide = MAX_SIDE, qualities = QUALITIES } = {}) {
  let size = planResize(width, height, maxSide);
  for (;;) {
    for (const quality of qualities) yield { ...size, quality };
    const longSide = Math.max(size.width, size.height);
    if (longSide <= MIN_SIDE) return;
    size = planResize(size.width, size.height, Math.max(MIN_SIDE, Math.floor(longSide * 0.8)));
  }
}

/**
 * Walk the plan with `encode(width, height, quality) → Promise<Blob>` until one fits; if none
 * does, the smallest is returned (a photo is never refused for being big).
 */
export async function encodeWithin(width, height, encode, { maxBytes = MAX_BYTES, ...plan } = {}) {
  let best = null;
  for (const step of encodingPlan(width, height, plan)) {
    const blob = await encode(step.width, step.height, step.quality);
    if (!best || blob.size < best.blob.size) best = { blob, ...step };
    if (blob.size <= maxBytes) return { blob, ...step };
  }
  return best;
}

async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Compress here (in a worker, or wherever OffscreenCanvas exists). Decoding asks the browser
 * to resize while decoding, so a 24-MP photo is never held (or drawn black) at full size.
 */
export async function compressHere(file, { maxSide = MAX_SIDE, maxBytes = MAX_BYTES } = {}) {
  const head = await file.slice(0, 256 * 1024).arrayBuffer();
  const info = imageInfo(head);
  const options = { imageOrientation: "from-image" };
  let target = null;
  if (info) {
    const shown = orientedSize(info.width, info.height, info.orientation);
    target = planResize(shown.width, shown.height, maxSide);
    Object.assign(options, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: "high" });
  }
  const bitmap = await createImageBitmap(file, options);
  if (!target) {
    if (bitmap.width * bitmap.height > HUGE_PIXELS) throw new Error("This picture is too large to prepare.");
    target = planResize(bitmap.width, bitmap.height, maxSide);
  }
  const encode = async (width, height, quality) => {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // transparent PNG areas become white, not black, in a JPEG
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: "image/jpeg", quality });
  };
  const result = await encodeWithin(target.width, target.height, encode, { maxBytes, maxSide });
  bitmap.close?.();
  const bytes = await result.blob.arrayBuffer();
  return { bytes, type: "image/jpeg", width: result.width, height: result.height, quality: result.quality, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
}

let workerUrl = null;

/** Where the worker script is served from (default: beside this module). */
export function setWorkerUrl(url) {
  workerUrl = url;
}

/**
 * Compress a photo off the main thread. Falls back to the main thread without Worker
 * support, and to the original bytes when the browser cannot decode or encode it.
 */
export async function compressImage(file, options = {}) {
  const canWork = typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined";
  if (canWork) {
    try {
      return await inWorker(file, options);
    } catch {
      // fall through: try on this thread
    }
  }
  try {
    if (typeof OffscreenCanvas !== "undefined") return await compressHere(file, options);
  } catch {
    // fall through: keep the original
  }
  const bytes = await file.arrayBuffer();
  return { bytes, type: file.type || "application/octet-stream", size: bytes.byteLength, sha256: await sha256Hex(bytes), original: true };
}

function inWorker(file, options) {
  // Reflex serves assets/ at the site root; a bundler's import.meta.url would point into
  // its own chunk folder, where the worker file is not
  const url = workerUrl ?? "/sync/compress.worker.js";
  const worker = new Worker(url, { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      if (data.error) reject(new Error(data.error));
      else resolve(data.result);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the photo worker failed"));
    };
    worker.postMessage({ file, options });
  });
}
