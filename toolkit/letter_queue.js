// The letter queue: every suggested letter with a tick box, all ticked at first. Preview, print,
// the downloads and "record these as sent" use the ticked letters only. Letters to the same family
// or address are shown together, so a school can decide what one household receives.

import { $, counted, el, number } from "./dom.js";

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

/** The queue for the groups of a result (results/letter_queue.py): one letter, or a household's letters together. */
export function renderQueue(groups) {
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
      el("legend", { text: `Same family or address: ${g.together} (${counted(g.letters.length, "letter")})` }),
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

/** No queue: a file could not be read. */
export function clearQueue() {
  $("atk-queue").replaceChildren(el("p", { text: "Choose a register file to see the letters suggested." }));
}

function queueBoxes() {
  return [...document.querySelectorAll("#atk-queue input[type=checkbox]")];
}

function countTicked() {
  const boxes = queueBoxes();
  const n = boxes.filter((b) => b.checked).length;
  $("atk-queue-count").textContent = `${number(n)} of ${counted(boxes.length, "letter")} ticked.`;
}

/** The ticked letters, as [pupil_id, letter] pairs. */
export function ticked() {
  return queueBoxes().filter((b) => b.checked).map((b) => [b.dataset.pupil, b.dataset.letter]);
}

/** One letter chosen for every pupil: the queue of suggested letters does not apply. */
export function chooseLetter() {
  const fieldset = $("atk-queue-fieldset");
  if (!fieldset) return;
  const one = $("atk-letter-choice").value;
  fieldset.disabled = Boolean(one);
  $("atk-queue-hint").hidden = Boolean(one);
  $("atk-letter-choice-note").textContent = one
    ? "Every pupil gets the letter chosen; the list of suggested letters applies only to the suggested letters." : "";
}
