/** Test helper: every row of a device store by kind, as the teacher screens read it before
 * the indexes (the reference the bounded reads are compared with). */

const KINDS = { classes: "class", learners: "learner", targets: "target", topics: "topic", areas: "content_area", levels: "level", ratings: "rating", conflicts: "conflict", playlists: "playlist", events: "event", staff: "staff", reviews: "review", evidence: "evidence", selfAssessments: "self_assessment" };

export async function everything(store) {
  const out = {};
  for (const [kind, type] of Object.entries(KINDS)) out[kind] = await store.db.rows.where("type").equals(type).toArray();
  return out;
}
