// drag_to_place step: a board where a finger or a mouse drags each picture to its place
// (pointer events). A drop only sets the item's list below, which stays the way for the
// keyboard; "Je vérifie" sends the form. Without this file the lists are the whole step.
(function () {
  "use strict";

  document.querySelectorAll("[data-drag-board]").forEach(function (board) {
    var form = board.closest("form");
    var home = board.querySelector("[data-drag-home]");
    var status = board.querySelector("[data-drag-status]");
    var nojs = form.querySelector("[data-drag-nojs]");
    board.hidden = false;
    if (nojs) { nojs.hidden = true; }

    function select(itemId) {
      return form.querySelector("[data-drag-select='" + itemId + "']");
    }
    function placeBox(placeId) {
      return board.querySelector("[data-drag-place='" + placeId + "']");
    }

    // Put each picture where its list says (also after a change made in the list).
    function layout() {
      board.querySelectorAll("[data-drag-item]").forEach(function (item) {
        var chosen = select(item.getAttribute("data-drag-item")).value;
        var box = chosen ? placeBox(chosen) : null;
        (box || home).appendChild(item);
        item.classList.toggle("drag-item--placed", Boolean(box));
      });
    }

    function announce(item, box) {
      if (!status) { return; }
      status.textContent = (status.getAttribute("data-dropped-text") || "{item} : {place}")
        .replace("{item}", item.textContent.trim())
        .replace("{place}", box.querySelector(".drag-place__name").textContent.trim());
    }

    board.querySelectorAll("[data-drag-item]").forEach(function (item) {
      var start = null;
      item.style.touchAction = "none";
      item.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) { return; }
        start = { x: event.clientX, y: event.clientY };
        item.setPointerCapture(event.pointerId);
        item.classList.add("drag-item--dragged");
        event.preventDefault();
      });
      item.addEventListener("pointermove", function (event) {
        if (!start) { return; }
        item.style.transform = "translate(" + (event.clientX - start.x) + "px, " +
          (event.clientY - start.y) + "px)";
      });
      function drop(event, cancelled) {
        if (!start) { return; }
        start = null;
        item.style.transform = "";
        item.classList.remove("drag-item--dragged");
        if (cancelled) { return; }
        item.style.visibility = "hidden";
        var under = document.elementFromPoint(event.clientX, event.clientY);
        item.style.visibility = "";
        var box = under ? under.closest("[data-drag-place]") : null;
        if (!box || !board.contains(box)) { return; }
        select(item.getAttribute("data-drag-item")).value = box.getAttribute("data-drag-place");
        layout();
        announce(item, box);
      }
      item.addEventListener("pointerup", function (event) { drop(event, false); });
      item.addEventListener("pointercancel", function (event) { drop(event, true); });
    });

    form.querySelectorAll("[data-drag-select]").forEach(function (list) {
      list.addEventListener("change", layout);
    });
    layout();
  });
})();
