// The calculator's Web Worker: runs Python (Pyodide, served by this site) off the main thread.
// The page starts it from the checked bytes of this file; its first request, "load", brings the
// assets folder, the manifest of file digests and the checked text of loader.js, which checks every
// other file and cuts this worker off from the network before Python starts (see there).
//
// Each request is answered by one reply with the request's id; the messages are typed in
// protocol.js (Request, Reply). Each request calls one function of attendtoolkit/browser.py.
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
  const { browser, config, policyText } = ready;
  return {
    ...ready, policyFile: config.policy_file,
    policy: JSON.parse(browser.policy_summary(policyText, config.policy_file)),
    letters: JSON.parse(browser.letter_titles(ready.lettersJson)),
  };
}

const bytes = (buffer) => (buffer ? new Uint8Array(buffer) : undefined);

// The reply to each request, from the started engine (`ready`); `id` is added when it is sent.
export const ANSWERS = {
  load: (ready) => ({ type: "ready", policy: ready.policy, letters: ready.letters }),
  classify: (ready, m, id) => {
    status("Classifying");
    const out = JSON.parse(ready.browser.classify_file(
      bytes(m.buffer), m.name, ready.policyText, ready.policyFile, m.asOf || null,
      bytes(m.log), m.logName || undefined, ready.lettersJson, m.dates || "dmy", m.phase || null,
      bytes(m.previous), m.previousName || undefined, m.since || null, m.sheet || null,
      (step, info) => self.postMessage({ type: "progress", id, step, info }),
    ));
    if (out.needs) throw new Error("This calculator has no Excel reader. Save the file as 'CSV UTF-8' and try again.");
    return out.ok
      ? { type: "result", view: out.view, overview: out.overview, queue: out.queue, sheets: out.sheets }
      : { type: "error", text: out.error, sheets: out.sheets };
  },
  downloads: (ready) => {
    const files = JSON.parse(ready.browser.download_files());
    return { type: "downloads", json: files.json, csv: files.csv, actionsCsv: files.actions_csv };
  },
  trend: (ready, m) => ({ type: "trend", html: ready.browser.trend_figure(m.request) }),
  pupil: (ready, m) => ({ type: "pupil", html: ready.browser.pupil_page(m.index, m.context) }),
  log: (ready, m) => ({ type: "log", csv: ready.browser.letter_log_file(JSON.stringify(m.chosen), m.day) }),
  letters: (ready, m) => {
    status("Preparing letters");
    const out = JSON.parse(ready.browser.render_letters(null, JSON.stringify(m.school), ready.lettersJson, m.only || null,
                                                        m.chosen ? JSON.stringify(m.chosen) : null));
    return out.ok
      ? { type: "letters", html: out.html, mergeCsv: out.merge_csv, count: out.count, pupils: out.pupils }
      : { type: "error", text: out.error };
  },
};

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
    const ready = await engine;
    const answer = ANSWERS[message.type];
    if (!answer) throw new Error(`The calculator's worker has no request called ${message.type}.`);
    self.postMessage({ ...answer(ready, message, message.id), id: message.id });
  } catch (err) {
    engine = null; // start Python again for the next file, from the bytes already held
    const text = err && err.type // a Python exception the engine did not turn into a message
      ? `Something unexpected went wrong in the calculator (${err.type}). It will restart for the next file: ` +
        "try again, and tell the site's owner if it happens again."
      : String((err && err.message) || err);
    self.postMessage({ type: "error", id: message.id, text });
  }
};
