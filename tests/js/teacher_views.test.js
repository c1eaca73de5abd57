// The teacher screens' pure view functions (assets/ui/teacher_views.js) on plain store rows.
import { describe, expect, test } from "bun:test";
import {
  classLists,
  conflictViews,
  gridView,
  hlcAfter,
  openConflictCount,
  rateView,
  readyList,
  targetHistory,
  topicOptions,
  whenWords,
} from "../../assets/ui/teacher_views.js";

const row = (type, id, data, extra = {}) => ({ type, id, version: 1, deleted: false, local: 0, data, ...extra });
const stamp = (ms, node = "d1") => `${String(1_700_000_000_000 + ms).padStart(13, "0")}-0000-${node}`;

const learners = [row("learner", 1, { display_name: "Zoe" }), row("learner", 2, { display_name: "Ana" }), row("learner", 3, { display_name: "Ben" })];
const classes = [
  row("class", 10, { name: "Math 7", teacher_id: 5, teacher_name: "Ms Lee", learner_ids: [1, 2] }),
  row("class", 11, { name: "Art", teacher_id: 5, teacher_name: "Ms Lee", learner_ids: [] }),
];
const areas = [row("content_area", 1, { name: "Math", position: 0 })];
const topics = [row("topic", 7, { content_area_id: 1, name: "Ratios", position: 0 })];
const targets = [
  row("target", 71, { topic_id: 7, code: "R.1", title: "Rates", position: 0, rubric: [{ score: 3, text: "Finds a unit rate" }] }),
  row("target", 72, { topic_id: 7, code: "R.2", title: "Tables", position: 1, rubric: [] }),
];
const staff = [row("staff", 5, { display_name: "Ms Lee" }), row("staff", 6, { display_name: "Mr Ito" })];
const level = (s, tg, value) => row("level", `${s}:${tg}`, { student_id: s, target_id: tg, level: value, level_words: "" });

describe("class lists", () => {
  test("each class with its learners by name, and a true count; an empty class says so", () => {
    const out = classLists({ classes, learners });
    expect(out.map((c) => c.name)).toEqual(["Art", "Math 7"]);
    const math = out[1];
    expect(math.learners.map((l) => l.name)).toEqual(["Ana", "Zoe"]);
    expect(math.learners[0].href).toBe("/binder/2");
    expect(math.count_text).toBe("2 learners");
    expect(out[0].learners).toEqual([]);
  });

  test("a deleted class is left out", () => {
    expect(classLists({ classes: [{ ...classes[0], deleted: true }], learners })).toEqual([]);
  });
});

describe("grid", () => {
  const rows = { classes, learners, targets, topics, areas, levels: [level(1, 71, 3.0), level(2, 71, 2.5)], ratings: [], conflicts: [], playlists: [] };

  test("rows by name, a cell per target, each learner's next target below proficient, and groups", () => {
    const grid = gridView(rows, { classId: "10", topicId: "7" });
    expect(grid.codes).toEqual(["R.1", "R.2"]);
    expect(grid.rows.map((r) => [r.name, r.next_code])).toEqual([["Ana", "R.1"], ["Zoe", "R.2"]]);
    const ana = grid.rows[0].cells;
    expect(ana.map((c) => c.text)).toEqual(["2.5", "–"]);
    expect(ana[0].label).toContain("Ana, R.1: 2.5 developing");
    expect(grid.groups.map((g) => [g.heading, g.learner_ids])).toEqual([["Next: R.1 · Rates", [2]], ["Next: R.2 · Tables", [1]]]);
    expect(grid.done_names).toBe("");
  });

  test("a rating not yet sent shows its level, marked as saved on this phone", () => {
    const unsent = row("rating", "r1", { student_id: 2, target_id: 71, teacher_id: 5, level: 3.5, hlc: stamp(1) }, { local: 1 });
    const grid = gridView({ ...rows, ratings: [unsent] }, { classId: "10", topicId: "7" });
    const cell = grid.rows[0].cells[0];
    expect(cell.waiting).toBe(true);
    expect(cell.text).toBe("3.5•");
    expect(cell.label).toContain("saved on this phone, not sent yet");
  });

  test("an open conflict is said on its cell; filters by name and next target", () => {
    const open = row("conflict", "c1", { student_id: 1, target_id: 71, status: "open", members: [], hlc: stamp(1) });
    const grid = gridView({ ...rows, conflicts: [open] }, { classId: "10", topicId: "7", name: "zo" });
    expect(grid.rows.map((r) => r.name)).toEqual(["Zoe"]);
    expect(grid.rows[0].cells[0].conflict).toBe(true);
    expect(gridView(rows, { classId: "10", topicId: "7", need: "R.2" }).rows.map((r) => r.name)).toEqual(["Zoe"]);
  });

  test("group by a profile answer: who learns best by doing, among those on a next target", () => {
    const klass = row("class", 12, { name: "Math 8", teacher_id: 5, teacher_name: "Ms Lee", learner_ids: [1, 2, 3] });
    const answer = (s, section, choices) => row("profile_section", `${s}:${section}`, { student_id: s, section, text: "", choices });
    const profiles = [answer(1, "learn_by", ["doing", "talking"]), answer(2, "learn_by", ["doing"]), answer(3, "learn_by", ["reading"]), answer(2, "show_by", ["make"])];
    const all = { ...rows, classes: [...classes, klass], profiles, levels: [level(1, 71, 3.0), level(2, 71, 2.5), level(3, 71, 3.5)] };
    const grid = gridView(all, { classId: "12", topicId: "7", by: "learn_by" });
    expect(grid.by_answer).toBe(true);
    expect(grid.groups.map((g) => [g.heading, g.learner_ids])).toEqual([
      ["Learns best by reading", [3]],
      ["Learns best by doing", [2, 1]],
      ["Learns best by talking", [1]],
    ]);
    expect(grid.groups[1].target_id).toBe("learn_by-doing");
    expect(grid.done_names).toBe("");
    // "among those on R.2": Ben (3) and Zoe (1) are on R.2; Ana (2) is on R.1
    const onR2 = gridView(all, { classId: "12", topicId: "7", by: "learn_by", need: "R.2" });
    expect(onR2.groups.map((g) => [g.heading, g.learner_ids])).toEqual([
      ["Learns best by reading, on R.2", [3]],
      ["Learns best by doing, on R.2", [1]],
      ["Learns best by talking, on R.2", [1]],
    ]);
    // a section nobody answered: no groups, and who has not answered is named
    const engaged = gridView(all, { classId: "12", topicId: "7", by: "engage_by" });
    expect(engaged.groups).toEqual([]);
    expect(engaged.not_said_names).toBe("Ana, Ben, Zoe");
    // a deleted row is no answer; next target stays the default grouping
    const gone = gridView({ ...all, profiles: profiles.map((r) => ({ ...r, deleted: r.id === "3:learn_by" })) }, { classId: "12", topicId: "7", by: "learn_by" });
    expect(gone.not_said_names).toBe("Ben");
    expect(gridView(all, { classId: "12", topicId: "7" }).by_answer).toBe(false);
  });

  test("topic choices name their area", () => {
    expect(topicOptions({ areas, topics })).toEqual([{ value: "7", label: "Math: Ratios" }]);
  });
});

describe("conflicts with context", () => {
  const members = [{ teacher_id: 5, level: 3, hlc: stamp(100, "a") }, { teacher_id: 6, level: 2, hlc: stamp(200, "b") }];
  const conflict = row("conflict", "c1", { student_id: 2, target_id: 71, status: "open", members, hlc: stamp(300) });
  const events = [
    row("event", "e1", { student_id: 2, target_id: 71, level: 3, source: "teacher", author_id: 5, hlc: stamp(100, "a"), note: "Solved both unit rates" }),
    row("event", "e2", { student_id: 2, target_id: 71, level: 2, source: "teacher", author_id: 6, hlc: stamp(200, "b"), note: "" }),
    row("event", "e0", { student_id: 2, target_id: 71, level: 2.5, source: "self", author_id: 2, hlc: stamp(50), note: "ready to demonstrate" }),
  ];
  const evidence = [row("evidence", "ev1", { student_id: 2, caption: "Unit rate poster" })];
  const reviews = [row("review", "rv1", { evidence_id: "ev1", student_id: 2, target_id: 71, teacher_id: 5, decision: "approved", level: 3 })];
  const rows = { conflicts: [conflict], learners, targets, staff, events, ratings: [], reviews, evidence };

  test("each side says who, the level, its note and the evidence behind it; the history is newest first", () => {
    const [view] = conflictViews(rows);
    expect(view.learner_name).toBe("Ana");
    expect(view.target_text).toBe("R.1 · Rates");
    const [lee, ito] = view.sides;
    expect([lee.teacher_name, lee.level, lee.level_words]).toEqual(["Ms Lee", "3.0", "proficient"]);
    expect(lee.note).toBe("Note: Solved both unit rates");
    expect(lee.evidence).toBe("Evidence: Unit rate poster");
    expect(ito.note).toBe("No note with this rating.");
    expect(ito.evidence).toContain("No evidence");
    expect(lee.when).not.toBe("");
    expect(view.history.map((h) => h.id)).toEqual(["e2", "e1", "e0"]);
    expect(view.history[2].text).toContain("Learner's own view");
  });

  test("a settled conflict leaves the list and the count unless it was settled on this page", () => {
    const settled = { ...conflict, data: { ...conflict.data, status: "resolved" } };
    expect(conflictViews({ ...rows, conflicts: [settled] })).toEqual([]);
    expect(conflictViews({ ...rows, conflicts: [settled] }, new Set(["c1"]))[0].is_open).toBe(false);
    expect(openConflictCount([conflict, settled])).toBe(1);
    expect(openConflictCount([settled])).toBe(0);
  });

  test("a settlement saved on this phone is read from the outbox (after a reload too): its level, Undo, then Sent", () => {
    const settled = { ...conflict, data: { ...conflict.data, status: "resolved", resolved_level: 3 } };
    const entry = { seq: 7, name: "conflict.resolve", status: "pending", args: { conflict_id: "c1", level: 2, note: "Her second proof" } };
    // no page memory: the outbox entry alone keeps the card, with the level it names
    const [view] = conflictViews({ ...rows, conflicts: [settled], outbox: [entry] });
    expect(view.is_open).toBe(false);
    expect(view.settled_text).toBe("Settled at 2.0 · Saved on this phone");
    expect([view.can_undo, view.seq, view.is_locked]).toEqual([true, "7", true]);
    const [sent] = conflictViews({ ...rows, conflicts: [settled], outbox: [{ ...entry, status: "acked" }] });
    expect([sent.settled_text, sent.can_undo]).toEqual(["Settled at 2.0 · Sent", false]);
    // settled here, its entry gone: the row's level, sent
    expect(conflictViews({ ...rows, conflicts: [settled] }, new Set(["c1"]))[0].settled_text).toBe("Settled at 3.0 · Sent");
    // refused by the server: the card is open again and says why
    const [refused] = conflictViews({ ...rows, outbox: [{ ...entry, status: "rejected", reason: "already resolved" }] });
    expect([refused.is_open, refused.is_locked, refused.can_undo, refused.settled_text]).toEqual([true, false, false, ""]);
    expect(refused.status_text).toContain("already resolved");
    // an open card with nothing in the outbox: nothing to say
    expect(conflictViews(rows)[0]).toMatchObject({ status_text: "", settled_text: "", can_undo: false, is_locked: false });
  });

  test("two teachers at the same level read as agreeing, not as a disagreement", () => {
    const same = members.map((m) => ({ ...m, level: 1.5 }));
    const [view] = conflictViews({ ...rows, conflicts: [{ ...conflict, data: { ...conflict.data, members: same } }] });
    expect(view.agree_text).toBe("Both rated 1.5 · emerging");
    expect(conflictViews(rows)[0].agree_text).toBe("");
  });

  test("history is bounded", () => {
    const many = Array.from({ length: 12 }, (_, i) => row("event", `m${i}`, { student_id: 2, target_id: 71, level: 2, source: "teacher", author_id: 5, hlc: stamp(i) }));
    expect(targetHistory(many, new Map(), 2, 71)).toHaveLength(5);
  });
});

describe("when, in words only within this week", () => {
  const at = (y, mo, d, h, mi) => new Date(y, mo - 1, d, h, mi).getTime();
  const hlc = (ms) => `${ms}-0000-d1`;
  const now = at(2026, 12, 6, 6, 0); // a Sunday

  test("this week: the weekday and time; older or far ahead: the date and time", () => {
    expect(whenWords(hlc(at(2026, 12, 3, 13, 42)), now)).toBe("Thursday 13:42");
    expect(whenWords(hlc(at(2026, 11, 30, 0, 5)), now)).toBe("Monday 00:05"); // six days back
    const old = whenWords(hlc(at(2026, 4, 23, 13, 42)), now);
    expect(old).toContain("2026");
    expect(old).toContain("Apr");
    expect(old).not.toContain("Thursday");
    // a week ago to the day would read as today's weekday: it gets its date
    expect(whenWords(hlc(at(2026, 11, 29, 23, 0)), now)).toContain("Nov");
    expect(whenWords(hlc(at(2027, 1, 20, 9, 0)), now)).toContain("2027");
    expect(whenWords("", now)).toBe("");
  });
});

describe("ready to demonstrate", () => {
  const ask = row("self_assessment", "s1", { student_id: 2, target_id: 71, level: 3, note: "Ready to demonstrate", hlc: stamp(100) });
  const plain = row("self_assessment", "s2", { student_id: 1, target_id: 71, level: 2, note: "still working", hlc: stamp(100) });

  test("a request shows until a teacher rates that target after it", () => {
    const rows = { selfAssessments: [ask, plain], ratings: [], events: [], learners, targets };
    const list = readyList(rows);
    expect(list.map((r) => [r.learner_name, r.target_text])).toEqual([["Ana", "R.1 · Rates"]]);
    expect(list[0].detail).toContain("Thinks they are at 3.0 · proficient");
    expect(list[0].rate_href).toBe("/teacher/learners/2/targets/71");
    const before = row("rating", "r0", { student_id: 2, target_id: 71, teacher_id: 5, level: 2, hlc: stamp(50) });
    expect(readyList({ ...rows, ratings: [before] })).toHaveLength(1);
    const after = row("rating", "r1", { student_id: 2, target_id: 71, teacher_id: 5, level: 3, hlc: stamp(150) });
    expect(readyList({ ...rows, ratings: [after] })).toEqual([]);
  });
});

describe("rate", () => {
  test("names, the rubric and the level now; an unknown learner is not found", () => {
    const rows = { learners, targets, levels: [level(2, 71, 2.5)], selfAssessments: [], ratings: [], events: [], staff };
    const view = rateView(rows, 2, 71);
    expect([view.learner_name, view.target_text, view.level, view.level_words]).toEqual(["Ana", "R.1 · Rates", "2.5", "developing"]);
    expect(view.rubric).toEqual([{ score: "3.0", text: "Finds a unit rate" }]);
    expect(rateView(rows, 99, 71).found).toBe(false);
  });

  test("stamps order by wall clock then counter", () => {
    expect(hlcAfter(stamp(2), stamp(1))).toBe(true);
    expect(hlcAfter(stamp(1), stamp(1))).toBe(false);
  });
});
