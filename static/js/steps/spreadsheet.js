// Spreadsheet step: live results, arrow keys and Enter between cells, sorting in place.
// Progressive enhancement only: without this file the grid is a plain form that the server
// evaluates ("Calculer", sort buttons, "Je vérifie"). The server stays the only evaluator:
// this script asks it to recalculate and copies the results into the page.
(function () {
  "use strict";

  var wrap = document.querySelector("[data-sheet]");
  if (!wrap) { return; }
  var form = wrap.closest("form");
  if (!form) { return; }

  function inputs() {
    return Array.prototype.slice.call(wrap.querySelectorAll(".sheet__input"));
  }

  function at(row, col) {
    return wrap.querySelector('.sheet__input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  // The nearest cell to fill in one direction, skipping cells that are given.
  function neighbour(input, dRow, dCol) {
    var row = parseInt(input.getAttribute("data-row"), 10);
    var col = parseInt(input.getAttribute("data-col"), 10);
    for (var step = 1; step < 20; step += 1) {
      var next = at(row + dRow * step, col + dCol * step);
      if (next) { return next; }
    }
    return null;
  }

  function focusCell(input) {
    input.focus();
    input.select();
  }

  wrap.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("sheet__input")) { return; }
    var rtl = getComputedStyle(input).direction === "rtl";
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var target = null;
    if (event.key === "ArrowUp") { target = neighbour(input, -1, 0); }
    else if (event.key === "ArrowDown") { target = neighbour(input, 1, 0); }
    else if (event.key === "ArrowLeft" && (atStart || input.value === "")) { target = neighbour(input, 0, rtl ? 1 : -1); }
    else if (event.key === "ArrowRight" && (atEnd || input.value === "")) { target = neighbour(input, 0, rtl ? -1 : 1); }
    else if (event.key === "Enter") {
      // As in a spreadsheet, Enter validates the cell and goes down; after the last cell,
      // it goes to the "Je vérifie" button.
      event.preventDefault();
      recalc();
      var all = inputs();
      target = neighbour(input, 1, 0) || all[all.indexOf(input) + 1] || null;
      if (!target) {
        var check = form.querySelector("button[name=check]");
        if (check) { check.focus(); }
        return;
      }
    }
    if (target) {
      event.preventDefault();
      focusCell(target);
    }
  });

  // Where the grid is wider than the phone: without this script it opens on the first column
  // to fill (CSS scroll-initial-target); here it moves only as far as the cells to fill need,
  // so that the row numbers and names stay in view whenever they can.
  function showCellsToFill() {
    var fills = inputs();
    if (!fills.length) { return; }
    wrap.scrollLeft = 0;
    var area = wrap.getBoundingClientRect();
    var low = Infinity;
    var high = -Infinity;
    fills.forEach(function (input) {
      var box = input.closest("td").getBoundingClientRect();
      low = Math.min(low, box.left);
      high = Math.max(high, box.right);
    });
    if (getComputedStyle(wrap).direction === "rtl") {
      if (low < area.left) { wrap.scrollLeft -= Math.min(area.left - low, area.right - high); }
    } else if (high > area.right) {
      wrap.scrollLeft += Math.min(high - area.right, low - area.left);
    }
  }
  showCellsToFill();

  // The formula bar shows the selected cell in full, as a spreadsheet's does: without this
  // script it lists every cell to fill; here one line follows the focus and the typing.
  var bar = form.querySelector("[data-sheet-bar]");
  var barLine = bar ? bar.querySelector("[data-bar-cell]") : null;
  function showInBar(name, content) {
    if (!barLine) { return; }
    barLine.querySelector(".sheet-bar__name").textContent = name;
    barLine.querySelector(".sheet-bar__content").textContent = content;
  }
  if (barLine) {
    bar.querySelectorAll("[data-bar-cell]").forEach(function (line) {
      line.hidden = line !== barLine;
    });
    wrap.addEventListener("focusin", function (event) {
      var input = event.target;
      if (input.classList && input.classList.contains("sheet__input")) {
        showInBar(input.closest("[data-cell]").getAttribute("data-cell"), input.value);
      }
    });
    wrap.addEventListener("input", function (event) {
      var input = event.target;
      if (input.classList && input.classList.contains("sheet__input") && input === document.activeElement) {
        showInBar(input.closest("[data-cell]").getAttribute("data-cell"), input.value);
      }
    });
    // A given cell, tapped: its formula or value.
    wrap.addEventListener("click", function (event) {
      var cell = event.target.closest ? event.target.closest("[data-raw]") : null;
      if (cell) { showInBar(cell.getAttribute("data-cell"), cell.getAttribute("data-raw")); }
    });
  }

  // Ask the server to evaluate the grid, without recording an answer.
  var pending = null;
  var timer = null;
  function post(extra) {
    var data = new FormData(form);
    data.delete("check");
    Object.keys(extra).forEach(function (key) { data.set(key, extra[key]); });
    if (pending) { pending.abort(); }
    pending = new AbortController();
    return fetch(window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("recalc failed"); }
      return response.text();
    }).then(function (html) {
      return new DOMParser().parseFromString(html, "text/html");
    });
  }

  function copyResults(doc) {
    doc.querySelectorAll("[data-cell]").forEach(function (fresh) {
      var cell = wrap.querySelector('[data-cell="' + fresh.getAttribute("data-cell") + '"]');
      if (!cell) { return; }
      cell.className = fresh.className;
      ["sheet__result", "sheet__value", "sheet__flag"].forEach(function (name) {
        var now = cell.querySelector("." + name);
        var next = fresh.querySelector("." + name);
        if (now && next) {
          now.textContent = next.textContent;
          now.hidden = next.hidden;
        }
      });
    });
    var notes = form.querySelector("[data-sheet-notes]");
    var freshNotes = doc.querySelector("[data-sheet-notes]");
    if (notes && freshNotes) { notes.innerHTML = freshNotes.innerHTML; }
  }

  function recalc() {
    window.clearTimeout(timer);
    post({ action: "recalc" }).then(copyResults).catch(function () { /* keep the form */ });
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("sheet__input")) {
      window.clearTimeout(timer);
      timer = window.setTimeout(recalc, 350);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "rule") {
      form.querySelectorAll("input[name=rule]").forEach(function (radio) {
        radio.closest(".choice").classList.toggle("choice--picked", radio.checked);
      });
      recalc();
    }
  });

  // Calculating happens as you type: the buttons that only show results are not needed.
  form.querySelectorAll(".sheet__recalc").forEach(function (button) { button.hidden = true; });

  // Sort buttons: the server sorts, the new rows replace the old ones in place.
  form.querySelectorAll("button[name=sort]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      post({ sort: button.value }).then(function (doc) {
        var freshWrap = doc.querySelector("[data-sheet]");
        var order = doc.querySelector("input[name=order]");
        if (freshWrap) { wrap.innerHTML = freshWrap.innerHTML; }
        if (order) { form.querySelector("input[name=order]").value = order.value; }
        copyResults(doc);
      }).catch(function () { form.requestSubmit(button); });
    });
  });
}());
