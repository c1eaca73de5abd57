"""Files the API sends as downloads: one Content-Disposition for all of them, one CSV writer.

Content-Disposition follows RFC 6266 with the RFC 5987 `filename*` parameter: an ASCII
`filename` every client reads, and the real name in UTF-8 for those that read it. Names
come from people (a class called "Matemáticas 6º", a username), so nothing of them may
reach the header raw: a non-Latin-1 character makes the WSGI server fail the response
with a plain-text 500, a CR/LF would start a new header, a `"` would end the quoted name.

CSV cells are neutralised against formula injection as OWASP's "CSV Injection" page
describes: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading `'` (a spreadsheet then shows it as text instead of running it), and every cell is
quoted, with embedded quotes doubled.
"""

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 ._()-]+")
FALLBACK_NAME = "download"


def _clean_name(filename: str) -> str:
    """The name as a person gave it, minus what no file name may hold (controls, slashes)."""
    name = unicodedata.normalize("NFC", filename)
    name = "".join(ch if ch.isprintable() else " " for ch in name)
    name = re.sub(r"[/\\]+", "-", name)
    return " ".join(name.split()) or FALLBACK_NAME


def _ascii_name(name: str) -> str:
    """An ASCII stand-in: accents dropped (é → e), anything else unusual → _, extension kept."""
    stem, ext = os.path.splitext(name)
    if not (ext[1:].isascii() and ext[1:].isalnum()):
        stem, ext = name, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return (_UNSAFE_ASCII.sub("_", plain).strip(" ._") or FALLBACK_NAME) + ext


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 5987), ASCII only."""
    name = _clean_name(filename)
    fallback = _ascii_name(name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if name != fallback:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def file_response(data: bytes | str, mimetype: str, filename: str, *,
                  inline: bool = False) -> Response:
    """A download: the bytes, their type and the one Content-Disposition."""
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": content_disposition(filename, inline=inline)})


def safe_cell(value: object) -> str:
    """One CSV cell as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV (CRLF lines, every cell quoted and neutralised): the one CSV writer."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
