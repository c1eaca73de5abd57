/** The sync library's merge semantics in JS (a port of sync/ in Python); the vectors keep both equal. */

export { Clock, ClockError, HLC, MAX_AHEAD_MS, MAX_BEHIND_MS, clamp, compare } from "./clock.js";
export { CapExceeded, InvalidMutation, NotAuthorized, NotFound, SeqGap, SyncError, UnknownMutation } from "./errors.js";
export { fill, render } from "./reasons.js";
export { CAPS, LEVELS, REASONS } from "./spec.js";
export {
  MemoryStore,
  SERVER_NODE,
  applyBatch,
  applyMutation,
  merge,
  newState,
  planSeqs,
  rowsTouched,
} from "./merge/apply.js";
export {
  Actor,
  NAMESPACE,
  authorize,
  conflictId,
  derivedId,
  eventId,
  historyId,
  isTombstoned,
  ratingId,
  reviewId,
  selfAssessmentId,
} from "./merge/common.js";
export { mergeEvidenceDelete, mergeEvidencePut, mergeEvidenceReview } from "./merge/evidence.js";
export { mergeGoalDelete, mergeGoalPut, mergePickDelete, mergePickPut } from "./merge/goals.js";
export { mergeObservationPut, mergeObservationRespond, mergeProfileSectionPut, profileEntryId, profileSectionId } from "./merge/profile.js";
export { ROW_TYPES, project, projectRows, stateRows } from "./merge/project.js";
export { MUTATION_NAMES, SPECS, parseMutation, parseSeq, validateArgs } from "./protocol.js";
export { mergeConflictResolve, mergeRatingPut, mergeSelfAssessmentPut, shownRating } from "./merge/ratings.js";
export { canonicalJson } from "./values.js";
