import { describe, expect, test } from "bun:test";
import { buildBinder } from "../../assets/sync/binder.js";

const row = (type, id, data, extra = {}) => ({ type, id, version: 1, deleted: false, data, ...extra });

const rows = [
  row("content_area", 1, { name: "Math", is_academic: true, position: 0 }),
  row("content_area", 2, { name: "Lifelong Learning Skills", is_academic: false, position: 1 }),
  row("topic", 10, { content_area_id: 1, name: "Fractions", position: 0 }),
  row("target", 100, { topic_id: 10, code: "M5.F.1", title: "Equivalent fractions", position: 0 }),
  row("target", 101, { topic_id: 10, code: "M5.F.2", title: "Unlike denominators", position: 1 }),
  row("event", "e1", { student_id: 4, target_id: 100, level: 2, source: "teacher", hlc: "1-0-a" }),
  row("level", "4:100", { student_id: 4, target_id: 100, level: 2.65, level_words: "developing",
    method_label: "Decaying average", explanation: ["Start from 2."] }),
  row("level", "5:100", { student_id: 5, target_id: 100, level: 4, level_words: "advanced" }),
  row("topic_progress", "4:10", { student_id: 4, topic_id: 10,
    credit: { is_met: false, blocking: [{ id: 101 }] }, pace: null }),
];

describe("buildBinder", () => {
  test("levels come from the server's computed rows for this learner only", () => {
    const [math] = buildBinder(rows, 4);
    const [first, second] = math.topics[0].targets;
    expect(first.level).toBe(2.65);
    expect(first.level_words).toBe("developing");
    expect(first.explanation).toEqual(["Start from 2."]);
    expect(first.events.length).toBe(1);
    expect(second.level).toBeNull(); // not assessed: no level, never a zero
    expect(math.topics[0].credit.blocking).toEqual([{ id: 101 }]);
  });

  test("a rating made on this device shows until the server's level arrives", () => {
    const local = row("rating", "r1", { student_id: 4, target_id: 101, teacher_id: 2, level: 3,
      hlc: "1700000000000-0000-dev" }, { local: true });
    const [math] = buildBinder([...rows, local], 4);
    expect(math.topics[0].targets[1].level).toBe(3);
  });

  test("areas keep their order, skills apart from academics", () => {
    expect(buildBinder(rows, 4).map((a) => a.name)).toEqual(["Math", "Lifelong Learning Skills"]);
  });
});
