// The calculator page: reads the register file on this device and hands it to the Web Worker,
// which runs the attendtoolkit engine in Python. Nothing is sent anywhere.

import { el, mountPupilTable } from "./pupil_table.js";

const assets = new URL("./", import.meta.url);
const $ = (id) => document.getElementById(id);
const started = performance.now();
let current = null; // {data, json, csv, actionsCsv, view, name, queue}
let letters = null; // {html, mergeCsv, count, pupils}
const SCHOOL_KEY = "attendtoolkit.school";
let timer = null;
let classifying = false; // an error while a file is being read replaces the results with an error summary

// Every file the worker uses has its SHA-256 digest in the page (the manifest, written by the site
// build); a file that does not match is refused by name.
const manifest = JSON.parse($("atk-manifest").textContent);

async function verifiedText(name) {
  let response;
  try {
    response = await fetch(new URL(name, assets));
  } catch {
    throw new Error(`Could not load ${name} from this site. Check the connection and reload the page.`);
  }
  const bytes = await response.arrayBuffer();
  const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
  if (!response.ok || manifest[name] !== `sha256-${digest}`) {
    throw new Error(`${name} has been changed since this site was built, so the calculator has stopped rather ` +
                    "than risk wrong results. Reload the page; if this message comes back, tell the site's owner.");
  }
  return new TextDecoder().decode(bytes);
}

// The worker runs from a blob: URL of the checked worker.js, so it also inherits this page's
// Content-Security-Policy (no eval, scripts only from this site) where the host sends no headers.
let worker = { postMessage: () => {} }; // until the checked worker has started
Promise.all([verifiedText("worker.js"), verifiedText("loader.js")]).then(([code, loader]) => {
  worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
  worker.onmessage = (event) => handlers[event.data.type](event.data);
  worker.onerror = (event) => showError(`The calculator stopped: ${event.message || "unknown error"}.`);
  // start Python now, before a file is chosen
  worker.postMessage({ type: "load", base: assets.href, manifest, loader });
}).catch((err) => showError(err.message));

const handlers = {
  status: (m) => {
    performance.mark(`atk-status: ${m.text}`); // benchmarks/browser.py times each step of the cold start
    setStatus(m.text);
  },
  progress: (m) => {
    if (!classifying) return; // a late message from a file already replaced
    const info = JSON.parse(m.info);
    if (m.step === "read") showProgress(20, `Read ${number(info.rows)} rows: ${number(info.pupils)} pupils`);
    else if (m.step === "classified") {
      showProgress(20 + 65 * info.done / info.total, `Pupils classified: ${number(info.done)} of ${number(info.total)}`);
    } else if (m.step === "preparing") showProgress(85, "Preparing the worklist, tables and chart");
    else if (m.step === "headline") firstFigures(info.html);
  },
  ready: (m) => {
    letterTitles = m.letters;
    for (const [name, title] of Object.entries(m.letters)) $("atk-letter-choice").append(el("option", { value: name, text: title }));
    $("atk-policy").textContent = m.policy.name;
    $("atk-policy").dataset.stageWord = m.policy.stage_word;
    setStatus(`Ready (${seconds(performance.now() - started)}). Choose your register file.`, true);
  },
  result: (m) => {
    classifying = false;
    showProgress(null);
    const data = m.overview; // the result without its pupils: parsing the whole JSON here would freeze the page
    current = { data, view: m.view, name: data.source.file, queue: m.queue }; // downloads follow in their own message
    showSheets(m.sheets);
    const sheet = m.sheets && m.sheets.length > 1 ? ` from the sheet '${data.source.sheet}'` : "";
    const pupils = data.totals.pupils;
    setStatus(`Done: ${number(pupils)} ${pupils === 1 ? "pupil" : "pupils"} classified${sheet} ` +
              `(${seconds(performance.now() - timing)}).`, true);
    render(data);
    $("atk-letters-log-note").textContent = data.letter_log.note;
    sinceHint(data.worklist.since);
    // the letter queue (hundreds of ticked boxes for a school) is drawn in a task of its own, so
    // the page answers between the results and the queue (benchmarks/browser.py: longest task)
    setTimeout(() => renderQueue(m.queue));
  },
  letters: (m) => {
    letters = m;
    setStatus(`${m.count} letter(s) for ${m.pupils} pupil(s) ready.`, true);
    $("atk-letters-summary").textContent = `${m.count} letter(s) for ${m.pupils} pupil(s). Each letter prints on its own page.`;
    const frame = $("atk-letters-frame");
    frame.srcdoc = m.html;
    frame.hidden = false;
    if (afterLetters) afterLetters();
    afterLetters = null;
  },
  downloads: (m) => {
    if (!current) return;
    Object.assign(current, { json: m.json, csv: m.csv, actionsCsv: m.actionsCsv });
    downloadsReady();
  },
  log: (m) => savedLog(m.csv),
  pupil: (m) => showPupil(m.html),
  trend: (m) => $("atk-trend").replaceChildren(fragment(m.html)),
  error: (m) => (classifying ? fileProblem(m.text, m.sheets) : showError(m.text)),
};
let afterLetters = null;
let letterTitles = {};

let timing = started;

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// The status line is a live region: it changes only at the start, at milestones and at the end,
// so a screen reader is not read a ticking clock. The seconds tick beside it, hidden from them.
function elapsedClock() {
  let clock = $("atk-elapsed");
  if (!clock) {
    clock = el("span", { id: "atk-elapsed", class: "atk-elapsed", "aria-hidden": "true" });
    $("atk-status").after(clock);
  }
  return clock;
}

function setStatus(text, done = false) {
  clearInterval(timer);
  const line = $("atk-status");
  const clock = elapsedClock();
  line.classList.remove("atk-error");
  line.textContent = done ? text : `${text}…`;
  clock.textContent = "";
  if (!done) {
    const from = performance.now();
    timer = setInterval(() => { clock.textContent = seconds(performance.now() - from); }, 500);
  }
}

// The progress bar under the status line: not a live region, so a screen reader hears only the
// status line's start, first figures and end; the bar and its label are there to look at or read.
function showProgress(percent, label) {
  $("atk-progress-box").hidden = percent === null;
  if (percent === null) return;
  $("atk-progress").value = percent;
  $("atk-progress-label").textContent = label;
}

// The results' heading and summary cards with the figures known before the stages (pupils,
// attendance, persistent and severe absence), shown while the rest is worked out; the full results
// replace them.
function firstFigures(html) {
  $("atk-results").replaceChildren(fragment(html));
  performance.mark("atk-first-figures"); // benchmarks/browser.py: file chosen to first figures on screen
}

function number(n) {
  return n.toLocaleString("en-GB");
}

function showError(text) {
  showProgress(null);
  clearInterval(timer);
  elapsedClock().textContent = "";
  const line = $("atk-status");
  line.classList.add("atk-error");
  line.textContent = `Problem: ${text}`;
}

// GOV.UK error summary: the old results go, the problem with the file is said first and focused.
// For a workbook with several sheets it links to the sheet chooser: the register may be on another sheet.
function fileProblem(text, sheets) {
  classifying = false;
  current = null;
  showSheets(sheets);
  const summary = el("div", { class: "atk-error-summary", id: "atk-error-summary", role: "alert", tabindex: "-1" },
    el("h2", { text: "There is a problem with the file" }),
    el("p", { text }),
    sheets && sheets.length > 1 ? el("p", {}, el("a", { href: "#atk-sheet", id: "atk-sheet-link", text: "Choose another sheet of the workbook" })) : null);
  $("atk-results").replaceChildren(summary);
  if ($("atk-sheet-link")) $("atk-sheet-link").onclick = (event) => { event.preventDefault(); $("atk-sheet").focus(); };
  $("atk-queue").replaceChildren(el("p", { text: "Choose a register file to see the letters suggested." }));
  summary.focus();
  showError(text);
}

// The sheet chooser appears for a workbook with more than one sheet; the first is read until another is chosen.
function showSheets(sheets) {
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

let chosenFile = null; // the register file last chosen or dropped, read again when an option changes

function newFile(file) {
  chosenFile = file;
  showSheets(null); // a new workbook's sheets are not the last one's: its first sheet is read
  classify(file);
}

async function classify(file) {
  timing = performance.now();
  performance.mark("atk-file-chosen");
  classifying = true;
  setStatus(`Reading ${file.name}`);
  showProgress(5, `Reading ${file.name}`);
  const buffer = await file.arrayBuffer();
  const logFile = $("atk-letters-sent").files[0];
  const log = logFile ? await logFile.arrayBuffer() : null;
  const lastYearFile = $("atk-previous").files[0];
  const lastYear = lastYearFile ? await lastYearFile.arrayBuffer() : null;
  setStatus("Classifying");
  worker.postMessage({ type: "classify", buffer, name: file.name, asOf: $("atk-as-of").value || null,
                       log, logName: logFile ? logFile.name : null, dates: $("atk-dates").value,
                       phase: $("atk-phase-choice").value || null,
                       previous: lastYear, previousName: lastYearFile ? lastYearFile.name : null,
                       since: $("atk-since").value || null, sheet: $("atk-sheet").value || null },
                     [buffer, log, lastYear].filter((b) => b));
}

// The hint under "Changes since" says which date the worklist compared with.
function sinceHint(since) {
  const hint = $("atk-since-hint");
  hint.textContent = $("atk-since").value || !since
    ? hint.dataset.text
    : `${hint.dataset.text} For this file that is ${longDate(since)}.`;
}
$("atk-since-hint").dataset.text = $("atk-since-hint").textContent.replace(/\s+/g, " ").trim();

// The results are rendered by the engine (render/components.py, the report's components): the page
// adds only what is interactive, the pupil table's search, sort and paging, the downloads and the trend's group.
function render(data) {
  const out = $("atk-results");
  out.replaceChildren(fragment(current.view.results));
  const school = schoolDetails().name; // kept in this browser only, so the engine never sees it
  if (school) out.querySelector(".atk-school-name").textContent = `${school}, `;
  if (data.actions.length) {
    $("atk-worklist-intro").after(el("div", { class: "atk-buttons" },
      el("button", { type: "button", id: "atk-download-actions", text: "Download this week's list (CSV)" }),
      el("button", { type: "button", id: "atk-print-actions", text: "Print this week's list" })));
    $("atk-download-actions").onclick = () => download(current.actionsCsv, "text/csv", "csv", "this-week");
    $("atk-print-actions").onclick = () => {
      document.body.classList.add("atk-print-actions"); // print CSS then shows only the list
      window.print();
      document.body.classList.remove("atk-print-actions");
    };
  }
  mountPupilTable($("atk-pupils"), { view: current.view, policy: data.policy, onOpen: openPupil });
  if ($("atk-trend-group")) $("atk-trend-group").onchange = (event) => chooseTrend(data.trend, event.target.selectedOptions[0]);
  $("atk-download-csv").onclick = () => download(current.csv, "text/csv", "csv");
  $("atk-download-json").onclick = () => download(current.json, "application/json", "json");
  downloadsReady();
  $("atk-results-heading").focus();
}

// HTML the engine rendered and escaped (the worker's templates), as nodes.
function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

// A link to a section (from the section links, or the worklist's count of continuing concerns to the
// pupil table) opens it if it was collapsed and puts the focus on its toggle.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".atk-section-links a, #atk-worklist-continuing a");
  const target = link && document.getElementById(link.hash.slice(1));
  const details = target && target.closest("details");
  if (!details) return;
  event.preventDefault();
  details.open = true;
  details.querySelector("summary").focus();
  history.replaceState(null, "", link.hash);
});

// The trend for one group: the engine draws it (the same component as for all pupils).
function chooseTrend(trend, option) {
  const { field, value } = option.dataset;
  const series = field ? trend.cohorts[field][value] : trend.all;
  // Last year's same school weeks for the same group, when last year's register was given.
  const last = trend.previous;
  const previous = last ? ((field ? (last.cohorts[field] || {})[value] : last.all) || trend.weeks.map(() => null)) : null;
  worker.postMessage({ type: "trend", request: JSON.stringify({ weeks: trend.weeks, series, group: option.textContent, previous,
                                                                previous_weeks: last ? last.weeks : null }) });
}

function longDate(iso) {
  return new Date(`${iso}T00:00:00`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

// The pupil page is rendered by the engine (the same component as the report) and shown in a dialog.
let pupilOpener = null;

function pupilDialog() {
  let dialog = $("atk-pupil-dialog");
  if (dialog) return dialog;
  dialog = el("dialog", { id: "atk-pupil-dialog", class: "atk-dialog", "aria-labelledby": "atk-pupil-title" },
    el("div", { class: "atk-buttons atk-dialog-bar" },
      el("button", { type: "button", id: "atk-pupil-print", text: "Print this page" }),
      el("button", { type: "button", id: "atk-pupil-close", text: "Close" })),
    el("div", { id: "atk-pupil-content" }));
  document.body.append(dialog);
  $("atk-pupil-close").onclick = () => dialog.close();
  $("atk-pupil-print").onclick = () => {
    document.body.classList.add("atk-print-pupil"); // print CSS then shows only this page
    window.print();
    document.body.classList.remove("atk-print-pupil");
  };
  dialog.addEventListener("close", () => { if (pupilOpener) pupilOpener.focus(); });
  return dialog;
}

function openPupil(i, opener) {
  pupilOpener = opener;
  const d = current.data;
  const context = { policy: d.policy, as_of: d.as_of, source: d.source, letter_titles: d.letter_titles || letterTitles };
  worker.postMessage({ type: "pupil", index: i, context: JSON.stringify(context) });
}

function showPupil(html) {
  const dialog = pupilDialog();
  $("atk-pupil-content").innerHTML = html; // rendered and escaped by the engine's template
  if (!dialog.open) dialog.showModal();
  $("atk-pupil-close").focus();
}

// CSV files start with a byte order mark, as the CLI's do, so Excel reads "½" and accented names.
function download(text, type, extension, suffix = "results") {
  const url = URL.createObjectURL(new Blob(type === "text/csv" ? ["\ufeff", text] : [text], { type }));
  const link = el("a", { href: url, download: `${current.name.replace(/\.[^.]+$/, "")}-${suffix}.${extension}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const input = $("atk-file");
input.addEventListener("change", () => { if (input.files.length) newFile(input.files[0]); });
for (const id of ["atk-as-of", "atk-since", "atk-letters-sent", "atk-dates", "atk-phase-choice", "atk-previous", "atk-sheet"]) {
  $(id).addEventListener("change", () => { if (chosenFile) classify(chosenFile); });
}
// A file dropped outside the drop zone must not make the browser open it instead.
for (const type of ["dragover", "drop"]) document.addEventListener(type, (e) => e.preventDefault());
const drop = $("atk-drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("atk-over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("atk-over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("atk-over");
  if (e.dataTransfer.files.length) newFile(e.dataTransfer.files[0]);
});

// School details: kept in this browser only (localStorage), and as a small JSON file on request.
const schoolForm = $("atk-school");

function schoolDetails() {
  const details = {};
  for (const field of schoolForm.querySelectorAll("input[name], textarea[name]")) {
    if (field.value.trim()) details[field.name] = field.value.trim();
  }
  return details;
}

function fillSchool(details) {
  for (const field of schoolForm.querySelectorAll("input[name], textarea[name]")) field.value = details[field.name] || "";
}

try { fillSchool(JSON.parse(localStorage.getItem(SCHOOL_KEY) || "{}")); } catch { /* ignore a damaged entry */ }
schoolForm.addEventListener("input", () => localStorage.setItem(SCHOOL_KEY, JSON.stringify(schoolDetails())));
$("atk-school-save").onclick = () => {
  const url = URL.createObjectURL(new Blob([JSON.stringify(schoolDetails(), null, 2) + "\n"], { type: "application/json" }));
  const link = el("a", { href: url, download: "school-details.json" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
$("atk-school-load").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    const details = JSON.parse(await file.text());
    fillSchool(details);
    localStorage.setItem(SCHOOL_KEY, JSON.stringify(schoolDetails()));
    setStatus(`School details loaded from ${file.name}.`, true);
  } catch {
    showError(`${file.name} is not a school details file (it should be the JSON file saved from this page).`);
  }
});

// The letter queue: every suggested letter with a tick box, all ticked at first. Preview, print,
// the downloads and "record these as sent" use the ticked letters only.
function queueItem(letter, i) {
  const id = `atk-queue-${i}`;
  const who = `${letter.name || letter.pupil_id} (${letter.pupil_id}${letter.year_group ? `, year ${letter.year_group}` : ""})`;
  const box = el("input", { type: "checkbox", id, checked: "", "aria-describedby": `${id}-why` });
  box.dataset.pupil = letter.pupil_id;
  box.dataset.letter = letter.letter;
  return el("li", { class: "atk-queue-item" }, box,
    el("label", { for: id }, el("strong", { text: letter.title }), document.createTextNode(` for ${who}`)),
    el("span", { id: `${id}-why`, class: "atk-queue-why", text: letter.why }));
}

function renderQueue(groups) {
  const holder = $("atk-queue");
  const total = groups.reduce((n, g) => n + g.letters.length, 0);
  if (!total) {
    holder.replaceChildren(el("p", { text: "No letters are suggested for these pupils this week." }));
    return;
  }
  let i = 0;
  const items = groups.map((g) => {
    if (!g.together) return queueItem(g.letters[0], i++);
    return el("li", { class: "atk-queue-home" }, el("fieldset", {},
      el("legend", { text: `Same family or address: ${g.together} (${g.letters.length} letters)` }),
      el("ul", {}, ...g.letters.map((letter) => queueItem(letter, i++)))));
  });
  const homes = groups.filter((g) => g.together).length;
  holder.replaceChildren(el("fieldset", { id: "atk-queue-fieldset", class: "atk-queue" },
    el("legend", { text: `Suggested letters (${total})` }),
    el("p", { id: "atk-queue-hint", text: "All suggested letters are ticked. Untick any you do not want to send: preview, " +
      "print and the downloads make only the ticked letters." + (homes ? ` Letters to the same family or address are shown together (${homes}).` : "") }),
    el("div", { class: "atk-buttons" },
      el("button", { type: "button", id: "atk-queue-all", text: "Select all" }),
      el("button", { type: "button", id: "atk-queue-none", text: "Select none" })),
    el("p", { id: "atk-queue-count", class: "atk-queue-count", role: "status", "aria-live": "polite" }),
    el("ul", { class: "atk-queue-list" }, ...items)));
  const tick = (on) => { for (const box of queueBoxes()) box.checked = on; countTicked(); };
  $("atk-queue-all").onclick = () => tick(true);
  $("atk-queue-none").onclick = () => tick(false);
  $("atk-queue-fieldset").addEventListener("change", countTicked);
  countTicked();
  chooseLetter();
}

function queueBoxes() {
  return [...document.querySelectorAll("#atk-queue input[type=checkbox]")];
}

function countTicked() {
  const boxes = queueBoxes();
  const n = boxes.filter((b) => b.checked).length;
  $("atk-queue-count").textContent = `${n} of ${boxes.length} letters ticked.`;
}

function ticked() {
  return queueBoxes().filter((b) => b.checked).map((b) => [b.dataset.pupil, b.dataset.letter]);
}

// One letter chosen for every pupil: the queue of suggested letters does not apply.
function chooseLetter() {
  const fieldset = $("atk-queue-fieldset");
  if (!fieldset) return;
  const one = $("atk-letter-choice").value;
  fieldset.disabled = Boolean(one);
  $("atk-queue-hint").hidden = Boolean(one);
  $("atk-letter-choice-note").textContent = one
    ? "Every pupil gets the letter chosen; the list of suggested letters applies only to the suggested letters." : "";
}
$("atk-letter-choice").addEventListener("change", chooseLetter);

function downloadsReady() {
  // The worker writes the files for download just after the results: until then the buttons wait.
  for (const id of ["atk-download-csv", "atk-download-json", "atk-download-actions"]) {
    if ($(id)) $(id).disabled = !(current && current.json);
  }
}

function makeLetters(then) {
  if (!current) { showError("Choose a register file first, then make the letters."); return; }
  afterLetters = then;
  const only = $("atk-letter-choice").value || null;
  worker.postMessage({ type: "letters", school: schoolDetails(), only, chosen: only ? null : ticked() });
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

let logDay = null;
let recorded = 0;
$("atk-letters-record").onclick = () => {
  if (!current) { showError("Choose a register file first, then tick the letters to record."); return; }
  if ($("atk-letter-choice").value) { showError("Only suggested letters can be recorded: choose 'The letters suggested for each pupil'."); return; }
  const chosen = ticked();
  if (!chosen.length) { showError("No letters are ticked. Tick the letters you are sending, then record them."); return; }
  logDay = schoolDetails().letter_date || today();
  recorded = chosen.length;
  worker.postMessage({ type: "log", chosen, day: logDay });
};

function savedLog(csv) {
  download(csv, "text/csv", "csv", `letters-sent-${logDay}`);
  const earlier = current.data.letter_log.file ? ` with the letters already in ${current.data.letter_log.file}` : "";
  setStatus(`Saved ${recorded} letter(s) as sent on ${longDate(logDay)}${earlier}. Keep the file and choose it ` +
            "as 'Letters already sent' next time.", true);
}

$("atk-letters-preview").onclick = () => makeLetters(() => $("atk-letters-frame").focus());
$("atk-letters-print").onclick = () => makeLetters(() => {
  const frame = $("atk-letters-frame");
  frame.addEventListener("load", () => frame.contentWindow.print(), { once: true });
});
$("atk-letters-html").onclick = () => makeLetters(() => download(letters.html, "text/html", "html", "letters"));
$("atk-letters-csv").onclick = () => makeLetters(() => download(letters.mergeCsv, "text/csv", "csv", "mail-merge"));
