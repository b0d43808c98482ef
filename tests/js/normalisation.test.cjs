// Typed answers checked on the device (static/js/offline.js) on the table the server's tests
// read too: tests/fixtures/normalisation_cases.json. Run: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const { loadScript, readJson } = require("./load.cjs");

const answers = loadScript("static/js/offline.js").CompagnonAnswers;
const table = readJson("tests/fixtures/normalisation_cases.json");

for (const [text, expected] of table.words) {
  test(`words of ${JSON.stringify(text)}`, () => {
    assert.deepStrictEqual(Array.from(answers.answerWords(text)), expected);
  });
}

for (const entry of table.accepts) {
  test(`${JSON.stringify(entry.typed)} for ${JSON.stringify(entry.accepted)}: ${entry.why}`, () => {
    assert.strictEqual(answers.accepts(entry.typed, entry.accepted), entry.expected);
  });
}
