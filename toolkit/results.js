// The results, rendered by the engine (render/components.py, the report's components): the page
// adds only what is interactive, the pupil table's search, sort and paging, the downloads, the
// trend's group and the links between sections. A file that cannot be read gets an error summary.

import { $, el, fragment } from "./dom.js";
import { download, downloadsReady } from "./downloads.js";
import { showSheets } from "./file_form.js";
import { clearQueue } from "./letter_queue.js";
import { Superseded } from "./protocol.js";
import { mountPupilTable } from "./pupil_table.js";
import { openPupil } from "./pupil_dialog.js";
import { schoolDetails } from "./school_details.js";
import { session } from "./session.js";
import { showError } from "./status.js";

/** Links between sections, on the page for good. */
export function initResults() {
  // A link to a section (from the section links, or the worklist's count of continuing concerns to the
  // pupil table) opens it if it was collapsed and puts the focus on its toggle.
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".atk-section-links a, #atk-worklist-continuing a, #atk-status a");
    const target = link && document.getElementById(link.hash.slice(1));
    const details = target && target.closest("details");
    if (!details) return;
    event.preventDefault();
    details.open = true;
    details.querySelector("summary").focus();
    history.replaceState(null, "", link.hash);
  });
}

/**
 * The results' heading and summary cards with the figures known before the stages (pupils,
 * attendance, persistent and severe absence), shown while the rest is worked out; the full results
 * replace them.
 */
export function firstFigures(html) {
  $("atk-results").replaceChildren(fragment(html));
  performance.mark("atk-first-figures"); // benchmarks/browser.py: file chosen to first figures on screen
}

/** The current result's sections, with their buttons and the pupil table. */
export function showResults() {
  const { data, view } = session.current;
  const out = $("atk-results");
  out.replaceChildren(fragment(view.results));
  const school = schoolDetails().name; // kept in this browser only, so the engine never sees it
  if (school) out.querySelector(".atk-school-name").textContent = `${school}, `;
  if (data.actions.length) {
    $("atk-worklist-intro").after(el("div", { class: "atk-buttons" },
      el("button", { type: "button", id: "atk-download-actions", text: "Download this week's list (CSV)" }),
      el("button", { type: "button", id: "atk-print-actions", text: "Print this week's list" })));
    $("atk-download-actions").onclick = () => download(session.current.actionsCsv, "text/csv", "csv", "this-week");
    $("atk-print-actions").onclick = () => {
      document.body.classList.add("atk-print-actions"); // print CSS then shows only the list
      window.print();
      document.body.classList.remove("atk-print-actions");
    };
  }
  mountPupilTable($("atk-pupils"), { view, policy: data.policy, recentWeeks: data.recent_weeks, onOpen: openPupil });
  if ($("atk-trend-group")) $("atk-trend-group").onchange = (event) => chooseTrend(data.trend, event.target.selectedOptions[0]);
  $("atk-download-csv").onclick = () => download(session.current.csv, "text/csv", "csv");
  $("atk-download-json").onclick = () => download(session.current.json, "application/json", "json");
  downloadsReady();
  $("atk-results-heading").focus();
}

// The trend for one group: the engine draws it (the same component as for all pupils).
function chooseTrend(trend, option) {
  const { field, value } = option.dataset;
  const series = field ? trend.cohorts[field][value] : trend.all;
  // Last year's same school weeks for the same group, when last year's register was given.
  const last = trend.previous;
  const previous = last ? ((field ? (last.cohorts[field] || {})[value] : last.all) || trend.weeks.map(() => null)) : null;
  const request = JSON.stringify({ weeks: trend.weeks, series, group: option.textContent, previous,
                                   previous_weeks: last ? last.weeks : null });
  session.engine.request({ type: "trend", request }, { replaces: ["trend"] })
    .then((m) => $("atk-trend").replaceChildren(fragment(m.html)),
          (err) => { if (!(err instanceof Superseded)) showError(err.message); });
}

/**
 * GOV.UK error summary: the old results go, the problem with the file is said first and focused.
 * For a workbook with several sheets it links to the sheet chooser: the register may be on another sheet.
 */
export function fileProblem(text, sheets) {
  session.current = null;
  showSheets(sheets);
  const summary = el("div", { class: "atk-error-summary", id: "atk-error-summary", role: "alert", tabindex: "-1" },
    el("h2", { text: "There is a problem with the file" }),
    el("p", { text }),
    sheets && sheets.length > 1 ? el("p", {}, el("a", { href: "#atk-sheet", id: "atk-sheet-link", text: "Choose another sheet of the workbook" })) : null);
  $("atk-results").replaceChildren(summary);
  if ($("atk-sheet-link")) $("atk-sheet-link").onclick = (event) => { event.preventDefault(); $("atk-sheet").focus(); };
  clearQueue();
  summary.focus();
  showError(text);
}
