// Password lab: the same estimate as companion/catalogue/steps/password_lab.py, live.
// Nothing typed leaves the page except by the form's own POST; nothing is stored.
(function () {
  "use strict";

  var MAX_CHARS = 100, MAX_TOKEN = 32, TARGET_BITS = 80, GUESSES_PER_SECOND = 1e10;
  var POOLS = { lower: 26, upper: 26, digit: 10, other: 37 };
  var KINDS = ["lower", "upper", "digit", "other"];
  var SEPARATORS = " -_.";
  var MIN_WORD = 4;
  var FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ";
  var FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaceeeeiioouuuyaaaceeeeiioouuuy";
  var CAPITALS = FOLD_FROM.slice(26, 42);
  var YEAR_FIRST = 1900, YEAR_LAST = 2039, SECONDS_PER_YEAR = 31557600;
  var GOOD_LENGTH = 12, GOOD_LENGTH_THREE_KINDS = 14, PASSPHRASE_WORDS = 7;
  var LETTER = /\p{L}/u;

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
  function capitalsCost(piece) {
    var capitals = piece.filter(function (c) { return SEPARATORS.indexOf(c) < 0; }).map(isCapital);
    if (!capitals.some(Boolean)) { return 0; }
    if (capitals.every(Boolean) || (capitals[0] && !capitals.slice(1).some(Boolean))) { return 100; }
    return 100 * capitals.length;
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
  function strip(text) { return text.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, ""); }
  function isLeaked(folded, leaked) {
    var whole = strip(folded);
    if (leaked.has(whole)) { return true; }
    var core = Array.from(whole).filter(function (c) { return c >= "a" && c <= "z"; }).join("");
    return core.length >= 4 && leaked.has(core);
  }
  function countTokens(folded) {
    var count = 0, token = false;
    Array.from(folded + " ").forEach(function (c) {
      if (SEPARATORS.indexOf(c) >= 0) { if (token) { count++; } token = false; }
      else if (LETTER.test(c)) { token = true; }
    });
    return count;
  }

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
        var capitals = capitalsCost(chars.slice(j, i));
        var candidates = [], core = piece, extra = 0;
        if (SEPARATORS.indexOf(folded[i - 1]) >= 0 && i - j > 3) { core = folded.slice(j, i - 1).join(""); extra = 100; }
        if (lists.personal.has(core)) { candidates.push([100 + capitals + extra, "personal"]); }
        // A leaked password inside a longer text is a known piece, like a word.
        if (i - j - (extra ? 1 : 0) >= 4 && lists.leaked.has(core)) { candidates.push([leakedCost + capitals + extra, "word"]); }
        if (Array.from(core).length >= MIN_WORD && lists.words.has(core)) { candidates.push([wordCost + capitals + extra, "word"]); }
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
    var counts = { personal: 0, word: 0, year: 0, pattern: 0, "char": 0 };
    for (var at = n; at > 0; at = back[at][0]) { counts[back[at][1]] += 1; }
    var bits = Math.floor((Math.min(brute, best[n]) + 50) / 100);
    var r = resist(bits);
    var joined = folded.join("");
    return {
      bits: bits, length: n, truncated: truncated, kinds: kinds, words: counts.word,
      tokens: countTokens(joined), personal: counts.personal > 0,
      leaked: isLeaked(joined, lists.leaked), years: counts.year, patterns: counts.pattern,
      resist_unit: r[0], resist_count: r[1]
    };
  }

  // The lines under the meter, as [text key, number, good]: see reasons() in Python.
  function reasons(e, mode) {
    var kinds = e.kinds.length, out = [];
    if (e.truncated) { out.push(["truncated", MAX_CHARS, false]); }
    out.push(["length", e.length, e.length >= GOOD_LENGTH]);
    if (mode === "passphrase") {
      out.push(["tokens", e.tokens, e.tokens >= PASSPHRASE_WORDS]);
    } else {
      out.push(["kinds", kinds, kinds === KINDS.length || (kinds >= KINDS.length - 1 && e.length >= GOOD_LENGTH_THREE_KINDS)]);
      if (e.words) { out.push(["words", e.words, false]); }
    }
    [["personal", e.personal], ["leaked", e.leaked], ["years", e.years > 0], ["patterns", e.patterns > 0]]
      .forEach(function (pair) { if (pair[1]) { out.push([pair[0], 0, false]); } });
    if (e.bits >= TARGET_BITS) { out = out.filter(function (line) { return line[2]; }); }
    return out;
  }

  var root = typeof window !== "undefined" ? window : globalThis;
  root.CompagnonPasswordLab = { estimate: estimate, reasons: reasons, toSet: toSet, target: TARGET_BITS };
  if (typeof document === "undefined") { return; }  // loaded by node for the tests

  // Enhancement: show the analysis while typing, with the texts the server put in the page.
  var lab = document.querySelector("[data-password-lab]");
  if (!lab) { return; }
  var input = lab.querySelector("input[name=lab_text]");
  var out = lab.querySelector("[data-lab-live]");
  var mode = lab.getAttribute("data-mode") || "password";
  // Every text of the lab as a whole sentence, in each plural form of the page's language
  // (the server wrote them with "{n}" where the number goes).
  var texts = {};
  lab.querySelectorAll("[data-lab-text]").forEach(function (el) {
    var key = el.getAttribute("data-lab-text");
    texts[key] = texts[key] || {};
    texts[key][el.getAttribute("data-plural") || "other"] = el.textContent;
  });
  var plurals = new Intl.PluralRules(document.documentElement.lang || "fr");
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
  function say(key, n) {
    var forms = texts[key] || {};
    // gettext puts 0 in "zero" where the language has it, else in the plural ("other").
    var form = n === 0 ? (forms.zero ? "zero" : "other") : plurals.select(n);
    return (forms[form] || forms.other || "").split("{n}").join(String(n));
  }
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
    meter.setAttribute("aria-label", say("meter", 0));
    var when = document.createElement("p");
    when.className = "lab-resist";
    when.textContent = say("resist-" + e.resist_unit, e.resist_count);
    var list = document.createElement("ul");
    list.className = "lab-reasons";
    reasons(e, mode).forEach(function (r) { line(list, say(r[0], r[1]), r[2]); });
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
