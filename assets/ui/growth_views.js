/**
 * "My growth" (/teacher/growth) as pure functions of the device's store (issue 17 part 3):
 * the district's educator catalog (content areas with audience "educator": their topics are
 * the microcredentials, their targets the competencies with rubrics) and the educator's own
 * binder rows (goals, evidence, reviews, with their own user id as student_id). No React, no
 * IndexedDB: bun tests call these with plain rows, growth.js feeds them the live ones.
 *
 * A piece's words come from its outbox entry first: "Saved on this phone" while pending,
 * "Sent" only once the server acknowledged it (as the review queue's cards, queue_views.js).
 */

import { t } from "./i18n.js";
import { levelText } from "./levels.js";
import { reasonText } from "./reason_text.js";
import { NEXT_PICK, NEXT_WORDS, PICK_WORDS } from "./views.js";

const same = (a, b) => String(a) === String(b);
const byPosition = (a, b) => (a.data.position ?? 0) - (b.data.position ?? 0) || String(a.id).localeCompare(String(b.id));
const live = (rows) => (rows ?? []).filter((r) => !r.deleted);

/** The educator catalog's areas, topics and targets out of all the reference rows. */
export function educatorCatalog({ areas = [], topics = [], targets = [] }) {
  const areaIds = new Set(live(areas).filter((a) => a.data.audience === "educator").map((a) => String(a.id)));
  const micro = live(topics).filter((tp) => areaIds.has(String(tp.data.content_area_id))).sort(byPosition);
  const topicIds = new Set(micro.map((tp) => String(tp.id)));
  const competencies = live(targets).filter((tg) => topicIds.has(String(tg.data.topic_id))).sort(byPosition);
  return { micro, competencies };
}

/** "$250 stipend · 10 recertification hours" (either part may be missing; "" for neither). */
export function worthText(terms) {
  const parts = [];
  if (terms?.stipend_cents !== null && terms?.stipend_cents !== undefined) {
    const dollars = Number(terms.stipend_cents) / 100;
    const amount = Number.isInteger(dollars) ? String(dollars) : dollars.toFixed(2);
    parts.push(t("${amount} stipend", { amount }));
  }
  if (terms?.recert_hours !== null && terms?.recert_hours !== undefined) {
    parts.push(t({ one: "{n} recertification hour", other: "{n} recertification hours", n: Number(terms.recert_hours) }));
  }
  return parts.join(" · ");
}

/** The latest evidence.put outbox entry per evidence id: {seq, status, reason, args}. */
export function putsOf(outbox) {
  const out = new Map();
  for (const entry of [...(outbox ?? [])].sort((a, b) => a.seq - b.seq)) {
    if (entry.name !== "evidence.put") continue;
    out.set(String(entry.args?.id), { seq: entry.seq, status: entry.status, reason: reasonText(entry.result) || entry.reason || "", args: entry.args ?? {} });
  }
  return out;
}

/** The review of a piece for its current version (its newest review row), or its summary. */
function reviewOf(reviews, ev) {
  const mine = reviews.filter((r) => same(r.data.evidence_id, ev.id)).sort((a, b) => ((a.data.hlc ?? "") < (b.data.hlc ?? "") ? 1 : -1));
  const summary = ev.data.reviewed;
  if (!summary || ev.data.edited_after_review) return null;
  const row = mine.find((r) => same(r.data.caption_version ?? 1, summary.caption_version ?? 1)) ?? mine[0];
  return { decision: summary.decision, comment: row?.data.comment ?? "", level: row?.data.level ?? null };
}

const STATE_COLORS = { not_started: "gray", working: "gray", saved: "amber", sent: "indigo", rejected: "red", returned: "tomato", approved: "grass" };

/**
 * One competency's state, from its newest piece of evidence (UUIDv7 ids: newest last made):
 * not_started / working (goal set, nothing sent) / saved (on this phone) / sent (the server
 * acknowledged it; waits for an assessor) / rejected (the server refused it: why) /
 * returned (the assessor's feedback) / approved (the level against the rubric).
 */
export function competencyState(target, { evidence, reviews, puts, isWorking }) {
  const pieces = evidence.filter((ev) => (ev.data.target_ids ?? []).some((id) => same(id, target.id)));
  const refused = [...puts.values()].filter((p) => p.status === "rejected" && (p.args.target_ids ?? []).some((id) => same(id, target.id)) && !pieces.some((ev) => same(ev.id, p.args.id)));
  const newest = pieces.sort((a, b) => String(b.id).localeCompare(String(a.id)))[0];
  const refusedNewest = refused.sort((a, b) => b.seq - a.seq)[0];
  const base = { evidence_count: pieces.length, feedback: "", level_text: "", reason: "", rejected_seq: "", reflection: "", caption: "" };
  if (refusedNewest && (!newest || String(refusedNewest.args.id) > String(newest.id))) {
    return { ...base, state: "rejected", reason: refusedNewest.reason, rejected_seq: String(refusedNewest.seq) };
  }
  if (!newest) return { ...base, state: isWorking ? "working" : "not_started" };
  const shown = { ...base, reflection: newest.data.reflection ?? "", caption: newest.data.caption || newest.data.text || "" };
  const put = puts.get(String(newest.id));
  if (put?.status === "pending") return { ...shown, state: "saved" };
  if (put?.status === "rejected") return { ...shown, state: "rejected", reason: put.reason, rejected_seq: String(put.seq) };
  if (!put && newest.local && !newest.version) return { ...shown, state: "saved" };
  const review = reviewOf(reviews, newest);
  if (review?.decision === "approved") return { ...shown, state: "approved", level_text: levelText(review.level), feedback: review.comment };
  if (review?.decision === "returned") return { ...shown, state: "returned", feedback: review.comment };
  if (!newest.data.submitted) return { ...shown, state: isWorking ? "working" : "not_started" };
  return { ...shown, state: "sent" };
}

/** The words of a competency's state. */
export function stateText(s) {
  switch (s.state) {
    case "working":
      return t("Working on it: add evidence when you are ready");
    case "saved":
      return t("Saved on this phone, not sent yet");
    case "sent":
      return t("Sent: waiting for an assessor");
    case "rejected":
      return t("Not accepted by the school's server: {reason}", { reason: (s.reason || t("no reason given")).replace(/[.。]$/, "") });
    case "returned":
      return t("Returned by the assessor");
    case "approved":
      return s.level_text ? t("Approved at level {level}", { level: s.level_text }) : t("Approved");
    default:
      return t("Not started");
  }
}

/**
 * The activities aligned to a competency (the catalog's own activities: a reading, "try it
 * in class", a peer observation), each with the educator's pick and its next step.
 */
export function activitiesFor(target, activities, picks) {
  return activities
    .filter((a) => (a.data.target_ids ?? []).some((id) => same(id, target.id)))
    .sort((a, b) => String(a.data.title).localeCompare(String(b.data.title)) || String(a.id).localeCompare(String(b.id)))
    .map((a) => {
      const pick = picks.filter((k) => same(k.data.activity_id, a.id)).sort((x, y) => String(y.id).localeCompare(String(x.id)))[0];
      const next = pick ? NEXT_PICK[pick.data.status] : null;
      return {
        id: String(a.id),
        key: `${target.id}-${a.id}`,
        title: a.data.title ?? "",
        meta_text: [a.data.kind, a.data.minutes ? t("{minutes} min", { minutes: a.data.minutes }) : ""].filter(Boolean).join(" · "),
        description: a.data.description ?? "",
        url: a.data.url ?? "",
        pick_id: pick ? String(pick.id) : "",
        is_picked: Boolean(pick),
        status_text: pick ? (PICK_WORDS[pick.data.status]?.() ?? "") : "",
        next_status: next?.[0] ?? "",
        next_label: next ? NEXT_WORDS[next[1]]() : "",
      };
    });
}

/** The competency may take new evidence now (nothing waits on it, nothing approved). */
const OPEN_STATES = new Set(["not_started", "working", "returned", "rejected"]);

/**
 * The whole page: {items: [microcredential…], is_empty, working_count}. rows: {areas, topics,
 * targets, activities, goals, picks, evidence, reviews, outbox, credentials (from the server,
 * may be [])},
 * `me` the signed-in user's id, `drafts` {targetId: {caption, reflection}}.
 */
export function growthView(rows, me, drafts = {}) {
  const { micro, competencies } = educatorCatalog(rows);
  const goals = live(rows.goals).filter((g) => same(g.data.student_id, me));
  const evidence = live(rows.evidence).filter((ev) => same(ev.data.student_id, me));
  const reviews = live(rows.reviews).filter((r) => same(r.data.student_id, me));
  const puts = putsOf(rows.outbox);
  const activities = live(rows.activities);
  const picks = live(rows.picks).filter((k) => same(k.data.student_id, me));
  const credentials = rows.credentials ?? [];
  const items = micro.map((topic) => {
    const mine = competencies.filter((tg) => same(tg.data.topic_id, topic.id));
    const goal = goals.find((g) => g.data.status !== "done" && (g.data.target_ids ?? []).some((id) => mine.some((tg) => same(tg.id, id))));
    const isWorking = Boolean(goal);
    const terms = topic.data.microcredential ?? {};
    const comps = mine.map((tg) => {
      const s = competencyState(tg, { evidence, reviews, puts, isWorking });
      const draft = drafts[String(tg.id)] ?? {};
      return {
        id: String(tg.id),
        code: tg.data.code ?? "",
        title: tg.data.title ?? "",
        rubric: (tg.data.rubric ?? []).slice().sort((a, b) => b.score - a.score).map((d) => ({ score_text: Number(d.score).toFixed(1), text: d.text })),
        has_rubric: (tg.data.rubric ?? []).length > 0,
        activities: activitiesFor(tg, activities, picks),
        ...s,
        status_text: stateText(s),
        status_color: STATE_COLORS[s.state] ?? "gray",
        can_add: isWorking && OPEN_STATES.has(s.state),
        can_dismiss: s.state === "rejected" && s.rejected_seq !== "",
        form_id: `mc-form-${tg.id}`,
        draft_caption: draft.caption ?? "",
        draft_reflection: draft.reflection ?? "",
      };
    });
    const approved = comps.filter((c) => c.state === "approved").length;
    const badge = credentials.filter((c) => same(c.topic_id, topic.id) && !c.is_revoked).sort((a, b) => String(b.issued_at).localeCompare(String(a.issued_at)))[0];
    return {
      id: String(topic.id),
      name: topic.data.name ?? "",
      description: topic.data.description ?? "",
      requirements: terms.requirements ?? "",
      worth_text: worthText(terms),
      is_working: isWorking,
      goal_id: goal ? String(goal.id) : "",
      progress_text: isWorking ? t({ one: "{done} of {n} competency approved", other: "{done} of {n} competencies approved", n: comps.length, done: approved }) : "",
      competencies: comps,
      has_badge: Boolean(badge),
      badge_name: badge?.name ?? "",
      badge_id: badge?.id ?? "",
      badge_href: badge?.download ?? "",
      badge_file: badge ? `${slug(badge.name)}.json` : "",
      badge_text: badge ? t("Awarded: {name}", { name: badge.name }) : "",
    };
  });
  items.sort((a, b) => Number(b.is_working) - Number(a.is_working));
  return { items, is_empty: items.length === 0, working_count: items.filter((i) => i.is_working).length };
}

function slug(name) {
  return (
    String(name ?? "badge")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "badge"
  );
}

/**
 * What the form says is missing, or "" when it may be sent: the reflection on transfer to
 * practice is required, and something to show (words, a photo or a file).
 */
export function formProblem({ caption = "", reflection = "", hasFile = false }) {
  if (!String(reflection).trim()) return "reflection";
  if (!String(caption).trim() && !hasFile) return "evidence";
  return "";
}
