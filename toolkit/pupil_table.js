// The pupil table: search, filters, sorting and paging over rows the worker rendered in Python.
// The pure functions (visible, sortRows, pageOf) hold the logic and are tested under Node;
// mountPupilTable only wires them to the page.

import { counted, el, number as count } from "./dom.js";

export const PAGE_SIZE = 50;

const collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

// Missing figures (no possible sessions yet) always sort last, whichever way the column goes.
function byNumber(key) {
  return (a, b, up) => {
    if (a[key] == null || b[key] == null) return (a[key] == null) - (b[key] == null);
    return (a[key] - b[key]) * (up ? 1 : -1);
  };
}

function byText(get) {
  return (a, b, up) => {
    const x = get(a), y = get(b);
    if (!x || !y) return !x - !y;
    return collator.compare(x, y) * (up ? 1 : -1);
  };
}

// Each column: its label ({weeks}: the result's recent_weeks), sort order, and the direction of its first click.
export const COLUMNS = [
  { key: "pupil", label: "Pupil", first: true, compare: byText((r) => r.id) },
  { key: "name", label: "Name", first: true, compare: byText((r) => r.name) },
  { key: "stage", label: "Stage", first: false, compare: (a, b, up) => (a.rank - b.rank) * (up ? 1 : -1) },
  { key: "year", label: "Year", first: true, compare: byText((r) => r.groups.year_group) },
  { key: "attendance", numeric: true, label: "Attendance", first: true, compare: byNumber("attendance") },
  { key: "recent", numeric: true, label: "Last {weeks} weeks", first: true, compare: byNumber("recent") },
  { key: "possible", numeric: true, label: "Possible sessions", first: false, compare: byNumber("possible") },
  { key: "flags", label: "Flags", first: false, compare: (a, b, up) => (a.flags.length - b.flags.length) * (up ? 1 : -1) },
];

/** A column's heading: "Last {weeks} weeks" takes the number of recent school weeks from the result. */
export function heading(column, recentWeeks) {
  return column.label.replace("{weeks}", String(recentWeeks));
}

const TIE_BREAK = [byNumber("attendance"), byText((r) => r.id)];

/** Row numbers of the pupils that match the search text and every chosen filter. */
export function visible(index, { search = "", stage = "", flag = "", groups = {} } = {}) {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const chosen = Object.entries(groups).filter(([, value]) => value !== "");
  const out = [];
  index.forEach((row, i) => {
    if (stage && row.stage !== stage) return;
    if (flag && !row.flags.includes(flag)) return;
    if (chosen.some(([field, value]) => row.groups[field] !== value)) return;
    if (words.length) {
      const text = `${row.id} ${row.name}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) return;
    }
    out.push(i);
  });
  return out;
}

/** The row numbers in column order; ties go to the lower attendance, then the pupil number. */
export function sortRows(index, rows, key, up) {
  const column = COLUMNS.find((c) => c.key === key);
  return [...rows].sort((i, j) => {
    const a = index[i], b = index[j];
    const first = column.compare(a, b, up);
    if (first) return first;
    for (const compare of TIE_BREAK) {
      const next = compare(a, b, true);
      if (next) return next;
    }
    return i - j;
  });
}

/** One page of rows: the rows, the page number (from 1, clamped) and the count of pages. */
export function pageOf(rows, page, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const number = Math.min(Math.max(1, page), pages);
  const start = (number - 1) * size;
  return { rows: rows.slice(start, start + size), page: number, pages, first: rows.length ? start + 1 : 0,
           last: Math.min(start + size, rows.length) };
}

/** The line above the table: "Showing 1 to 50 of 1,500 pupils.", "Showing 1 to 1 of 1 pupil (40 in the file)." */
export function showing(page, found, total) {
  if (!found) return `No pupil matches. ${counted(total, "pupil")} in the file.`;
  return `Showing ${count(page.first)} to ${count(page.last)} of ${counted(found, "pupil")}` +
    (found < total ? ` (${count(total)} in the file)` : "") + ".";
}

function chooser(id, label, options, allText, field = "") {
  const box = el("select", { id, "data-field": field }, el("option", { value: "", text: allText }));
  for (const [value, text] of options) box.append(el("option", { value, text }));
  return el("div", { class: "atk-field" }, el("label", { for: id, text: label }), box);
}

/**
 * Put the pupil table into `holder`. view: {rows, index, groups, stages} from the worker;
 * policy: the result's policy summary; recentWeeks: the result's recent_weeks; onOpen(i) opens pupil i.
 */
export function mountPupilTable(holder, { view, policy, recentWeeks, onOpen }) {
  const { rows, index, groups, stages } = view;
  const state = { search: "", stage: "", flag: "", groups: {}, key: "stage", up: false, page: 1 };
  const search = el("input", { id: "atk-search", type: "search", autocomplete: "off", "aria-describedby": "atk-search-hint" });
  const controls = el("div", { class: "atk-filters" },
    el("div", { class: "atk-field atk-search" }, el("label", { for: "atk-search", text: "Find a pupil" }),
      el("span", { id: "atk-search-hint", class: "atk-hint", text: "Name or pupil number" }), search),
    chooser("atk-filter-stage", "Stage", stages, "All stages"),
    chooser("atk-filter-flag", "Flag", policy.flags.map((f) => [f.name, f.label]), "All flags"),
    ...groups.map((g) => chooser(g.field === "year_group" ? "atk-filter-year" : `atk-filter-${g.field}`, g.label,
      g.values.map((v) => [v, v]), "All", g.field)));
  const summary = el("p", { id: "atk-pupil-count", class: "atk-count", "aria-live": "polite" });
  const heads = COLUMNS.map((c) => {
    const button = el("button", { type: "button", class: "atk-sort", "data-sort": c.key }, heading(c, recentWeeks), el("span", { class: "atk-arrow", "aria-hidden": "true" }));
    button.addEventListener("click", () => {
      state.up = state.key === c.key ? !state.up : c.first;
      state.key = c.key;
      state.page = 1;
      draw(); // only the body and the header states change, so focus stays on this button
    });
    return el("th", c.numeric ? { scope: "col", class: "atk-num" } : { scope: "col" }, button);
  });
  const caption = el("caption", { text: "Pupils" });
  const body = el("tbody");
  const table = el("table", { id: "atk-pupil-table", class: "atk-pupil-table atk-reflow" }, caption, el("thead", {}, el("tr", {}, ...heads)), body);
  const previous = el("button", { type: "button", id: "atk-page-previous", text: "Previous page" });
  const next = el("button", { type: "button", id: "atk-page-next", text: "Next page" });
  const pageCount = el("span", { id: "atk-page-count" });
  const pager = el("nav", { class: "atk-pager", "aria-label": "Pages of pupils" }, previous, pageCount, next);
  const print = el("button", { type: "button", id: "atk-print-pupils" });
  holder.replaceChildren(controls, summary, table, pager, el("div", { class: "atk-buttons" }, print));
  let order = [];

  function draw() {
    order = sortRows(index, visible(index, state), state.key, state.up);
    const page = pageOf(order, state.page);
    state.page = page.page;
    body.innerHTML = page.rows.map((i) => rows[i]).join(""); // HTML escaped by the engine's templates
    COLUMNS.forEach((c, k) => {
      const on = c.key === state.key;
      heads[k].setAttribute("aria-sort", on ? (state.up ? "ascending" : "descending") : "none");
      heads[k].querySelector(".atk-arrow").textContent = on ? (state.up ? " ▲" : " ▼") : "";
    });
    const column = COLUMNS.find((c) => c.key === state.key);
    caption.textContent = `Pupils, sorted by ${heading(column, recentWeeks).toLowerCase()} (${state.up ? "ascending" : "descending"})`;
    summary.textContent = showing(page, order.length, index.length);
    pageCount.textContent = `Page ${count(page.page)} of ${count(page.pages)}`;
    previous.disabled = page.page <= 1;
    next.disabled = page.page >= page.pages;
    print.textContent = order.length === 1 ? "Print this pupil" : `Print these ${count(order.length)} pupils`;
    print.disabled = !order.length;
  }

  // Every pupil found (not only this page), in this order, under a line saying which pupils they are.
  print.addEventListener("click", () => {
    const chosen = [...controls.querySelectorAll("select")].filter((box) => box.value)
      .map((box) => `${box.labels[0].textContent}: ${box.selectedOptions[0].textContent}`);
    if (state.search.trim()) chosen.push(`name or pupil number containing "${state.search.trim()}"`);
    summary.textContent = `${count(order.length)} of ${counted(index.length, "pupil")}` + (chosen.length ? ` (${chosen.join("; ")}).` : ".");
    body.innerHTML = order.map((i) => rows[i]).join(""); // HTML escaped by the engine's templates
    document.body.classList.add("atk-print-pupils"); // print CSS then shows only this list
    try {
      window.print();
    } finally {
      document.body.classList.remove("atk-print-pupils");
      draw();
    }
  });

  search.addEventListener("input", () => { state.search = search.value; state.page = 1; draw(); });
  controls.addEventListener("change", (event) => {
    const box = event.target;
    // The search box fires "change" when it loses focus: redrawing then would swallow the click
    // on a pupil that took the focus away. It has already been handled by "input".
    if (box.tagName !== "SELECT") return;
    if (box.id === "atk-filter-stage") state.stage = box.value;
    else if (box.id === "atk-filter-flag") state.flag = box.value;
    else state.groups[box.dataset.field] = box.value;
    state.page = 1;
    draw();
  });
  previous.addEventListener("click", () => { state.page -= 1; draw(); });
  next.addEventListener("click", () => { state.page += 1; draw(); });
  body.addEventListener("click", (event) => {
    const button = event.target.closest("button.atk-open");
    if (button) onOpen(Number(button.dataset.i), button);
  });
  draw();
}
