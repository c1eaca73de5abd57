// A year of teachers' observations on a profile page: the newest 30 and every one still
// waiting for the learner's answer, newest first; the count says all of them.
import { expect, test } from "bun:test";
import { observationsShown } from "../../assets/ui/profile_lists.js";

const note = (i, response = "accepted") => ({ id: `o${i}`, data: { _put_hlc: `17000000${String(i).padStart(5, "0")}-0000-x`, response, text: `Noticed ${i}` } });

test("the newest 30 and every open one, newest first, with the total", () => {
  const notes = Array.from({ length: 80 }, (_, i) => note(i, i === 3 ? "open" : "accepted"));
  const shown = observationsShown(notes.reverse(), (r) => r.id);
  expect(shown.observations.length).toBe(31);
  expect(shown.observations.slice(0, 2)).toEqual(["o79", "o78"]);
  expect(shown.observations.at(-1)).toBe("o3"); // an old one still waiting is never hidden
  expect(shown.observations_more_text).toBe("The newest 31 of 80 observations are shown.");
});

test("a short list shows everything and says nothing more", () => {
  const shown = observationsShown([note(1), note(2, "open")], (r) => r.id);
  expect(shown.observations).toEqual(["o2", "o1"]);
  expect(shown.observations_more_text).toBe("");
});
