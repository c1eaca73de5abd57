"""The family portal's words (app/state/family_views.py, app/state/binder_target.py): one date
format on the page, whole sentences with their plurals, and the plain sentence first."""

from app.state.binder_target import target_story
from app.state.family_views import day_text, evidence_card, goal_line, progress_text
from backend.mastery import calculate


def test_every_date_on_the_family_page_reads_one_way():
    assert day_text("2026-11-08") == "Nov 8, 2026"
    assert day_text("2026-11-08T21:05:00Z") == "Nov 8, 2026"
    assert day_text(None) == day_text("") == day_text("not a date") == ""
    assert goal_line({"title": "x", "due_on": "2030-05-01", "status": "active"}).due_text == (
        "due May 1, 2030")
    card = evidence_card({"caption": "c", "approved_at": "2026-10-22T08:00:00+00:00"}, "")
    assert card.when == "Approved Oct 22, 2026"
    assert evidence_card({"caption": "c"}, "").when == ""


def test_the_progress_sentence_has_its_plural_and_its_direction():
    week = lambda n: {"proficient": n}  # noqa: E731
    assert progress_text([week(0), week(1)]) == (
        "Now 1 learning target at proficient or above, up from 0 ten weeks ago.")
    assert progress_text([week(5), week(3)]) == (
        "Now 3 learning targets at proficient or above, down from 5 ten weeks ago.")
    assert progress_text([week(2), week(2)]) == (
        "Now 2 learning targets at proficient or above, the same as ten weeks ago.")
    assert progress_text([]) == "No assessments yet."


def test_the_story_opens_with_the_plain_sentence_and_dates_its_events():
    events = [{"score": 2, "assessed_on": "2026-10-22", "source": "teacher"},
              {"score": 2.5, "assessed_on": "2026-11-08", "source": "teacher"}]
    result = calculate("decaying_average", events)
    body = {"target": {"id": 1, "code": "M5.F.1", "title": "t"}, "level": result["level"],
            "explanation": {"method_label": result["method_label"],
                            "steps": result["explanation"], "sentence": result["sentence"],
                            "counted": result["counted"], "skipped": []},
            "events": [{**events[1], "id": 2}, {**events[0], "id": 1}]}
    story = target_story(body, 7, "Maya R.")
    assert story.sentence == ("The most recent work counts most: the 2.5 on Nov 8, 2026 "
                              "outweighs the 2 from Oct 22, 2026.")
    assert [line.when for line in story.recent] == ["Nov 8, 2026", "Oct 22, 2026"]
    assert [line.when for line in story.counted] == ["Oct 22, 2026", "Nov 8, 2026"]
    # the math's last line names the level as the badge shows it
    assert story.steps[-1] == f"Level: {story.level_text} ({story.level_words})."
