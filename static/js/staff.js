// Staff pages, progressive enhancement only: a print button where a page is meant for paper.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// A form that asks once before it is sent (a two-step verification reset); archiving, a new
// PIN, revoking and deleting have their own confirmation page, which works without scripts.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();

// CIP home: the name search filters the list as one types. Without JavaScript the same
// field is a GET form. Names are matched without accents or case, as the server does
// (companion/services/names.py: "aicha" finds "Aïcha").
(function () {
  "use strict";
  var form = document.querySelector("form[data-learner-filter]");
  if (!form) { return; }
  var input = form.querySelector("input[name='q']");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-learner]"));
  var count = document.querySelector("[data-count]");
  var none = document.querySelector("[data-none]");
  if (!input || !count) { return; }
  function fold(text) {
    return text.replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae").replace(/ß/g, "ss")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // Rows the server left out (another name typed before) cannot come back without it.
  var served = fold(input.value.trim());
  input.addEventListener("input", function () {
    var needle = fold(input.value.trim());
    if (served && needle.indexOf(served) === -1) { form.submit(); return; }
    var shown = 0;
    rows.forEach(function (row) {
      var match = needle === "" || (row.getAttribute("data-name") || "").indexOf(needle) !== -1;
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    var template = count.getAttribute(shown === 1 ? "data-template-one" : "data-template-many");
    count.textContent = template.replace("{n}", String(shown));
    if (none) { none.hidden = shown !== 0 || rows.length === 0; }
    var url = new URL(window.location.href);
    if (input.value.trim()) { url.searchParams.set("q", input.value.trim()); } else { url.searchParams.delete("q"); }
    window.history.replaceState(null, "", url.toString());
  });
})();

// A one-time link shown once: a button copies it (the text stays selectable without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    var status = document.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      });
    });
  });
})();
