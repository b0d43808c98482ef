// Password lab: the same estimate as companion/catalogue/steps/password_lab.py, live.
// Nothing typed leaves the page except by the form's own POST; nothing is stored.
(function () {
  "use strict";

  var MAX_CHARS = 100, MAX_TOKEN = 32, TARGET_BITS = 80, GUESSES_PER_SECOND = 1e10;
  var POOLS = { lower: 26, upper: 26, digit: 10, other: 37 };
  var KINDS = ["lower", "upper", "digit", "other"];
  var SEPARATORS = " -_.";
  var FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ";
  var FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaceeeeiioouuuyaaaceeeeiioouuuy";
  var CAPITALS = FOLD_FROM.slice(26, 42);
  var YEAR_FIRST = 1900, YEAR_LAST = 2039, SECONDS_PER_YEAR = 31557600;

  function centibits(n) { return Math.floor(Math.log2(n) * 100 + 0.5); }
  function foldChar(c) { var i = FOLD_FROM.indexOf(c); return i < 0 ? c : FOLD_TO.charAt(i); }
  function fold(text) { return Array.from(text).map(foldChar).join(""); }
  function isCapital(c) { return (c >= "A" && c <= "Z") || CAPITALS.indexOf(c) >= 0; }
  function kindOf(c) {
    if (c >= "a" && c <= "z") { return "lower"; }
    if (c >= "A" && c <= "Z") { return "upper"; }
    if (c >= "0" && c <= "9") { return "digit"; }
    return "other";
  }
  function isRun(chars) {
    var steps = {}, count = 0;
    for (var k = 1; k < chars.length; k++) {
      var d = chars[k].codePointAt(0) - chars[k - 1].codePointAt(0);
      if (!(d in steps)) { steps[d] = true; count++; }
    }
    return count === 1 && (("-1" in steps) || ("0" in steps) || ("1" in steps));
  }
  function resist(bits) {
    var s = Math.pow(2, bits) / GUESSES_PER_SECOND;
    if (s < 1) { return ["now", 0]; }
    if (s < 60) { return ["seconds", Math.floor(s)]; }
    if (s < 3600) { return ["minutes", Math.floor(s / 60)]; }
    if (s < 86400) { return ["hours", Math.floor(s / 3600)]; }
    if (s < SECONDS_PER_YEAR) { return ["days", Math.floor(s / 86400)]; }
    if (s < 1e6 * SECONDS_PER_YEAR) { return ["years", Math.floor(s / SECONDS_PER_YEAR)]; }
    return ["forever", 0];
  }
  function toSet(list) { var set = new Set(); list.forEach(function (w) { if (w) { set.add(fold(w)); } }); return set; }

  // lists: {words: Set, leaked: Set, personal: Set} of folded entries.
  function estimate(text, lists) {
    var chars = Array.from(text);
    var truncated = chars.length > MAX_CHARS;
    chars = chars.slice(0, MAX_CHARS);
    var n = chars.length;
    var kinds = KINDS.filter(function (k) { return chars.some(function (c) { return kindOf(c) === k; }); });
    var pool = kinds.reduce(function (sum, k) { return sum + POOLS[k]; }, 0) || 1;
    var charCost = centibits(pool), brute = n * charCost;
    var folded = chars.map(foldChar);
    var wordCost = centibits(lists.words.size), leakedCost = centibits(lists.leaked.size);
    var yearCost = centibits(YEAR_LAST - YEAR_FIRST + 1);
    var best = [0], back = [[0, ""]];
    for (var i = 1; i <= n; i++) {
      best[i] = best[i - 1] + charCost;
      back[i] = [i - 1, "char"];
      for (var j = Math.max(0, i - MAX_TOKEN - 1); j < i - 2; j++) {
        var piece = folded.slice(j, i).join("");
        var capitals = chars.slice(j, i).some(isCapital) ? 100 : 0;
        var candidates = [], core = piece, extra = 0;
        if (SEPARATORS.indexOf(folded[i - 1]) >= 0 && i - j > 3) { core = folded.slice(j, i - 1).join(""); extra = 100; }
        if (lists.personal.has(core)) { candidates.push([100 + capitals + extra, "personal"]); }
        if (i - j - (extra ? 1 : 0) >= 4 && lists.leaked.has(core)) {
          candidates.push([leakedCost + capitals + extra, lists.words.has(core) ? "word" : "leaked"]);
        }
        if (lists.words.has(core)) { candidates.push([wordCost + capitals + extra, "word"]); }
        if (extra === 0 && i - j === 4 && /^[0-9]{4}$/.test(piece)) {
          var year = parseInt(piece, 10);
          if (year >= YEAR_FIRST && year <= YEAR_LAST) { candidates.push([yearCost, "year"]); }
        }
        if (extra === 0 && isRun(chars.slice(j, i))) { candidates.push([charCost + centibits(i - j), "pattern"]); }
        for (var c = 0; c < candidates.length; c++) {
          if (best[j] + candidates[c][0] < best[i]) { best[i] = best[j] + candidates[c][0]; back[i] = [j, candidates[c][1]]; }
        }
      }
    }
    var counts = { personal: 0, leaked: 0, word: 0, year: 0, pattern: 0, "char": 0 };
    for (var at = n; at > 0; at = back[at][0]) { counts[back[at][1]] += 1; }
    var bits = Math.floor((Math.min(brute, best[n]) + 50) / 100);
    var r = resist(bits);
    return {
      bits: bits, length: n, truncated: truncated, kinds: kinds, words: counts.word,
      personal: counts.personal > 0, leaked: counts.leaked > 0 || lists.leaked.has(folded.join("").trim()),
      years: counts.year, patterns: counts.pattern, resist_unit: r[0], resist_count: r[1]
    };
  }

  window.CompagnonPasswordLab = { estimate: estimate, toSet: toSet, target: TARGET_BITS };

  // Enhancement: show the analysis while typing, with the texts the server put in the page.
  var lab = document.querySelector("[data-password-lab]");
  if (!lab) { return; }
  var input = lab.querySelector("input[name=lab_text]");
  var out = lab.querySelector("[data-lab-live]");
  var texts = {};
  lab.querySelectorAll("[data-lab-text]").forEach(function (el) { texts[el.getAttribute("data-lab-text")] = el.textContent; });
  // The word lists come from one cached file; until it arrives the server's answer stands.
  var lists = null;
  var pool = [];
  fetch(lab.getAttribute("data-lists"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      pool = data.words;
      lists = {
        words: toSet(data.words),
        leaked: toSet(data.leaked),
        personal: toSet(lab.getAttribute("data-personal").split(" "))
      };
      if (input.value) { show(); }
    })
    .catch(function () { lists = null; });
  function say(key, n) { return (texts[key] || "").replace("{n}", String(n)); }
  function line(list, text, good) {
    var li = document.createElement("li");
    li.className = good ? "lab-reason lab-reason--good" : "lab-reason lab-reason--bad";
    li.textContent = (good ? "✔ " : "✘ ") + text;
    list.appendChild(li);
  }
  function show() {
    out.textContent = "";
    if (!input.value || !lists) { return; }
    var e = estimate(input.value, lists);
    var verdict = document.createElement("p");
    verdict.className = "lab-verdict " + (e.bits >= TARGET_BITS ? "lab-verdict--good" : "lab-verdict--bad");
    verdict.textContent = say(e.bits >= TARGET_BITS ? "strong" : "weak", e.bits);
    var meter = document.createElement("meter");
    meter.min = 0; meter.max = TARGET_BITS; meter.low = 50; meter.high = 79; meter.optimum = TARGET_BITS;
    meter.value = Math.min(e.bits, TARGET_BITS);
    meter.setAttribute("aria-label", texts.meter || "");
    var when = document.createElement("p");
    when.className = "lab-resist";
    var unit = e.resist_unit + (e.resist_count === 1 ? "-1" : "");
    when.textContent = say("resist", "") + " " + say(unit, e.resist_count);
    var list = document.createElement("ul");
    list.className = "lab-reasons";
    if (e.truncated) { line(list, say("truncated", 100), false); }
    line(list, say("length", e.length), e.length >= 12);
    line(list, say("kinds", e.kinds.length), e.kinds.length >= 3);
    if (e.words) { line(list, say(e.words === 1 ? "words-1" : "words", e.words), false); }
    if (e.personal) { line(list, say("personal"), false); }
    if (e.leaked) { line(list, say("leaked"), false); }
    if (e.years) { line(list, say("years"), false); }
    if (e.patterns) { line(list, say("patterns"), false); }
    [verdict, meter, when, list].forEach(function (el) { out.appendChild(el); });
  }
  var timer = null;
  input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(show, 150); });
  var server = lab.querySelector("[data-lab-server]");
  input.addEventListener("input", function () { if (server) { server.hidden = true; } }, { once: true });

  // Passphrase: draw words here, with the browser's random source, instead of asking the server.
  var draw = lab.querySelector("[data-lab-draw]");
  var drawn = lab.querySelector("[data-lab-drawn]");
  if (draw && drawn) {
    draw.addEventListener("click", function (event) {
      if (!pool.length) { return; }  // lists not loaded: the form asks the server instead
      event.preventDefault();
      var picks = new Uint32Array(7);
      window.crypto.getRandomValues(picks);
      drawn.textContent = "";
      Array.from(picks).forEach(function (x) {
        var li = document.createElement("li");
        li.textContent = pool[x % pool.length];
        drawn.appendChild(li);
      });
      drawn.hidden = false;
    });
  }
})();
