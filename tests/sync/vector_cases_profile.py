"""Conformance vectors of the Personal Learner Profile (issue 18): sections whose concurrent
texts are all kept until the learner chooses, observations and answers, who may write what."""

from __future__ import annotations

from tests.sync.vector_cases import h, m, no, ok, step

O1 = "0190f0f1-0000-7000-8000-000000000001"
O2 = "0190f0f1-0000-7000-8000-000000000002"
LEARN_BY = ["watching", "reading", "doing", "talking"]


def section(seq, stamp, name, text, seen=(), student="s1", **more):
    args = {"student_id": student, "section": name, "text": text, "seen": list(seen), **more}
    return m(seq, "profile.section.put", stamp, **args)


def observe(seq, stamp, text, oid=O1, student="s1", **more):
    return m(seq, "profile.observation.put", stamp, id=oid, student_id=student, text=text, **more)


def respond(seq, stamp, response, oid=O1, **more):
    return m(seq, "profile.observation.respond", stamp, id=oid, response=response, **more)


def profile_cases() -> list[dict]:
    both = {"section": "strengths"}
    return [
        {
            "name": "profile_section_both_kept",
            "description": "Two devices of one learner write the same profile section offline: "
            "both texts are kept (the newer shown, the other an alternative) whatever the "
            "arrival order; a put that saw both replaces them, whatever its stamp; a late "
            "offline text is kept beside it, never lost; every text is in the section's "
            "history.",
            "steps": [
                step(1, "s1", [section(1, h(1000, "d1"), "strengths", "I build things")],
                     [ok(1)]),
                step(2, "s1", [section(1, h(2000, "d2"), "strengths", "I draw well")],
                     [ok(1, "profile.both_kept", both)]),
                step(1, "s1", [section(2, h(3000, "d1"), "strengths", "I build and draw",
                                       seen=[h(2000, "d2"), h(1000, "d1")])], [ok(2)]),
                step(3, "s1", [section(1, h(1500, "d3"), "strengths", "Kind to others")],
                     [ok(1, "profile.both_kept", both)]),
                step(3, "s1", [section(2, h(4000, "d3"), "learn_by", "Trying it myself",
                                       choices=["doing", "talking", "doing"])], [ok(2)]),
                step(1, "s1", [section(3, h(3500, "d1"), "learn_by", "Watching first",
                                       choices=["watching"], seen=[h(4000, "d3")])],
                     [ok(3)]),
                # a put may name a version the server has not had yet (it reached this
                # device some other way): when it comes, it is history only
                step(1, "s1", [section(4, h(5000, "d1"), "interests", "Music",
                                       seen=[h(4500, "d3")])], [ok(4)]),
                step(3, "s1", [section(3, h(4500, "d3"), "interests", "Music and maps")],
                     [ok(3, "profile.newer_kept")]),
            ],
        },
        {
            "name": "profile_observation_respond",
            "description": "A teacher's observation: LWW per field, only its author edits it; "
            "the learner accepts or asks to discuss it with a reply; another teacher, a "
            "guardian, another learner are refused.",
            "steps": [
                step(4, "t1", [observe(1, h(1000, "t1p"), "You explain ideas to others well",
                                       section="strengths")], [ok(1)]),
                step(5, "t2", [observe(1, h(1100, "t2p"), "Mine now")],
                     [no(1, "profile.not_your_observation")]),
                step(4, "t1", [observe(2, h(1200, "t1p"), "You explain ideas clearly")],
                     [ok(2)]),
                step(1, "s1", [respond(1, h(2000, "d1"), "discuss", reply="Only in maths")],
                     [ok(1)]),
                step(2, "s1", [respond(1, h(2500, "d2"), "accepted")], [ok(1)]),
                step(6, "s2", [respond(1, h(2600, "d4"), "accepted")],
                     [no(1, "auth.not_own_record", student_id="s1")]),
                step(1, "s1", [respond(2, h(2700, "d1"), "accepted", oid=O2)],
                     [no(2, "not_found.profile_observation", id=O2)]),
            ],
        },
        {
            "name": "profile_authorization",
            "description": "The profile is the learner's: a guardian never writes; a teacher "
            "writes observations and words beside the learner's, only on learners they teach; "
            "a learner writes only their own profile and never an observation.",
            "steps": [
                step(1, "g1", [section(1, h(1000, "g"), "interests", "Football"),
                               respond(2, h(1001, "g"), "accepted")],
                     [no(1, "auth.guardian_read_only", mutation="profile.section.put"),
                      no(2, "auth.guardian_read_only", mutation="profile.observation.respond")]),
                step(4, "t1", [section(1, h(1000, "t1p"), "interests", "Robots")], [ok(1)]),
                step(5, "t2", [section(1, h(1100, "t2p"), "interests", "Chess", student="s2")],
                     [no(1, "auth.not_your_learner", student_id="s2", student="s2")]),
                step(5, "t2", [observe(1, h(1000, "t2p"), "Great focus", oid=O2, student="s2")],
                     [no(1, "auth.not_your_learner", student_id="s2", student="s2")]),
                step(6, "s2", [section(1, h(1000, "d4"), "interests", "Chess", student="s1"),
                               observe(2, h(1001, "d4"), "I noticed", oid=O2, student="s2")],
                     [no(1, "auth.not_own_record", student_id="s1"),
                      no(2, "auth.learner_cannot", mutation="profile.observation.put")]),
                step(2, "s1", [section(1, h(1000, "d2"), "interests", "Chess and robots")],
                     [ok(1, "profile.both_kept", {"section": "interests"})]),
            ],
        },
        {
            "name": "profile_teacher_beside",
            "description": "A teacher's words in a section stand beside the learner's, even "
            "when the teacher's device showed the learner's text: a teacher's put replaces "
            "only what that teacher wrote. The learner keeps one with a put that saw both.",
            "steps": [
                step(1, "s1", [section(1, h(1000, "d1"), "strengths", "I build things")],
                     [ok(1)]),
                step(4, "t1", [section(1, h(2000, "t1p"), "strengths", "You help others",
                                       seen=[h(1000, "d1")])],
                     [ok(1, "profile.both_kept", both)]),
                step(4, "t1", [section(2, h(2100, "t1p"), "strengths",
                                       "You help others patiently",
                                       seen=[h(1000, "d1"), h(2000, "t1p")])],
                     [ok(2, "profile.both_kept", both)]),
                step(1, "s1", [section(2, h(3000, "d1"), "strengths",
                                       "You help others patiently",
                                       seen=[h(1000, "d1"), h(2100, "t1p")])], [ok(2)]),
            ],
        },
        {
            "name": "profile_validation",
            "description": "Profile text has the limits and plain-word errors of goals; the "
            "choices of UDL's three parts are fixed words, and only those sections take "
            "them; `seen` is a list of clock stamps.",
            "steps": [
                step(1, "s1", [
                    section(1, h(1000, "d1"), "strengths", "x" * 4001),
                    section(2, h(1001, "d1"), "strengths", "Fine", choices=["doing"]),
                    section(3, h(1002, "d1"), "learn_by", "Fine", choices=["make"]),
                    section(4, h(1003, "d1"), "learn_by", "Fine", choices="doing"),
                    section(5, h(1004, "d1"), "hobbies", "Fine"),
                    m(6, "profile.section.put", h(1005, "d1"), student_id="s1",
                      section="strengths", text="Fine", seen="yesterday"),
                    section(7, h(1006, "d1"), "strengths", "Fine", seen=["yesterday"]),
                    section(8, h(1007, "d1"), "strengths", 42),
                    m(9, "profile.section.put", h(1008, "d1"), student_id="s1",
                      section="strengths", text="Fine"),
                    respond(10, h(1009, "d1"), "maybe"),
                    section(11, h(1010, "d1"), "strengths", "  Curious  "),
                ], [
                    no(1, "cap.text_length", field="text", limit=4000, count=4001),
                    no(2, "profile.no_choices", section="strengths"),
                    no(3, "field.not_choice", field="choices", allowed=LEARN_BY, value="make"),
                    no(4, "field.not_word_list", field="choices",
                       allowed=[*LEARN_BY, "alone", "with_peers", "challenge", "choice",
                                "write", "make", "present", "record"]),
                    no(5, "field.not_choice", field="section",
                       allowed=["strengths", "interests", "learn_by", "engage_by", "show_by",
                                "hard_and_helps", "beyond_school"], value="hobbies"),
                    no(6, "field.not_stamps", field="seen", value="yesterday"),
                    no(7, "field.not_stamps", field="seen", value="yesterday"),
                    no(8, "field.not_text", field="text", type="number"),
                    no(9, "mutation.missing_args", mutation="profile.section.put",
                       args=["seen"]),
                    no(10, "field.not_choice", field="response",
                       allowed=["accepted", "discuss"], value="maybe"),
                    ok(11),
                ]),
                step(4, "t1", [observe(1, h(2000, "t1p"), "   ")],
                     [no(1, "field.empty", field="text")]),
            ],
        },
    ]
