/**
 * The words of a server answer's reason code in the reader's language: the code's English
 * template (assets/sync/spec.js, generated from sync/reasons.py) is the catalog's msgid, and
 * its params fill the braces. A result without a known code (an older server, a code this
 * build does not know yet) keeps the server's own `reason` words.
 */

import { useSyncStatus } from "../sync/index.js";
import { paramText } from "../sync/reasons.js";
import { REASONS } from "../sync/spec.js";
import { t } from "./i18n.js";

/** True when this build has words for the code. */
export function knownCode(code) {
  return typeof code === "string" && Object.hasOwn(REASONS, code);
}

/** A result's ({code, params, reason}) reason in the reader's words; "" when it has none. */
export function reasonText(result) {
  if (!result) return "";
  if (!knownCode(result.code)) return result.reason ?? "";
  const params = Object.fromEntries(Object.entries(result.params ?? {}).map(([k, v]) => [k, paramText(v)]));
  return t(REASONS[result.code], params);
}

/** The sync status with the last refusal's words in the reader's language
 * (`lastRejection.words`, its closing full stop left to the sentence around it): the
 * teacher's sync strip shows these, never the raw English. */
export function useSyncStatusWords() {
  const status = useSyncStatus();
  const last = status.lastRejection;
  return last ? { ...status, lastRejection: { ...last, words: reasonText(last).replace(/[.。]$/, "") } } : status;
}
