// The worker (toolkit/worker.js) under Node, with a stand-in for attendtoolkit.browser.handle, which
// answers every request: each reply carries the request's id, progress carries it too, and a status
// line carries none (the page shows it whatever request is waiting).
import { test } from "node:test";
import assert from "node:assert/strict";
import { REPLIES } from "../../toolkit/protocol.js";

const posted = [];
globalThis.self = { postMessage: (message) => posted.push(message) }; // the worker's global, before it loads
const { answer } = await import("../../toolkit/worker.js");

// attendtoolkit.browser.handle, answering as the Python one does: JSON text of the reply, without its id.
const browser = {
  handle: (message, post) => {
    if (message.type === "classify") {
      post(JSON.stringify({ type: "status", text: "Classifying" }));
      post(JSON.stringify({ type: "progress", step: "read", info: JSON.stringify({ rows: 2, pupils: 1 }) }));
    }
    const type = REPLIES[message.type];
    return JSON.stringify(type ? { type } : { type: "error", text: `No request called '${message.type}'.` });
  },
};

test("the worker sends Python's reply to every request of the protocol with the request's id", () => {
  for (const type of Object.keys(REPLIES)) {
    assert.deepEqual(answer({ browser }, { type, id: 7 }), { type: REPLIES[type], id: 7 }, type);
  }
});

test("the worker's progress while a file is classified carries the request's id, its status line none", () => {
  posted.length = 0;
  answer({ browser }, { type: "classify", id: 12 });
  assert.deepEqual(posted, [
    { type: "status", text: "Classifying" },
    { type: "progress", id: 12, step: "read", info: JSON.stringify({ rows: 2, pupils: 1 }) },
  ]);
});

test("a request Python does not know is answered with Python's words and the request's id", () => {
  assert.deepEqual(answer({ browser }, { type: "nonsense", id: 3 }),
                   { type: "error", text: "No request called 'nonsense'.", id: 3 });
});
