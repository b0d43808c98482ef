// Offline use, as an enhancement: the service worker, answers kept on the device, and
// sending them when the network returns. Without it, every form posts to the server as usual.
// Typed answers, checked on the device as the server checks them: a line-by-line port of
// answer_words() and accepts() in companion/catalogue/steps/type_answer.py (both run on
// tests/fixtures/normalisation_cases.json).
(function (root) {
  "use strict";

  var CASEFOLD = { "ß": "ss", "ς": "σ" };
  var FOLD = { "ة": "ه", "ى": "ي", "ـ": "" };
  for (var d = 0; d < 10; d++) {
    FOLD[String.fromCharCode(0x0660 + d)] = String(d);
    FOLD[String.fromCharCode(0x06F0 + d)] = String(d);
  }
  var MARK = /\p{M}/u, LETTER_OR_NUMBER = /[\p{L}\p{N}]/u, NUMBER = /^[0-9]+$/, DIGIT = /[0-9]/;

  function answerWords(text) {
    var lowered = Array.from(text.toLowerCase()).map(function (c) {
      return Object.prototype.hasOwnProperty.call(CASEFOLD, c) ? CASEFOLD[c] : c;
    }).join("");
    var kept = Array.from(lowered.normalize("NFKD")).map(function (c) {
      if (MARK.test(c)) { return ""; }
      if (!LETTER_OR_NUMBER.test(c)) { return " "; }
      return Object.prototype.hasOwnProperty.call(FOLD, c) ? FOLD[c] : c;
    }).join("");
    var words = [];
    kept.split(/\s+/).filter(Boolean).forEach(function (word) {
      if (words.length && NUMBER.test(word) && NUMBER.test(words[words.length - 1])) {
        words[words.length - 1] += word;
      } else {
        words.push(word);
      }
    });
    return words;
  }

  function accepts(typed, accepted) {
    var words = answerWords(typed);
    return accepted.some(function (answer) {
      var expected = answerWords(answer), size = expected.length;
      if (!size) { return false; }
      for (var start = 0; start + size <= words.length; start++) {
        if (words.slice(start, start + size).join(" ") === expected.join(" ")) {
          var others = words.slice(0, start).concat(words.slice(start + size));
          if (!others.some(function (w) { return DIGIT.test(w); })) { return true; }
        }
      }
      return false;
    });
  }

  root.CompagnonAnswers = { answerWords: answerWords, accepts: accepts };
})(typeof window !== "undefined" ? window : globalThis);

(function () {
  "use strict";
  if (typeof document === "undefined") { return; }  // loaded by node for the tests

  var QUEUE = "companion-offline-queue";
  var script = document.currentScript;
  var swUrl = script ? script.getAttribute("data-sw") : null;
  var state = document.getElementById("offline-state");
  var article = document.getElementById("step-text");
  var sending = null;

  // A count's sentence in the page language's plural form: data-NAME holds
  // {category: text} (companion/i18n.py plural_forms), Intl.PluralRules picks the category.
  function plural(el, name, n) {
    var forms = {};
    try { forms = JSON.parse((el && el.getAttribute("data-" + name)) || "{}"); } catch (e) { forms = {}; }
    var category = "other";
    try { category = new Intl.PluralRules(document.documentElement.lang).select(n); } catch (e) { category = "other"; }
    return String(forms[category] || forms.other || "").split("{n}").join(String(n));
  }

  function text(el, name, values) {
    var value = (el && el.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      value = value.split("{" + key + "}").join(String(values[key]));
    });
    return value;
  }

  // ---- the queue of answers, on the device -------------------------------------------
  function readQueue() {
    try {
      var raw = window.localStorage.getItem(QUEUE);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  // Returns false when the device refuses to store it (full, or storage turned off).
  function writeQueue(list) {
    try {
      if (list.length) {
        window.localStorage.setItem(QUEUE, JSON.stringify(list));
      } else {
        window.localStorage.removeItem(QUEUE);
      }
      return true;
    } catch (e) {
      return false;
    }
  }

  function clearQueue() {
    try { window.localStorage.removeItem(QUEUE); } catch (e) { /* nothing kept */ }
  }

  function newKey() {
    var bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // ---- the visible state ---------------------------------------------------------------
  function note(message) {
    if (!state) { return; }
    var list = state.querySelector("[data-offline-notes]");
    var item = document.createElement("li");
    item.textContent = message;
    list.appendChild(item);
    state.hidden = false;
  }

  function showState() {
    var waiting = readQueue().length;
    document.documentElement.setAttribute("data-offline-waiting", String(waiting));
    if (!state) { return; }
    var offline = !navigator.onLine;
    var line = state.querySelector("[data-offline-line]");
    var count = state.querySelector("[data-offline-count]");
    line.hidden = !offline;
    count.hidden = waiting === 0;
    count.textContent = waiting === 1 ? text(state, "waiting-one")
      : plural(state, "waiting-many", waiting);
    var notes = state.querySelector("[data-offline-notes]");
    state.hidden = !offline && waiting === 0 && !notes.children.length;
  }

  // ---- sending the queue when the network returns ---------------------------------------
  function sendOne(entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) {
      // The server counts the time spent on the step from shown_at.
      body.append(pair[0], pair[0] === "shown_at"
        ? String(Math.floor(Date.now() / 1000) - entry.spent) : pair[1]);
    });
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow"
    }).then(function (response) {
      var landed = new URL(response.url, window.location.href).pathname;
      if (response.ok && landed.indexOf("/learn/") === 0) { return "sent"; }
      if (response.ok || response.status === 401) { return "expired"; }
      if (response.status === 400 || response.status === 404 || response.status === 422) {
        return "rejected";
      }
      return "later";  // the server is in trouble: try again later
    });
  }

  // Sends every waiting answer in order, once; a refused answer is shown and dropped.
  function sendQueue() {
    if (sending) { return sending; }
    if (!navigator.onLine || !readQueue().length) { return Promise.resolve(); }
    var sentAny = false;
    var step = function () {
      var list = readQueue();
      if (!list.length || !navigator.onLine) { return null; }
      var entry = list[0];
      return sendOne(entry).then(function (result) {
        if (result === "later") { return null; }
        if (result === "sent") { sentAny = true; }
        if (result === "rejected") { note(text(state, "rejected", { title: entry.title })); }
        if (result === "expired") { note(text(state, "expired", { title: entry.title })); }
        writeQueue(readQueue().filter(function (e) { return e.key !== entry.key; }));
        showState();
        return step();
      }, function () { return null; });  // no network after all
    };
    sending = Promise.resolve().then(step).then(function () {
      sending = null;
      if (sentAny && !readQueue().length) { note(text(state, "sent")); }
      showState();
    });
    return sending;
  }

  // ---- the service worker -----------------------------------------------------------------
  var worker = null;
  function ask(message, seconds) {
    if (!worker) { return Promise.resolve(null); }
    return worker.then(function (registration) {
      var target = registration.active || navigator.serviceWorker.controller;
      if (!target) { return null; }
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        target.postMessage(message, [channel.port2]);
        window.setTimeout(function () { resolve(null); }, (seconds || 15) * 1000);
      });
    });
  }

  function purgeCaches() {
    var direct = window.caches ? window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("companion-shell-") !== 0;
      }).map(function (name) { return window.caches.delete(name); }));
    }) : Promise.resolve();
    return direct.catch(function () { return null; });
  }

  function register() {
    worker = navigator.serviceWorker.register(swUrl, { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; });
    worker.catch(function () { worker = null; });
  }

  // What the worker fetches for later (its shell, a module's pages) waits until the page has
  // loaded and been on screen a moment: on a slow phone link the page's own requests come
  // first (issue 18). A page already in the worker's hands registers at once: it costs nothing.
  var SETTLE_MS = 2000;
  function afterLoad(fn) {
    var run = function () {
      window.setTimeout(function () {
        if (window.requestIdleCallback) {
          window.requestIdleCallback(fn, { timeout: 2000 });
        } else {
          fn();
        }
      }, SETTLE_MS);
    };
    if (document.readyState === "complete") { run(); } else { window.addEventListener("load", run); }
  }

  var canRegister = Boolean(swUrl) && "serviceWorker" in navigator;
  if (canRegister && navigator.serviceWorker.controller) { register(); }

  // A kiosk's list of names or a PIN page: the next person signs in, nothing of anyone stays.
  // (Answers kept for someone else could not be sent anyway: the new session refuses them.)
  if (document.body.classList.contains("kiosk") || document.querySelector("[data-keypad-for]")) {
    clearQueue();
    purgeCaches();
  }

  // Opening a module: keep all its steps and pictures on the device.
  var keepModule = function () {
    ask({ type: "keep-module", url: article.getAttribute("data-offline-list") }, 120).then(function (answer) {
      if (answer && !answer.error) {
        document.documentElement.setAttribute("data-offline-module", answer.module);
        if (state && answer.pages > 0) {
          var kept = document.createElement("p");
          kept.className = "offline-state__kept";
          kept.textContent = text(state, "kept");
          state.appendChild(kept);
          state.hidden = false;
        }
      }
    });
  };
  if (canRegister) {
    // After the page itself has loaded and settled: the step comes first.
    afterLoad(function () {
      if (!worker) { register(); }
      if (article && navigator.onLine) { keepModule(); }
    });
  }

  // ---- answering with no network --------------------------------------------------------
  function feedback(kind, lines) {
    var box = document.createElement("div");
    box.className = "feedback feedback--" + kind + " offline-feedback";
    box.setAttribute("role", "status");
    lines.forEach(function (line, i) {
      var p = document.createElement("p");
      if (i === 0) { p.className = "feedback__title"; }
      p.textContent = line;
      box.appendChild(p);
    });
    return box;
  }

  // The words of an answer checked on the device come with the module's list of pages.
  function loadTexts() {
    return fetch(article.getAttribute("data-offline-list"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (list) { return list.texts || {}; })
      .catch(function () { return {}; });
  }

  function say(texts, key, values) {
    var value = texts[key] || "";
    Object.keys(values || {}).forEach(function (name) {
      value = value.split("{" + name + "}").join(String(values[name]));
    });
    return value;
  }

  function nextLink(texts) {
    var link = document.createElement("a");
    link.className = "button button--main";
    link.id = "next-step";
    link.href = article.getAttribute("data-next-url");
    link.textContent = say(texts, "next");
    return link;
  }

  // The feedback and the way on, together and in view, as the server shows them
  // (macros/step_form.html): the learner lands on them with the focus.
  function showFeedback(form, box, next, button) {
    var old = document.getElementById("feedback");
    if (old) { old.remove(); }
    var zone = document.createElement("div");
    zone.className = "feedback-zone";
    zone.id = "feedback";
    zone.tabIndex = -1;
    zone.appendChild(box);
    if (next) { zone.appendChild(next); }
    form.insertBefore(zone, button && button.parentNode === form ? button : null);
    zone.scrollIntoView({ block: "start" });
    zone.focus({ preventScroll: true });
  }

  function triesSoFar(url) {
    var queued = readQueue().filter(function (e) { return e.url === url; }).length;
    return parseInt(article.getAttribute("data-tries") || "0", 10) + queued;
  }

  // What the step needs to be answered here comes with its form (StepBase.offline_attributes).
  function answerOffline(form, shownAt, texts) {
    var kind = form.getAttribute("data-offline-check") || "later";
    var maxTries = parseInt(article.getAttribute("data-max-tries"), 10);
    var data = new FormData(form);
    form.querySelectorAll(".offline-feedback, .offline-error").forEach(function (old) {
      old.remove();
    });
    var verdict = null;
    if (kind === "choose") {
      var chosen = data.getAll("choice").map(String).sort();
      if (!chosen.length) { return showEmpty(form, texts); }
      var right = (form.getAttribute("data-correct") || "").split(" ").filter(Boolean).sort();
      verdict = chosen.join(" ") === right.join(" ");
    } else if (kind === "type") {
      var typed = String(data.get("answer") || "").slice(0, 200);
      if (!typed.trim()) { return showEmpty(form, texts); }
      var accepted = JSON.parse(form.getAttribute("data-accepted") || "[]");
      verdict = window.CompagnonAnswers.accepts(typed, accepted);
    }
    // The form's action is "#feedback" (where the answer lands): the answer goes to this page.
    var url = window.location.pathname;
    var tries = triesSoFar(url) + 1;
    data.set("submission_key", newKey());
    var entry = {
      url: url,
      key: data.get("submission_key"),
      title: article.getAttribute("data-step-title"),
      spent: Math.max(0, Math.floor(Date.now() / 1000) - shownAt),
      fields: Array.from(data.entries()).map(function (pair) { return [pair[0], String(pair[1])]; })
    };
    var list = readQueue();
    list.push(entry);
    if (!writeQueue(list)) {
      showError(form, text(state, "full"));
      return;
    }
    showState();
    if (kind === "seen") {
      window.location.href = article.getAttribute("data-next-url");
      return;
    }
    var button = form.querySelector("button[type=submit].button--main") ||
      form.querySelector("button[type=submit]");
    var done = article.getAttribute("data-done") === "1";
    var box;
    if (verdict === true) {
      box = feedback("right", [say(texts, "right"), form.getAttribute("data-explanation")]);
    } else if (verdict === false && (tries >= maxTries || done)) {
      box = feedback("shown", [say(texts, "shown"), form.getAttribute("data-explanation")]);
    } else if (verdict === false) {
      box = feedback("wrong", [say(texts, "wrong"),
        say(texts, "hint") + " " + form.getAttribute("data-hint"),
        say(texts, "try", { n: tries, max: maxTries })]);
    } else {
      box = feedback("shown", [say(texts, "later")]);
    }
    var finished = verdict !== false || tries >= maxTries || done;
    var next = null;
    if (finished) {
      if (button) { button.hidden = true; }
      var shown = document.getElementById("next-step");
      if (shown) { shown.remove(); }  // the one under the form, when the step was done before
      next = nextLink(texts);
    }
    showFeedback(form, box, next, button);
  }

  // A message at the top of the form, read out at once.
  function showError(form, message) {
    var p = document.createElement("p");
    p.className = "error-summary offline-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    form.insertBefore(p, form.firstChild);
  }

  function showEmpty(form, texts) {
    showError(form, say(texts, "empty"));
  }

  if (article) {
    var opened = Math.floor(Date.now() / 1000);
    var busy = false;
    article.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine || event.defaultPrevented) { return; }
        // A button with a name is a move inside a simulation: it needs the server.
        if (event.submitter && event.submitter.name) { return; }
        event.preventDefault();
        if (form.getAttribute("data-offline-check") === "network") {
          // Never queued (the password lab): what is typed must not stay on the device.
          loadTexts().then(function (texts) {
            if (form.querySelector(".offline-error")) { return; }
            showError(form, say(texts, "network"));
          });
          return;
        }
        if (busy) { return; }  // a double tap is one answer
        busy = true;
        loadTexts().then(function (texts) {
          answerOffline(form, opened, texts);
        }).then(function () { busy = false; }, function () { busy = false; });
      });
    });
  }

  // ---- "J'ai fini": send first, or empty with a warning; nothing of the learner stays ----
  var out = document.querySelector(".learner-bar__out");
  if (out) {
    var leaving = false;
    var leave = function () {
      if (leaving) { return; }
      leaving = true;
      var realSubmit = function () { HTMLFormElement.prototype.submit.call(out); };
      var finish = function () { clearQueue(); return purgeCaches(); };
      if (navigator.onLine) {
        sendQueue().then(function () { return ask({ type: "purge" }); })
          .then(finish, finish).then(realSubmit, realSubmit);
        return;
      }
      var lost = readQueue().length;
      var token = out.querySelector("input[name=csrf_token]");
      var target = "/offline?bye=1&lost=" + lost;
      finish().then(function () {
        return ask({ type: "signout-pending", token: token ? token.value : "" });
      }).then(function (answer) {
        // No service worker: the server must be reached to sign out.
        if (answer && answer.pending) { window.location.replace(target); } else { realSubmit(); }
      });
    };
    out.addEventListener("submit", function (event) { event.preventDefault(); leave(); });
    // The kiosk's inactivity timer (app.js) calls form.submit(), which skips the event.
    out.submit = leave;
  }

  // ---- the offline page --------------------------------------------------------------------
  var bye = document.getElementById("offline-bye");
  if (bye) {
    var params = new URLSearchParams(window.location.search);
    if (params.get("bye")) {
      bye.hidden = false;
      var learnerPart = document.getElementById("offline-learner");
      if (learnerPart) { learnerPart.hidden = true; }
      var lostCount = parseInt(params.get("lost") || "0", 10);
      var lostLine = document.getElementById("offline-lost");
      if (lostCount > 0 && lostLine) {
        lostLine.textContent = lostCount === 1 ? text(lostLine, "one")
          : plural(lostLine, "many", lostCount);
        lostLine.hidden = false;
      }
      // The network may come back a moment after the browser says so: try a few times.
      var tries = 0;
      var signOutNow = function () {
        ask({ type: "signout-now" }).then(function (answer) {
          if (answer && answer.url) {
            window.location.replace(answer.url);
          } else if (navigator.onLine && tries < 10) {
            tries += 1;
            window.setTimeout(signOutNow, 1000);
          }
        });
      };
      window.addEventListener("online", signOutNow);
      if (navigator.onLine) { signOutNow(); }
    }
  }

  window.addEventListener("online", function () { showState(); sendQueue(); });
  window.addEventListener("offline", showState);
  showState();
  sendQueue();
})();
