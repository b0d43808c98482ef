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

  // Read-aloud in the page's language, shown only when the browser can speak.
  if ("speechSynthesis" in window) {
    document.querySelectorAll("[data-read]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-read"));
        if (!target) { return; }
        window.speechSynthesis.cancel();
        var utterance = new SpeechSynthesisUtterance(target.innerText);
        utterance.lang = document.documentElement.lang;
        window.speechSynthesis.speak(utterance);
      });
    });
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

  // Kiosk inactivity: warn, let the person continue, then sign out.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-kiosk-idle") || "", 10);
  var warning = parseInt(body.getAttribute("data-kiosk-warning") || "", 10);
  var dialog = document.getElementById("idle-dialog");
  if (idle > 0 && dialog) {
    var count = document.getElementById("idle-count");
    var idleTimer = null;
    var tick = null;
    var signOut = function () {
      var form = document.querySelector(".learner-bar__out");
      if (form) { form.submit(); }
    };
    var startWarning = function () {
      var left = warning;
      count.textContent = String(left);
      dialog.showModal();
      tick = window.setInterval(function () {
        left -= 1;
        count.textContent = String(Math.max(left, 0));
        if (left <= 0) { window.clearInterval(tick); signOut(); }
      }, 1000);
    };
    var reset = function () {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(startWarning, idle * 1000);
    };
    document.getElementById("idle-continue").addEventListener("click", function () {
      window.clearInterval(tick);
      dialog.close();
      fetch(body.getAttribute("data-still-here"), {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }
      });
      reset();
    });
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, function () { if (!dialog.open) { reset(); } }, true);
    });
    reset();
  }
})();
