/**
 * What the learner's offline screens render, computed from the local rows (pure functions,
 * no React, no IndexedDB). A level's words, colour and number come from levels.js, generated
 * from the server's table, so a level reads the same on an online page and an offline one.
 * Every list is plain JSON for rx.foreach.
 */

// The scale's words, colours and display rule: generated from backend/mastery/words.py.
import { LEVEL_COLORS, LEVEL_WORDS, PROFICIENT, colorOf, levelText, levelWords, reaches } from "./levels.js";

export { LEVEL_COLORS, LEVEL_WORDS, levelWords };
export const SCALE_NAMES = { 2: "Foundational", 3: "Target", 4: "Beyond" };
// "Ready to demonstrate" is a self-assessment whose note says so (the teachers' queue,
// backend/api/teaching/queries.py, reads exactly that); a later teacher event answers it.
export const READY_NOTE = "Ready to demonstrate";
const PICK_WORDS = { picked: "Picked", in_progress: "In progress", done: "Done" };
const NEXT_PICK = { picked: ["in_progress", "Start"], in_progress: ["done", "Mark done"], done: null };
const SOURCE_WORDS = { teacher: "Teacher", self: "Self-assessment", peer: "Peer" };

const same = (a, b) => String(a) === String(b);
const byPosition = (a, b) => (a.data.position ?? 0) - (b.data.position ?? 0) || String(a.id).localeCompare(String(b.id));
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** {level_text, level_words, level_color} of a level (or of none). */
export function levelView(level) {
  const words = levelWords(level);
  return { level_text: levelText(level), level_words: words, level_color: colorOf(words) };
}

/** A day from an HLC stamp ("1700000000000-0000-node"), e.g. "14 Nov 2023"; "" without one. */
export function hlcDay(hlc) {
  const ms = Number(String(hlc ?? "").split("-", 1)[0]);
  if (!ms) return "";
  return new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** Events oldest first: stamped ones by HLC after unstamped (imported) ones, which keep server order. */
function eventOrder(a, b) {
  const [ha, hb] = [a.data.hlc ?? "", b.data.hlc ?? ""];
  if (ha !== hb) return ha < hb ? -1 : 1;
  return (a.version || Infinity) - (b.version || Infinity);
}

/**
 * Index the rows once: live rows by type, and the learner's own rows. A target's level is
 * the server's `level` row (worked out with the school's calculation method, pulled with
 * ?computed=1); a target without one yet falls back to its latest teacher score.
 */
export function indexRows(rows, studentId) {
  const live = {};
  for (const row of rows) {
    if (row.deleted) continue;
    (live[row.type] ??= []).push(row);
  }
  const mine = (type) => (live[type] ?? []).filter((r) => same(r.data.student_id, studentId));
  const events = mine("event").sort(eventOrder);
  const teacherLevel = new Map();
  for (const e of events) if (e.data.source === "teacher" && e.data.level !== null && e.data.level !== undefined) teacherLevel.set(String(e.data.target_id), e.data.level);
  const computed = new Map(mine("level").map((r) => [String(r.data.target_id), r.data]));
  for (const [targetId, row] of computed) if (row.level !== null && row.level !== undefined) teacherLevel.set(targetId, row.level);
  const targets = (live.target ?? []).slice().sort(byPosition);
  return {
    live,
    studentId,
    targets,
    targetById: new Map(targets.map((t) => [String(t.id), t])),
    topicById: new Map((live.topic ?? []).map((t) => [String(t.id), t])),
    events,
    teacherLevel,
    computed,
    selfBy: new Map(mine("self_assessment").map((r) => [String(r.data.target_id), r])),
    evidence: mine("evidence"),
    goals: mine("goal"),
    picks: mine("pick"),
    reviews: mine("review"),
  };
}

const taggedWith = (ev, targetId) => (ev.data.target_ids ?? []).some((t) => same(t, targetId));

function isReady(ix, targetId) {
  const self = ix.selfBy.get(String(targetId));
  if (!self || !String(self.data.note ?? "").toLowerCase().includes(READY_NOTE.toLowerCase())) return false;
  const stamp = self.data.hlc ?? "";
  return !ix.events.some((e) => e.data.source === "teacher" && same(e.data.target_id, targetId) && (e.data.hlc ?? "") > stamp);
}

function targetView(ix, t) {
  const level = ix.teacherLevel.get(String(t.id)) ?? null;
  // counted in the store when the screen did not read the evidence rows themselves
  const count = ix.evidenceCounts ? (ix.evidenceCounts.get(String(t.id)) ?? 0) : ix.evidence.filter((ev) => taggedWith(ev, t.id)).length;
  const self = ix.selfBy.get(String(t.id));
  return {
    id: t.id,
    code: t.data.code,
    title: t.data.title,
    href: `/learner/target?id=${encodeURIComponent(t.id)}`,
    scale_text: `${SCALE_NAMES[t.data.scale_level] ?? "Level"} ${Number(t.data.scale_level ?? 0).toFixed(1)}`,
    ...levelView(level),
    level,
    self_text: self ? `you said ${levelText(self.data.level)}` : "",
    evidence_text: count ? plural(count, "piece") + " of evidence" : "",
    is_ready: isReady(ix, t.id),
  };
}

/** The binder: academic areas and Lifelong Learning Skills apart, topics with progress. */
export function binderView(ix) {
  const topicsOf = (areaId) =>
    (ix.live.topic ?? [])
      .filter((t) => same(t.data.content_area_id, areaId))
      .sort(byPosition)
      .map((topic) => {
        const targets = ix.targets.filter((t) => same(t.data.topic_id, topic.id)).map((t) => targetView(ix, t));
        // counted from the number shown, as the server counts (a 2.98 shows 3.0 and counts)
        const done = targets.filter((t) => reaches(t.level, PROFICIENT)).length;
        return {
          id: topic.id,
          name: topic.data.name,
          level_text: topic.data.level !== null && topic.data.level !== undefined ? `Level ${topic.data.level}` : "",
          progress_text: `${done} of ${targets.length} targets proficient`,
          progress_percent: targets.length ? Math.round((100 * done) / targets.length) : 0,
          targets,
        };
      });
  const areas = (ix.live.content_area ?? []).slice().sort(byPosition).map((a) => ({
    id: a.id,
    name: a.data.name,
    is_academic: a.data.is_academic !== false,
    is_name_shown: a.data.name !== "Lifelong Learning Skills",
    topics: topicsOf(a.id),
  }));
  return { academic: areas.filter((a) => a.is_academic), skills: areas.filter((a) => !a.is_academic), is_loaded: areas.length > 0 };
}

function reviewOf(ix, ev) {
  const reviews = ix.reviews.filter((r) => same(r.data.evidence_id, ev.id)).sort((a, b) => ((a.data.hlc ?? "") < (b.data.hlc ?? "") ? 1 : -1));
  return reviews[0]?.data ?? ev.data.reviewed ?? null;
}

/** One piece of evidence with its status in words: waiting to upload … approved / returned. */
export function evidenceView(ix, ev, blobs, uploads) {
  const sha = ev.data.blob_sha256;
  const blob = sha ? blobs.get(sha) : null;
  const upload = sha ? uploads[sha] : null;
  const review = reviewOf(ix, ev);
  let status = "Saved on this device";
  let color = "gray";
  let comment = "";
  if (blob?.status === "failed") [status, color] = [`Upload refused: ${blob.reason ?? "the server did not accept this file"}`, "red"];
  else if (upload) [status, color] = [`Uploading ${upload.percent}%`, "blue"];
  else if (blob && blob.status !== "uploaded") [status, color] = ["Waiting to upload", "amber"];
  else if (review && !ev.data.edited_after_review) {
    comment = review.comment ?? "";
    [status, color] = review.decision === "approved" ? ["Approved", "grass"] : ["Returned", "tomato"];
  } else if (ev.data.submitted) [status, color] = [ev.data.edited_after_review ? "Changed after review: waiting for review" : "Waiting for review", "indigo"];
  const names = (ev.data.target_ids ?? []).map((t) => ix.targetById.get(String(t))?.data.code ?? `#${t}`);
  return {
    id: ev.id,
    caption: ev.data.caption || "(no caption)",
    kind: ev.data.kind,
    targets_text: names.length ? `For ${names.join(", ")}` : "Not tagged to a target yet",
    status_text: status,
    status_color: color,
    comment,
    is_pending: Boolean(ev.local),
  };
}

/** One learning target's page: rubric, history of events, evidence, self-assessment. */
export function targetDetailView(ix, targetId, blobs, uploads) {
  const t = ix.targetById.get(String(targetId));
  if (!t) return { is_found: false, method_text: "" };
  const base = targetView(ix, t);
  const self = ix.selfBy.get(String(t.id));
  const events = ix.events
    .filter((e) => same(e.data.target_id, t.id))
    .reverse()
    .map((e) => ({
      id: e.id,
      level_text: e.data.level === null || e.data.level === undefined ? "no score" : levelText(e.data.level),
      source_text: SOURCE_WORDS[e.data.source] ?? e.data.source,
      when_text: hlcDay(e.data.hlc),
      note: e.data.note ?? "",
    }));
  return {
    is_found: true,
    ...base,
    topic_name: ix.topicById.get(String(t.data.topic_id))?.data.name ?? "",
    method_text: ix.computed.get(String(t.id))?.method_label ?? "",
    rubric: (t.data.rubric ?? []).slice().sort((a, b) => b.score - a.score).map((d) => ({ score_text: Number(d.score).toFixed(1), text: d.text })),
    events,
    evidence: ix.evidence.filter((ev) => taggedWith(ev, t.id)).map((ev) => evidenceView(ix, ev, blobs, uploads)),
    self_level: self ? levelText(self.data.level) : "",
    self_note: self?.data.note ?? "",
  };
}

/** Targets as options for a picker: [{id, label}], grouped by topic order. */
export function targetOptions(ix) {
  return ix.targets.map((t) => ({ id: String(t.id), label: `${t.data.code} · ${t.data.title}` }));
}

/** One goal as its card shows it, with its linked targets in words. */
export function goalView(ix, g) {
  const ids = (g.data.target_ids ?? []).map(String);
  return {
    id: g.id,
    title: g.data.title,
    status: g.data.status,
    is_done: g.data.status === "done",
    status_text: g.data.status === "done" ? "Done" : "Active",
    due_on: g.data.due_on ?? "",
    due_text: g.data.due_on ? `Due ${g.data.due_on}` : "No due date",
    reflection: g.data.reflection ?? "",
    target_ids: ids,
    targets_text: ids.length ? ids.map((id) => ix.targetById.get(id)?.data.code ?? `#${id}`).join(", ") : "No targets linked",
    is_pending: Boolean(g.local),
  };
}

/** The learner's goals, open ones first, each with its linked targets in words. */
export function goalsView(ix) {
  const goals = ix.goals.map((g) => goalView(ix, g)).sort((a, b) => Number(a.is_done) - Number(b.is_done) || String(b.id).localeCompare(String(a.id)));
  return { goals, options: targetOptions(ix) };
}

/** Playlists assigned to the learner (by the server's reading rules), with their picks. */
export function playlistsView(ix) {
  const activities = new Map((ix.live.activity ?? []).map((a) => [String(a.id), a]));
  const visible = (ix.live.playlist ?? []).filter((p) => p.data.student_id === null || p.data.student_id === undefined || same(p.data.student_id, ix.studentId));
  const playlists = visible.map((p) => {
    const forWhat = p.data.target_id ? ix.targetById.get(String(p.data.target_id)) : null;
    const topic = p.data.topic_id ? ix.topicById.get(String(p.data.topic_id)) : null;
    return {
      id: p.id,
      title: p.data.title,
      for_text: forWhat ? `For ${forWhat.data.code} · ${forWhat.data.title}` : topic ? `For ${topic.data.name}` : "",
      activities: (p.data.activity_ids ?? [])
        .map((id) => activities.get(String(id)))
        .filter(Boolean)
        .map((a) => {
          const pick = ix.picks.filter((k) => same(k.data.activity_id, a.id)).sort((x, y) => String(y.id).localeCompare(String(x.id)))[0];
          const next = pick ? NEXT_PICK[pick.data.status] : null;
          return {
            id: String(a.id),
            title: a.data.title,
            meta_text: [a.data.kind, a.data.modality, a.data.minutes ? `${a.data.minutes} min` : ""].filter(Boolean).join(" · "),
            description: a.data.description ?? "",
            url: a.data.url ?? "",
            pick_id: pick?.id ?? "",
            status_text: pick ? PICK_WORDS[pick.data.status] : "",
            is_picked: Boolean(pick),
            next_status: next?.[0] ?? "",
            next_label: next?.[1] ?? "",
          };
        }),
    };
  });
  return { playlists, options: targetOptions(ix) };
}

/** All the learner's evidence, newest first. */
export function evidenceListView(ix, blobs, uploads) {
  const items = ix.evidence
    .slice()
    .sort((a, b) => String(b.id).localeCompare(String(a.id)))
    .map((ev) => evidenceView(ix, ev, blobs, uploads));
  return { items, options: targetOptions(ix) };
}
