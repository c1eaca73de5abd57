"""Interop: OneRoster roster imports, CASE curriculum imports, results and binder exports.

Every import is all-or-nothing: it reads and checks the whole input first, collecting
every problem with the file, row and field it is in; if there is any, it is refused as a
whole (`ImportRefused`) and nothing is written. Otherwise its changes are applied in one
transaction, or, for a dry run, worked out and described without being kept.
"""

from backend.interop.problems import ImportRefused, ImportReport, Problems

__all__ = ["ImportRefused", "ImportReport", "Problems"]
