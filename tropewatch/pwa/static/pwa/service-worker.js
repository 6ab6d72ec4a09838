/* tropewatch's service worker: what lets phones install the console (with its share target).
   Pages are never cached here: they show hateful posts, authors and decisions, which must not
   outlive the session on a phone. The worker leaves every request but static files to the
   network (no respondWith: the browser fetches as if there were no worker). Static files
   (styles, scripts, icons: no personal data) are fetched from the network first and kept for
   when it is unreachable. Served from the site's root so that its scope is the whole console;
   the static files' address comes in its own URL (register.js sets it). */
"use strict";

const CACHE = "tropewatch-static-v1";
const STATIC_PREFIX = new URL(self.location.href).searchParams.get("static") || "/static/";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function isStatic(request) {
  const url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin &&
    url.pathname.startsWith(STATIC_PREFIX);
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  if (isStatic(event.request)) event.respondWith(networkFirst(event.request));
});
