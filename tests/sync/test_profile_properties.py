"""Property tests of the profile's sections (sync/merge/profile.py): whatever order devices'
puts arrive in, the section converges, and no text is lost: every version no put has said
it saw is still shown (as the text or an alternative) and every text is in the history."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import HLC, Actor, apply_batch, new_state, project

SETTINGS = settings(max_examples=150, deadline=None)
NOW = 1_700_000_600_000
T0 = 1_700_000_000_000
LEARNER = Actor("s1", "student")
CLIENTS = [f"0190c11e-0000-7000-8000-00000000000{i}" for i in range(1, 5)]
SECTIONS = ["strengths", "learn_by"]
texts = st.sampled_from(["I build", "I draw", "Kind", "", "Maths and music"])


@st.composite
def scripts(draw):
    """Puts of 2-4 devices: each has a stamp, a section, a text and the stamps it saw (any
    subset of the stamps made before it, on any device: what pulls may have shown it)."""
    devices = draw(st.integers(2, 4))
    puts, made = [], []
    for _ in range(draw(st.integers(1, 9))):
        device = draw(st.integers(0, devices - 1))
        ms = draw(st.integers(0, 5000))
        stamp = f"{T0 + ms:013d}-{len(puts):04d}-d{device}"
        seen = draw(st.lists(st.sampled_from(made), unique=True)) if made else []
        section = draw(st.sampled_from(SECTIONS))
        args = {"student_id": "s1", "section": section, "text": draw(texts), "seen": seen}
        if section == "learn_by":
            args["choices"] = draw(st.lists(st.sampled_from(["doing", "talking"]), max_size=2))
        puts.append((device, {"name": "profile.section.put", "args": args, "hlc": stamp}))
        made.append(stamp)
    return devices, puts


def _arrivals(draw, devices, puts):
    """One arrival order: a shuffle that keeps each device's own puts in its seq order."""
    queues = {d: [p for dev, p in puts if dev == d] for d in range(devices)}
    tokens = draw(st.permutations([d for d, _ in puts]))
    order, seqs = [], dict.fromkeys(range(devices), 0)
    for d in tokens:
        seqs[d] += 1
        order.append((d, {**queues[d].pop(0), "seq": seqs[d]}))
    return order


def _run(order) -> dict:
    state = new_state()
    for device, mutation in order:
        results, _ = apply_batch(state, CLIENTS[device], [mutation], LEARNER, NOW)
        assert results[0]["status"] == "applied", results
    return state


@SETTINGS
@given(st.data())
def test_sections_converge_whatever_the_arrival_order(data):
    devices, puts = data.draw(scripts())
    first = project(_run(_arrivals(data.draw, devices, puts)))
    second = project(_run(_arrivals(data.draw, devices, puts)))
    assert first.get("profile_sections") == second.get("profile_sections")
    key = lambda e: e["hlc"]  # noqa: E731 - entry ids depend on (client, seq), not the order
    assert sorted(first["profile_entries"], key=key) == sorted(second["profile_entries"], key=key)


@SETTINGS
@given(st.data())
def test_no_text_is_lost(data):
    devices, puts = data.draw(scripts())
    final = project(_run(_arrivals(data.draw, devices, puts)))
    # a put replaces the versions it saw of its own section only
    replaced = {(p["args"]["section"], s) for _, p in puts for s in p["args"]["seen"]}
    shown = {}
    for entry in final["profile_sections"]:
        versions = [entry] + entry["alternatives"] if entry["hlc"] else entry["alternatives"]
        shown[entry["section"]] = {v["hlc"]: v["text"] for v in versions}
        stamps = [HLC.parse(v["hlc"]) for v in versions]
        assert stamps == sorted(stamps, reverse=True)  # the newest is the text
    for _, put in puts:
        section, stamp = put["args"]["section"], put["hlc"]
        if (section, stamp) in replaced:
            assert stamp not in shown.get(section, {})
        else:
            assert shown[section][stamp] == put["args"]["text"]
    history = {e["hlc"]: e["text"] for e in final["profile_entries"]}
    assert history == {p["hlc"]: p["args"]["text"] for _, p in puts}
