/**
 * "Ready to demonstrate": a learner's self-assessment whose note says so asks a teacher to
 * watch them show a target. One rule for the learner's page (which writes the note), the
 * teacher's Ready screen and the store's [type+ask] index (store.js); the server's seed
 * writes the same words (backend/seed_year_plan.py READY_NOTE, held equal by
 * tests/js/ask_index.test.js).
 */

export const READY_NOTE = "Ready to demonstrate";

/** Does a self-assessment's data ask to demonstrate (its note holds READY_NOTE, any case)? */
export function asksToDemonstrate(data) {
  return String(data?.note ?? "").toLowerCase().includes(READY_NOTE.toLowerCase());
}
