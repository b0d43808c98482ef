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
  var shown = null;  // {entry, home, word}

  function hide() {
    if (!shown) { return; }
    // The entry goes back to its place in the list, with its read-aloud button.
    shown.home.parentNode.insertBefore(shown.entry, shown.home);
    shown.home.remove();
    sheet.hidden = true;
    var word = shown.word;
    shown = null;
    word.focus();
  }

  function show(word) {
    var entry = document.getElementById(word.getAttribute("data-glossary"));
    if (!entry) { return; }
    hide();
    var home = document.createComment("glossary entry");
    entry.parentNode.insertBefore(home, entry);
    sheet.insertBefore(entry, close);
    var title = entry.querySelector(".glossary__word span");
    sheet.setAttribute("aria-label", title ? title.textContent : word.textContent);
    shown = { entry: entry, home: home, word: word };
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
