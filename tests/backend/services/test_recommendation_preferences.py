"""Recommendations that weigh the learner's stated preferences (issue 18 item 3): the
ranking, the why that cites the preference, and the device's words for every reason."""

import re
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from backend.extensions import db
from backend.models import Activity, ActivityTarget, Playlist, PlaylistItem, User
from backend.models.profile import ProfileSection
from backend.services.recommendations import (
    KIND_A,
    WHY_TEMPLATES,
    load_recommendations,
    stated_preferences,
    why_text,
)
from tests.backend.services.builders import done_pick, gains_topic, new_learner, user

WHY_JS = Path(__file__).resolve().parents[3] / "assets" / "ui" / "why_text.js"


def _decimals(result):
    return next(t for t in result["topics"] if t["name"] == "Decimals")


def _say(learner_id, section, text="", choices=()):
    db.session.add(ProfileSection(id=f"{learner_id}:{section}", student_id=learner_id,
                                  section=section, text=text, choices=list(choices),
                                  author_id=learner_id, version=1))


def _with_a_lab(app):
    """Decimals: two readings in the playlist, then a hands-on lab last; a new learner."""
    with app.app_context():
        built = gains_topic()
        lab = Activity(
            school_id=built["first"].school_id, title="Decimal measuring lab", kind="lab",
            modality="small_group",
            targets=[ActivityTarget(target_id=built["target"].id)])
        db.session.add(lab)
        db.session.flush()
        playlist = db.session.get(Playlist, built["playlist"].id)
        playlist.items.append(PlaylistItem(activity_id=lab.id, position=2))
        newbie = new_learner()
        db.session.commit()
        ids = {k: v.id for k, v in built.items()} | {"lab": lab.id, "newbie": newbie.id}
        db.session.remove()
    return ids


def test_without_a_profile_the_playlist_order_stands(app):
    ids = _with_a_lab(app)
    with app.app_context():
        result = load_recommendations(db.session.get(User, ids["newbie"]))
    decimals = _decimals(result)
    assert result["stated"] is False
    assert [a["id"] for a in decimals["activities"]] == [ids["first"], ids["second"], ids["lab"]]
    assert [a["reasons"][0]["code"] for a in decimals["activities"]] == ["why.playlist"] * 3


def test_learning_by_doing_puts_the_lab_first_and_says_why(app):
    ids = _with_a_lab(app)
    with app.app_context():
        _say(ids["newbie"], "learn_by", "I like trying things", ["doing"])
        db.session.commit()
        result = load_recommendations(db.session.get(User, ids["newbie"]))
    decimals = _decimals(result)
    first = decimals["activities"][0]
    assert result["stated"] is True
    assert first["id"] == ids["lab"] and first["stated"] is True
    assert first["reasons"][0] == {"code": "why.learn_by",
                                   "params": {"choice": "doing", "kind": "lab"}}
    assert first["why"] == "You said you take in ideas by doing: this is a hands-on lab."
    # the readings meet no stated preference: the playlist order between them stands
    assert [a["id"] for a in decimals["activities"][1:]] == [ids["first"], ids["second"]]
    assert not decimals["activities"][1]["stated"]


def test_words_in_interests_count_and_cite_the_learners_word(app):
    ids = _with_a_lab(app)
    with app.app_context():
        _say(ids["newbie"], "interests", "Building robots with my cousin")
        db.session.commit()
        learner = db.session.get(User, ids["newbie"])
        assert stated_preferences(learner.id)["words"] == [("building", {"lab", "project"}),
                                                           ("robots", {"lab", "project"})]
        result = load_recommendations(learner)
    first = _decimals(result)["activities"][0]
    assert first["id"] == ids["lab"]
    assert first["why"] == "You said you like building: this is a hands-on lab."


def test_reading_learners_keep_readings_and_peers_get_group_work(app):
    ids = _with_a_lab(app)
    with app.app_context():
        _say(ids["newbie"], "learn_by", choices=["reading"])
        db.session.commit()
        learner = db.session.get(User, ids["newbie"])
        readers = [a["id"] for a in _decimals(load_recommendations(learner))["activities"]]
        row = db.session.scalar(select(ProfileSection).where(
            ProfileSection.student_id == learner.id))
        row.section, row.choices = "engage_by", ["with_peers"]
        db.session.commit()
        peers = _decimals(load_recommendations(learner))["activities"]
    assert readers == [ids["first"], ids["second"], ids["lab"]]
    assert peers[0]["id"] == ids["lab"]
    assert peers[0]["why"] == "You said you like working with others: this is a hands-on lab."


def test_stated_preferences_weigh_beside_what_worked_for_others(app):
    """A learner with history: the lab meets their stated preference and outranks readings
    that only their habits (they finished readings) favour."""
    ids = _with_a_lab(app)
    with app.app_context():
        me = user("student5")
        done_pick(me, ids["first"], date.today() - timedelta(days=3), 1)
        _say(me.id, "learn_by", choices=["doing"])
        db.session.commit()
        result = load_recommendations(me)
    decimals = _decimals(result)
    assert result["basis"] == "history"
    assert decimals["activities"][0]["id"] == ids["lab"]
    codes = [r["code"] for r in decimals["activities"][0]["reasons"]]
    assert codes[0] == "why.learn_by"


def test_every_reason_has_english_words_and_the_device_says_the_same():
    js = WHY_JS.read_text()
    said = set(re.findall(r't\("((?:[^"\\]|\\.)*)"', js))
    assert set(WHY_TEMPLATES.values()) <= said
    assert set(KIND_A.values()) <= said
    for code in WHY_TEMPLATES:
        assert f'"{code}"' in js
    assert why_text({"code": "why.stated_word", "params": {"word": "films", "kind": "video"}}) \
        == "You said you like films: this is a video."


def test_not_for_me_leaves_the_activity_out_until_taken_back(app):
    from backend.models import SuggestionDecline
    from sync.merge.declines import suggestion_decline_id

    ids = _with_a_lab(app)
    with app.app_context():
        _say(ids["newbie"], "learn_by", choices=["doing"])
        row_id = suggestion_decline_id(ids["newbie"], ids["lab"])
        db.session.add(SuggestionDecline(id=row_id, student_id=ids["newbie"],
                                         activity_id=ids["lab"], declined=True, hlc="x",
                                         version=2))
        db.session.commit()
        learner = db.session.get(User, ids["newbie"])
        declined = [a["id"] for a in _decimals(load_recommendations(learner))["activities"]]
        db.session.get(SuggestionDecline, row_id).declined = False
        db.session.commit()
        back = [a["id"] for a in _decimals(load_recommendations(learner))["activities"]]
    assert declined == [ids["first"], ids["second"]]
    assert back == [ids["lab"], ids["first"], ids["second"]]


def test_an_activity_with_several_ways_to_show_mastery_suggests_the_one_that_fits(app):
    ids = _with_a_lab(app)
    with app.app_context():
        lab = db.session.get(Activity, ids["lab"])
        lab.show_ways = ["make", "record", "write"]
        db.session.get(Activity, ids["first"]).show_ways = ["write"]  # one way: nothing to pick
        _say(ids["newbie"], "show_by", choices=["present", "record"])
        db.session.commit()
        result = load_recommendations(db.session.get(User, ids["newbie"]))
    by_id = {a["id"]: a for a in _decimals(result)["activities"]}
    assert by_id[ids["lab"]]["show_as"] == "record"
    assert by_id[ids["lab"]]["reasons"][-1] == {"code": "why.show_by",
                                                "params": {"way": "record"}}
    assert by_id[ids["lab"]]["why"].endswith(
        "You like to show what you know by recording: you can do that here.")
    assert by_id[ids["first"]]["show_as"] is None
    assert by_id[ids["second"]]["show_as"] is None
    # it names the way, it does not rank: the playlist order stands
    assert [a["id"] for a in _decimals(result)["activities"]] == [
        ids["first"], ids["second"], ids["lab"]]


def test_the_learners_record_export_lists_what_they_said_not_for_me_to(app):
    from backend.models import SuggestionDecline
    from backend.services.record_zip import gather

    ids = _with_a_lab(app)
    with app.app_context():
        for activity, declined in ((ids["lab"], True), (ids["first"], False)):
            db.session.add(SuggestionDecline(id=f"{ids['newbie']}:{activity}",
                                             student_id=ids["newbie"], activity_id=activity,
                                             declined=declined, hlc="x", version=3))
        db.session.commit()
        record = gather(db.session.get(User, ids["newbie"]), lambda *_: None)
    assert [row["activity"] for row in record["not_for_me"]] == ["Decimal measuring lab"]
