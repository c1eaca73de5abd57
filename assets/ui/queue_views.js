/**
 * The review queue as pure functions of the device's store (issue 14 items 1–3): which
 * pieces wait, what each card says of its decision, the filters and the counts. No React,
 * no IndexedDB: bun tests call these with plain rows (tests/js/teacher_queue.test.js), and
 * teacher_queue.js feeds them the live rows.
 *
 * A decision's words come from its outbox entry and nothing else: "Saved on this phone"
 * while pending, "Sent" only once the server acknowledged it.
 */

import { t } from "./i18n.js";
import { reasonText } from "./reason_text.js";

/** Evidence waiting for a teacher: submitted, and not reviewed since its last edit. */
export function isWaiting(data) {
  return Boolean(data?.submitted) && (!data.reviewed || Boolean(data.edited_after_review));
}

/**
 * The latest evidence.review outbox entry per evidence id: {seq, decision, status, reason}
 * (status "pending", "acked" or "rejected"; `sending` while a push holds it).
 */
export function decisionsOf(outbox) {
  const out = new Map();
  for (const entry of [...(outbox ?? [])].sort((a, b) => a.seq - b.seq)) {
    if (entry.name !== "evidence.review") continue;
    out.set(String(entry.args?.evidence_id), {
      seq: entry.seq,
      decision: entry.args?.decision ?? "",
      status: entry.status,
      reason: reasonText(entry.result) || entry.reason || null,
      sending: Boolean(entry.sending),
    });
  }
  return out;
}

/**
 * What a card says of its decision. state: "open" (no decision), "saved" (on this phone,
 * not yet acknowledged), "sent" (the server acknowledged it), "rejected" (the server refused:
 * reason shown, the card open again).
 */
export function decisionWords(entry, row) {
  if (entry?.status === "pending") {
    // Undo stays offered: withdraw() waits for a push holding it, then says which won
    return { state: "saved", locked: true, can_undo: true, status_text: t("Saved on this phone"), decision: entry.decision };
  }
  if (entry?.status === "acked") return { state: "sent", locked: true, can_undo: false, status_text: t("Sent"), decision: entry.decision };
  if (entry?.status === "rejected") {
    return {
      state: "rejected",
      locked: false,
      can_undo: false,
      status_text: t("Not accepted by the school's server: {reason}. Decide again, or drop this decision.", { reason: entry.reason?.replace(/[.。]$/, "") ?? t("no reason given") }),
      decision: entry.decision,
    };
  }
  // no entry on this device: a review the server sent us (so it has it), or none at all
  if (row && !row.local && row.data?.reviewed && !isWaiting(row.data)) {
    return { state: "sent", locked: true, can_undo: false, status_text: t("Sent"), decision: row.data.reviewed.decision ?? "" };
  }
  return { state: "open", locked: false, can_undo: false, status_text: "", decision: "" };
}

/**
 * The evidence rows a queue card can come from: waiting, changed on this device (a decision
 * not yet pulled back) or decided on this page (`keep`). The rest of a year's evidence is
 * dropped as soon as it is read, so the cards, counts and filters never hold it.
 */
export function queueEvidence(evidence, keep = new Set(), me = null) {
  // a teacher's own microcredential evidence waits for another assessor, never for them
  const mine = (r) => me !== null && String(r.data?.student_id) === String(me);
  return (evidence ?? []).filter((r) => !r.deleted && !mine(r) && (isWaiting(r.data) || r.local || keep.has(String(r.id))));
}

/** The learner and target ids those evidence rows name: the only ones the queue reads. */
export function namedIds(evidence) {
  const learners = new Set();
  const targets = new Set();
  for (const r of evidence ?? []) {
    if (r.data?.student_id != null) learners.add(r.data.student_id);
    for (const tid of r.data?.target_ids ?? []) targets.add(tid);
  }
  return { learners: [...learners], targets: [...targets] };
}

/** "Approved" / "Returned to the learner" (an educator's piece: "to the educator"), "" for none. */
export function decisionText(decision, isMicro = false) {
  if (decision === "approved") return t("Approved");
  if (decision === "returned") return isMicro ? t("Returned to the educator") : t("Returned to the learner");
  return "";
}

/**
 * What the card shows where the photo goes: media "photo" (a thumbnail on this device),
 * "later" (offline, not fetched yet), "unreadable" (the server has no picture of it),
 * "file" (not a photo: opened as a download), "none" (text or link).
 */
export function mediaOf(data, thumb) {
  if (data.kind === "photo") {
    if (thumb?.url) return { media: "photo", photo: thumb.url, media_text: "" };
    if (thumb?.unreadable) return { media: "unreadable", photo: "", media_text: t("This file could not be read. Ask the learner to upload it again, or return it.") };
    return { media: "later", photo: "", media_text: t("Photo will show when online") };
  }
  if (data.blob_sha256) return { media: "file", photo: "", media_text: t("A file, not a photo: open it to look") };
  return { media: "none", photo: "", media_text: "" };
}

function wallMs(stamp) {
  const ms = Number.parseInt(String(stamp ?? "").split("-")[0], 10);
  return Number.isFinite(ms) ? ms : 0;
}

/** When the piece was last written by its learner: the newest field stamp of the row. */
export function sentAt(data) {
  const stamps = [data._put_hlc, ...Object.values(data._hlc ?? {})];
  return Math.max(0, ...stamps.map(wallMs));
}

/**
 * Every card of the queue, oldest or newest first, before filters: the pieces waiting,
 * plus those with a decision on this device (pending, sent or refused) or decided on this
 * page (`keep`). rows: {evidence, learner, target, class, outbox}; thumbs: sha → {url} |
 * {unreadable: true}; when(ms) → the date in words.
 */
export function buildQueue(rows, { order = "oldest", thumbs = {}, keep = new Set(), when = () => "" } = {}) {
  const names = new Map((rows.learner ?? []).filter((r) => !r.deleted).map((r) => [String(r.id), r.data.display_name]));
  // an assessor's queue holds educators' microcredential evidence too: their names are in
  // the `staff` rows, and their competencies are targets of an educator area's topics
  const staff = new Map((rows.staff ?? []).filter((r) => !r.deleted).map((r) => [String(r.id), r.data.display_name]));
  const targets = new Map((rows.target ?? []).filter((r) => !r.deleted).map((r) => [String(r.id), r.data]));
  const micro = microTopics(rows);
  const classesOf = new Map();
  for (const cls of (rows.class ?? []).filter((r) => !r.deleted)) {
    for (const learner of cls.data.learner_ids ?? []) {
      const key = String(learner);
      classesOf.set(key, [...(classesOf.get(key) ?? []), String(cls.id)]);
    }
  }
  const decisions = decisionsOf(rows.outbox);
  const items = [];
  for (const r of rows.evidence ?? []) {
    if (r.deleted) continue;
    const id = String(r.id);
    const entry = decisions.get(id);
    if (!isWaiting(r.data) && !entry && !keep.has(id)) continue;
    const d = r.data;
    const chips = (d.target_ids ?? []).filter((tid) => targets.has(String(tid))).map((tid) => {
      const target = targets.get(String(tid));
      return { id: Number(tid), code: target.code ?? "", title: target.title ?? "" };
    });
    const stamp = sentAt(d);
    const words = decisionWords(entry, r);
    const first = chips.length ? targets.get(String(chips[0].id)) : null;
    const topic = first ? micro.get(String(first.topic_id)) : null;
    const isMicro = Boolean(topic) || (staff.has(String(d.student_id)) && !names.has(String(d.student_id)));
    items.push({
      id,
      key: `${id}:${d.caption_version ?? 1}`,
      learner_id: String(d.student_id),
      learner_name: names.get(String(d.student_id)) ?? staff.get(String(d.student_id)) ?? t("A learner"),
      is_micro: isMicro,
      micro_text: isMicro ? (topic ? t("Microcredential: {name}", { name: topic.name ?? "" }) : t("Microcredential")) : "",
      reflection: d.reflection ?? "",
      rubric: isMicro && first ? (first.rubric ?? []).slice().sort((a, b) => b.score - a.score).map((x) => ({ score_text: Number(x.score).toFixed(1), text: x.text })) : [],
      comment_label: isMicro ? t("Feedback for the educator") : t("Comment for the learner"),
      class_ids: classesOf.get(String(d.student_id)) ?? [],
      kind: d.kind ?? "",
      caption: d.caption ?? "",
      text: d.text ?? "",
      url: d.url ?? "",
      file_href: d.blob_sha256 ? `/api/blobs/${d.blob_sha256}` : "",
      ...mediaOf(d, d.blob_sha256 ? thumbs[d.blob_sha256] : null),
      targets: chips,
      target_ids: chips.map((c) => c.id),
      first_target: chips.length ? String(chips[0].id) : "",
      targets_text: chips.map((c) => c.code).join(" · "),
      submitted_text: stamp ? t("Submitted {when}", { when: when(stamp) }) : "",
      is_edited_after_review: Boolean(d.edited_after_review),
      is_waiting: isWaiting(d),
      seq: entry ? String(entry.seq) : "",
      ...words,
      decision_text: decisionText(words.decision, isMicro),
      sort: stamp || r.version || 0,
    });
  }
  items.sort((a, b) => (order === "newest" ? b.sort - a.sort : a.sort - b.sort) || a.id.localeCompare(b.id));
  return items;
}

/** The topics of the educator catalog (audience "educator" areas) by id: {name}. */
export function microTopics(rows) {
  const areas = new Set((rows.content_area ?? []).filter((a) => !a.deleted && a.data.audience === "educator").map((a) => String(a.id)));
  return new Map((rows.topic ?? []).filter((tp) => !tp.deleted && areas.has(String(tp.data.content_area_id))).map((tp) => [String(tp.id), tp.data]));
}

/** The items that pass the filters {class_id, target_id, learner_id} ("" = any). */
export function filterQueue(items, { class_id = "", target_id = "", learner_id = "" } = {}) {
  return items.filter(
    (item) =>
      (!class_id || item.class_ids.includes(String(class_id))) &&
      (!target_id || item.target_ids.map(String).includes(String(target_id))) &&
      (!learner_id || item.learner_id === String(learner_id)),
  );
}

/**
 * The filters' choices, from the pieces waiting (bounded by the queue itself): {classes,
 * targets, learners}, each [{value, label}] sorted by label.
 */
export function filterOptions(items, classRows = []) {
  const byLabel = (a, b) => a.label.localeCompare(b.label);
  const learners = new Map();
  const targets = new Map();
  const classIds = new Set();
  for (const item of items) {
    learners.set(item.learner_id, item.learner_name);
    for (const chip of item.targets) targets.set(String(chip.id), `${chip.code} ${chip.title}`.trim());
    for (const cls of item.class_ids) classIds.add(cls);
  }
  const classes = classRows.filter((r) => !r.deleted && classIds.has(String(r.id))).map((r) => ({ value: String(r.id), label: r.data.name ?? "" }));
  return {
    classes: classes.sort(byLabel),
    targets: [...targets].map(([value, label]) => ({ value, label })).sort(byLabel),
    learners: [...learners].map(([value, label]) => ({ value, label })).sort(byLabel),
  };
}

/** "12 waiting for review" (open cards only: a decision saved on this phone no longer waits). */
export function waitingText(items) {
  const n = items.filter((item) => item.state === "open" || item.state === "rejected").length;
  return n ? t({ one: "{n} piece waiting for review", other: "{n} pieces waiting for review", n }) : "";
}

/** "3 decisions not sent yet" for the page's top line ("" when none wait). */
export function unsentText(items) {
  const n = items.filter((item) => item.state === "saved").length;
  return n ? t({ one: "{n} decision saved on this phone, not sent yet", other: "{n} decisions saved on this phone, not sent yet", n }) : "";
}
