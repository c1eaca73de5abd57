/**
 * What the teacher's screens show, worked out from the device's store rows (pure: no React,
 * no IndexedDB, so bun tests them and the screens read the same online, offline and after an
 * offline reload). Rows are the store's {id, version, deleted, local, data}.
 *
 * One home per rule: the next target is the first of the topic below proficient (as the
 * server's class_grid did); a "ready to demonstrate" request is a self-assessment whose note
 * says so (READY_NOTE, the learner's views.js), open until a teacher rates the target or
 * approves at a level after it (the learner's binder badge: teacher events after it).
 */

import { formatDate, t } from "./i18n.js";
import { reasonText } from "./reason_text.js";
import { colorOf, levelText, levelWords, PROFICIENT, reaches } from "./levels.js";
import { decisionWords } from "./queue_views.js";
import { asksToDemonstrate } from "../sync/ready.js";
import { PROFILE_CHOICES } from "../sync/spec.js";
import { groupsByAnswer } from "./grid_groups.js";

// the grid's "Group by" choices beyond next target live with their grouping (grid_groups.js)
export { GROUP_BY, groupsByAnswer } from "./grid_groups.js";

export const HISTORY_SHOWN = 5;

const live = (rows) => (rows ?? []).filter((r) => !r.deleted);
const byId = (rows) => new Map(live(rows).map((r) => [String(r.id), r]));
const byName = (a, b) => a.name.localeCompare(b.name) || String(a.id).localeCompare(String(b.id));
export const rateHref = (learnerId, targetId) => `/teacher/learners/${learnerId}/targets/${targetId}`;
export const binderHref = (learnerId) => `/binder/${learnerId}`;

/** [wall ms, counter] of a hybrid logical clock stamp ("1700000000000-0001-node"). */
export function hlcParts(stamp) {
  const [wall, counter] = String(stamp ?? "").split("-");
  return [Number.parseInt(wall, 10) || 0, Number.parseInt(counter, 16) || 0];
}

export function hlcAfter(a, b) {
  const [wa, ca] = hlcParts(a);
  const [wb, cb] = hlcParts(b);
  return wa > wb || (wa === wb && ca > cb);
}

const DAY_MS = 86_400_000;

/**
 * When a stamp was, in the reader's language: "Tuesday 10:14" only within this week (from the
 * start of the day six days ago, so a weekday name never means two days), otherwise the
 * locale's date and time ("Apr 23, 2026, 13:42"): a teacher weighing two ratings needs to see
 * that one is weeks older. "" when absent.
 */
export function whenWords(stamp, now = Date.now()) {
  const [ms] = hlcParts(stamp);
  if (!ms) return "";
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - 6);
  const thisWeek = ms >= start.getTime() && ms < now + DAY_MS;
  return formatDate(ms, thisWeek ? "weekdayTime" : "dateTime");
}

const nameOf = (names, id, fallback) => names.get(String(id))?.data?.display_name ?? fallback;

/** The class lists: each class with its learners by name (the store's `class` rows). */
export function classLists({ classes, learners }) {
  const names = byId(learners);
  return live(classes)
    .map((c) => ({
      id: String(c.id),
      name: c.data.name ?? "",
      teacher_name: c.data.teacher_name ?? "",
      learners: (c.data.learner_ids ?? [])
        .map((id) => ({ id: String(id), name: nameOf(names, id, t("A learner")), href: binderHref(id) }))
        .sort(byName),
    }))
    .map((c) => ({ ...c, count_text: t({ one: "{n} learner", other: "{n} learners", n: c.learners.length }) }))
    .sort(byName);
}

/** The topic's targets in order (soft-deleted ones left out). */
export function topicTargets(targets, topicId) {
  return live(targets)
    .filter((r) => String(r.data.topic_id) === String(topicId))
    .sort((a, b) => (a.data.position ?? 0) - (b.data.position ?? 0) || Number(a.id) - Number(b.id));
}

/** Topic choices "Math: Ratios", in curriculum order. */
export function topicOptions({ areas, topics }) {
  const areaOf = byId(areas);
  const position = (r) => [areaOf.get(String(r.data.content_area_id))?.data?.position ?? 0, r.data.position ?? 0, Number(r.id)];
  return live(topics)
    .sort((a, b) => {
      const [pa, pb] = [position(a), position(b)];
      return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
    })
    .map((r) => ({ value: String(r.id), label: `${areaOf.get(String(r.data.content_area_id))?.data?.name ?? ""}: ${r.data.name}` }));
}

/** The level to show for (learner, target): a rating not yet sent wins (marked), else the computed level. */
function cellLevel(levels, unsent, learnerId, targetId) {
  const key = `${learnerId}:${targetId}`;
  if (unsent.has(key)) return { level: unsent.get(key), waiting: true };
  const level = levels.get(key)?.data?.level;
  return { level: level ?? null, waiting: false };
}

/**
 * The grid of one class × one topic: rows by learner name, a cell per target (tap → rate),
 * each learner's next target, groups by next target, who is done, and the playlists.
 */
export function gridView(rows, { classId, topicId, name = "", need = "all", by = "next" } = {}) {
  const klass = byId(rows.classes).get(String(classId));
  const targets = topicTargets(rows.targets, topicId);
  const names = byId(rows.learners);
  const levels = new Map(live(rows.levels).map((r) => [String(r.id), r]));
  const unsent = new Map(live(rows.ratings).filter((r) => r.local).map((r) => [`${r.data.student_id}:${r.data.target_id}`, r.data.level]));
  const open = new Set(live(rows.conflicts).filter((r) => r.data.status === "open").map((r) => `${r.data.student_id}:${r.data.target_id}`));
  const all = (klass?.data?.learner_ids ?? []).map((id) => {
    const learner = nameOf(names, id, t("A learner"));
    const cells = targets.map((target) => {
      const { level, waiting } = cellLevel(levels, unsent, id, target.id);
      const words = levelWords(level);
      const text = level === null ? "–" : levelText(level);
      const conflict = open.has(`${id}:${target.id}`);
      const label = waiting
        ? t("{learner}, {code}: {level} {words}, saved on this phone, not sent yet. Tap to rate.", { learner, code: target.data.code, level: text, words: t(words) })
        : t("{learner}, {code}: {level} {words}. Tap to rate.", { learner, code: target.data.code, level: text, words: t(words) });
      return { value: level, learner_id: String(id), target_id: String(target.id), text: waiting ? `${text}•` : text, words: t(words), color: colorOf(words), is_set: level !== null, waiting, conflict, label: conflict ? `${label} ${t("Two ratings disagree: settle it under Conflicts.")}` : label };
    });
    const next = targets.find((target, i) => !reaches(cells[i].value, PROFICIENT));
    return { id: String(id), name: learner, next_code: next?.data?.code ?? "", next_id: next ? String(next.id) : "", cells };
  });
  all.sort(byName);
  const wanted = name.trim().toLowerCase();
  const shown = all.filter((r) => (!wanted || r.name.toLowerCase().includes(wanted)) && (need === "all" || r.next_code === need));
  const groups = targets
    .map((target) => {
      const members = all.filter((r) => r.next_id === String(target.id));
      return { target_id: String(target.id), heading: t("Next: {code} · {title}", { code: target.data.code, title: target.data.title }), names: members.map((m) => m.name).join(", "), count_text: t({ one: "{n} learner", other: "{n} learners", n: members.length }), learner_ids: members.map((m) => Number(m.id)) };
    })
    .filter((g) => g.learner_ids.length > 0);
  const profileGroups = by in PROFILE_CHOICES ? groupsByAnswer(rows.profiles ?? [], shown, by, need) : null;
  const targetIds = new Set(targets.map((r) => String(r.id)));
  const playlists = live(rows.playlists)
    .filter((p) => !p.data.group_id && (String(p.data.topic_id) === String(topicId) || targetIds.has(String(p.data.target_id))))
    .sort((a, b) => Number(String(b.data.class_id) === String(classId)) - Number(String(a.data.class_id) === String(classId)) || Number(a.id) - Number(b.id));
  const seen = new Set();
  return {
    class_name: klass?.data?.name ?? "",
    codes: targets.map((r) => r.data.code),
    rows: shown,
    total: all.length,
    groups: profileGroups ?? groups,
    by_answer: Boolean(profileGroups),
    not_said_names: profileGroups?.not_said ?? "",
    done_names: profileGroups ? "" : all.filter((r) => !r.next_id).map((r) => r.name).join(", "),
    playlists: playlists.filter((p) => !seen.has(p.data.title) && seen.add(p.data.title)).map((p) => ({ value: String(p.id), label: p.data.title })),
  };
}

/** One side of a conflict: who, when in words, the level, the note and evidence behind it. */
function conflictSide(member, data, { staff, events, ratings, reviews, evidence }) {
  const teacher = String(member.teacher_id);
  const same = (r) => String(r.data.student_id) === String(data.student_id) && String(r.data.target_id) === String(data.target_id);
  const event = events.find((r) => same(r) && String(r.data.author_id) === teacher && r.data.hlc === member.hlc);
  const rating = ratings.find((r) => same(r) && String(r.data.teacher_id) === teacher && r.data.hlc === member.hlc);
  const note = event?.data?.note || rating?.data?.note || "";
  const pieces = reviews
    .filter((r) => same(r) && String(r.data.teacher_id) === teacher && r.data.decision === "approved")
    .map((r) => evidence.get(String(r.data.evidence_id))?.data)
    .filter(Boolean)
    .slice(0, 3)
    .map((e) => e.caption || e.text || t("A piece of evidence"));
  const words = levelWords(member.level);
  return {
    teacher_name: nameOf(staff, teacher, t("A teacher")),
    level: levelText(member.level),
    level_value: Number(member.level),
    level_words: t(words),
    color: colorOf(words),
    when: whenWords(member.hlc),
    note: note ? t("Note: {note}", { note }) : t("No note with this rating."),
    evidence: pieces.length ? t("Evidence: {list}", { list: pieces.join("; ") }) : t("No evidence approved for this target by this teacher."),
  };
}

/** The learner's history on one target, newest first (at most HISTORY_SHOWN lines). */
export function targetHistory(events, staff, studentId, targetId) {
  const who = { self: t("Learner's own view"), peer: t("A classmate") };
  return live(events)
    .filter((r) => String(r.data.student_id) === String(studentId) && String(r.data.target_id) === String(targetId))
    .sort((a, b) => (hlcAfter(a.data.hlc, b.data.hlc) ? -1 : hlcAfter(b.data.hlc, a.data.hlc) ? 1 : 0))
    .slice(0, HISTORY_SHOWN)
    .map((r) => ({
      id: String(r.id),
      text: t("{when} · {who} · {level} {words}", {
        when: whenWords(r.data.hlc),
        who: who[r.data.source] ?? nameOf(staff, r.data.author_id, t("A teacher")),
        level: levelText(r.data.level),
        words: t(levelWords(r.data.level)),
      }),
      note: r.data.note ?? "",
    }));
}

const RESOLVE = "conflict.resolve";

/**
 * This device's resolutions from its outbox ({id → {seq, status, level, note, sending}}, the
 * latest per conflict): what a settled card says and whether it can be undone, the same after
 * an offline reload as on the page that made them.
 */
export function settlements(outbox) {
  const out = new Map();
  for (const entry of [...(outbox ?? [])].sort((a, b) => a.seq - b.seq)) {
    if (entry.name !== RESOLVE) continue;
    const a = entry.args ?? {};
    out.set(String(a.conflict_id), { seq: entry.seq, status: entry.status, reason: reasonText(entry.result) || entry.reason || null, level: a.level, note: a.note ?? "", sending: Boolean(entry.sending) });
  }
  return out;
}

/** Conflict ids settled on this device and not yet gone up or just gone up (kept on the list). */
export function settlingIds(outbox) {
  return [...settlements(outbox)].filter(([, e]) => e.status === "pending" || e.status === "acked").map(([id]) => id);
}

/** What a card says about its settlement: "Settled at 1.5 · Saved on this phone", Undo, locked. */
function settlementWords(row, entry) {
  const open = row.data.status === "open";
  const words = entry ? decisionWords(entry) : { status_text: open ? "" : t("Sent"), can_undo: false };
  const value = entry?.level ?? row.data.resolved_level;
  const level = value === undefined || value === null ? "" : levelText(value);
  const status = words.status_text;
  const settled = !level ? t("Settled.") : status ? t("Settled at {level} · {status}", { level, status }) : t("Settled at {level}", { level });
  return {
    status_text: status,
    settled_text: open ? "" : settled,
    can_undo: !open && Boolean(words.can_undo),
    seq: entry ? String(entry.seq) : "",
    is_locked: !open || entry?.status === "pending" || entry?.status === "acked",
  };
}

/** "Both rated 1.5 · emerging" when the two sides gave the same level ("" when they differ). */
function agreement(members) {
  const levels = new Set((members ?? []).map((m) => Number(m.level)));
  if ((members ?? []).length < 2 || levels.size !== 1) return "";
  const [level] = levels;
  return t("Both rated {level} · {words}", { level: levelText(level), words: t(levelWords(level)) });
}

/** The order of the conflicts list: oldest first, then by id (the reader pages by it too). */
export function conflictOrder(a, b) {
  return (hlcAfter(b.data.hlc, a.data.hlc) ? -1 : hlcAfter(a.data.hlc, b.data.hlc) ? 1 : 0) || String(a.id).localeCompare(String(b.id));
}

/** The conflicts a list shows: open, or settled on this device (`kept` ids), in list order. */
export function shownConflicts(conflicts, kept) {
  return live(conflicts).filter((r) => r.data.status === "open" || kept.has(String(r.id))).sort(conflictOrder);
}

/**
 * Open conflicts, and those settled on this device (kept: this page's memory, the reader's
 * `kept` and the outbox's resolutions), shown as settled, oldest first. `rows.outbox` (when
 * given) says what each card's resolution is: saved here, sent, refused.
 */
export function conflictViews(rows, keep = new Set()) {
  const entries = settlements(rows.outbox);
  const kept = new Set([...keep, ...(rows.kept ?? []), ...settlingIds(rows.outbox)]);
  const ctx = {
    staff: byId(rows.staff),
    events: live(rows.events),
    ratings: live(rows.ratings),
    reviews: live(rows.reviews),
    evidence: byId(rows.evidence),
  };
  const names = byId(rows.learners);
  const targets = byId(rows.targets);
  return shownConflicts(rows.conflicts, kept)
    .map((r) => {
      const d = r.data;
      const target = targets.get(String(d.target_id))?.data ?? {};
      return {
        id: String(r.id),
        is_open: d.status === "open",
        is_waiting: Boolean(r.local),
        learner_name: nameOf(names, d.student_id, t("A learner")),
        target_text: `${target.code ?? ""} · ${target.title ?? ""}`,
        opened: t("Opened {when}", { when: whenWords(d.hlc) }),
        rate_href: rateHref(d.student_id, d.target_id),
        sides: (d.members ?? []).map((m) => conflictSide(m, d, ctx)),
        agree_text: agreement(d.members),
        ...settlementWords(r, entries.get(String(r.id))),
        history: targetHistory(rows.events, ctx.staff, d.student_id, d.target_id),
      };
    });
}

/** How many conflicts are still open on this device (the badge; true after a reload). */
export function openConflictCount(conflicts) {
  return live(conflicts).filter((r) => r.data.status === "open").length;
}

/** "Ready to demonstrate" requests not yet answered by a teacher, oldest first. */
export function readyList(rows) {
  const names = byId(rows.learners);
  const targets = byId(rows.targets);
  // the latest teacher stamp (a rating or a teacher's event) per pair: an ask is answered
  // when one is as late as it (one look-up per ask, not a scan of every stamp)
  const latest = new Map();
  for (const r of [...live(rows.ratings), ...live(rows.events).filter((r) => r.data.source === "teacher")]) {
    const key = `${r.data.student_id}:${r.data.target_id}`;
    if (!latest.has(key) || hlcAfter(r.data.hlc, latest.get(key))) latest.set(key, r.data.hlc);
  }
  const answered = (ask) => {
    const key = `${ask.data.student_id}:${ask.data.target_id}`;
    return latest.has(key) && !hlcAfter(ask.data.hlc, latest.get(key));
  };
  return live(rows.selfAssessments)
    .filter((r) => asksToDemonstrate(r.data) && targets.has(String(r.data.target_id)))
    .filter((ask) => !answered(ask))
    .sort((a, b) => (hlcAfter(a.data.hlc, b.data.hlc) ? 1 : hlcAfter(b.data.hlc, a.data.hlc) ? -1 : 0))
    .map((ask) => {
      const d = ask.data;
      const target = targets.get(String(d.target_id)).data;
      const level = d.level ?? null;
      return {
        id: String(ask.id),
        learner_name: nameOf(names, d.student_id, t("A learner")),
        target_text: `${target.code} · ${target.title}`,
        detail: level === null
          ? t("Asked {when}", { when: whenWords(d.hlc) })
          : t("Thinks they are at {level} · {words} · Asked {when}", { level: levelText(level), words: t(levelWords(level)), when: whenWords(d.hlc) }),
        rate_href: rateHref(d.student_id, d.target_id),
      };
    });
}

/** The rate screen of one learner × target: names, the rubric, the level now, their own view, history. */
export function rateView(rows, learnerId, targetId) {
  const learner = byId(rows.learners).get(String(learnerId));
  const target = byId(rows.targets).get(String(targetId));
  if (!learner || !target) return { found: false };
  const level = live(rows.levels).find((r) => String(r.id) === `${learnerId}:${targetId}`)?.data ?? {};
  const own = live(rows.selfAssessments).find((r) => String(r.data.student_id) === String(learnerId) && String(r.data.target_id) === String(targetId))?.data;
  const unsent = live(rows.ratings).find((r) => r.local && String(r.data.student_id) === String(learnerId) && String(r.data.target_id) === String(targetId));
  const words = levelWords(level.level ?? null);
  return {
    found: true,
    learner_id: String(learnerId),
    target_id: String(targetId),
    learner_name: learner.data.display_name ?? "",
    target_text: `${target.data.code} · ${target.data.title}`,
    level: level.level === undefined || level.level === null ? "–" : levelText(level.level),
    level_words: t(words),
    color: colorOf(words),
    rubric: (target.data.rubric ?? []).map((d) => ({ score: levelText(d.score), text: d.text })),
    self_text: own ? t("Thinks they are at {level} · {words}", { level: levelText(own.level), words: t(levelWords(own.level)) }) : "",
    waiting: unsent ? t("Your rating {level} is saved on this phone, not sent yet.", { level: levelText(unsent.data.level) }) : "",
    history: targetHistory(rows.events, byId(rows.staff), learnerId, targetId),
  };
}
