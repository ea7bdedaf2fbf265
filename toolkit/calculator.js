// The calculator page: reads the register file on this device and hands it to the Web Worker,
// which runs the attendtoolkit engine in Python. Nothing is sent anywhere.
//
// This module starts the worker (worker_client.js) and runs a file through it; each part of the
// page is a module of its own: the form (file_form.js), the status line (status.js), the results
// (results.js, pupil_table.js, pupil_dialog.js, downloads.js), the letters (letter_queue.js,
// letters.js, school_details.js). The messages are typed in protocol.js.

import { $, counted, number, seconds } from "./dom.js";
import { fetchDownloads } from "./downloads.js";
import { classifyRequest, initFileForm, showSheets, sinceHint } from "./file_form.js";
import { renderQueue } from "./letter_queue.js";
import { initLetters, letterChoices } from "./letters.js";
import { Superseded } from "./protocol.js";
import { fileProblem, firstFigures, initResults, showResults } from "./results.js";
import { initSchoolDetails } from "./school_details.js";
import { session } from "./session.js";
import { doneStatus, setStatus, showError, showProgress } from "./status.js";
import { startEngine } from "./worker_client.js";

const started = performance.now();
const assets = new URL("./", import.meta.url);
const manifest = JSON.parse($("atk-manifest").textContent);

// Messages that answer no request: the steps of the worker's start, and errors outside any request.
function onOther(m) {
  if (m.type === "status") {
    performance.mark(`atk-status: ${m.text}`); // benchmarks/browser.py times each step of the cold start
    setStatus(m.text);
  } else if (m.type === "error") showError(m.text);
}

const { engine, ready } = startEngine(assets, manifest, { onOther, onCrash: showError });
session.engine = engine;
ready.then((m) => {
  letterChoices(m.letters);
  $("atk-policy").textContent = m.policy.name;
  $("atk-policy").dataset.stageWord = m.policy.stage_word;
  setStatus(`Ready (${seconds(performance.now() - started)}). Choose your register file.`, true);
}, (err) => showError(err.message));

// The worker's steps while a file is classified, on the progress bar.
function showStep(m) {
  const info = JSON.parse(m.info);
  if (m.step === "read") showProgress(20, `Read ${counted(info.rows, "row")}: ${counted(info.pupils, "pupil")}`);
  else if (m.step === "classified") {
    showProgress(20 + 65 * info.done / info.total, `Pupils classified: ${number(info.done)} of ${number(info.total)}`);
  } else if (m.step === "preparing") showProgress(85, "Preparing the worklist, tables and chart");
  else if (m.step === "headline") firstFigures(info.html);
}

let chosen = 0; // files chosen so far: only the last one's results are shown

async function classify(file) {
  const ticket = ++chosen;
  const timing = performance.now();
  performance.mark("atk-file-chosen");
  setStatus(`Reading ${file.name}`);
  showProgress(5, `Reading ${file.name}`);
  const { message, transfer } = await classifyRequest(file);
  if (ticket !== chosen) return; // another file was chosen while this one was read
  setStatus("Classifying");
  let m;
  try {
    // A new file replaces every request about the last one still waiting for its reply.
    m = await engine.request(message, { transfer, onProgress: showStep,
                                        replaces: ["classify", "downloads", "pupil", "trend", "letters", "log"] });
  } catch (err) {
    if (!(err instanceof Superseded)) fileProblem(err.message, err.sheets);
    return;
  }
  showProgress(null);
  const data = m.overview; // the result without its pupils: parsing the whole JSON here would freeze the page
  session.current = { data, view: m.view, name: data.source.file, queue: m.queue };
  fetchDownloads(session.current); // written by the worker while the page shows the results
  showSheets(m.sheets);
  const sheet = m.sheets && m.sheets.length > 1 ? ` from the sheet '${data.source.sheet}'` : "";
  const done = doneStatus({ pupils: data.totals.pupils, rejected: data.rejected.length, sheet,
                            ms: performance.now() - timing });
  setStatus(done.text, true, done.link && { href: "#atk-checks-heading", text: done.link, after: done.after });
  showResults();
  $("atk-letters-log-note").textContent = data.letter_log.note;
  sinceHint(data.worklist.since);
  // the letter queue (hundreds of ticked boxes for a school) is drawn in a task of its own, so
  // the page answers between the results and the queue (benchmarks/browser.py: longest task)
  setTimeout(() => renderQueue(m.queue));
}

initFileForm(classify);
initResults();
initSchoolDetails();
initLetters();
