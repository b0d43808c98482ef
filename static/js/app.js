// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // After sign-out, a page restored from the back/forward cache is reloaded from the server.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // PIN keypad: big buttons that type into the plain PIN field.
  document.querySelectorAll("[data-keypad-for]").forEach(function (pad) {
    var input = document.getElementById(pad.getAttribute("data-keypad-for"));
    if (!input) { return; }
    pad.hidden = false;
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) { return; }
      var value = key.getAttribute("data-key");
      if (value === "erase") {
        input.value = input.value.slice(0, -1);
      } else if (input.value.length < 4) {
        input.value += value;
      }
      if (input.value.length === 4 && input.form) { input.form.requestSubmit(); }
    });
  });

  // After "Je vérifie" the page opens at #feedback (the answer form's action): the browser
  // scrolls there by itself; the focus goes there too, so that a screen reader says the
  // feedback and the next Tab reaches "Étape suivante" right under it.
  if (window.location.hash === "#feedback") {
    var feedbackZone = document.getElementById("feedback");
    if (feedbackZone) { feedbackZone.focus(); }
  }

  // Read-aloud in the page's language, shown only when the browser can speak (without
  // this script the buttons stay hidden). It reads the content, never the controls
  // (buttons, fields, the PIN keypad), says formulas in words, can be stopped, and says
  // so when the device has no voice for the page's language.
  var texts = document.getElementById("read-aloud-texts");
  if ("speechSynthesis" in window && texts) {
    var synth = window.speechSynthesis;
    var words = {};
    try { words = JSON.parse(texts.getAttribute("data-words") || "{}"); } catch (e) { words = {}; }
    var lang = (document.documentElement.lang || "fr").toLowerCase();
    var SKIP = "button, input, select, textarea, script, style, template, [hidden], " +
      "[aria-hidden='true'], [data-read-skip], [data-read-aloud], .keypad, .learner-bar, " +
      ".offline-state, .visually-hidden";

    var say = function (formula) {
      // "=SOMME(B2:B6)" → "égal somme de B2 à B6"; the words come in the page's language.
      var body = formula.replace(/^=/, "");
      body = body.replace(/([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.]*)\(/g, function (_m, name) {
        return " " + name.toLowerCase().split(".").join(" ") + " " + (words.of || "") + " ";
      });
      body = body.replace(/:/g, " " + (words.to || ":") + " ")
        .replace(/;/g, ", ")
        .replace(/\+/g, " " + (words.plus || "+") + " ")
        .replace(/\*/g, " " + (words.times || "*") + " ")
        .replace(/\//g, " " + (words.divided || "/") + " ")
        .replace(/(\S)-(\S)/g, "$1 " + (words.minus || "-") + " $2")
        .replace(/[()]/g, " ");
      return ((words.equals || "=") + " " + body).replace(/\s+/g, " ").trim();
    };
    var spokenText = function (target) {
      var skipped = Array.prototype.slice.call(target.querySelectorAll(SKIP));
      skipped.forEach(function (el) { el.classList.add("reading-skip"); });
      var raw = target.innerText;
      skipped.forEach(function (el) { el.classList.remove("reading-skip"); });
      return raw.replace(/=[A-Za-zÀ-ÿ0-9.(:;+*\/)-]*[A-Za-z0-9)]/g, function (formula) {
        return say(formula);
      }).replace(/[ \t]+/g, " ").trim();
    };
    var voiceFor = function () {
      var voices = synth.getVoices() || [];
      var base = lang.split("-")[0];
      var same = voices.filter(function (v) {
        return String(v.lang || "").toLowerCase().replace("_", "-").split("-")[0] === base;
      });
      return { loaded: voices.length > 0, voice: same[0] || null };
    };
    var stops = function (show) {
      document.querySelectorAll("[data-read-stop]").forEach(function (stop) { stop.hidden = !show; });
    };
    var message = function (button, text) {
      var box = button.closest("[data-read-aloud]");
      var line = (box && box.querySelector("[data-read-message]")) ||
        document.getElementById("read-aloud-status");
      if (!line) { return; }
      line.textContent = text;
      line.hidden = !text;
    };
    var speak = function (button, target, tries) {
      var found = voiceFor();
      if (!found.loaded && tries > 0) {  // the voices of some browsers load a moment later
        window.setTimeout(function () { speak(button, target, tries - 1); }, 250);
        return;
      }
      if (!found.voice) {
        message(button, texts.getAttribute("data-no-voice") || "");
        return;
      }
      message(button, "");
      synth.cancel();
      var utterance = new window.SpeechSynthesisUtterance(spokenText(target));
      utterance.lang = found.voice.lang || lang;
      utterance.voice = found.voice;
      utterance.onend = function () { stops(false); };
      utterance.onerror = function () { stops(false); };
      synth.speak(utterance);
      stops(true);
    };
    document.querySelectorAll("[data-read-aloud]").forEach(function (box) { box.hidden = false; });
    document.querySelectorAll("[data-read]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-read"));
        if (target) { speak(button, target, 4); }
      });
    });
    document.addEventListener("click", function (event) {
      var stop = event.target.closest && event.target.closest("[data-read-stop]");
      if (!stop) { return; }
      synth.cancel();
      stops(false);
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  // Reading settings: apply at once and remember in the same cookies the server reads
  // (without this script, the form posts and the server sets them).
  document.querySelectorAll("[data-display-form]").forEach(function (form) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name]");
      if (!button) { return; }
      event.preventDefault();
      var name = button.name;
      var value = button.value;
      var root = document.documentElement;
      var prefix = name === "text" ? "text-" : "contrast-";
      root.className = root.className.split(/\s+/).filter(function (c) {
        return c && c.indexOf(prefix) !== 0;
      }).concat([prefix + value]).join(" ");
      var cookie = name === "text" ? "companion_text" : "companion_contrast";
      document.cookie = cookie + "=" + value + "; path=/; max-age=34560000; SameSite=Lax" +
        (window.location.protocol === "https:" ? "; Secure" : "");
      form.querySelectorAll("button[name=" + name + "]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });

  // Inactivity on a kiosk or a staff page: warn, let the person continue, then sign out.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-kiosk-idle") || "", 10);
  var warning = parseInt(body.getAttribute("data-kiosk-warning") || "", 10);
  var dialog = document.getElementById("idle-dialog");
  if (idle > 0 && dialog) {
    var count = document.getElementById("idle-count");
    var forms = {};
    try { forms = JSON.parse(count.getAttribute("data-forms") || "{}"); } catch (e) { forms = {}; }
    var showCount = function (n) {
      var category = "other";
      try { category = new Intl.PluralRules(document.documentElement.lang).select(n); } catch (e) { category = "other"; }
      count.textContent = String(forms[category] || forms.other || n).split("{n}").join(String(n));
    };
    var idleTimer = null;
    var tick = null;
    var signOut = function () {
      var form = document.querySelector("form[data-idle-signout]") ||
        document.querySelector(".learner-bar__out");
      if (form) { form.submit(); }
    };
    var startWarning = function () {
      var left = warning;
      showCount(left);
      dialog.showModal();
      tick = window.setInterval(function () {
        left -= 1;
        showCount(Math.max(left, 0));
        if (left <= 0) { window.clearInterval(tick); signOut(); }
      }, 1000);
    };
    var lastPing = Date.now();
    var stillHere = function () {
      lastPing = Date.now();
      fetch(body.getAttribute("data-still-here"), {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }
      });
    };
    var reset = function () {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(startWarning, idle * 1000);
      // Someone typing a long note sends no request: tell the server now and then, so that
      // the session it keeps does not end under their fingers.
      if (Date.now() - lastPing > idle * 500) { stillHere(); }
    };
    document.getElementById("idle-continue").addEventListener("click", function () {
      window.clearInterval(tick);
      dialog.close();
      stillHere();
      reset();
    });
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, function () { if (!dialog.open) { reset(); } }, true);
    });
    reset();
  }
})();
