// The status line's words (toolkit/status.js) under Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { doneStatus } from "../../toolkit/status.js";

test("the done status counts the rows not counted and says where they are listed", () => {
  assert.deepEqual(doneStatus({ pupils: 1, rejected: 0, ms: 2100 }),
                   { text: "Done: 1 pupil classified (2.1 s).", link: null, after: "" });
  const one = doneStatus({ pupils: 1500, rejected: 1, ms: 2100 });
  assert.equal(one.text + one.link + one.after, "Done: 1,500 pupils classified (2.1 s). 1 row of the file was not " +
               "counted: it is listed with the reason in Things to check.");
  const three = doneStatus({ pupils: 2, rejected: 3, sheet: " from the sheet 'Year 7'", ms: 500 });
  assert.match(three.text, /^Done: 2 pupils classified from the sheet 'Year 7' \(0\.5 s\)\. 3 rows of the file were not counted: they are/);
});
