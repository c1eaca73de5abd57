"""Printable reports: a learner's progress report, transcript and student-led conference pack.

Each is a Jinja template rendered to print-friendly HTML and, through WeasyPrint, to PDF.
"""

from backend.reports.render import KINDS, render_batch_pdf, render_html, render_pdf

__all__ = ["KINDS", "render_batch_pdf", "render_html", "render_pdf"]
