// Loads one of the app's browser scripts in node, with no page around it: the scripts give
// their pure functions to `window` and stop where they would need a document.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..", "..");

function loadScript(relative) {
  const window = {};
  const context = vm.createContext({ window, Intl, Array, Set, Math, JSON, String, Uint32Array });
  vm.runInContext(fs.readFileSync(path.join(ROOT, relative), "utf8"), context, { filename: relative });
  return window;
}

function readLines(relative) {
  return fs.readFileSync(path.join(ROOT, relative), "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
}

function readJson(relative) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), "utf8"));
}

module.exports = { ROOT, loadScript, readLines, readJson };
