/** "My growth" as a pure view (assets/ui/growth_views.js), and the review queue's marking of an educator's microcredential piece (queue_views.js). */

import { expect, test } from "bun:test";
import { activitiesFor, competencyState, educatorCatalog, formProblem, growthView, putsOf, worthText } from "../../assets/ui/growth_views.js";
import { buildQueue, queueEvidence } from "../../assets/ui/queue_views.js";

const ME = 5;
const ref = (type, id, data) => ({ type, id, version: 1, deleted: false, local: 0, data });
const catalog = () => ({
  areas: [ref("content_area", 1, { name: "Math", audience: "learner" }), ref("content_area", 2, { name: "Educator growth", audience: "educator" })],
  topics: [
    ref("topic", 10, { content_area_id: 1, name: "Fractions", position: 0 }),
    ref("topic", 20, { content_area_id: 2, name: "Student-Centered Feedback", position: 0, microcredential: { requirements: "Two cycles", stipend_cents: 25000, recert_hours: 10 } }),
  ],
  targets: [
    ref("target", 100, { topic_id: 10, code: "M1", title: "Halves" }),
    ref("target", 200, { topic_id: 20, code: "SCF.1", title: "Feedback", position: 0, rubric: [{ score: 3, text: "Proficient" }, { score: 4, text: "Beyond" }] }),
    ref("target", 201, { topic_id: 20, code: "SCF.2", title: "Follow-up", position: 1, rubric: [] }),
  ],
});
const piece = (id, extra = {}) => ref("evidence", id, { student_id: ME, kind: "text", caption: "Lesson", text: "Lesson", target_ids: [200], reflection: "I ask more", submitted: true, caption_version: 1, ...extra });
const goal = ref("goal", "g1", { student_id: ME, title: "SCF", target_ids: [200, 201], status: "active" });
const put = (seq, id, status, extra = {}) => ({ seq, name: "evidence.put", args: { id, student_id: ME, target_ids: [200] }, status, ...extra });
const view = (extra) => growthView({ ...catalog(), goals: [goal], evidence: [], reviews: [], outbox: [], credentials: [], ...extra }, ME);

test("the catalog is the educator areas' topics and their targets only", () => {
  const { micro, competencies } = educatorCatalog(catalog());
  expect(micro.map((t) => t.id)).toEqual([20]);
  expect(competencies.map((t) => t.id)).toEqual([200, 201]);
});

test("what a microcredential is worth, in words", () => {
  expect(worthText({ stipend_cents: 25000, recert_hours: 10 })).toBe("$250 stipend · 10 recertification hours");
  expect(worthText({ stipend_cents: 12550, recert_hours: null })).toBe("$125.50 stipend");
  expect(worthText({})).toBe("");
});

test("not started, then working once a goal names its competencies", () => {
  const none = growthView({ ...catalog(), goals: [], evidence: [], reviews: [], outbox: [] }, ME);
  expect(none.items[0].is_working).toBe(false);
  expect(none.items[0].competencies[0].state).toBe("not_started");
  expect(none.items[0].competencies[0].can_add).toBe(false);
  const working = view({});
  expect(working.items[0].is_working).toBe(true);
  expect(working.items[0].requirements).toBe("Two cycles");
  expect(working.items[0].competencies.map((c) => c.state)).toEqual(["working", "working"]);
  expect(working.items[0].competencies[0].can_add).toBe(true);
  expect(working.items[0].competencies[0].rubric[0]).toEqual({ score_text: "4.0", text: "Beyond" });
});

test("saved on this phone until the server acknowledged the piece, then sent", () => {
  const local = { ...piece("e1"), version: 0, local: 1 };
  expect(view({ evidence: [local], outbox: [put(1, "e1", "pending")] }).items[0].competencies[0].state).toBe("saved");
  // a local row and no outbox entry read yet: still not "sent"
  expect(view({ evidence: [local], outbox: [] }).items[0].competencies[0].state).toBe("saved");
  const sent = view({ evidence: [local], outbox: [put(1, "e1", "acked")] }).items[0].competencies[0];
  expect(sent.state).toBe("sent");
  expect(sent.status_text).toBe("Sent: waiting for an assessor");
  expect(sent.can_add).toBe(false);
});

test("a refused piece says why, and the competency takes evidence again", () => {
  const refused = put(3, "e9", "rejected", { result: { status: "rejected", code: "microcredential.reflection_required", reason: "Add a reflection." } });
  const c = view({ outbox: [refused] }).items[0].competencies[0];
  expect(c.state).toBe("rejected");
  expect(c.rejected_seq).toBe("3");
  expect(c.can_add).toBe(true);
});

test("returned with the assessor's feedback; approved with the rubric level", () => {
  const reviewed = (decision, level) => ({
    evidence: [piece("e1", { reviewed: { decision, caption_version: 1 } })],
    reviews: [ref("review", "r1", { evidence_id: "e1", student_id: ME, target_id: 200, decision, comment: "Show the follow-up", level, caption_version: 1, hlc: "1-0-a" })],
  });
  const back = view(reviewed("returned", null)).items[0].competencies[0];
  expect(back.state).toBe("returned");
  expect(back.feedback).toBe("Show the follow-up");
  expect(back.can_add).toBe(true);
  const ok = view(reviewed("approved", 3)).items[0].competencies[0];
  expect(ok.state).toBe("approved");
  expect(ok.status_text).toBe("Approved at level 3.0");
  expect(ok.can_add).toBe(false);
});

test("someone else's rows never count as mine", () => {
  const theirs = piece("e1", { student_id: 99 });
  expect(view({ evidence: [theirs] }).items[0].competencies[0].state).toBe("working");
});

test("the badge shows once the server issued it for that microcredential", () => {
  const v = view({ credentials: [{ id: "c1", name: "Student-Centered Feedback", topic_id: 20, issued_at: "2026-01-01", download: "/api/credentials/c1/download" }] });
  expect(v.items[0].has_badge).toBe(true);
  expect(v.items[0].badge_href).toBe("/api/credentials/c1/download");
  expect(v.items[0].badge_file).toBe("student-centered-feedback.json");
  expect(view({ credentials: [{ id: "c2", topic_id: 20, is_revoked: true }] }).items[0].has_badge).toBe(false);
});

test("the reflection on transfer to practice is required before anything else", () => {
  expect(formProblem({ caption: "Lesson", reflection: "  " })).toBe("reflection");
  expect(formProblem({ caption: "", reflection: "It changed", hasFile: false })).toBe("evidence");
  expect(formProblem({ caption: "", reflection: "It changed", hasFile: true })).toBe("");
});

test("the latest evidence.put per piece wins", () => {
  const puts = putsOf([put(2, "e1", "acked"), put(1, "e1", "pending"), { seq: 3, name: "goal.put", args: {} }]);
  expect(puts.get("e1").status).toBe("acked");
  expect(competencyState({ id: 200 }, { evidence: [], reviews: [], puts, isWorking: false }).state).toBe("not_started");
});

test("the review queue marks an educator's piece, names them from the staff rows, shows the reflection and rubric", () => {
  const c = catalog();
  const items = buildQueue({
    evidence: [piece("e1")],
    learner: [],
    staff: [ref("staff", ME, { display_name: "Ms. Rivera" })],
    target: c.targets,
    topic: c.topics,
    content_area: c.areas,
    class: [],
    outbox: [],
  });
  expect(items).toHaveLength(1);
  expect(items[0].learner_name).toBe("Ms. Rivera");
  expect(items[0].is_micro).toBe(true);
  expect(items[0].micro_text).toBe("Microcredential: Student-Centered Feedback");
  expect(items[0].reflection).toBe("I ask more");
  expect(items[0].rubric.map((r) => r.score_text)).toEqual(["4.0", "3.0"]);
  expect(items[0].comment_label).toBe("Feedback for the educator");
  const back = buildQueue({ evidence: [piece("e1")], learner: [], staff: [ref("staff", ME, { display_name: "Ms. Rivera" })], target: c.targets, topic: c.topics, content_area: c.areas, class: [], outbox: [{ seq: 1, name: "evidence.review", args: { evidence_id: "e1", decision: "returned" }, status: "pending" }] });
  expect(back[0].decision_text).toBe("Returned to the educator");
  const learnerPiece = buildQueue({ evidence: [piece("e2", { student_id: 11, target_ids: [100] })], learner: [ref("learner", 11, { display_name: "Ana" })], target: c.targets, topic: c.topics, content_area: c.areas, class: [], outbox: [] });
  expect(learnerPiece[0].is_micro).toBe(false);
  expect(learnerPiece[0].rubric).toEqual([]);
});

test("a competency's activities with my pick and its next step (not someone else's pick)", () => {
  const activities = [
    ref("activity", 1, { title: "Try it in class", kind: "practice", minutes: 45, target_ids: [200] }),
    ref("activity", 2, { title: "Read: feedback that moves learning", kind: "reading", target_ids: [200, 201] }),
    ref("activity", 3, { title: "Other", kind: "reading", target_ids: [100] }),
  ];
  const picks = [ref("pick", "p1", { student_id: ME, activity_id: 2, status: "in_progress" })];
  const list = activitiesFor({ id: 200 }, activities, picks);
  expect(list.map((a) => a.title)).toEqual(["Read: feedback that moves learning", "Try it in class"]);
  expect(list[0]).toMatchObject({ is_picked: true, pick_id: "p1", status_text: "In progress", next_status: "done", next_label: "Mark done" });
  expect(list[1]).toMatchObject({ is_picked: false, next_status: "", meta_text: "practice · 45 min" });
  const v = view({ activities, picks: [...picks, ref("pick", "p2", { student_id: 99, activity_id: 1, status: "done" })] });
  expect(v.items[0].competencies[0].activities.map((a) => a.is_picked)).toEqual([true, false]);
});

test("a teacher's own microcredential evidence never waits in their own review queue", () => {
  const rows = [piece("e1"), piece("e2", { student_id: 11 })];
  expect(queueEvidence(rows, new Set(), ME).map((r) => r.id)).toEqual(["e2"]);
  expect(queueEvidence(rows).map((r) => r.id)).toEqual(["e1", "e2"]);
});
