/**
 * What the learner's offline screens render, computed from the local rows (pure functions,
 * no React, no IndexedDB). A level's words, colour and number come from levels.js, generated
 * from the server's table, so a level reads the same on an online page and an offline one.
 * Every list is plain JSON for rx.foreach.
 */

// The scale's words, colours and display rule: generated from backend/mastery/words.py.
import { LEVEL_COLORS, LEVEL_WORDS, PROFICIENT, colorOf, levelText, levelWords, reaches } from "./levels.js";
import { t } from "./i18n.js";
import { dayText, renderSentence } from "./sentence.js";

export { LEVEL_COLORS, LEVEL_WORDS, levelWords };
// each name a literal t("…") at its definition, so the catalog extractor finds it
export const SCALE_NAMES = { 2: () => t("Foundational"), 3: () => t("Target"), 4: () => t("Beyond") };
// "Ready to demonstrate" is a self-assessment whose note says so (the teachers' list,
// readyList in teacher_views.js, reads exactly that); a later teacher event answers it.
import { READY_NOTE } from "../sync/ready.js"; // one rule with the store's ask index
export { READY_NOTE };
// msgids, translated where shown: t("Picked"), t("Start"), t("Teacher")…
// (a teacher's microcredential activities say the same: growth_views.js)
export const PICK_WORDS = { picked: () => t("Picked"), in_progress: () => t("In progress"), done: () => t("Done") };
export const NEXT_PICK = { picked: ["in_progress", "Start"], in_progress: ["done", "Mark done"], done: null };
export const NEXT_WORDS = { Start: () => t("Start"), "Mark done": () => t("Mark done") };
const SOURCE_WORDS = { teacher: () => t("Teacher"), self: () => t("Self-assessment"), peer: () => t("Peer") };

const same = (a, b) => String(a) === String(b);
const byPosition = (a, b) => (a.data.position ?? 0) - (b.data.position ?? 0) || String(a.id).localeCompare(String(b.id));

/** {level_text, level_words, level_color} of a level (or of none). */
export function levelView(level) {
  const words = levelWords(level);
  return { level_text: levelText(level), level_words: words, level_color: colorOf(words) };
}

/** A day from an HLC stamp ("1700000000000-0000-node"), e.g. "14 Nov 2023"; "" without one. */
export function hlcDay(hlc) {
  const ms = Number(String(hlc ?? "").split("-", 1)[0]);
  return ms ? dayText(ms) : "";
}

/** When an event was assessed, in the one date format: its day, else its HLC stamp's day. */
export function eventDay(data) {
  return data.assessed_on ? dayText(String(data.assessed_on).slice(0, 10)) : hlcDay(data.hlc);
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
    targetById: new Map(targets.map((tg) => [String(tg.id), tg])),
    topicById: new Map((live.topic ?? []).map((tg) => [String(tg.id), tg])),
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

const taggedWith = (ev, targetId) => (ev.data.target_ids ?? []).some((tg) => same(tg, targetId));

function isReady(ix, targetId) {
  const self = ix.selfBy.get(String(targetId));
  if (!self || !String(self.data.note ?? "").toLowerCase().includes(READY_NOTE.toLowerCase())) return false;
  const stamp = self.data.hlc ?? "";
  return !ix.events.some((e) => e.data.source === "teacher" && same(e.data.target_id, targetId) && (e.data.hlc ?? "") > stamp);
}

function targetView(ix, tg) {
  const level = ix.teacherLevel.get(String(tg.id)) ?? null;
  // counted in the store when the screen did not read the evidence rows themselves
  const count = ix.evidenceCounts ? (ix.evidenceCounts.get(String(tg.id)) ?? 0) : ix.evidence.filter((ev) => taggedWith(ev, tg.id)).length;
  const self = ix.selfBy.get(String(tg.id));
  return {
    id: tg.id,
    code: tg.data.code,
    title: tg.data.title,
    href: `/learner/target?id=${encodeURIComponent(tg.id)}`,
    scale_text: t("{scale} {number}", { scale: SCALE_NAMES[tg.data.scale_level]?.() ?? t("Level"), number: Number(tg.data.scale_level ?? 0).toFixed(1) }),
    ...levelView(level),
    level,
    self_text: self ? t("you said {level}", { level: levelText(self.data.level) }) : "",
    evidence_text: count ? t({ one: "{n} piece of evidence", other: "{n} pieces of evidence", n: count }) : "",
    is_ready: isReady(ix, tg.id),
  };
}

/** The binder: academic areas and Lifelong Learning Skills apart, topics with progress. */
export function binderView(ix) {
  const topicsOf = (areaId) =>
    (ix.live.topic ?? [])
      .filter((tg) => same(tg.data.content_area_id, areaId))
      .sort(byPosition)
      .map((topic) => {
        const targets = ix.targets.filter((tg) => same(tg.data.topic_id, topic.id)).map((tg) => targetView(ix, tg));
        // counted from the number shown, as the server counts (a 2.98 shows 3.0 and counts)
        const done = targets.filter((tg) => reaches(tg.level, PROFICIENT)).length;
        return {
          id: topic.id,
          name: topic.data.name,
          level_text: topic.data.level !== null && topic.data.level !== undefined ? t("Level {level}", { level: topic.data.level }) : "",
          progress_text: t({ one: "{done} of {n} target proficient", other: "{done} of {n} targets proficient", n: targets.length, done }),
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
  let status = t("Saved on this device");
  let color = "gray";
  let comment = "";
  const isRefused = blob?.status === "failed";
  if (isRefused) [status, color] = [t("Upload refused: {reason}", { reason: blob.reason ?? t("the server did not accept this file") }), "red"];
  else if (upload) [status, color] = [t("Uploading {percent}%", { percent: upload.percent }), "blue"];
  else if (blob && blob.status !== "uploaded") [status, color] = [t("Waiting to upload"), "amber"];
  else if (review && !ev.data.edited_after_review) {
    comment = review.comment ?? "";
    [status, color] = review.decision === "approved" ? [t("Approved"), "grass"] : [t("Returned"), "tomato"];
  } else if (ev.data.submitted) [status, color] = [ev.data.edited_after_review ? t("Changed after review: waiting for review") : t("Waiting for review"), "indigo"];
  const names = (ev.data.target_ids ?? []).map((id) => ix.targetById.get(String(id))?.data.code ?? `#${id}`);
  return {
    id: ev.id,
    caption: ev.data.caption || t("(no caption)"),
    kind: ev.data.kind,
    // the learner's own thumbnail: made at capture, or fetched once online ("" when none yet)
    thumb: (sha && ix.thumbs?.get(sha)) || "",
    is_refused: isRefused,
    fix_form_id: `fix-${ev.id}`,
    // starred to show at the learner's conference (assets/ui/conference.js)
    is_starred: ev.data.highlight === true,
    star_form_id: `star-${ev.id}`,
    targets_text: names.length ? t("For {codes}", { codes: names.join(", ") }) : t("Not tagged to a target yet"),
    status_text: status,
    status_color: color,
    comment,
    is_pending: Boolean(ev.local),
  };
}

/** One learning target's page: rubric, history of events, evidence, self-assessment. */
export function targetDetailView(ix, targetId, blobs, uploads) {
  const tg = ix.targetById.get(String(targetId));
  if (!tg) return { is_found: false, method_text: "" };
  const base = targetView(ix, tg);
  const self = ix.selfBy.get(String(tg.id));
  const events = ix.events
    .filter((e) => same(e.data.target_id, tg.id))
    .reverse()
    .map((e) => ({
      id: e.id,
      level_text: e.data.level === null || e.data.level === undefined ? t("no score") : levelText(e.data.level),
      source_text: SOURCE_WORDS[e.data.source]?.() ?? e.data.source,
      when_text: eventDay(e.data),
      note: e.data.note ?? "",
    }));
  return {
    is_found: true,
    ...base,
    topic_name: ix.topicById.get(String(tg.data.topic_id))?.data.name ?? "",
    // a method's name is a catalog msgid (backend/mastery METHODS, marked N_ there)
    method_text: ix.computed.get(String(tg.id))?.method_label ? t(ix.computed.get(String(tg.id)).method_label) : "",
    // the plain sentence, chosen by the server (backend/mastery/sentence.py), in the reader's words
    sentence_text: renderSentence(ix.computed.get(String(tg.id))?.sentence),
    rubric: (tg.data.rubric ?? []).slice().sort((a, b) => b.score - a.score).map((d) => ({ score_text: Number(d.score).toFixed(1), text: d.text })),
    events,
    evidence: ix.evidence.filter((ev) => taggedWith(ev, tg.id)).map((ev) => evidenceView(ix, ev, blobs, uploads)),
    self_level: self ? levelText(self.data.level) : "",
    self_note: self?.data.note ?? "",
  };
}

/** Targets as options for a picker: [{id, label}], grouped by topic order. */
export function targetOptions(ix) {
  return ix.targets.map((tg) => ({ id: String(tg.id), label: `${tg.data.code} · ${tg.data.title}` }));
}

/** One goal as its card shows it, with its linked targets in words. */
export function goalView(ix, g) {
  const ids = (g.data.target_ids ?? []).map(String);
  return {
    id: g.id,
    title: g.data.title,
    status: g.data.status,
    is_done: g.data.status === "done",
    status_text: g.data.status === "done" ? t("Done") : t("Active"),
    due_on: g.data.due_on ?? "",
    due_text: g.data.due_on ? t("Due {day}", { day: dayText(g.data.due_on) }) : t("No due date"),
    reflection: g.data.reflection ?? "",
    target_ids: ids,
    targets_text: ids.length ? ids.map((id) => ix.targetById.get(id)?.data.code ?? `#${id}`).join(", ") : t("No targets linked"),
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
      for_text: forWhat ? t("For {code} · {title}", { code: forWhat.data.code, title: forWhat.data.title }) : topic ? t("For {topic}", { topic: topic.data.name }) : "",
      activities: (p.data.activity_ids ?? [])
        .map((id) => activities.get(String(id)))
        .filter(Boolean)
        .map((a) => {
          const pick = ix.picks.filter((k) => same(k.data.activity_id, a.id)).sort((x, y) => String(y.id).localeCompare(String(x.id)))[0];
          const next = pick ? NEXT_PICK[pick.data.status] : null;
          return {
            id: String(a.id),
            title: a.data.title,
            meta_text: [a.data.kind, a.data.modality, a.data.minutes ? t("{minutes} min", { minutes: a.data.minutes }) : ""].filter(Boolean).join(" · "),
            description: a.data.description ?? "",
            url: a.data.url ?? "",
            pick_id: pick?.id ?? "",
            status_text: pick ? PICK_WORDS[pick.data.status]() : "",
            is_picked: Boolean(pick),
            next_status: next?.[0] ?? "",
            next_label: next ? NEXT_WORDS[next[1]]() : "",
          };
        }),
    };
  });
  return { playlists, options: targetOptions(ix) };
}

const isUnsent = (ev) => Boolean(ev.local) && !ev.version;

/** All the learner's evidence, newest first. */
export function evidenceListView(ix, blobs, uploads) {
  const items = ix.evidence
    .slice()
    // pieces not yet on the server (no server order yet) first, as learner_data.js pages them
    .sort((a, b) => Number(isUnsent(b)) - Number(isUnsent(a)) || String(b.id).localeCompare(String(a.id)))
    .map((ev) => evidenceView(ix, ev, blobs, uploads));
  return { items, options: targetOptions(ix) };
}
