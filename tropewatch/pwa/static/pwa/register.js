/* Registers the service worker (service-worker.js) on every console page. The worker's and the
   static files' addresses come from this script tag's data attributes: no inline script. */
"use strict";

(() => {
  const tag = document.currentScript;
  if (!("serviceWorker" in navigator) || !tag) return;
  const worker = new URL(tag.dataset.serviceWorker, window.location.href);
  worker.searchParams.set("static", tag.dataset.static);
  navigator.serviceWorker.register(worker.href).catch(() => {
    /* No worker (a private window, an old browser): the console works the same without. */
  });
})();
