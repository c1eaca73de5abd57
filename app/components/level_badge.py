"""A learner's level on one target: colour AND words, never colour alone."""

import reflex as rx

from app.i18n import t


def level_badge(level_text: rx.Var[str], level_words: rx.Var[str],
                color: rx.Var[str]) -> rx.Component:
    """E.g. "3.0 · proficient" in green, or "not yet assessed" in grey."""
    return rx.badge(
        # the words are catalog msgids (backend/mastery/words.py): shown in the reader's words
        rx.cond(level_text != "", t("{level} · {words}", level=level_text, words=t(level_words)),
                t(level_words)),
        color_scheme=color,
        variant="soft",
        size="2",
        radius="full",
        white_space="nowrap",
    )
