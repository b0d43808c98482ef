// Service worker: keeps the shell and the opened module on the device, for a bad connection.
// Served by the /sw.js route, which writes the real settings between the CONFIG markers.
"use strict";

var CONFIG = /*CONFIG*/{"version": "dev", "shell": [], "offline": "/offline", "signout": "/learn/signout", "pages": "/learn/", "precacheHeader": "X-Companion-Precache"}/*END*/;

// Shell: static files and the offline page, the same for everyone.
var SHELL = "companion-shell-" + CONFIG.version;
// Pages: learner pages, which show the learner's first name. Emptied at every sign-out.
var PAGES = "companion-pages";
// A sign-out made with no network: the server is told as soon as the network returns.
var SIGNOUT = "companion-signout";
var SIGNOUT_KEY = "/__companion/signout-pending";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("companion-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isLearnerPage(url) {
  return url.pathname.indexOf(CONFIG.pages) === 0;
}

function keepPage(request, response) {
  // Only the page asked for: a redirect (module done, signed out) is never stored.
  if (!response.ok || response.redirected || response.type !== "basic") { return; }
  var copy = response.clone();
  caches.open(PAGES).then(function (cache) { return cache.put(request.url, copy); });
}

// Static files: from the device first (light on data), fetched and kept when missing.
function fromShell(request) {
  return caches.match(request, { ignoreVary: true }).then(function (hit) {
    if (hit) { return hit; }
    return fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

// Pages: from the network first (the server's progress is the truth), else the kept copy.
function networkFirst(event) {
  var request = event.request;
  var url = new URL(request.url);
  return signOutIfPending().then(function () {
    return fetch(request);
  }).then(function (response) {
    if (isLearnerPage(url)) { keepPage(request, response); }
    return response;
  }).catch(function () {
    return caches.match(request.url, { ignoreVary: true }).then(function (hit) {
      if (hit) { return hit; }
      if (request.mode === "navigate") {
        return caches.match(CONFIG.offline, { ignoreSearch: true, ignoreVary: true });
      }
      return Response.error();
    }).then(function (response) { return response || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate" || isLearnerPage(url) || url.pathname === CONFIG.offline) {
    event.respondWith(networkFirst(event));
  }
});

// Static files a kept page uses (pictograms, icons, scripts), found in its HTML.
function staticLinks(html) {
  var found = [];
  var re = /(?:src|href)="(\/static\/[^"?#]+)"/g;
  var match;
  while ((match = re.exec(html)) !== null) { found.push(match[1]); }
  return found;
}

function keepModule(listUrl) {
  var headers = {};
  headers[CONFIG.precacheHeader] = "1";
  return fetch(listUrl, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) { throw new Error("no module list"); }
    // Kept too: it carries the words a step needs to answer with no network.
    keepPage(new Request(listUrl), response.clone());
    return response.json();
  }).then(function (list) {
    var assets = new Set(list.assets);
    return caches.open(PAGES).then(function (pages) {
      var keepOne = function (page) {
        // A page already kept is not fetched again: learners pay for their data.
        return pages.match(page, { ignoreVary: true }).then(function (hit) {
          if (hit) { return 0; }
          return fetch(page, { credentials: "same-origin", headers: headers });
        }).then(function (response) {
          if (!response || !response.ok || response.redirected) { return 0; }
          return response.clone().text().then(function (html) {
            staticLinks(html).forEach(function (link) { assets.add(link); });
            return pages.put(page, response).then(function () { return 1; });
          });
        });
      };
      // One page after the other: what the learner opens meanwhile is not slowed down much.
      return list.pages.reduce(function (done, page) {
        return done.then(function (kept) {
          return keepOne(page).then(function (n) { return kept.concat([n]); });
        });
      }, Promise.resolve([]));
    }).then(function (kept) {
      return caches.open(SHELL).then(function (shell) {
        return Promise.all(Array.from(assets).map(function (asset) {
          return shell.match(asset).then(function (hit) {
            return hit || shell.add(asset).catch(function () { return null; });
          });
        }));
      }).then(function () {
        return { module: list.module, pages: kept.reduce(function (a, b) { return a + b; }, 0) };
      });
    });
  });
}

// Every cache that may hold something of a learner, and the pending sign-out, if asked.
function purge(withSignout) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("companion-shell-") !== 0 && (withSignout || name !== SIGNOUT);
    }).map(function (name) { return caches.delete(name); }));
  });
}

// Ends the learner's session on the server (the session cookie cannot be removed offline).
function signOutIfPending() {
  return caches.has(SIGNOUT).then(function (has) {
    if (!has) { return null; }
    return caches.open(SIGNOUT).then(function (cache) {
      return cache.match(SIGNOUT_KEY);
    }).then(function (hit) {
      if (!hit) { return caches.delete(SIGNOUT).then(function () { return null; }); }
      return hit.text().then(function (token) {
        var body = new URLSearchParams();
        body.set("csrf_token", token);
        return fetch(CONFIG.signout, { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (response) {
        return caches.delete(SIGNOUT).then(function () { return response.url; });
      });
    });
  }).catch(function () { return null; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var reply = function (value) { if (port) { port.postMessage(value); } };
  var work;
  if (data.type === "keep-module") {
    work = keepModule(data.url).then(reply, function () { reply({ error: true }); });
  } else if (data.type === "purge") {
    work = purge(true).then(function () { reply({ purged: true }); });
  } else if (data.type === "signout-pending") {
    work = purge(true).then(function () {
      return caches.open(SIGNOUT);
    }).then(function (cache) {
      return cache.put(SIGNOUT_KEY, new Response(data.token || ""));
    }).then(function () { reply({ pending: true }); });
  } else if (data.type === "signout-now") {
    work = signOutIfPending().then(function (url) { reply({ url: url }); });
  }
  if (work) { event.waitUntil(work); }
});
