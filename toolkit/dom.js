// Small helpers every part of the calculator page uses: finding and building elements, HTML the
// engine rendered, numbers, dates and durations in British English, and saving a file.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** An element with attributes ("text" sets its text) and children: the page's one way to build HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

/** HTML the engine rendered and escaped (the worker's templates), as nodes. */
export function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

/** 1500 as "1,500". */
export function number(n) {
  return n.toLocaleString("en-GB");
}

/** A count with its noun: "1 pupil", "1,500 pupils" (never "pupil(s)"). */
export function counted(n, noun, plural = `${noun}s`) {
  return `${number(n)} ${n === 1 ? noun : plural}`;
}

/** Milliseconds as "2.5 s". */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "2024-12-20" as "20 December 2024". */
export function longDate(iso) {
  return new Date(`${iso}T00:00:00`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

/** Today on this computer, as an ISO date. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// Each saved file's address stays valid for a minute, or until the page is left: a browser may start
// reading it well after click() returns (Firefox and Safari can ask where to save first), and a
// download that has started keeps its own copy, so only then is it safe to let the file go.
const KEEP_SAVED_MS = 60000;
const saved = new Set();

function forget(url) {
  if (saved.delete(url)) URL.revokeObjectURL(url);
}

globalThis.addEventListener?.("pagehide", () => saved.forEach(forget));

/** Save `parts` (strings) as a file called `name` on this computer, through the browser's downloads. */
export function saveFile(parts, type, name) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  saved.add(url);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => forget(url), KEEP_SAVED_MS);
}
