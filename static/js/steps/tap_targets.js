// tap_targets step: the rounds follow each other in the page (no round trip); only the press
// on the last round sends the form. Without this file each press posts the form instead.
(function () {
  "use strict";

  document.querySelectorAll("[data-tap-zone]").forEach(function (zone) {
    var form = zone.closest("form");
    var button = zone.querySelector("[data-tap-target]");
    var count = form.querySelector("[data-tap-count]");
    var sizes = zone.getAttribute("data-sizes").split(" ");
    var places = zone.getAttribute("data-places").split(" ");
    var round = parseInt(zone.getAttribute("data-round"), 10);
    // The answer travels in a hidden field: a named button would need the server offline.
    var hit = document.createElement("input");
    hit.type = "hidden";
    hit.name = "hit";
    hit.value = String(round);
    button.removeAttribute("name");
    form.appendChild(hit);

    function show(next) {
      button.classList.remove("tap-target--s" + sizes[round]);
      zone.classList.remove("tap-zone--p" + places[round]);
      round = next;
      button.classList.add("tap-target--s" + sizes[round]);
      zone.classList.add("tap-zone--p" + places[round]);
      zone.setAttribute("data-round", String(round));
      hit.value = String(round);
      if (count) {
        count.textContent = (count.getAttribute("data-count-text") || "{n} / {total}")
          .replace("{n}", String(round + 1)).replace("{total}", String(sizes.length));
      }
      button.focus();
    }

    button.addEventListener("click", function (event) {
      if (round < sizes.length - 1) {
        event.preventDefault();
        show(round + 1);
      }
    });
  });
})();
