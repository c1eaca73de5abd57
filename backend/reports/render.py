"""Reports to HTML (Jinja, print-friendly) and PDF (WeasyPrint, which needs Debian's pango)."""

from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

from backend.models import User
from backend.reports.data import BUILDERS

KINDS = tuple(BUILDERS)
TITLES = {"progress": "Progress report", "transcript": "Transcript",
          "conference": "Student-led conference"}
_ENV = Environment(loader=PackageLoader("backend.reports", "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters["day"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""


def render_html(kind: str, learner: User, *, today: date | None = None,
                evidence_ids: list[str] | None = None) -> str:
    """One learner's report as a standalone, print-friendly HTML page."""
    today = today or date.today()
    context = BUILDERS[kind](learner, today, evidence_ids=evidence_ids)
    return _ENV.get_template(f"{kind}.html").render(title=TITLES[kind], kind=kind, **context)


def _document(html: str):
    from weasyprint import HTML  # imported on use: it loads pango, which takes a moment

    return HTML(string=html, base_url=".").render()


def render_pdf(kind: str, learner: User, **kwargs) -> bytes:
    """One learner's report as a PDF."""
    return _document(render_html(kind, learner, **kwargs)).write_pdf()


def learner_document(kind: str, learner: User, today: date):
    """One learner's report laid out (a WeasyPrint document), for a class's batch."""
    return _document(render_html(kind, learner, today=today))


# the last page of a batch that left learners out; words in one place for translation
_LEFT_OUT = _ENV.from_string(
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not in this file"
    "</title><style>body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}"
    "h1{font-size:16pt;color:#9c4221}td,th{text-align:left;padding:3px 5px;"
    "border-bottom:1px solid #ddd;vertical-align:top}</style></head><body>"
    "<h1>Not in this file</h1><p>These learners' {{ kind }} reports could not be made. "
    "Everyone else's is above. Run the batch again, or print these reports one by one."
    "</p><table><tr><th>Learner</th><th>Why</th></tr>{% for f in failures %}<tr><td>"
    "{{ f.name }}</td><td>{{ f.reason }}</td></tr>{% endfor %}</table></body></html>")
_EMPTY = "<p>No learners in this class yet.</p>"


def combine_documents(kind: str, documents: list, failures: list[dict]) -> bytes:
    """Learners' documents as one PDF, each starting on a new page, then a page listing
    the learners left out (if any)."""
    if failures:
        documents = [*documents, _document(_LEFT_OUT.render(
            kind=TITLES[kind].lower(), failures=failures))]
    if not documents:
        return _document(f"{_EMPTY}<!-- {kind} -->").write_pdf()
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()
