// The calculator's Web Worker: runs Python (Pyodide, served by this site) off the main thread.
// The page starts it from the checked bytes of this file and sends, first, the assets folder, the
// manifest of file digests and the checked text of loader.js, which checks every other file and
// cuts this worker off from the network before Python starts (see there).
// Messages in:  {type: "load", base, manifest, loader}
//               | {type: "classify", buffer, name, asOf, log, logName, dates, phase, previous, previousName, since, sheet}
//                 (previous: last year's register; since: the date the worklist compares with, or null;
//                  sheet: the workbook sheet to read, or null for the first)
//               | {type: "letters", json, school, only, chosen}   (chosen: [[pupil_id, letter]] ticked in the queue, or null)
//               | {type: "log", chosen, day}      (the letter log to keep: the log read with the file and these as sent on day)
//               | {type: "pupil", index, context}   (pupil number in the last result; JSON text of {policy, as_of, source, letter_titles})
//               | {type: "trend", request}          (JSON text of {weeks, series, group, previous, previous_weeks})
// Messages out: {type: "status", text} | {type: "ready", policy, letters}
//               | {type: "progress", step, info}   (while a file is classified: step "read", "headline", "classified",
//                 "preparing"; info: JSON text, for "headline" {html: the results' heading and summary cards, first figures})
//               | {type: "result", view, overview, queue, sheets}   (view: {results: HTML, rows: [HTML], index, groups, stages};
//                 overview: the result without its pupils, so the page never parses the whole JSON text;
//                 queue: the letter queue's groups)
//               | {type: "downloads", json, csv, actionsCsv}   (the CLI's outputs, sent once the results are shown)
//               | {type: "letters", html, mergeCsv, count, pupils} | {type: "pupil", html} | {type: "trend", html}
//               | {type: "log", csv}
//               | {type: "error", text, sheets}
//               (result and error carry sheets: a workbook's sheet names, for the sheet chooser; absent for CSV)
// (python-calamine, the Excel reader, is loaded with the engine: see hooks/calculator_assets.py)

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

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (!assets) {
      const url = URL.createObjectURL(new Blob([message.loader], { type: "text/javascript" }));
      assets = { base: message.base, manifest: message.manifest, loader: await import(url) };
      URL.revokeObjectURL(url);
    }
    if (!engine) engine = start();
    const ready = await engine;
    if (message.type === "load") {
      self.postMessage({ type: "ready", policy: ready.policy, letters: ready.letters });
    } else if (message.type === "classify") {
      status("Classifying");
      const out = JSON.parse(ready.browser.classify_file(
        new Uint8Array(message.buffer), message.name, ready.policyText, ready.policyFile, message.asOf || null,
        message.log ? new Uint8Array(message.log) : undefined, message.logName || undefined, ready.lettersJson,
        message.dates || "dmy", message.phase || null,
        message.previous ? new Uint8Array(message.previous) : undefined, message.previousName || undefined,
        message.since || null, message.sheet || null, (step, info) => self.postMessage({ type: "progress", step, info }),
      ));
      if (out.needs) throw new Error("This calculator has no Excel reader. Save the file as 'CSV UTF-8' and try again.");
      if (out.ok) {
        self.postMessage({ type: "result", view: out.view, overview: out.overview, queue: out.queue, sheets: out.sheets });
        const files = JSON.parse(ready.browser.download_files()); // after the results are on the page
        self.postMessage({ type: "downloads", json: files.json, csv: files.csv, actionsCsv: files.actions_csv });
      } else self.postMessage({ type: "error", text: out.error, sheets: out.sheets });
    } else if (message.type === "trend") {
      self.postMessage({ type: "trend", html: ready.browser.trend_figure(message.request) });
    } else if (message.type === "pupil") {
      self.postMessage({ type: "pupil", html: ready.browser.pupil_page(message.index, message.context) });
    } else if (message.type === "log") {
      self.postMessage({ type: "log", csv: ready.browser.letter_log_file(JSON.stringify(message.chosen), message.day) });
    } else if (message.type === "letters") {
      status("Preparing letters");
      const out = JSON.parse(ready.browser.render_letters(null, JSON.stringify(message.school),
                                                          ready.lettersJson, message.only || null,
                                                          message.chosen ? JSON.stringify(message.chosen) : null));
      if (out.ok) {
        self.postMessage({ type: "letters", html: out.html, mergeCsv: out.merge_csv, count: out.count, pupils: out.pupils });
      } else self.postMessage({ type: "error", text: out.error });
    }
  } catch (err) {
    engine = null; // start Python again for the next file, from the bytes already held
    const text = err && err.type // a Python exception the engine did not turn into a message
      ? `Something unexpected went wrong in the calculator (${err.type}). It will restart for the next file: ` +
        "try again, and tell the site's owner if it happens again."
      : String((err && err.message) || err);
    self.postMessage({ type: "error", text });
  }
};
