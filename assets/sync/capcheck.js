/** The count caps' old path: they live in caps.js (the twin of sync/caps.py); store.js still imports them here. */

export { activatesGoal, countCap, evidenceStatus, localCounts } from "./caps.js";
