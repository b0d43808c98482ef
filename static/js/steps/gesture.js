// gesture step: watch the practice zone and say "Bravo" when the gesture is done. The
// keyboard's ways count too (arrow keys, Enter, the menu key, Ctrl and +). "Je continue"
// always works; without this file the page says it cannot see the gesture.
(function () {
  "use strict";

  var LONG_PRESS_MS = 600;

  function distance(a, b) {
    return Math.hypot(a.x - b.x, a.y - b.y);
  }

  function setUp(zone) {
    var form = zone.closest("form");
    var status = form.querySelector("[data-gesture-status]");
    var menu = zone.querySelector("[data-gesture-menu]");
    var target = zone.querySelector("[data-gesture-target]");
    var done = false;
    form.querySelector("[data-gesture-nojs]").hidden = true;
    form.querySelector("[data-gesture-js]").hidden = false;

    function succeed() {
      if (done) { return; }
      done = true;
      zone.classList.add("gesture-zone--done");
      if (menu) { menu.hidden = false; }
      status.textContent = status.getAttribute("data-success");
      status.classList.add("gesture-status--done");
    }
    function almost() {
      if (!done) { status.textContent = status.getAttribute("data-again"); }
    }

    var kinds = {
      scroll: function () {
        zone.addEventListener("scroll", function () {
          if (zone.scrollTop + zone.clientHeight >= zone.scrollHeight - 8) { succeed(); }
        });
      },
      swipe: function () {
        var photos = zone.querySelector("[data-gesture-photos]");
        var start = null;
        var seen = 1;
        var total = photos.children.length;
        function next(step) {
          zone.scrollBy({ left: step * zone.clientWidth * (document.dir === "rtl" ? -1 : 1) });
          seen += 1;
          if (seen >= total) { succeed(); }
        }
        zone.style.touchAction = "pan-y";
        zone.addEventListener("pointerdown", function (event) {
          start = { x: event.clientX, y: event.clientY };
        });
        zone.addEventListener("pointerup", function (event) {
          if (!start) { return; }
          var dx = event.clientX - start.x;
          start = null;
          if (Math.abs(dx) > 40) { next(dx < 0 ? 1 : -1); }
        });
        zone.addEventListener("keydown", function (event) {
          if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
            event.preventDefault();
            next(event.key === "ArrowRight" ? 1 : -1);
          }
        });
        zone.addEventListener("scroll", function () {
          if (Math.abs(zone.scrollLeft) + zone.clientWidth >= zone.scrollWidth - 8) { succeed(); }
        });
      },
      zoom: function () {
        var picture = zone.querySelector("[data-gesture-zoom]");
        var pointers = {};
        var first = null;
        function grow(scale) {
          picture.style.transform = "scale(" + Math.min(scale, 3) + ")";
          if (scale >= 1.5) { succeed(); }
        }
        zone.style.touchAction = "none";
        zone.addEventListener("pointerdown", function (event) {
          pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
          var ids = Object.keys(pointers);
          if (ids.length === 2) { first = distance(pointers[ids[0]], pointers[ids[1]]); }
        });
        zone.addEventListener("pointermove", function (event) {
          if (!pointers[event.pointerId]) { return; }
          pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
          var ids = Object.keys(pointers);
          if (ids.length === 2 && first) {
            grow(distance(pointers[ids[0]], pointers[ids[1]]) / first);
          }
        });
        function lift(event) {
          delete pointers[event.pointerId];
          first = null;
        }
        zone.addEventListener("pointerup", lift);
        zone.addEventListener("pointercancel", lift);
        // A computer's touchpad pinches as Ctrl + wheel; the keyboard zooms with Ctrl and +.
        zone.addEventListener("wheel", function (event) {
          if (event.ctrlKey && event.deltaY < 0) { grow(2); }
        }, { passive: true });
        document.addEventListener("keydown", function (event) {
          if ((event.ctrlKey || event.metaKey) && (event.key === "+" || event.key === "=")) {
            grow(2);
          }
        });
        if (window.visualViewport) {
          window.visualViewport.addEventListener("resize", function () {
            if (window.visualViewport.scale >= 1.5) { succeed(); }
          });
        }
      },
      long_press: function () {
        var timer = null;
        function stop() {
          if (timer) { clearTimeout(timer); timer = null; almost(); }
        }
        target.addEventListener("pointerdown", function () {
          timer = setTimeout(function () { timer = null; succeed(); }, LONG_PRESS_MS);
        });
        target.addEventListener("pointerup", stop);
        target.addEventListener("pointerleave", stop);
        // A right click, a long press on a phone, the menu key or Shift + F10.
        target.addEventListener("contextmenu", function (event) {
          event.preventDefault();
          if (timer) { clearTimeout(timer); timer = null; }
          succeed();
        });
      },
      double_click: function () {
        var last = 0;
        target.addEventListener("click", function (event) {
          var now = Date.now();
          // Enter or Space (detail 0) opens, as in a file window; two quick clicks or taps too.
          if (event.detail === 0 || event.detail >= 2 || now - last < 600) {
            succeed();
          } else {
            target.classList.add("gesture-target--chosen");
            almost();
          }
          last = now;
        });
      }
    };
    kinds[zone.getAttribute("data-gesture")]();
  }

  document.querySelectorAll("[data-gesture]").forEach(setUp);
})();
