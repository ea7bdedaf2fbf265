// The pupil table's logic (toolkit/pupil_table.js) under Node: search, filters, sorting, paging.
import { test } from "node:test";
import assert from "node:assert/strict";
import { COLUMNS, heading, pageOf, showing, sortRows, visible, PAGE_SIZE } from "../../toolkit/pupil_table.js";
import { counted } from "../../toolkit/dom.js";

const row = (id, name, stage, rank, attendance, year, flags = []) =>
  ({ id, name, stage, rank, attendance, recent: attendance, possible: 100, flags, groups: year ? { year_group: year } : {} });

const INDEX = [
  row("P1", "Ann Ash", "1", 1, 98, "7"),
  row("P2", "Ben Bell", "3", 3, 85, "10", ["persistent_absence"]),
  row("P10", "Cat Cole", "4", 4, 40, "8", ["persistent_absence", "severe_absence"]),
  row("P3", "Dan Ash", "3", 3, 80, "10", ["persistent_absence"]),
  row("P4", "Eve Ely", "not_enough_data", 0, null, "7"),
];

test("search matches every word in the name or pupil number, in any case", () => {
  assert.deepEqual(visible(INDEX, { search: "ash" }), [0, 3]);
  assert.deepEqual(visible(INDEX, { search: "dan ASH" }), [3]);
  assert.deepEqual(visible(INDEX, { search: "p10" }), [2]);
  assert.deepEqual(visible(INDEX, { search: "nobody" }), []);
});

test("filters by stage, flag and group combine", () => {
  assert.deepEqual(visible(INDEX, { stage: "3" }), [1, 3]);
  assert.deepEqual(visible(INDEX, { flag: "severe_absence" }), [2]);
  assert.deepEqual(visible(INDEX, { groups: { year_group: "10" }, flag: "persistent_absence" }), [1, 3]);
  assert.deepEqual(visible(INDEX, { groups: { year_group: "" } }), [0, 1, 2, 3, 4]);
});

test("most serious first: later stage first, then lower attendance", () => {
  const order = sortRows(INDEX, [0, 1, 2, 3, 4], "stage", false).map((i) => INDEX[i].id);
  assert.deepEqual(order, ["P10", "P3", "P2", "P1", "P4"]);
});

test("pupil numbers sort as people count: P2 before P10", () => {
  const order = sortRows(INDEX, [0, 1, 2, 3, 4], "pupil", true).map((i) => INDEX[i].id);
  assert.deepEqual(order, ["P1", "P2", "P3", "P4", "P10"]);
});

test("a pupil with no attendance figure sorts last in both directions", () => {
  for (const up of [true, false]) {
    const order = sortRows(INDEX, [0, 1, 2, 3, 4], "attendance", up).map((i) => INDEX[i].id);
    assert.equal(order.at(-1), "P4");
  }
  assert.deepEqual(sortRows(INDEX, [0, 1, 2, 3], "attendance", true).map((i) => INDEX[i].id), ["P10", "P3", "P2", "P1"]);
});

test("year groups sort in numeric order", () => {
  const order = sortRows(INDEX, [0, 1, 2], "year", true).map((i) => INDEX[i].groups.year_group);
  assert.deepEqual(order, ["7", "8", "10"]);
});

test("pages hold 50 rows, count from 1 and clamp to the last page", () => {
  const rows = [...Array(1500).keys()];
  assert.equal(PAGE_SIZE, 50);
  assert.deepEqual(pageOf(rows, 1).rows, rows.slice(0, 50));
  const last = pageOf(rows, 99);
  assert.equal(last.page, 30);
  assert.equal(last.pages, 30);
  assert.equal(last.first, 1451);
  assert.equal(last.last, 1500);
  assert.deepEqual(pageOf([], 1), { rows: [], page: 1, pages: 1, first: 0, last: 0 });
});

test("the recent column's heading takes its number of weeks from the result, never from the page", () => {
  const recent = COLUMNS.find((c) => c.key === "recent");
  assert.equal(heading(recent, 4), "Last 4 weeks");
  assert.equal(heading(recent, 6), "Last 6 weeks");
  assert.equal(heading(COLUMNS[0], 4), "Pupil");
});

test("counts say 1 pupil and 2 pupils, never pupil(s)", () => {
  assert.equal(counted(1, "pupil"), "1 pupil");
  assert.equal(counted(0, "pupil"), "0 pupils");
  assert.equal(counted(1500, "pupil"), "1,500 pupils");
  assert.equal(counted(2, "sheet"), "2 sheets");
  assert.equal(showing(pageOf([0, 1, 2], 1), 3, 3), "Showing 1 to 3 of 3 pupils.");
  assert.equal(showing(pageOf([7], 1), 1, 40), "Showing 1 to 1 of 1 pupil (40 in the file).");
  assert.equal(showing(pageOf([], 1), 0, 1), "No pupil matches. 1 pupil in the file.");
});
