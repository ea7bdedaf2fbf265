// The Letters section's buttons: make the letters (preview, print, download as HTML or as a
// mail-merge CSV) and record the ticked letters as sent (the letter log, saved as a file).

import { $, counted, el, longDate, today } from "./dom.js";
import { download } from "./downloads.js";
import { chooseLetter, ticked } from "./letter_queue.js";
import { Superseded } from "./protocol.js";
import { schoolDetails } from "./school_details.js";
import { session } from "./session.js";
import { setStatus, showError } from "./status.js";

function failed(err) {
  if (!(err instanceof Superseded)) showError(err.message);
}

// The letters for the current result into the preview frame, then `then(letters)` (protocol.js LettersReply).
function makeLetters(then) {
  if (!session.current) { showError("Choose a register file first, then make the letters."); return; }
  const only = $("atk-letter-choice").value || null;
  const request = { type: "letters", school: schoolDetails(), only, chosen: only ? null : ticked() };
  session.engine.request(request, { replaces: ["letters"] }).then((m) => {
    setStatus(`${counted(m.count, "letter")} for ${counted(m.pupils, "pupil")} ready.`, true);
    $("atk-letters-summary").textContent = `${counted(m.count, "letter")} for ${counted(m.pupils, "pupil")}. Each letter prints on its own page.`;
    const frame = $("atk-letters-frame");
    frame.srcdoc = m.html;
    frame.hidden = false;
    then(m);
  }, failed);
}

function recordSent() {
  if (!session.current) { showError("Choose a register file first, then tick the letters to record."); return; }
  if ($("atk-letter-choice").value) { showError("Only suggested letters can be recorded: choose 'The letters suggested for each pupil'."); return; }
  const chosen = ticked();
  if (!chosen.length) { showError("No letters are ticked. Tick the letters you are sending, then record them."); return; }
  const day = schoolDetails().letter_date || today();
  session.engine.request({ type: "log", chosen, day }).then((m) => {
    download(m.csv, "text/csv", "csv", `letters-sent-${day}`);
    const file = session.current.data.letter_log.file;
    const earlier = file ? ` with the letters already in ${file}` : "";
    setStatus(`Saved ${counted(chosen.length, "letter")} as sent on ${longDate(day)}${earlier}. Keep the file and choose it ` +
              "as 'Letters already sent' next time.", true);
  }, failed);
}

/** The buttons of the Letters section, and the choice of one letter for every pupil. */
export function initLetters() {
  $("atk-letter-choice").addEventListener("change", chooseLetter);
  $("atk-letters-record").onclick = recordSent;
  $("atk-letters-preview").onclick = () => makeLetters(() => $("atk-letters-frame").focus());
  $("atk-letters-print").onclick = () => makeLetters(() => {
    const frame = $("atk-letters-frame");
    frame.addEventListener("load", () => frame.contentWindow.print(), { once: true });
  });
  $("atk-letters-html").onclick = () => makeLetters((m) => download(m.html, "text/html", "html", "letters"));
  $("atk-letters-csv").onclick = () => makeLetters((m) => download(m.mergeCsv, "text/csv", "csv", "mail-merge"));
}

/** The ready reply's letters as the choices of "Letters to make". */
export function letterChoices(titles) {
  session.letterTitles = titles;
  for (const [name, title] of Object.entries(titles)) {
    $("atk-letter-choice").append(el("option", { value: name, text: title }));
  }
}
