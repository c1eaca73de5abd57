/**
 * One small external store for a page's view object (the card pages use it): `set` merges
 * changes and tells React, `use()` is the hook (useSyncExternalStore), `get()` reads it now.
 */

import { useSyncExternalStore } from "react";

export function viewStore(initial) {
  let view = initial;
  const listeners = new Set();
  const subscribe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    get: () => view,
    set(changes) {
      view = { ...view, ...changes };
      for (const listener of listeners) listener();
    },
    use: () => useSyncExternalStore(subscribe, () => view, () => initial),
  };
}
