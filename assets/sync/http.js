/** HTTP answers the sync engine could not use, and reading a JSON body that may be empty or broken. */

/** An HTTP answer the engine could not use; `status` is the HTTP status (0 = no network). */
export class SyncHttpError extends Error {
  constructor(status, body, message) {
    super(message ?? body?.message ?? `HTTP ${status}`);
    this.name = "SyncHttpError";
    this.status = status;
    this.body = body;
  }
}

/** The JSON body of a response, or null (empty, or not JSON). */
export async function readJson(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
