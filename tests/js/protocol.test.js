// The page's side of the worker protocol (toolkit/protocol.js) under Node: request ids, replies,
// progress, errors, and a later request replacing an earlier one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { REPLIES, Superseded, WorkerError, createClient } from "../../toolkit/protocol.js";

// A client whose worker is this list: each message posted, with its transfer list.
function withWorker() {
  const sent = [];
  const client = createClient((message, transfer) => sent.push({ message, transfer }));
  return { client, sent };
}

const settled = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

test("each request gets its own id and is settled by the reply with that id, in any order", async () => {
  const { client, sent } = withWorker();
  const pupil = client.request({ type: "pupil", index: 3, context: "{}" });
  const trend = client.request({ type: "trend", request: "{}" });
  const [a, b] = sent.map((s) => s.message.id);
  assert.notEqual(a, b);
  assert.deepEqual(sent[0].message, { type: "pupil", index: 3, context: "{}", id: a });
  client.receive({ type: "trend", id: b, html: "<svg></svg>" });
  client.receive({ type: "pupil", id: a, html: "<h2>P3</h2>" });
  assert.equal((await pupil).html, "<h2>P3</h2>");
  assert.equal((await trend).html, "<svg></svg>");
  assert.equal(client.waiting(), 0);
});

test("a second file replaces the first: the first file's late result is dropped, the second's is shown", async () => {
  const { client, sent } = withWorker();
  const replaces = ["classify", "downloads"];
  const first = settled(client.request({ type: "classify", name: "first.csv" }, { replaces }));
  const second = client.request({ type: "classify", name: "second.csv" }, { replaces });
  const [one, two] = sent.map((s) => s.message.id);
  const { error } = await first;
  assert.ok(error instanceof Superseded);
  assert.equal(client.receive({ type: "result", id: one, overview: { source: { file: "first.csv" } } }), true);
  client.receive({ type: "result", id: two, overview: { source: { file: "second.csv" } } });
  assert.equal((await second).overview.source.file, "second.csv");
  assert.equal(client.waiting(), 0);
});

test("the first file's late result cannot settle the second file's request", async () => {
  const { client, sent } = withWorker();
  client.request({ type: "classify", name: "first.csv" }, { replaces: ["classify"] }).catch(() => {});
  const second = client.request({ type: "classify", name: "second.csv" }, { replaces: ["classify"] });
  client.receive({ type: "result", id: sent[0].message.id, overview: { source: { file: "first.csv" } } });
  assert.equal(client.waiting(), 1); // still waiting for the second file
  client.receive({ type: "result", id: sent[1].message.id, overview: { source: { file: "second.csv" } } });
  assert.equal((await second).overview.source.file, "second.csv");
});

test("a new file replaces only the kinds of request it names", async () => {
  const { client, sent } = withWorker();
  const pupil = client.request({ type: "pupil", index: 0, context: "{}" });
  const downloads = settled(client.request({ type: "downloads" }));
  client.request({ type: "classify", name: "next.csv" }, { replaces: ["classify", "downloads"] });
  assert.ok((await downloads).error instanceof Superseded);
  client.receive({ type: "pupil", id: sent[0].message.id, html: "<h2>P0</h2>" });
  assert.equal((await pupil).html, "<h2>P0</h2>");
});

test("progress goes to its own request, and a replaced request's progress is dropped", async () => {
  const { client, sent } = withWorker();
  const heard = { first: [], second: [] };
  client.request({ type: "classify" }, { replaces: ["classify"], onProgress: (m) => heard.first.push(m.step) }).catch(() => {});
  client.receive({ type: "progress", id: sent[0].message.id, step: "read", info: "{}" });
  client.request({ type: "classify" }, { replaces: ["classify"], onProgress: (m) => heard.second.push(m.step) });
  client.receive({ type: "progress", id: sent[0].message.id, step: "classified", info: "{}" });
  client.receive({ type: "progress", id: sent[1].message.id, step: "read", info: "{}" });
  assert.deepEqual(heard, { first: ["read"], second: ["read"] });
  assert.equal(client.waiting(), 1); // progress does not settle a request
});

test("an error reply rejects its request with the worker's words and the workbook's sheets", async () => {
  const { client, sent } = withWorker();
  const asked = settled(client.request({ type: "classify", name: "book.xlsx" }));
  client.receive({ type: "error", id: sent[0].message.id, text: "book.xlsx, row 3: no pupil number.", sheets: ["A", "B"] });
  const { error } = await asked;
  assert.ok(error instanceof WorkerError);
  assert.equal(error.message, "book.xlsx, row 3: no pupil number.");
  assert.deepEqual(error.sheets, ["A", "B"]);
});

test("messages without an id answer no request: the page shows them itself", () => {
  const { client } = withWorker();
  assert.equal(client.receive({ type: "status", text: "Starting Python" }), false);
  assert.equal(client.receive({ type: "error", text: "Something unexpected went wrong" }), false);
});

test("a reply of another kind than the request expects rejects it", async () => {
  const { client, sent } = withWorker();
  const asked = settled(client.request({ type: "pupil", index: 0, context: "{}" }));
  client.receive({ type: "trend", id: sent[0].message.id, html: "" });
  assert.match((await asked).error.message, /answered a pupil request with trend/);
});

test("a request the worker does not know is refused before it is sent", () => {
  const { client, sent } = withWorker();
  assert.throws(() => client.request({ type: "upload" }), /no request called upload/);
  assert.deepEqual(sent, []);
});

test("buffers to move go with the request, and every request has a reply kind", () => {
  const { client, sent } = withWorker();
  const buffer = new ArrayBuffer(8);
  client.request({ type: "classify", buffer }, { transfer: [buffer] });
  assert.deepEqual(sent[0].transfer, [buffer]);
  assert.deepEqual(Object.keys(REPLIES).sort(), ["classify", "downloads", "letters", "load", "log", "pupil", "trend"]);
});
