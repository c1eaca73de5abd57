"""The privacy page says where each person finds the record download (QA F4: it sent a
learner aged 13 or over to "the family page", which a learner cannot open)."""

import inspect

from app.pages import family, learner
from app.pages.privacy import RIGHTS


def _download_sentence() -> str:
    _title, lines = RIGHTS
    [sentence] = [line for line in lines if line.startswith("Download the whole record")]
    return sentence


def test_the_download_sentence_names_the_page_each_person_uses():
    sentence = _download_sentence()
    assert "a guardian from the family page" in sentence
    assert "learner aged 13 or over from their own binder" in sentence
    # and those pages do carry the download panel
    assert "record_export_panel()" in inspect.getsource(family)
    assert "record_export_panel()" in inspect.getsource(learner)
