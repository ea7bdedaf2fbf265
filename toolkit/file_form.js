// The register form: the file chooser and drop zone, the options read with the file, the
// workbook's sheet chooser and the hint of "Changes since".

import { $, el, longDate } from "./dom.js";

const OPTIONS = ["atk-as-of", "atk-since", "atk-letters-sent", "atk-dates", "atk-phase-choice", "atk-previous", "atk-sheet"];
let chosenFile = null; // the register file last chosen or dropped, read again when an option changes

/** Call `read(file)` for each register chosen or dropped, and again for it when an option changes. */
export function initFileForm(read) {
  const choose = (file) => {
    chosenFile = file;
    showSheets(null); // a new workbook's sheets are not the last one's: its first sheet is read
    read(file);
  };
  const input = $("atk-file");
  input.addEventListener("change", () => { if (input.files.length) choose(input.files[0]); });
  for (const id of OPTIONS) $(id).addEventListener("change", () => { if (chosenFile) read(chosenFile); });
  // A file dropped outside the drop zone must not make the browser open it instead.
  for (const type of ["dragover", "drop"]) document.addEventListener(type, (e) => e.preventDefault());
  const drop = $("atk-drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("atk-over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("atk-over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("atk-over");
    if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
  });
  const hint = $("atk-since-hint");
  hint.dataset.text = hint.textContent.replace(/\s+/g, " ").trim();
}

/**
 * The classify request for `file` with the options on the form (protocol.js ClassifyRequest), and
 * the buffers to move to the worker with it.
 */
export async function classifyRequest(file) {
  const buffer = await file.arrayBuffer();
  const logFile = $("atk-letters-sent").files[0];
  const log = logFile ? await logFile.arrayBuffer() : null;
  const lastYearFile = $("atk-previous").files[0];
  const previous = lastYearFile ? await lastYearFile.arrayBuffer() : null;
  const message = {
    type: "classify", buffer, name: file.name, asOf: $("atk-as-of").value || null,
    log, logName: logFile ? logFile.name : null, dates: $("atk-dates").value,
    phase: $("atk-phase-choice").value || null,
    previous, previousName: lastYearFile ? lastYearFile.name : null,
    since: $("atk-since").value || null, sheet: $("atk-sheet").value || null,
  };
  return { message, transfer: [buffer, log, previous].filter((b) => b) };
}

/** The sheet chooser appears for a workbook with more than one sheet; the first is read until another is chosen. */
export function showSheets(sheets) {
  const field = $("atk-sheet-field");
  const box = $("atk-sheet");
  if (!sheets || sheets.length < 2) {
    field.hidden = true;
    box.replaceChildren();
    return;
  }
  const chosen = box.value;
  box.replaceChildren(...sheets.map((name, i) => el("option", { value: name, text: i ? name : `${name} (the first sheet)` })));
  box.value = sheets.includes(chosen) ? chosen : sheets[0];
  field.hidden = false;
}

/** The hint of "Changes since" says which date the worklist compared with. */
export function sinceHint(since) {
  const hint = $("atk-since-hint");
  hint.textContent = $("atk-since").value || !since
    ? hint.dataset.text
    : `${hint.dataset.text} For this file that is ${longDate(since)}.`;
}
