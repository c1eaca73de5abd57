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


def render_batch_pdf(kind: str, learners: list[User], progress=None, *,
                     today: date | None = None) -> bytes:
    """Every learner's report in one PDF, each starting on a new page."""
    documents = []
    for n, learner in enumerate(learners):
        if progress:
            progress(f"rendering {TITLES[kind].lower()}s", n, len(learners))
        documents.append(_document(render_html(kind, learner, today=today)))
    if not documents:
        return _document(f"<p>No learners in this class yet.</p><!-- {kind} -->").write_pdf()
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()
