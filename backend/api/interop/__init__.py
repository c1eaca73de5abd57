"""Interop: OneRoster and CASE imports, results and binder exports, printable reports."""
