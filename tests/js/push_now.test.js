/** A teacher's write goes up at once even mid-pull (pushNow), and a pending write can be withdrawn until a push takes it (push.js). */

import { afterEach, expect, test } from "bun:test";
import { uuid7 } from "../../assets/sync/uuid.js";
import { FakeServer, testDevice } from "./fake-server.js";

const cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const device = (server, user, fetch = server.fetch) => testDevice(server, user, cleanup, { fetch, name: "pushnow" });

const TEACHER = { id: 2, role: "teacher" };

/** A learner's submitted work on the server; returns the evidence ids. */
async function submitted(server, n = 6) {
  const { store, engine } = device(server, { id: 1, role: "student" });
  const ids = [];
  for (let i = 0; i < n; i++) {
    const id = uuid7();
    ids.push(id);
    await store.mutate("evidence.put", { id, student_id: 1, kind: "text", text: `work ${i}`, submitted: true });
  }
  await engine.push();
  return ids;
}

function gate() {
  let open;
  const shut = new Promise((resolve) => (open = resolve));
  return { shut, open };
}

test("a tap mid-pull is pushed while the page is still loading, not after it", async () => {
  const server = new FakeServer({ pageSize: 2, phased: true });
  const evidence = await submitted(server);
  server.signIn(2);
  const { store, engine } = device(server, TEACHER);
  const page = gate();
  let pulls = 0;
  let pushedDuringPage = null;
  server.beforePull = async () => {
    pulls += 1;
    if (pulls !== 2) return;
    // the second page is slow; meanwhile the teacher approves (the page's own mutate + nudge)
    const { seq } = await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
    engine.nudge();
    expect(await engine.whenAnswered(seq)).toBe("acked");
    pushedDuringPage = server.state.rows.evidence[evidence[0]].data.reviewed?.decision ?? null;
    page.open();
    await page.shut;
  };
  expect(await engine.flush()).toBe(true);
  expect(pushedDuringPage).toBe("approved");
  expect(await store.pendingCount()).toBe(0);
  // the page fetched before the ack did not hide the review on this device
  expect((await store.getRow("evidence", evidence[0])).data.reviewed.decision).toBe("approved");
});

test("a pending write is withdrawn: gone from the outbox, its effect undone, never sent", async () => {
  const server = new FakeServer({ phased: true });
  const evidence = await submitted(server, 1);
  server.signIn(2);
  const { store, engine } = device(server, TEACHER);
  await engine.flush();
  const { seq } = await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
  expect((await store.getRow("evidence", evidence[0])).data.reviewed.decision).toBe("approved");
  expect(await engine.withdraw(seq)).toBe("withdrawn");
  expect(await store.pendingCount()).toBe(0);
  expect((await store.getRow("evidence", evidence[0])).data.reviewed ?? null).toBeNull();
  await engine.flush();
  expect(server.state.rows.evidence[evidence[0]].data.reviewed ?? null).toBeNull();
  expect(await engine.withdraw(seq)).toBe("gone");
});

test("withdraw against a push in flight: the push wins, withdraw says it is being sent", async () => {
  const server = new FakeServer({ phased: true });
  const evidence = await submitted(server, 1);
  server.signIn(2);
  const pushGate = gate();
  const arrived = gate();
  const slow = async (url, init) => {
    if (String(url).includes("/api/sync/push")) {
      arrived.open();
      await pushGate.shut;
    }
    return server.fetch(url, init);
  };
  const { store, engine } = device(server, TEACHER, slow);
  engine.withdrawWaitMs = 20; // how long withdraw waits for the push holding the entry
  const { seq } = await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "returned", comment: "Add a photo" });
  const pushing = engine.push();
  await arrived.shut;
  expect(await engine.withdraw(seq)).toBe("sending");
  pushGate.open();
  await pushing;
  expect(await engine.whenAnswered(seq)).toBe("acked");
  expect(await engine.withdraw(seq)).toBe("sent");
  expect(server.state.rows.evidence[evidence[0]].data.reviewed.decision).toBe("returned");
});

test("a push that fails frees its entries: they can be withdrawn again", async () => {
  const server = new FakeServer({ phased: true });
  const evidence = await submitted(server, 1);
  server.signIn(2);
  const { store, engine } = device(server, TEACHER);
  const { seq } = await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
  server.offline = true;
  await expect(engine.push()).rejects.toThrow();
  expect((await store.db.outbox.get(seq)).sending).toBe(0);
  expect(await engine.withdraw(seq)).toBe("withdrawn");
});

test("a pull page computed before an ack does not drop the acked write from the screen", async () => {
  const server = new FakeServer({ phased: true });
  const evidence = await submitted(server, 1);
  server.signIn(2);
  let phone = null;
  let race = false;
  let raced = false;
  // a plain pull's last page leaves the server; the teacher's approval is pushed and acked
  // before that (stale) page is applied
  const late = async (url, init) => {
    const response = await server.fetch(url, init);
    if (race && !raced && String(url).includes("/api/sync/pull")) {
      raced = true;
      const { seq } = await phone.store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
      await phone.engine.push();
      expect(await phone.engine.whenAnswered(seq)).toBe("acked");
    }
    return response;
  };
  phone = device(server, TEACHER, late);
  await phone.engine.flush(); // the first sync
  race = true;
  await phone.engine.flush(); // a plain pull: the race happens on its page
  expect(raced).toBe(true);
  expect((await phone.store.getRow("evidence", evidence[0])).data.reviewed?.decision).toBe("approved");
  expect(await phone.store.pendingCount()).toBe(0);
});

test("withdraw while a push that will fail holds the entry: it waits for the failure, then withdraws", async () => {
  const server = new FakeServer({ phased: true });
  const evidence = await submitted(server, 1);
  server.signIn(2);
  const arrived = gate();
  const failing = async (url, init) => {
    if (String(url).includes("/api/sync/push")) {
      arrived.open();
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new TypeError("Failed to fetch"); // the phone went offline mid-push
    }
    return server.fetch(url, init);
  };
  const { store, engine } = device(server, TEACHER, failing);
  const { seq } = await store.mutate("evidence.review", { evidence_id: evidence[0], decision: "approved" });
  const pushing = engine.push().catch(() => "failed");
  await arrived.shut;
  expect(await engine.withdraw(seq)).toBe("withdrawn");
  expect(await pushing).toBe("failed");
  expect(server.state.rows.evidence[evidence[0]].data.reviewed ?? null).toBeNull();
});
