/** Hybrid logical clock, mirroring tests/sync/test_clock.py. */

import { expect, test } from "bun:test";
import { Clock, ClockError, HLC, clamp, compare } from "../../assets/sync/clock.js";

function randomStamp(rnd) {
  const nodes = ["a", "b", "node-1", "Z.9", "t1p", "d:2"];
  return new HLC(Math.floor(rnd() * 1e13), Math.floor(rnd() * 10000), nodes[Math.floor(rnd() * nodes.length)]);
}

function lcg(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test("round trip and padding", () => {
  const hlc = HLC.parse("0000000000042-0007-node-1");
  expect(hlc).toEqual(new HLC(42, 7, "node-1"));
  expect(String(hlc)).toBe("0000000000042-0007-node-1");
});

test.each(["", "42-7-n", "1700000000000-0000-", "1700000000000-00000-n", "x-y-z", 17, null])(
  "malformed stamp %p throws ClockError",
  (bad) => {
    expect(() => HLC.parse(bad)).toThrow(ClockError);
  },
);

test("string order is tuple order (same node or different wall/counter)", () => {
  const rnd = lcg(7);
  for (let i = 0; i < 2000; i++) {
    const a = randomStamp(rnd);
    const b = rnd() < 0.3 ? new HLC(a.wall, a.counter, randomStamp(rnd).node) : randomStamp(rnd);
    const tuple = Math.sign(a.wall - b.wall) || Math.sign(a.counter - b.counter) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
    expect(compare(a, b)).toBe(tuple);
    expect(HLC.parse(String(a))).toEqual(a);
    if (a.node === b.node || a.wall !== b.wall || a.counter !== b.counter) {
      expect(String(a) < String(b)).toBe(tuple < 0);
    }
  }
});

test("send is monotonic even when the wall clock goes back", () => {
  let now = 1000;
  const clock = new Clock("a", () => now);
  const first = clock.send();
  now = 500;
  const second = clock.send();
  expect(compare(second, first)).toBe(1);
  expect([second.wall, second.counter]).toEqual([1000, 1]);
});

test("counter overflow borrows a millisecond", () => {
  const clock = new Clock("a", () => 1000, new HLC(1000, 9999, "a"));
  expect(clock.tick()).toEqual(new HLC(1001, 0, "a"));
});

test("receive orders after the remote stamp", () => {
  const clock = new Clock("a", () => 1000);
  const remote = new HLC(5000, 3, "b");
  const got = clock.receive(String(remote));
  expect(compare(got, remote)).toBe(1);
  expect([got.wall, got.counter]).toEqual([5000, 4]);
  expect(compare(clock.send(), got)).toBe(1);
});

test("receive is after everything seen", () => {
  const rnd = lcg(11);
  for (let run = 0; run < 100; run++) {
    const now = Math.floor(rnd() * 1e12);
    const clock = new Clock("me", () => now);
    for (let i = 0; i < 20; i++) {
      const remote = randomStamp(rnd);
      if (remote.wall >= 1e13 - 2) continue;
      expect(compare(clock.receive(remote), remote)).toBe(1);
    }
  }
});

test("clamp", () => {
  const now = 1_700_000_000_000;
  expect(clamp(new HLC(now + 300_001, 5, "d"), now)).toEqual([new HLC(now, 5, "d"), true]);
  const near = new HLC(now + 300_000, 5, "d");
  expect(clamp(String(near), now)).toEqual([near, false]);
  const past = new HLC(now - 86_400_000, 0, "d");
  expect(clamp(past, now)).toEqual([past, false]);
  expect(() => clamp("soon", now)).toThrow(ClockError);
});
