// spot step: say how many parts are ticked. The ticking itself is plain checkboxes and CSS.
(function () {
  "use strict";

  document.querySelectorAll("[data-spot-count]").forEach(function (count) {
    var form = count.closest("form");
    if (!form) { return; }
    var boxes = form.querySelectorAll("input[name=part]:not([disabled])");
    if (!boxes.length) { return; }

    function update() {
      var n = form.querySelectorAll("input[name=part]:checked").length;
      count.hidden = n === 0;
      count.textContent = n === 1
        ? count.getAttribute("data-one")
        : count.getAttribute("data-many").replace("{n}", String(n));
    }

    form.addEventListener("change", update);
    update();
  });
})();
