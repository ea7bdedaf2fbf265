// The results' downloads: the CLI's JSON and CSV outputs and this week's list, which the worker
// writes just after the results are shown (the buttons wait for them), and saving any file named
// after the register.

import { $, saveFile } from "./dom.js";
import { Superseded } from "./protocol.js";
import { session } from "./session.js";
import { showError } from "./status.js";

const BUTTONS = ["atk-download-csv", "atk-download-json", "atk-download-actions"];

/** Ask the worker for the downloads of `result` (the session's current result), and enable the buttons when they come. */
export function fetchDownloads(result) {
  session.engine.request({ type: "downloads" }).then((m) => {
    if (session.current !== result) return; // another file's results are on the page now
    Object.assign(result, { json: m.json, csv: m.csv, actionsCsv: m.actionsCsv });
    downloadsReady();
  }, (err) => { if (!(err instanceof Superseded)) showError(err.message); });
}

/** The download buttons are enabled once the current result's files have come. */
export function downloadsReady() {
  for (const id of BUTTONS) {
    if ($(id)) $(id).disabled = !(session.current && session.current.json);
  }
}

/** Save `text` as "<register name>-<suffix>.<extension>". CSV files start with a byte order mark, as
 * the CLI's do, so Excel reads "½" and accented names. */
export function download(text, type, extension, suffix = "results") {
  const name = `${session.current.name.replace(/\.[^.]+$/, "")}-${suffix}.${extension}`;
  saveFile(type === "text/csv" ? ["\ufeff", text] : [text], type, name);
}
