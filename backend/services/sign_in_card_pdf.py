"""The printable sheet of a class's sign-in cards (WeasyPrint HTML → PDF, QR by segno).

Each card: the learner's name (no picture: children's data stays minimal), the QR code,
the short code in large letters, and one line of instructions. Eight cards a page, cut
along the dashed lines. US Letter or A4 by the reader's locale when the i18n helper says
which (`backend.i18n.paper_size`), else US Letter.
"""

from __future__ import annotations

from html import escape

import segno

from backend import i18n
from backend.i18n import gettext
from backend.services.sign_in_cards import NewCard, show_code

_CSS = """
@page { size: %(paper)s; margin: 12mm; }
body { font-family: "DejaVu Sans", sans-serif; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 4mm; }
.sheet { display: flex; flex-wrap: wrap; }
.card { box-sizing: border-box; width: 50%%; height: 60mm; padding: 3mm 4mm;
        border: 1px dashed #555; display: flex; align-items: center; gap: 4mm;
        page-break-inside: avoid; }
.qr { width: 42mm; height: 42mm; flex: none; }
.name { font-size: 15pt; font-weight: bold; margin: 0 0 2mm; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 17pt; letter-spacing: 1pt;
        margin: 0 0 2mm; }
.help { font-size: 8.5pt; color: #222; margin: 0; }
"""


def _paper(locale: str | None) -> str:
    pick = getattr(i18n, "paper_size", None)
    if callable(pick):
        try:
            return "A4" if str(pick(locale)).upper() == "A4" else "letter"
        except Exception:  # noqa: BLE001 - an unknown locale prints on Letter
            return "letter"
    return "letter"


def _card(card: NewCard, locale: str | None) -> str:
    qr = segno.make(card.qr, error="m").svg_data_uri(scale=4, border=2)
    name = escape(card.learner.display_name)
    help_line = gettext("Hold this card up to the camera. Or tap “Type my code” and type "
                        "the letters.", locale)
    alt = gettext("Sign-in QR code for {name}", locale, name=card.learner.display_name)
    return (f'<div class="card"><img class="qr" src="{qr}" alt="{escape(alt)}">'
            f'<div><p class="name">{name}</p>'
            f'<p class="code">{escape(show_code(card.code))}</p>'
            f'<p class="help">{escape(help_line)}</p></div></div>')


def cards_html(class_name: str, cards: list[NewCard], locale: str | None = None) -> str:
    title = gettext("Sign-in cards: {name}", locale, name=class_name)
    body = "".join(_card(c, locale) for c in cards)
    lang = escape(locale or "en")
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_CSS % {'paper': _paper(locale)}}"
            f'</style></head><body><h1>{escape(title)}</h1><div class="sheet">{body}</div>'
            "</body></html>")


def cards_pdf(class_name: str, cards: list[NewCard], locale: str | None = None) -> bytes:
    """The PDF bytes of the sheet (nothing is written to disk)."""
    from weasyprint import HTML

    return HTML(string=cards_html(class_name, cards, locale)).write_pdf()
