"""Printable reports: a learner's progress report, transcript and student-led conference pack.

Each is a Jinja template rendered to print-friendly HTML and, through WeasyPrint, to PDF;
a class's batch is made by backend/reports/batch.py, each learner within a time limit.
"""

from backend.reports.render import KINDS, render_html, render_pdf

__all__ = ["KINDS", "render_html", "render_pdf"]
