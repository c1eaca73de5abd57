/** The admin's talent view (assets/ui/growth_admin.js): money and hours as typed, and each row's words. */

import { expect, test } from "bun:test";
import { cents, hours, microRow, talentRow } from "../../assets/ui/growth_admin.js";

test("a stipend is dollars as typed, in cents; anything else is refused before it is sent", () => {
  expect(cents("250")).toBe(25000);
  expect(cents("$250.50")).toBe(25050);
  expect(cents(" ")).toBe(null);
  expect(Number.isNaN(cents("150 dollars"))).toBe(true);
  expect(Number.isNaN(cents("1.234"))).toBe(true);
  expect(hours("7.5")).toBe(7.5);
  expect(hours("")).toBe(null);
  expect(Number.isNaN(hours("ten"))).toBe(true);
});

test("a talent row: status, progress and what was recorded, in words", () => {
  const item = { educator_id: 5, educator_name: "Ms. Rivera", topic_id: 20, topic_name: "SCF", status: "awarded", competencies: 2, competencies_approved: 2, evidence_count: 3, returned_count: 1, last_activity: null, credential_id: "c1", award: null, terms: { stipend_cents: 15000, recert_hours: 10 } };
  const row = talentRow(item);
  expect(row.status_text).toBe("Awarded");
  expect(row.progress_text).toBe("2 of 2 competencies approved · 3 pieces of evidence (1 returned)");
  expect(row.award_text).toBe("Nothing recorded yet");
  expect(row.can_record).toBe(true);
  expect([row.stipend, row.hours]).toEqual(["150", "10"]); // the terms, until something is recorded
  const recorded = talentRow({ ...item, award: { stipend_cents: 12550, recert_hours: 8, note: "March", recorded_at: "2026-03-01T10:00:00Z" } });
  expect(recorded.award_text).toMatch(/^Recorded .*: \$125\.50 stipend · 8 recertification hours$/);
  expect([recorded.stipend, recorded.hours, recorded.note]).toEqual(["125.50", "8", "March"]);
  expect(talentRow({ ...item, status: "working", credential_id: null }).can_record).toBe(false);
});

test("a microcredential's terms as its form shows them", () => {
  const row = microRow({ topic_id: 20, name: "SCF", requirements: "Two cycles", stipend_cents: null, recert_hours: 10, competencies: [{ code: "EC.FB.1" }, { code: "EC.FB.2" }] });
  expect(row).toMatchObject({ id: "20", stipend: "", hours: "10", competencies_text: "EC.FB.1 · EC.FB.2", form_id: "terms-20" });
});
