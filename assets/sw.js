/*
 * Waypoint's service worker: keeps the built app shell (every page's HTML, the hashed JS and
 * CSS, the sync core, icons) so every page opens and reloads with no network.
 *
 * The precache list and BUILD are written here after each production build by
 * app/pwa_plugin.py (post_build); in development the list is empty and nothing is cached.
 * A new build installs beside the old one and waits: the page activates it (SKIP_WAITING)
 * only when no change is left unsent (assets/ui/pwa.js).
 */

const BUILD = "dev"; // replaced by the build
const PRECACHE = []; // replaced by the build
const SHELL = `waypoint-shell-${BUILD}`;
const RUNTIME = "waypoint-runtime";
// never cached, not even looked at: the API (its sign-in answers carry the session's
// Set-Cookie, and every other answer is a signed-in person's data), Reflex's socket (its
// handshake carries the session cookies) and uploads, this worker itself
const NETWORK_ONLY = [/^\/api\//, /^\/_event/, /^\/_upload/, /^\/ping/, /^\/_health/, /^\/sw\.js$/];

/** Fetch one file for the shell; a redirected answer is stored as a plain one. */
async function keep(cache, url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  let clean = response;
  if (response.redirected) {
    const headers = new Headers(response.headers);
    headers.delete("content-encoding"); // the body below is already decoded
    headers.delete("content-length");
    clean = new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
  }
  await cache.put(url, clean);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      const queue = [...PRECACHE];
      const worker = async () => {
        while (queue.length) await keep(cache, queue.shift());
      };
      await Promise.all(Array.from({ length: 6 }, worker)); // any failure fails the install
    })(),
  );
  // no skipWaiting(): a page with unsent changes decides when the new build takes over
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("waypoint-shell-") && name !== SHELL) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
});

/** The cached page for a path: "/learner", "/learner/" and "/learner?id=3" are one page. */
async function cachedPage(url) {
  const cache = await caches.open(SHELL);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const options = { ignoreSearch: true, ignoreVary: true };
  return (await cache.match(`${path}/`, options)) ?? (await cache.match(path, options)) ?? null;
}

async function page(request) {
  const url = new URL(request.url);
  const hit = await cachedPage(url);
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    // a page this build did not prerender (e.g. /binder/12): the SPA shell routes it
    const cache = await caches.open(SHELL);
    const fallback = (await cache.match("/__spa-fallback.html", { ignoreVary: true })) ?? (await cache.match("/", { ignoreVary: true }));
    if (fallback) return fallback;
    throw error;
  }
}

async function asset(request) {
  // ignoreVary: the server says "Vary: Origin", and a module import sends Origin while
  // the install's fetch did not; the bytes are the same
  const hit = await caches.match(request, { ignoreVary: true });
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(RUNTIME).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const stale = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
    if (stale) return stale;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (BUILD === "dev") return; // development builds change under us: never cache them
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((pattern) => pattern.test(url.pathname))) return;
  event.respondWith(request.mode === "navigate" ? page(request) : asset(request));
});
