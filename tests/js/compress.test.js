/** The pure half of photo compression: header sizes, orientation, resize and quality planning. */

import { expect, test } from "bun:test";
import { MAX_BYTES, QUALITIES, encodeWithin, encodingPlan, imageInfo, orientedSize, planResize } from "../../assets/sync/compress.js";

function jpeg({ width, height, orientation = null }) {
  const parts = [0xff, 0xd8];
  if (orientation) {
    // APP1 Exif, big-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1
    const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
    const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    parts.push(0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  }
  parts.push(0xff, 0xdb, 0, 4, 0, 0); // a quantization table to skip
  parts.push(0xff, 0xc0, 0, 17, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, ...Array(9).fill(0));
  return Uint8Array.from(parts).buffer;
}

test("JPEG size and EXIF orientation from the header", () => {
  expect(imageInfo(jpeg({ width: 6000, height: 4000 }))).toEqual({ type: "image/jpeg", width: 6000, height: 4000, orientation: 1 });
  expect(imageInfo(jpeg({ width: 6000, height: 4000, orientation: 6 }))).toMatchObject({ width: 6000, height: 4000, orientation: 6 });
});

test("PNG size from IHDR; unknown bytes give null", () => {
  const png = new Uint8Array(24);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(png.buffer).setUint32(16, 3024);
  new DataView(png.buffer).setUint32(20, 4032);
  expect(imageInfo(png.buffer)).toEqual({ type: "image/png", width: 3024, height: 4032, orientation: 1 });
  expect(imageInfo(new Uint8Array([1, 2, 3]).buffer)).toBeNull();
});

test("a phone's portrait photo (orientation 6) is resized as it is shown", () => {
  const shown = orientedSize(6000, 4000, 6);
  expect(shown).toEqual({ width: 4000, height: 6000 });
  expect(planResize(shown.width, shown.height)).toEqual({ width: 1280, height: 1920, scale: 0.32 });
});

test("small pictures are never enlarged", () => {
  expect(planResize(800, 600)).toEqual({ width: 800, height: 600, scale: 1 });
});

test("the plan steps quality down, then size, never below 640 px", () => {
  const plan = [...encodingPlan(6000, 4000)];
  expect(plan.slice(0, QUALITIES.length).map((s) => s.quality)).toEqual(QUALITIES);
  expect(plan[0]).toMatchObject({ width: 1920, height: 1280 });
  expect(plan[QUALITIES.length]).toMatchObject({ width: 1536, height: 1024, quality: QUALITIES[0] });
  expect(Math.max(plan.at(-1).width, plan.at(-1).height)).toBe(640);
});

test("encodeWithin stops at the first encoding under 500 KB, else keeps the smallest", async () => {
  const sizes = [];
  const encode = async (w, h, q) => {
    sizes.push([w, q]);
    return { size: Math.round(w * h * q * 0.4) }; // a stand-in encoder: bytes ∝ pixels × quality
  };
  const fit = await encodeWithin(1920, 1280, encode);
  expect(fit.blob.size).toBeLessThanOrEqual(MAX_BYTES);
  expect(fit.width).toBe(1920);
  expect(fit.quality).toBe(0.46);
  const never = await encodeWithin(1920, 1280, async () => ({ size: 10 * MAX_BYTES }));
  expect(never.blob.size).toBe(10 * MAX_BYTES);
});
