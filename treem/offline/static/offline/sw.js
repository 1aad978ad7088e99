// treem offline: the service worker. Served by treem/offline/views.py, which puts TREEM_SHELL
// ({version, urls, app}) before this source: the shell's URLs (with their hashes in production)
// and a digest of their contents. It keeps the shell only: no data about children is ever
// cached here (that lives encrypted in IndexedDB).
/* global TREEM_SHELL */
"use strict";

const PREFIX = "treem-offline-shell-";
const CACHE = PREFIX + TREEM_SHELL.version;

self.addEventListener("install", (event) => {
  // `reload`: the shell from the server, never a stale copy from the browser's HTTP cache.
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(TREEM_SHELL.urls.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // A new version replaces the old cache.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is network-only: not answered here at all, so the page sees the network's own
  // answer or failure (and nothing of it is ever stored).
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  // The app's page is one document whatever its query or fragment.
  const key = request.mode === "navigate" && url.pathname === TREEM_SHELL.app ? TREEM_SHELL.app : request;
  if (key !== TREEM_SHELL.app && !TREEM_SHELL.urls.includes(url.pathname)) {
    return;
  }
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: key === TREEM_SHELL.app }))
      .then((cached) => cached || fetch(request)),
  );
});
