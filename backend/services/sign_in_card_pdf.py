"""The printable sheet of a class's sign-in cards (WeasyPrint HTML → PDF, QR by segno).

Each card: the learner's name (no picture: children's data stays minimal), the QR code,
the short code in large letters, and one line of instructions. Six cards a page, cut
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
.sheet { line-height: 0; }
.card { box-sizing: border-box; display: inline-block; vertical-align: top; width: 49.5%%;
        height: 57mm; padding: 3mm; line-height: 1.2; border: 1px dashed #555;
        page-break-inside: avoid; }
.card table { border-collapse: collapse; width: 100%%; height: 100%%; }
.card td { vertical-align: middle; padding: 0 2mm 0 0; }
.qr { width: 42mm; height: 42mm; display: block; }
.name { font-size: 15pt; font-weight: bold; margin: 0 0 2mm; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 16pt; margin: 0 0 2mm; }
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
    return (f'<div class="card"><table><tr><td style="width:44mm">'
            f'<img class="qr" src="{qr}" alt="{escape(alt)}"></td>'
            f'<td><p class="name">{name}</p>'
            f'<p class="code">{escape(show_code(card.code))}</p>'
            f'<p class="help">{escape(help_line)}</p></td></tr></table></div>')


def cards_html(class_name: str, cards: list[NewCard], locale: str | None = None) -> str:
    title = gettext("Sign-in cards: {name}", locale, name=class_name)
    body = "".join(_card(c, locale) for c in cards)
    lang = escape(locale or "en")
    direction = "rtl" if getattr(i18n, "is_rtl", lambda _l: False)(locale) else "ltr"
    return (f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_CSS % {'paper': _paper(locale)}}"
            f'</style></head><body><h1>{escape(title)}</h1><div class="sheet">{body}</div>'
            "</body></html>")


def cards_pdf(class_name: str, cards: list[NewCard], locale: str | None = None) -> bytes:
    """The PDF bytes of the sheet (nothing is written to disk)."""
    from weasyprint import HTML

    return HTML(string=cards_html(class_name, cards, locale)).write_pdf()
