// Words explained in place: a tapped hard word shows its definition in a small window at the
// bottom of the screen, over the step. Without this script the word is a link to the same
// definition lower on the page (templates/learner/glossary.html).
(function () {
  "use strict";
  var list = document.querySelector("[data-glossary-list]");
  if (!list) { return; }
  var sheet = document.createElement("div");
  sheet.className = "glossary-pop";
  sheet.setAttribute("role", "dialog");
  sheet.hidden = true;
  sheet.tabIndex = -1;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "button button--quiet glossary-pop__close";
  close.textContent = list.getAttribute("data-close") || "✕";
  sheet.appendChild(close);
  document.body.appendChild(sheet);
  var shown = null;  // the word whose definition is open

  function hide() {
    if (!shown) { return; }
    sheet.hidden = true;
    Array.from(sheet.children).forEach(function (child) { if (child !== close) { child.remove(); } });
    var word = shown;
    shown = null;
    word.focus();
  }

  function show(word) {
    var entry = document.getElementById(word.getAttribute("data-glossary"));
    if (!entry) { return; }
    hide();
    // A copy of the entry of the list (which stays in place for read-aloud and without
    // this script); its "Écouter" button presses the list's own.
    var copy = entry.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var listen = entry.querySelector("[data-read]");
    copy.querySelectorAll("[data-read]").forEach(function (button) {
      button.removeAttribute("data-read");
      button.addEventListener("click", function () { if (listen) { listen.click(); } });
    });
    sheet.insertBefore(copy, close);
    var title = entry.querySelector(".glossary__word span");
    sheet.setAttribute("aria-label", title ? title.textContent : word.textContent);
    shown = word;
    sheet.hidden = false;
    sheet.focus();
  }

  document.addEventListener("click", function (event) {
    var word = event.target.closest("a[data-glossary]");
    if (word) {
      event.preventDefault();
      show(word);
      return;
    }
    if (!shown) { return; }
    if (event.target === close || event.target.closest("[data-glossary-close]") ||
        !sheet.contains(event.target)) {
      if (sheet.contains(event.target)) { event.preventDefault(); }
      hide();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) { hide(); }
  });
})();
