/**
 * "Show 20 more" on the device-store screens: how far each list is paged (kept in page
 * memory: a reload starts at the first page again), the words of a paged list (the same as
 * app/state/paging.py says on the online screens), and focus on the first new item.
 *
 * Buttons call `window.waypointPaging.showMore(listId, shown)` directly (DESIGN §5: offline
 * buttons do not go through Reflex's event queue).
 */

import { useSyncExternalStore } from "react";

export const PAGE_SIZE = 20;

/**
 * "Showing 20 of 143 done goals" ("" for an empty list: its empty state says it). `words` is
 * {showing(shown, total), more(n)}: whole sentences through t(), plurals and all, so no
 * language gets an English frame around a translated noun.
 */
export function countText(shown, total, words) {
  if (total <= 0) return "";
  return words.showing(Math.min(shown, total), total);
}

/** "Show 20 more done goals", or "" when every item is shown (`words` as for countText). */
export function moreText(shown, total, words, size = PAGE_SIZE) {
  const left = total - shown;
  if (left <= 0) return "";
  return words.more(Math.min(size, left));
}

let limits = {};
const listeners = new Set();

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How many items of list `listId` to show (starts at `first`: 0 keeps a list one tap away). */
export function usePageLimit(listId, first = PAGE_SIZE) {
  const limit = useSyncExternalStore(subscribe, () => limits[listId], () => undefined);
  return limit ?? first;
}

/** Focus item `index` of a paged list once it has rendered (tries for about 3 s). */
export function focusItem(listId, index, tries = 60) {
  const items = document.querySelectorAll(`[data-page-list="${CSS.escape(listId)}"] [data-page-item]`);
  if (items[index]) items[index].focus();
  else if (tries > 0) setTimeout(() => focusItem(listId, index, tries - 1), 50);
}

/** Show PAGE_SIZE more of a list that shows `shown` now; focus moves to the first new one. */
export function showMore(listId, shown) {
  const now = Number(shown) || 0;
  limits = { ...limits, [listId]: now + PAGE_SIZE };
  for (const listener of listeners) listener();
  if (typeof document !== "undefined") focusItem(listId, now);
}

/** Back to the first page (e.g. when the order of a list changes). */
export function resetPage(listId) {
  if (!(listId in limits)) return;
  const { [listId]: _dropped, ...rest } = limits;
  limits = rest;
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") window.waypointPaging = { showMore, resetPage, focusItem };
