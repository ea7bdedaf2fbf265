// The worker's answers (toolkit/worker.js) under Node, with a stand-in for the Python engine: each
// request of the protocol gets the reply the page's client expects, and progress carries the id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { REPLIES } from "../../toolkit/protocol.js";

const posted = [];
globalThis.self = { postMessage: (message) => posted.push(message) }; // the worker's global, before it loads
const { ANSWERS } = await import("../../toolkit/worker.js");

// attendtoolkit.browser's functions, answering as the Python ones do (JSON text or HTML).
const browser = {
  classify_file: (...args) => {
    args.at(-1)("read", JSON.stringify({ rows: 2, pupils: 1 }));
    return JSON.stringify({ ok: true, view: { results: "" }, overview: { source: { file: args[1] } }, queue: [] });
  },
  download_files: () => JSON.stringify({ json: "{}", csv: "pupil_id\r\n", actions_csv: "pupil_id\r\n" }),
  trend_figure: () => "<figure></figure>",
  pupil_page: (index) => `<h2>Pupil ${index}</h2>`,
  letter_log_file: () => "pupil_id,letter,date\r\n",
  render_letters: () => JSON.stringify({ ok: true, html: "<p>Dear</p>", merge_csv: "", count: 1, pupils: 1 }),
};
const ready = { browser, policy: { name: "DfE" }, letters: {}, policyText: "", policyFile: "dfe.toml", lettersJson: "{}" };

const REQUESTS = {
  load: { type: "load" },
  classify: { type: "classify", buffer: new ArrayBuffer(4), name: "school.csv", dates: "dmy" },
  downloads: { type: "downloads" },
  letters: { type: "letters", school: {}, only: null, chosen: [["P1", "first_concern"]] },
  log: { type: "log", chosen: [["P1", "first_concern"]], day: "2024-12-20" },
  pupil: { type: "pupil", index: 2, context: "{}" },
  trend: { type: "trend", request: "{}" },
};

test("the worker answers every request of the protocol with the reply the page expects", () => {
  assert.deepEqual(Object.keys(ANSWERS).sort(), Object.keys(REPLIES).sort());
  for (const [type, message] of Object.entries(REQUESTS)) {
    assert.equal(ANSWERS[type](ready, message, 7).type, REPLIES[type], type);
  }
});

test("the worker's progress while a file is classified carries the request's id", () => {
  posted.length = 0;
  const reply = ANSWERS.classify(ready, REQUESTS.classify, 12);
  assert.equal(reply.overview.source.file, "school.csv");
  assert.deepEqual(posted.filter((m) => m.type === "progress"),
                   [{ type: "progress", id: 12, step: "read", info: JSON.stringify({ rows: 2, pupils: 1 }) }]);
});

test("a file the engine cannot read is answered with its words and the workbook's sheets", () => {
  const failing = { ...ready, browser: { ...browser, classify_file: () => JSON.stringify({ ok: false, error: "No pupils.", sheets: ["A"] }) } };
  assert.deepEqual(ANSWERS.classify(failing, REQUESTS.classify, 1), { type: "error", text: "No pupils.", sheets: ["A"] });
});
