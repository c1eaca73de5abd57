/** Web worker: compress one photo (see compress.js) and send back the bytes and their sha256. */

import { compressHere } from "./compress.js";

self.onmessage = async ({ data }) => {
  try {
    const result = await compressHere(data.file, data.options ?? {});
    self.postMessage({ result }, [result.bytes]);
  } catch (error) {
    self.postMessage({ error: error?.message ?? String(error) });
  }
};
