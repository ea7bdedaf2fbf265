// The pupil page, rendered by the engine (the same component as the report) and shown in a dialog.

import { $, el } from "./dom.js";
import { Superseded } from "./protocol.js";
import { session } from "./session.js";
import { showError } from "./status.js";

let opener = null; // the button that opened the dialog: the focus goes back to it on closing

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
  dialog.addEventListener("close", () => { if (opener) opener.focus(); });
  return dialog;
}

function showPupil(html) {
  const dialog = pupilDialog();
  $("atk-pupil-content").innerHTML = html; // rendered and escaped by the engine's template
  if (!dialog.open) dialog.showModal();
  $("atk-pupil-close").focus();
}

/** Open pupil `i` of the current result; `button` gets the focus back when the dialog closes. */
export function openPupil(i, button) {
  opener = button;
  const d = session.current.data;
  const context = { policy: d.policy, as_of: d.as_of, source: d.source, letter_titles: d.letter_titles || session.letterTitles };
  session.engine.request({ type: "pupil", index: i, context: JSON.stringify(context) }, { replaces: ["pupil"] })
    .then((m) => showPupil(m.html), (err) => { if (!(err instanceof Superseded)) showError(err.message); });
}
