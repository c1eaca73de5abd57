/** Test helper: every row of a device store by kind, as the teacher screens read it before
 * the indexes (the reference the bounded reads are compared with). */

const KINDS = { classes: "class", learners: "learner", targets: "target", topics: "topic", areas: "content_area", levels: "level", ratings: "rating", conflicts: "conflict", playlists: "playlist", events: "event", staff: "staff", reviews: "review", evidence: "evidence", selfAssessments: "self_assessment" };

export async function everything(store) {
  const out = {};
  for (const [kind, type] of Object.entries(KINDS)) out[kind] = await store.db.rows.where("type").equals(type).toArray();
  return out;
}

/** A teacher's store at a fixed clock, destroyed by `destroyStores()` in `afterEach`. */
const opened = [];
export function openTeacherStore(id, SyncStore) {
  const store = new SyncStore({ id, role: "teacher" }, { now: () => 1_700_000_000_000 });
  opened.push(store);
  return store;
}
export async function destroyStores() {
  for (const store of opened.splice(0)) await store.destroy().catch(() => {});
}

/** A row as the server sends it (version 1, live, not local). */
export const row = (type, id, data, extra = {}) => ({ type, id, version: 1, deleted: false, local: 0, data, ...extra });
/** An HLC stamp `ms` after 1,700,000,000,000 on device `node`. */
export const stamp = (ms, node = "d1") => `${1_700_000_000_000 + ms}-0000-${node}`;
