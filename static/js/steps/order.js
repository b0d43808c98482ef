// order step: moves happen at once in the page (no round trip), focus follows the moved item,
// and items can also be dragged. Without this file the move buttons post the form instead.
(function () {
  "use strict";

  document.querySelectorAll("[data-order-list]").forEach(function (list) {
    var form = list.closest("form");
    var status = form ? form.querySelector("[data-order-status]") : null;

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll(":scope > .order-item"));
    }

    // Number the places, enable only possible moves, forget marks of a checked answer.
    function refresh() {
      var all = items();
      all.forEach(function (item, index) {
        item.querySelector(".order-item__place").textContent = String(index + 1);
        item.querySelector("[data-move=up]").disabled = index === 0;
        item.querySelector("[data-move=down]").disabled = index === all.length - 1;
        item.classList.remove("order-item--misplaced", "order-item--placed");
        var mark = item.querySelector(".order-item__mark");
        if (mark) { mark.remove(); }
      });
    }

    function announce(item) {
      if (!status) { return; }
      var all = items();
      var text = item.querySelector(".order-item__text").textContent.trim();
      var template = list.getAttribute("data-moved-text") || "« {text} » : {n} / {total}";
      status.textContent = template
        .replace("{text}", text)
        .replace("{n}", String(all.indexOf(item) + 1))
        .replace("{total}", String(all.length));
    }

    function move(item, direction) {
      if (direction === "up" && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (direction === "down" && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      } else {
        return;
      }
      refresh();
      // Focus stays on the moved item: the same button, or the other one at either end.
      var same = item.querySelector("[data-move=" + direction + "]");
      var other = item.querySelector("[data-move=" + (direction === "up" ? "down" : "up") + "]");
      (same.disabled ? other : same).focus();
      announce(item);
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button || !list.contains(button)) { return; }
      event.preventDefault();
      move(button.closest(".order-item"), button.getAttribute("data-move"));
    });

    // Drag and drop: an extra for mouse users; the buttons stay the way for everyone else.
    var dragged = null;
    items().forEach(function (item) {
      if (!item.querySelector("[data-move]")) { return; }
      item.draggable = true;
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("order-item--dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-item"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("order-item--dragged");
        dragged = null;
      });
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var over = event.target.closest(".order-item");
      if (!over || over === dragged) { return; }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var item = dragged;
      refresh();
      announce(item);
    });
  });
})();
