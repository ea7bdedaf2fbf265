// The status line under the form, the seconds ticking beside it and the progress bar.
//
// The status line is a live region: it changes only at the start, at milestones and at the end,
// so a screen reader is not read a ticking clock. The seconds tick beside it, hidden from them.

import { $, counted, el, seconds } from "./dom.js";

let timer = null;

function elapsedClock() {
  let clock = $("atk-elapsed");
  if (!clock) {
    clock = el("span", { id: "atk-elapsed", class: "atk-elapsed", "aria-hidden": "true" });
    $("atk-status").after(clock);
  }
  return clock;
}

/**
 * The status when a file is done: pupils classified, from which sheet, in how long, and the rows not
 * counted with where they are listed. {text, link, after}: `link` (null when every row was counted)
 * is the words of a link to the rows' list ("Things to check"), with `after` following it.
 */
export function doneStatus({ pupils, rejected, sheet = "", ms }) {
  const text = `Done: ${counted(pupils, "pupil")} classified${sheet} (${seconds(ms)}).`;
  if (!rejected) return { text, link: null, after: "" };
  return { text: `${text} ${counted(rejected, "row")} of the file ${rejected === 1 ? "was" : "were"} not counted: ` +
                 `${rejected === 1 ? "it is" : "they are"} listed with the reason in `,
           link: "Things to check", after: "." };
}

/**
 * Say what is happening (with "…" and a ticking clock) or, when `done`, what has happened;
 * `link` ({text, href, after}) ends a done status with a link to a part of the results.
 */
export function setStatus(text, done = false, link = null) {
  clearInterval(timer);
  const line = $("atk-status");
  const clock = elapsedClock();
  line.classList.remove("atk-error");
  line.textContent = done ? text : `${text}…`;
  if (link) line.append(el("a", { href: link.href, text: link.text }), link.after);
  clock.textContent = "";
  if (!done) {
    const from = performance.now();
    timer = setInterval(() => { clock.textContent = seconds(performance.now() - from); }, 500);
  }
}

/** A problem, in the status line: "Problem: " and what to do. */
export function showError(text) {
  showProgress(null);
  clearInterval(timer);
  elapsedClock().textContent = "";
  const line = $("atk-status");
  line.classList.add("atk-error");
  line.textContent = `Problem: ${text}`;
}

/**
 * The progress bar under the status line (null hides it): not a live region, so a screen reader
 * hears only the status line's start, first figures and end; the bar and its label are there to
 * look at or read.
 */
export function showProgress(percent, label) {
  $("atk-progress-box").hidden = percent === null;
  if (percent === null) return;
  $("atk-progress").value = percent;
  $("atk-progress-label").textContent = label;
}
