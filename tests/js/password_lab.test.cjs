// The password lab's script on the shared table tests/fixtures/password_cases.json.
//   node --test tests/js/            checks every expected verdict and line of the table
//   node tests/js/password_lab.test.cjs   prints what the script computes for every case (JSON),
//                                    which tests/unit/test_password_strength.py compares
//                                    with the server's estimate.
"use strict";
const { loadScript, readLines, readJson } = require("./load.cjs");

const lab = loadScript("static/js/steps/password_lab.js").CompagnonPasswordLab;
const words = readLines("companion/catalogue/data/common-words.txt");
const leaked = readLines("companion/catalogue/data/leaked-passwords.txt");
const table = readJson("tests/fixtures/password_cases.json");

function compute(entry) {
  const sets = { words: lab.toSet(words), leaked: lab.toSet(leaked), personal: lab.toSet(entry.personal || []) };
  const e = lab.estimate(entry.text, sets);
  // Plain objects of this realm (the script runs in its own context).
  return JSON.parse(JSON.stringify({ estimate: e, reasons: lab.reasons(e, entry.mode || "password") }));
}

if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  process.stdout.write(JSON.stringify(table.cases.map(compute)));
} else {
  const test = require("node:test");
  const assert = require("node:assert");
  for (const entry of table.cases) {
    test(`lab: ${entry.text.slice(0, 40)} (${entry.mode || "password"})`, () => {
      const got = compute(entry);
      if ("strong" in entry) { assert.strictEqual(got.estimate.bits >= lab.target, entry.strong); }
      if ("leaked" in entry) { assert.strictEqual(got.estimate.leaked, entry.leaked); }
      if ("reasons" in entry) { assert.deepStrictEqual(got.reasons, entry.reasons); }
    });
  }
}
