/**
 * The learner's offline screens' glue on top of the sync core (assets/sync/): React hooks
 * that hand each page its view (read from IndexedDB by one shared Dexie liveQuery) and the
 * actions its buttons call directly (`window.waypointUI.*`), so they work with the Reflex
 * socket down and even while Reflex's own event queue waits for it.
 */

import { useEffect, useSyncExternalStore } from "react";
import { useLocation } from "react-router";
import { api, setWorkerUrl, usePurged, useRuntime, useSyncStatus } from "../sync/index.js";
import { clear, formOf, guarded, say, values } from "./glue.js";
import { t } from "./i18n.js";
import { knownCode, reasonText } from "./reason_text.js";
import { dayText } from "./sentence.js";
import { whyText } from "./why_text.js";
import { fetchThumbs, keepThumb, removeEvidence, replacePhoto, retryUpload } from "./evidence_photos.js";
import { binderData, evidenceData, goalsData, playlistsData, targetData } from "./learner_data.js";
import { usePageLimit } from "./paging.js";
import { runtimeKey, useSharedQuery } from "./shared_query.js";
import { READY_NOTE, binderView, playlistsView } from "./views.js";
import { useUpdate } from "./pwa.js";
import { signInPhase, signInWords } from "./status_words.js";

const EMPTY = {
  binder: { academic: [], skills: [], is_loaded: false },
  target: { is_found: false, rubric: [], events: [], evidence: [] },
  goals: { goals: [], options: [], done_goals: [] },
  playlists: { playlists: [], options: [], suggestions: [], not_for_me: [] },
  evidence: { items: [], options: [] },
};
const MAX_PHOTO_BYTES = 40 * 1024 * 1024;

if (typeof window !== "undefined") setWorkerUrl("/sync/compress.worker.js"); // served as-is from assets/

/** Photos on this device by upload status, read through the index (never their bytes). */
async function blobStatuses(db) {
  const [pending, uploaded, failed] = await Promise.all([
    db.blobs.where("status").equals("pending").primaryKeys(),
    db.blobs.where("status").equals("uploaded").primaryKeys(),
    db.blobs.where("status").equals("failed").toArray(),
  ]);
  return new Map([
    ...pending.map((sha) => [sha, { status: "pending", reason: null }]),
    ...uploaded.map((sha) => [sha, { status: "uploaded", reason: null }]),
    ...failed.map((b) => [b.sha256, { status: "failed", reason: b.reason }]),
  ]);
}

// thumbnails live in `meta`, which the shared query does not watch (the status is written
// there all the time): a kept thumbnail bumps this, and the screens' keys read again
let thumbsVersion = 0;
const thumbListeners = new Set();
function thumbsChanged() {
  thumbsVersion += 1;
  for (const listener of thumbListeners) listener();
}
const subscribeThumbs = (listener) => {
  thumbListeners.add(listener);
  return () => thumbListeners.delete(listener);
};

/**
 * The view one learner page renders: "binder", "target" (?id=…), "goals", "playlists" or
 * "evidence". Each reads only its own kinds of rows and one page of each long list
 * (learner_data.js); "Show 20 more" raises the page limit (paging.js).
 */
export function useLearnerView(name) {
  const runtime = useRuntime();
  const { uploads, progress, online } = useSyncStatus();
  const uploadsKey = JSON.stringify(uploads ?? {}); // re-read only when an upload moves
  const { search } = useLocation();
  const targetId = name === "target" ? new URLSearchParams(search).get("id") : null;
  const limits = {
    openLimit: usePageLimit("goals-open"),
    doneLimit: usePageLimit("goals-done", 0),
    limit: usePageLimit("evidence"),
    historyLimit: usePageLimit(`history-${targetId}`),
    evidenceLimit: usePageLimit(`target-evidence-${targetId}`),
    // a first sync still running: counts say "so far"; the key change re-reads when it ends
    streaming: Boolean(progress),
  };
  const thumbs = useSyncExternalStore(subscribeThumbs, () => thumbsVersion, () => 0);
  const key = JSON.stringify([runtimeKey(runtime), name, targetId, uploadsKey, limits, thumbs]);
  const view = useSharedQuery(
    key,
    async () => {
      if (!runtime) return null;
      const { db } = runtime.store;
      const studentId = runtime.user.id;
      switch (name) {
        case "binder":
          return binderView(await binderData(db, studentId));
        case "target":
          return { ...EMPTY.target, ...(await targetData(db, studentId, targetId, await blobStatuses(db), uploads ?? {}, limits)) };
        case "goals":
          return goalsData(db, studentId, limits);
        case "playlists": {
          const ix = await playlistsData(db, studentId);
          return { ...playlistsView(ix), suggestions: suggestionsView(ix), not_for_me: notForMeView(ix) };
        }
        case "evidence":
          return evidenceData(db, studentId, await blobStatuses(db), uploads ?? {}, limits);
        default:
          return EMPTY[name] ?? {};
      }
    },
    null,
    name,
  );
  // photos taken on another device: their server thumbnails, fetched once online and kept
  // (evidence_photos.js); the list reads them again from the store when they arrive
  const missing = (view?.missing_thumbs ?? []).join(",");
  useEffect(() => {
    if (runtime && missing && online) fetchThumbs(runtime.store.db, missing.split(",")).then((kept) => kept && thumbsChanged(), () => {});
  }, [runtime, missing, online]);
  return view ?? EMPTY[name] ?? {};
}

const PICK_WORDS = { picked: () => t("Picked"), in_progress: () => t("In progress"), done: () => t("Done") };
const NEXT_PICK = { picked: ["in_progress", () => t("Start")], in_progress: ["done", () => t("Mark done")], done: null };

/**
 * "Suggested next" per topic from the server's `recommendation` rows (pull ?computed=1, a
 * learner's own pull): the next target and up to 3 activities, each with its one-line why.
 */
function suggestionsView(ix) {
  const declined = declinedIds(ix);
  const mine = (ix.live.recommendation ?? []).filter((r) => String(r.data.student_id) === String(ix.studentId));
  const topicOf = (r) => ix.topicById.get(String(r.data.topic_id));
  return mine
    .filter((r) => topicOf(r))
    .sort((a, b) => (topicOf(a).data.position ?? 0) - (topicOf(b).data.position ?? 0) || String(a.id).localeCompare(String(b.id)))
    .map((r) => {
      const target = r.data.next_target;
      return {
        id: String(r.id),
        topic: topicOf(r).data.name,
        target_text: target ? `${target.code} · ${target.title}` : "",
        summary: r.data.summary ?? "",
        // "not for me" hides an activity at once, offline too (the server leaves it out next sync)
        activities: (r.data.activities ?? []).filter((a) => !declined.has(String(a.id))).slice(0, 3).map((a) => {
          const pick = ix.picks.filter((k) => String(k.data.activity_id) === String(a.id)).sort((x, y) => String(y.id).localeCompare(String(x.id)))[0];
          const next = pick ? NEXT_PICK[pick.data.status] : null;
          return {
            id: String(a.id),
            title: a.title,
            meta_text: [a.kind, a.modality, a.minutes ? t("{minutes} min", { minutes: a.minutes }) : ""].filter(Boolean).join(" · "),
            why: whyText(a),
            pick_id: pick?.id ?? "",
            is_picked: Boolean(pick),
            status_text: pick ? PICK_WORDS[pick.data.status]?.() ?? "" : "",
            next_status: next?.[0] ?? "",
            next_label: next ? next[1]() : "",
          };
        }),
      };
    });
}

/** The activities this learner said "not for me" to and has not taken back (their own rows). */
function declinedIds(ix) {
  return new Set(
    (ix.live.suggestion_decline ?? [])
      .filter((r) => String(r.data.student_id) === String(ix.studentId) && r.data.declined)
      .map((r) => String(r.data.activity_id)),
  );
}

/** "Not for me" answers, each with Undo: the activity's title from the store. */
function notForMeView(ix) {
  const titles = new Map((ix.live.activity ?? []).map((a) => [String(a.id), a.data.title]));
  return [...declinedIds(ix)].sort().map((id) => ({ id, title: titles.get(id) ?? t("An activity") }));
}

function ago(iso) {
  if (!iso) return t("Not synced yet on this device");
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60000);
  if (minutes < 1) return t("Last synced just now");
  if (minutes < 60) return t("Last synced {n} min ago", { n: minutes });
  const when = new Date(iso);
  const time = when.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return t("Last synced {day}, {time}", { day: dayText(when), time });
}

// one whole sentence per refused kind of change, in the reader's words: the server's words
// (its reason codes, sync/reasons.py) are often worded for staff, so only the codes that tell
// a learner what to do are said (through the catalog, reason_text.js); any other refusal gets
// its kind's sentence, and the piece itself says what to do beside it (evidence_card.py).
const REJECTED_WORDS = {
  "goal.put": () => t("The school did not accept a goal. Nothing else was lost."),
  "goal.delete": () => t("The school did not accept deleting a goal. Nothing else was lost."),
  "pick.put": () => t("The school did not accept an activity you picked. Nothing else was lost."),
  "pick.delete": () => t("The school did not accept removing a pick. Nothing else was lost."),
  "self_assessment.put": () => t("The school did not accept a self-assessment. Nothing else was lost."),
  "evidence.put": () => t("The school did not accept a piece of evidence. Nothing else was lost."),
  "evidence.delete": () => t("The school did not accept deleting evidence. Nothing else was lost."),
  "profile.section.put": () => t("The school did not accept a change to your profile. Nothing else was lost."),
  "profile.observation.respond": () => t("The school did not accept your answer to an observation. Nothing else was lost."),
  "suggestion.decline": () => t("The school did not accept a “not for me”. Nothing else was lost."),
};
// the reason codes whose words speak to a learner (the caps say what to do)
const LEARNER_CODES = new Set(["cap.active_goals", "cap.open_evidence", "cap.evidence_per_day", "cap.text_length", "cap.target_ids", "evidence.file_immutable"]);
/** The status bar's words for a refused change: its code's sentence if it speaks to a learner, else its kind's. */
export function rejectedText(rejection) {
  const code = rejection.code ?? rejection.result?.code;
  const params = rejection.params ?? rejection.result?.params ?? {};
  if (LEARNER_CODES.has(code) && knownCode(code)) return reasonText({ code, params });
  return (REJECTED_WORDS[rejection.name] ?? (() => t("The school did not accept a change. Nothing else was lost.")))();
}

/** A new device's first sync (the engine's status.progress) in words, or null when none runs. */
function firstSyncText(progress) {
  if (progress?.phase === "current") return t("Online · getting your latest work…");
  if (progress?.phase === "history") return t("Online · getting older work… {percent}%", { percent: progress.percent });
  return null;
}

const noop = () => () => {};
/** false while React hydrates the prerendered page (which knew no device), then true. */
const useHydrated = () => useSyncExternalStore(noop, () => true, () => false);

/** The sync status bar in words: online/offline, changes waiting, last synced, uploads, rejections. */
export function useSyncStatusView() {
  const hydrated = useHydrated();
  const live = useSyncStatus();
  const liveRuntime = useRuntime();
  // render what the prerendered HTML holds first: a mismatch makes React redo the page
  const s = hydrated ? live : { online: false, pending: 0, uploadList: [] };
  const runtime = hydrated ? liveRuntime : null;
  const update = useUpdate();
  const pending = s.pending ?? 0;
  const uploads = s.uploadList ?? [];
  const rejection = s.lastRejection;
  // the device's sign-in in words (status_words.js): starting, ended, wiped by the school…
  const purged = usePurged();
  const sessionUser = hydrated && Boolean(globalThis.localStorage?.getItem("waypoint.session"));
  const phase = signInPhase({ hydrated, purged, runtime, sessionUser, signedIn: s.signedIn });
  const signIn = signInWords({ phase, code: s.signedOutCode, pending, online: s.online });
  const running = phase === "running" || phase === "ended";
  return {
    ...signIn,
    is_signed_in: Boolean(runtime),
    is_online: Boolean(s.online),
    state_text: signIn.state_text ?? (s.online ? (firstSyncText(s.progress) ?? (s.syncing ? t("Online · syncing…") : t("Online"))) : t("Offline")),
    pending_text: !running ? "" : pending ? t({ one: "{n} change waiting to send", other: "{n} changes waiting to send", n: pending }) : t("All changes sent"),
    has_pending: pending > 0,
    synced_text: signIn.synced_text ?? ago(s.lastSyncedAt),
    uploads_text: uploads.length
      ? t({ one: "Uploading a photo: {percents}", other: "Uploading {n} photos: {percents}", n: uploads.length, percents: uploads.map((u) => `${u.percent}%`).join(", ") })
      : "",
    has_rejection: Boolean(rejection),
    rejection_text: rejection ? rejectedText(rejection) : "",
    rejection_seq: rejection ? String(rejection.seq) : "",
    update_ready: update.ready,
    update_text: update.message,
    user_name: runtime?.user?.display_name ?? "",
  };
}

// ---- actions: buttons call these directly (see module docstring) ----------------------------

// say, formOf, values, clear, guarded: glue.js (shared with the teacher's screens)

/** Create or edit a goal from its form (data-goal-id on the form when editing). */
async function saveGoal(id) {
  const form = formOf(id);
  if (!form) return;
  const { text, ids } = values(form);
  const title = text("title");
  if (!title) return say(form, t("Write what your goal is first."), true);
  const goalId = form.dataset.goalId || undefined;
  const fields = { id: goalId, title, target_ids: ids("target_ids"), due_on: text("due_on") || null, reflection: text("reflection") };
  if (text("status")) fields.status = text("status");
  const ok = await guarded(form, () => api.putGoal(fields), goalId ? t("Goal saved.") : t("Goal added."));
  if (ok && !goalId) clear(form);
}

const setGoalStatus = (goalId, status) => api.putGoal({ id: goalId, status });

// goals whose edit form has been opened on this page: the form is built on first opening
let openedEdits = [];
const openedListeners = new Set();

/** Build a goal's edit form (kept from then on, with what was typed). */
function openEdit(goalId) {
  const id = String(goalId);
  if (openedEdits.includes(id)) return;
  openedEdits = [...openedEdits, id];
  for (const listener of openedListeners) listener();
}

/** The ids of the goals whose edit form was opened on this page. */
export function useOpenedEdits() {
  return useSyncExternalStore(
    (listener) => {
      openedListeners.add(listener);
      return () => openedListeners.delete(listener);
    },
    () => openedEdits,
    () => openedEdits,
  );
}

const pick = (activityId) => api.pickActivity(/^\d+$/.test(activityId) ? Number(activityId) : activityId);
const movePick = (pickId, status) => api.setPickStatus(pickId, status);
const activityRef = (id) => (/^\d+$/.test(String(id)) ? Number(id) : id);
/** "Not for me" (declined) or Undo; the words go beside the "Suggested next" heading. */
async function notForMe(activityId, declined = true) {
  const form = formOf("suggested-next-form");
  await guarded(form, () => api.declineSuggestion(activityRef(activityId), declined),
    declined ? t("Noted: it will not be suggested again. Undo is below.") : t("It can be suggested again."));
}

/**
 * Self-assess one target from its form (level 0–4 in halves, optional note). With `ready`
 * the note starts "Ready to demonstrate": protocol v1 has no mutation of its own for it, and
 * the teachers' "ready to demonstrate" queue reads exactly such self-assessments.
 */
async function selfAssess(id, targetId, ready = false) {
  const form = formOf(id);
  const { text } = values(form);
  if (text("level") === "") return say(form, t("Choose a level first."), true);
  let note = text("note");
  if (ready && !note.toLowerCase().includes(READY_NOTE.toLowerCase())) note = note ? `${READY_NOTE}. ${note}` : `${READY_NOTE}.`;
  const done = ready ? t("Your teacher will see you are ready to demonstrate this target.") : t("Self-assessment saved.");
  await guarded(form, () => api.selfAssess(Number(targetId), Number(text("level")), note || undefined), done);
}

/** Add a photo (compressed in a worker) with its caption and targets, submitted for review. */
async function addEvidence(id) {
  const form = formOf(id);
  const { text, ids, file: fileOf } = values(form);
  const file = fileOf("photo");
  const caption = text("caption");
  if (!(file instanceof File) || !file.size) return say(form, t("Take a photo or choose a picture first."), true);
  if (!file.type.startsWith("image/")) return say(form, t("\"{name}\" is not a photo. Choose a JPEG, PNG or WebP picture.", { name: file.name }), true);
  if (file.size > MAX_PHOTO_BYTES) return say(form, t("That photo is too big ({mb} MB). Choose one under {max} MB.", { mb: Math.round(file.size / 1048576), max: MAX_PHOTO_BYTES / 1048576 }), true);
  say(form, t("Preparing the photo…"));
  const ok = await guarded(form, () => api.addEvidence({ kind: "photo", file, caption, target_ids: ids("target_ids"), submitted: true }), t("Evidence saved. It uploads when you are online."));
  if (ok) {
    clear(form);
    await keepThumb(ok, file); // the learner's own thumbnail, kept on this device
    thumbsChanged();
  }
}

/** A refused upload's form (one per card, id "fix-<evidence id>"): try again, replace, remove. */
async function fixUpload(evidenceId, how) {
  const form = formOf(`fix-${evidenceId}`);
  if (how === "retry") return guarded(form, () => retryUpload(evidenceId), t("Sending the photo again…"));
  if (how === "remove") return guarded(form, () => removeEvidence(evidenceId), t("Removed."));
  const file = values(form).file("photo");
  if (!(file instanceof File) || !file.size) return say(form, t("Choose another photo first."), true);
  if (!file.type.startsWith("image/")) return say(form, t("\"{name}\" is not a photo. Choose a JPEG, PNG or WebP picture.", { name: file.name }), true);
  const ok = await guarded(form, () => replacePhoto(evidenceId, file), t("Photo replaced. It uploads when you are online."));
  thumbsChanged();
  return ok;
}

const dismissRejection = (seq) => api.dismissRejection(Number(seq)).then(() => api.flush());

if (typeof window !== "undefined") {
  window.waypointUI = { saveGoal, setGoalStatus, pick, movePick, notForMe, selfAssess, addEvidence, fixUpload, dismissRejection, openEdit };
}
