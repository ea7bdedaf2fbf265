// The calculator's Web Worker: runs Python (Pyodide, served by this site) off the main thread.
// The page starts it from the checked bytes of this file; its first request, "load", brings the
// assets folder, the manifest of file digests and the checked text of loader.js, which checks every
// other file and cuts this worker off from the network before Python starts (see there).
//
// Each request is answered by one reply with the request's id; the messages are typed in
// protocol.js (Request, Reply). Python answers every request: attendtoolkit.browser.handle.
// (python-calamine, the Excel reader, is loaded with the engine: see hooks/calculator_assets.py)

/** @typedef {import("./protocol.js").Request} Request */
/** @typedef {import("./protocol.js").Reply} Reply */

let assets = null; // {base, manifest, loader: the loader module}
let engine = null;

function status(text) {
  self.postMessage({ type: "status", text });
}

async function start() {
  const ready = await assets.loader.loadEngine(assets.base, assets.manifest, status);
  ready.browser.start(ready.policyText, ready.config.policy_file, ready.lettersJson);
  return ready;
}

/**
 * The reply to `message` from the started engine (attendtoolkit.browser.handle), with the request's
 * id; the messages on the way are posted as they come: progress with the id, status without.
 * @param {Request & {id: number}} message
 * @returns {Reply}
 */
export function answer(ready, message) {
  const post = (text) => {
    const sent = JSON.parse(text);
    self.postMessage(sent.type === "progress" ? { ...sent, id: message.id } : sent);
  };
  return { ...JSON.parse(ready.browser.handle(message, post)), id: message.id };
}

self.onmessage = async (event) => {
  /** @type {Request & {id: number}} */
  const message = event.data;
  try {
    if (!assets) {
      const url = URL.createObjectURL(new Blob([message.loader], { type: "text/javascript" }));
      assets = { base: message.base, manifest: message.manifest, loader: await import(url) };
      URL.revokeObjectURL(url);
    }
    if (!engine) engine = start();
    self.postMessage(answer(await engine, message));
  } catch (err) {
    engine = null; // start Python again for the next file, from the bytes already held
    const text = err && err.type // a Python exception the engine did not turn into a message
      ? `Something unexpected went wrong in the calculator (${err.type}). It will restart for the next file: ` +
        "try again, and tell the site's owner if it happens again."
      : String((err && err.message) || err);
    self.postMessage({ type: "error", id: message.id, text });
  }
};
