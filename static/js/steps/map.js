// Simulated map: a live address search (the same GET the form sends without JavaScript),
// a tap on a numbered place picks it in the list, and the chosen route is drawn stronger.
(function () {
  "use strict";
  var form = document.querySelector("[data-live-search]");
  var results = document.querySelector("[data-live-results]");
  var timer = null;

  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = window.location.pathname + "?" + query;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live-results]");
        if (!fresh) { return; }
        // Replace only what changed, so the focus of a keyboard user is not lost for nothing.
        if (results.innerHTML !== fresh.innerHTML) { results.innerHTML = fresh.innerHTML; }
        // Light up the places found on the plan too.
        var found = {};
        fresh.querySelectorAll("input[name=place]").forEach(function (input) { found[input.value] = true; });
        document.querySelectorAll(".map__place").forEach(function (marker) {
          marker.classList.toggle("map__place--found", !!found[marker.getAttribute("data-place")]);
        });
        // The answer form posts to the page's address: keep the search in it.
        window.history.replaceState(null, "", url);
      })
      .catch(function () { /* the Chercher button still works */ });
  }

  if (form && results && window.fetch && window.DOMParser) {
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      refresh();
    });
  }

  // A tap on a numbered place checks the same place in the list below (a shortcut only).
  document.querySelectorAll(".map__place").forEach(function (marker) {
    marker.addEventListener("click", function () {
      var input = document.querySelector("input[name=place][value='" + marker.getAttribute("data-place") + "']");
      if (input && !input.disabled) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      }
    });
  });

  function showPicked() {
    document.querySelectorAll(".map__place").forEach(function (marker) {
      var input = document.querySelector("input[name=place][value='" + marker.getAttribute("data-place") + "']");
      marker.classList.toggle("map__place--picked", !!(input && input.checked));
    });
    var route = document.querySelector("input[name=route]:checked");
    document.querySelectorAll(".map__route").forEach(function (line) {
      line.classList.toggle("map__route--picked", !!route && line.getAttribute("data-route") === route.value);
    });
  }
  document.addEventListener("change", showPicked);
  showPicked();
})();
