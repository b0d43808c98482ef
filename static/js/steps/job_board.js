// Job board: the filters update the results as the learner types or chooses (the same GET
// the form sends without JavaScript; the server filters, this script only swaps the list).
(function () {
  "use strict";
  var form = document.querySelector("[data-live-search]");
  var results = document.querySelector("[data-live-results]");
  if (!form || !results || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var pending = null;

  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live-results]");
        if (!fresh) { return; }
        // Replace only what changed, so the focus of a keyboard user is not lost for nothing.
        if (results.innerHTML !== fresh.innerHTML) { results.innerHTML = fresh.innerHTML; }
        // The answer form posts to the page's address: keep the filters in it.
        window.history.replaceState(null, "", url);
      })
      .catch(function () { /* the Chercher button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    refresh();
  });
})();
