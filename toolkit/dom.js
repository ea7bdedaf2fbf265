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

/** Save `parts` (strings) as a file called `name` on this computer, through the browser's downloads. */
export function saveFile(parts, type, name) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
