"""The one catalog command: extract → update every .po → compile .mo (Python) and JSON (JS).

    python -m backend.i18n_catalogs            # = make catalogs; writes locales/ and assets/i18n/
    python -m backend.i18n_catalogs --check    # exit 1 if any generated file is stale
    python -m backend.i18n_catalogs --missing  # exit 1 if a locale lacks a translation

Translators edit only locales/<dir>/LC_MESSAGES/messages.po and run the first command.
Everything else is generated, and committed so a fresh checkout (and the offline app) has it:

- locales/messages.pot: every msgid of app/, backend/, assets/ui, assets/sync (babel.cfg).
  No line numbers and a fixed date, so the file changes only when a message does.
- messages.po per locale: updated from the template keeping every translation; a msgid
  that changed starts empty (no fuzzy guesses), and its old translation stays below as `#~`.
- messages.mo per locale, read by backend/i18n.py.
- assets/i18n/<locale>.json, read by assets/ui/i18n.js: {msgid: text} for plain messages,
  {msgid: {cldr_category: text}} for plurals (the JS picks the category with
  Intl.PluralRules). Only complete translations are written: anything else is English there.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from datetime import UTC, datetime
from gettext import c2py
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

from backend.i18n import LOCALES
from backend.i18n_extract import KEYWORDS

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locales"
JSON_DIR = ROOT / "assets" / "i18n"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # so unchanged catalogs stay byte-equal
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SKIP_DIRS = {"node_modules", "__pycache__"}


def folder(code: str) -> str:
    """locales/ folder of a BCP 47 code: "zh-Hans" → "zh_Hans"."""
    return code.replace("-", "_")


def po_path(code: str) -> Path:
    return LOCALE_DIR / folder(code) / "LC_MESSAGES" / "messages.po"


def plural_tags(code: str) -> list[str]:
    """The CLDR category of each gettext form index of a locale: position i names msgstr[i].

    Read off the catalog's own Plural-Forms (Babel's table, GNU order) against CLDR's rule,
    because the two orders differ: Arabic's msgstr[4] is 100–102 ("other") and msgstr[5]
    is 11–99 ("many"). JS picks by category (Intl.PluralRules), Python by index (.mo)."""
    locale = Locale.parse(folder(code))
    catalog = Catalog(locale=locale)
    index_of = c2py(catalog.plural_expr)
    tags: dict[int, str] = {}
    for n in range(0, 1200):
        tags.setdefault(index_of(n), locale.plural_form(n))
    return [tags.get(i, "other") for i in range(catalog.num_plurals)]


def _sources(method_map) -> list[tuple[str, str, str]]:
    """(relative path, method, pattern) of every file babel.cfg maps, in a stable order."""
    roots = sorted({pattern.split("/", 1)[0] for pattern, _ in method_map})
    found = []
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(ROOT / top):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                rel = (Path(dirpath) / name).relative_to(ROOT).as_posix()
                for pattern, method in method_map:
                    if pathmatch(pattern, rel):
                        found.append((rel, method, pattern))
                        break
    return found


def extract() -> Catalog:
    """The template: every message the code passes to t/tn/gettext/ngettext/N_."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    template = Catalog(project="Waypoint", version="1", charset="utf-8",
                       creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    for rel, method, pattern in _sources(method_map):
        for _lineno, message, comments, context in extract_from_file(
                method, str(ROOT / rel), keywords=KEYWORDS, comment_tags=("Translators:",),
                options=options_map.get(pattern, {}), strip_comment_tags=True):
            template.add(message, None, [(rel, None)], auto_comments=comments, context=context)
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    return out.getvalue()


def updated(code: str, template: Catalog) -> Catalog:
    """The locale's catalog from its .po (if any), brought up to the template."""
    path = po_path(code)
    if path.exists():
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=folder(code))
    else:
        catalog = Catalog(locale=folder(code), project="Waypoint", version="1",
                          creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    return catalog


def to_json(code: str, catalog: Catalog) -> dict:
    """{msgid: text | {category: text}} of the complete, non-fuzzy translations."""
    tags = plural_tags(code)
    out: dict = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            forms = list(message.string or ())
            if len(forms) == len(tags) and all(forms):
                out[message.id[0]] = dict(zip(tags, forms, strict=True))
        elif message.string:
            out[message.id] = message.string
    return out


def build() -> dict[Path, bytes]:
    """Every generated file and its bytes (nothing written)."""
    template = extract()
    files = {LOCALE_DIR / "messages.pot": _po_bytes(template)}
    for code in LOCALES:
        catalog = updated(code, template)
        files[po_path(code)] = _po_bytes(catalog)
        mo = io.BytesIO()
        write_mo(mo, catalog, use_fuzzy=False)
        files[po_path(code).with_suffix(".mo")] = mo.getvalue()
        text = json.dumps(to_json(code, catalog), ensure_ascii=False, sort_keys=True, indent=0)
        files[JSON_DIR / f"{code}.json"] = (text + "\n").encode()
    return files


def stale(files: dict[Path, bytes] | None = None) -> list[str]:
    """Generated files that differ from what the command would write."""
    files = build() if files is None else files
    return [str(path.relative_to(ROOT)) for path, data in files.items()
            if not path.exists() or path.read_bytes() != data]


def problems(code: str) -> list[str]:
    """What a locale's .po lacks: untranslated or fuzzy msgids, placeholders that differ."""
    with open(po_path(code), "rb") as fh:
        catalog = read_po(fh, locale=folder(code))
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        strings = list(message.string) if message.pluralizable else [message.string]
        if message.fuzzy or not all(strings):
            found.append(f"{code}: untranslated: {msgid!r}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(message.id) if message.pluralizable else msgid))
        for text in strings:
            have = set(PLACEHOLDER.findall(text))
            if have - wanted or (not message.pluralizable and have != wanted):
                found.append(f"{code}: placeholders {sorted(have)} ≠ {sorted(wanted)}: {msgid!r}")
    return found


def main(argv: list[str]) -> int:
    if "--missing" in argv:
        codes = [a for a in argv if not a.startswith("-")] or [c for c in LOCALES if c != "en"]
        found = [line for code in codes for line in problems(code)]
        print("\n".join(found) or "every catalog is complete")
        return 1 if found else 0
    files = build()
    if "--check" in argv:
        old = stale(files)
        print("\n".join(f"stale: {p}" for p in old) or "catalogs are up to date")
        return 1 if old else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
