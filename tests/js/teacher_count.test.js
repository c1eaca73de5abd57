/** The online review list's count (QA F9): a piece approved on this page no longer counts as waiting, while the server's total is the one loaded before; a total loaded later is taken as is. */

import { expect, test } from "bun:test";
import { onlineCountText } from "../../assets/teacher/teacher.js";

const items = Array.from({ length: 20 }, (_, i) => ({ key: `e${i}:1` }));

test("an approval here drops the waiting count by one, with the right plural", () => {
  expect(onlineCountText(items, 323, [])).toBe("Showing 20 of 323 pieces waiting for review");
  expect(onlineCountText(items, 323, ["e3:1"])).toBe("Showing 19 of 322 pieces waiting for review");
  expect(onlineCountText(items, 323, ["e3:1", "e4:1", "elsewhere:1"])).toBe("Showing 18 of 321 pieces waiting for review");
  expect(onlineCountText(items.slice(0, 2), 2, ["e0:1"])).toBe("Showing 1 of 1 piece waiting for review");
});

test("a total loaded after the review (next page) already leaves the piece out", () => {
  expect(onlineCountText(items, 300, ["e7:1"])).toBe("Showing 19 of 299 pieces waiting for review");
  const more = [...items, ...Array.from({ length: 20 }, (_, i) => ({ key: `f${i}:1` }))];
  expect(onlineCountText(more, 299, ["e7:1"])).toBe("Showing 40 of 299 pieces waiting for review");
});
