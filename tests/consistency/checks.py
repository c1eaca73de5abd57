"""The checks on a recorded history (issue 16): each returns anomalies as plain sentences.

The server's truth is a fresh pull of every account in the run (straight to the server,
no proxy), after every device has drained. The checks:

- answered: every mutation a device wrote has an answer, and no device keeps a pending one;
- refused: no write was rejected (the workload only makes writes the server must accept),
  so nothing written offline, 30 days back or with a skewed clock, is refused for being old;
  a stamp behind the server by less than 400 days is never clamped (its date is kept);
- answers agree: a resent seq gets its first answer (same status, same conflict);
- exactly once: every applied self-assessment and rating has one event, the one its
  (client, seq) derives, with its stamp; every conflict answer has its conflict row;
  a rejected one left no event (atomic);
- seq order: each client's events carry versions increasing with seq;
- last writer wins: each goal's and pick's fields equal the applied put with the newest
  stamp, and a row is deleted exactly when its newest delete is at least its newest put;
- profile sections (issue 18): every accepted section put has its history entry, the one
  its (client, seq) derives, with its text and stamp; each section shows exactly the
  accepted versions no accepted put has seen (both texts kept, none lost), the newest as
  its text;
- replicas: every device's rows equal its account's fresh pull, none still local;
- drain: after a partition heals, the outbox empties within 10 s with no new write.
"""

from __future__ import annotations

import json

from sync.merge.common import conflict_id, event_id, stamp
from sync.merge.profile import profile_entry_id, profile_section_id

DRAIN_LIMIT_S = 10.0
MAX_BEHIND_MS = 400 * 24 * 3600 * 1000
LWW_FIELDS = {"goal": ("title", "status", "target_ids"), "pick": ("status",)}


def _used(m: dict) -> str:
    first = m["answer"]
    return first.get("hlc") if first.get("clamped") else m["hlc"]


def why(answer: dict) -> str:
    """A rejection's reason as the server gave it: its code and parameters (issue 16 item 3),
    or the English reason of a server from before the codes."""
    if answer.get("code"):
        return f"{answer['code']} {json.dumps(answer.get('params') or {}, sort_keys=True)}"
    return answer.get("reason") or ""


def check(histories: list, truth: dict, pulls: dict) -> list[str]:
    """`truth`: (type, id) -> row of the union of fresh pulls; `pulls`: username -> rows."""
    out: list[str] = []
    acked = []
    for h in histories:
        for error in (h.error, h.sync_error):
            if error:
                out.append(f"{h.name}: {error}")
        if h.pending_left or h.local_left:
            out.append(
                f"{h.name}: {h.pending_left} writes still pending, {h.local_left} rows still "
                f"local after the network healed"
            )
        for m in h.written:
            answers = h.answers.get(m["hlc"], [])
            if not answers:
                out.append(f"{h.name}: {m['name']} seq {m['seq']} ({m['hlc']}) was never answered")
                continue
            first = answers[0]
            m = {**m, "answer": first, "seq": first["seq"]}
            for later in answers[1:]:
                if (later["status"], later.get("conflict_id")) != (
                    first["status"],
                    first.get("conflict_id"),
                ) and later["status"] != "duplicate":
                    out.append(
                        f"{h.name}: seq {first['seq']} answered {first['status']} "
                        f"then {later['status']}"
                    )
            if first["status"] == "rejected":
                out.append(
                    f"{h.name}: {m['name']} {m['args']} written with clock {m['skew_ms']:+d} ms "
                    f"was refused: {why(first)}"
                )
            if first.get("clamped") and m["skew_ms"] < 0 and -m["skew_ms"] < MAX_BEHIND_MS:
                out.append(
                    f"{h.name}: seq {first['seq']} stamped {m['skew_ms']} ms behind was "
                    f"re-dated to {first.get('hlc')}"
                )
            acked.append((h, m))
    out += _events(acked, truth)
    out += _lww(acked, truth)
    out += _profile(acked, truth)
    out += _replicas(histories, pulls)
    for h in histories:
        if "healed" in h.drain:
            out += _drain(h)
    return out


def _drain(h) -> list[str]:
    """After the heal the device must try again within 10 s, on its own (no new write), and
    its outbox must empty. The time to the answer is kept as a figure, not judged: on a
    loaded machine it is mostly the server's queue, not the engine's choice."""
    healed = h.drain["healed"]
    drained = h.drain.get("drained")
    h.drain["seconds"] = None if drained is None else max(0.0, drained - healed)
    tries = [t for t in h.drain.get("attempts", []) if t >= healed]
    retried = (tries[0] - healed) if tries else None
    h.drain["retry_seconds"] = retried
    how = "an online event came" if h.drain.get("notice") else "no online event"
    if drained is None:
        return [f"{h.name}: the outbox never drained after the network healed ({how})"]
    if retried is None or retried > DRAIN_LIMIT_S:
        took = "never" if retried is None else f"{retried:.1f} s"
        return [
            f"{h.name}: after the network healed the device did not try to push within "
            f"{DRAIN_LIMIT_S:g} s (first try: {took}; {how}; drained after "
            f"{h.drain['seconds']:.1f} s)"
        ]
    return []


def _events(acked: list, truth: dict) -> list[str]:
    out = []
    by_client: dict[str, list] = {}
    for h, m in acked:
        if m["name"] not in ("self_assessment.put", "rating.put", "conflict.resolve"):
            continue
        eid = event_id(m["client_id"], m["seq"])
        event = truth.get(("event", eid))
        status = m["answer"]["status"]
        if status == "rejected":
            if event:
                out.append(f"{h.name}: rejected seq {m['seq']} left an event (not atomic)")
            continue
        same = [
            r
            for (t, _), r in truth.items()
            if t == "event"
            and r["data"].get("hlc") == _used(m)
            and r["data"].get("origin") == m["name"]
        ]
        if not event or len(same) != 1:
            out.append(
                f"{h.name}: {m['name']} seq {m['seq']} is in the server {len(same)} times "
                f"(its own event {'present' if event else 'missing'})"
            )
        elif event:
            by_client.setdefault(m["client_id"], []).append((m["seq"], event["version"], h.name))
        if status == "conflict":
            cid = m["answer"].get("conflict_id")
            if cid != conflict_id(m["client_id"], m["seq"]) or ("conflict", cid) not in truth:
                out.append(
                    f"{h.name}: rating seq {m['seq']} answered conflict {cid}, which the "
                    f"server does not hold"
                )
    for client, seen in by_client.items():
        seen.sort()
        versions = [v for _, v, _ in seen]
        if versions != sorted(versions) or len(set(versions)) != len(versions):
            out.append(f"{seen[0][2]}: client {client}'s events are not in seq order: {seen}")
    return out


def _lww(acked: list, truth: dict) -> list[str]:
    out = []
    rows: dict[tuple, dict] = {}
    for _h, m in acked:
        if m["answer"]["status"] == "rejected":
            continue
        kind, _, verb = m["name"].partition(".")
        if kind not in LWW_FIELDS:
            continue
        key = (kind, m["args"]["id"].lower())
        entry = rows.setdefault(key, {"put": None, "delete": None, "fields": {}})
        used = stamp(_used(m))
        if verb == "delete":
            entry["delete"] = max(filter(None, [entry["delete"], used]))
            continue
        entry["put"] = max(filter(None, [entry["put"], used]))
        for f in LWW_FIELDS[kind]:
            if f in m["args"] and (f not in entry["fields"] or used > entry["fields"][f][0]):
                entry["fields"][f] = (used, m["args"][f])
    for key, e in rows.items():
        row = truth.get(key)
        if row is None:
            out.append(f"{key[0]} {key[1]}: acknowledged, but not on the server")
            continue
        want_deleted = e["delete"] is not None and (e["put"] is None or e["delete"] >= e["put"])
        if bool(row["deleted"]) != want_deleted:
            out.append(
                f"{key[0]} {key[1]}: deleted={row['deleted']}, but its newest "
                f"delete/put says {want_deleted}"
            )
        for f, (_, value) in e["fields"].items():
            have = row["data"].get(f)
            if f == "target_ids":
                have, value = sorted(map(str, have or [])), sorted(map(str, value))
            if have != value:
                out.append(
                    f"{key[0]} {key[1]}: {f} is {have!r}, the newest acknowledged "
                    f"write says {value!r}"
                )
    return out


def _profile(acked: list, truth: dict) -> list[str]:
    out = []
    sections: dict[tuple, dict] = {}
    for h, m in acked:
        if m["name"] != "profile.section.put" or m["answer"]["status"] == "rejected":
            continue
        args, used = m["args"], _used(m)
        entry = truth.get(("profile_entry", profile_entry_id(m["client_id"], m["seq"])))
        if entry is None or entry["data"].get("text") != args["text"] \
                or entry["data"].get("hlc") != used:
            out.append(f"{h.name}: profile put seq {m['seq']} has no history entry of its own "
                       f"with its text and stamp")
        key = (str(args["student_id"]), args["section"])
        s = sections.setdefault(key, {"written": {}, "seen": set()})
        s["written"][used] = args["text"]
        s["seen"] |= set(args.get("seen") or [])
    for (student, section), s in sections.items():
        # versions from earlier runs may stand beside these: the section must show every
        # accepted text no accepted put has seen, none that one has seen, newest first
        want = {hlc: text for hlc, text in s["written"].items() if hlc not in s["seen"]}
        row = truth.get(("profile_section", profile_section_id(student, section)))
        data = row["data"] if row else {}
        shown = dict(([] if data.get("hlc") is None else [(data["hlc"], data.get("text"))]) + [
            (v["hlc"], v["text"]) for v in data.get("alternatives", [])])
        lost = sorted(hlc for hlc, text in want.items() if shown.get(hlc) != text)
        kept = sorted(set(shown) & s["seen"])
        if lost or kept:
            out.append(f"profile section {section} of learner {student}: lost {lost}, "
                       f"kept replaced versions {kept}")
        elif shown and data["hlc"] != max(shown, key=stamp):
            out.append(f"profile section {section} of learner {student}: its text is not "
                       f"the newest of the versions it keeps")
    return out


def _replicas(histories: list, pulls: dict) -> list[str]:
    out = []
    for h in histories:
        if h.replica is None:
            out.append(f"{h.name}: no replica at the end")
            continue
        server = pulls[h.user["username"]]
        missing = [k for k in server if k not in h.replica]
        extra = [k for k in h.replica if k not in server]
        differ = [k for k in server if k in h.replica and h.replica[k] != server[k]]
        if missing or extra or differ:
            sample = (missing or extra or differ)[:3]
            out.append(
                f"{h.name}: replica differs from the server: {len(missing)} missing, "
                f"{len(extra)} extra, "
                f"{len(differ)} different (e.g. {sample})"
            )
    return out
