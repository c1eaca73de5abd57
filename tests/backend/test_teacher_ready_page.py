"""/teacher/ready: each request's link is named by what it shows (QA F11: an aria-label of
"Rate <learner> on <target>" left out the visible "Thinks they are at … · Asked …", which
axe reports as label-content-name-mismatch, WCAG 2.5.3)."""

import re

from app.pages.teacher_ready import teacher_ready_page


def test_the_request_links_carry_no_label_that_differs_from_their_text():
    rendered = str(teacher_ready_page().render())
    labels = re.findall(r'aria.label":(.{0,120})', rendered)
    assert not [label for label in labels if "learner_name" in label], labels
    assert "rate_href" in rendered  # the request link itself is still on the page
