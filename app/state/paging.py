"""The words of a paged list, in one place: "Showing 20 of 143 done goals" and "Show 20 more
done goals". assets/ui/paging.js says the same for the device-store screens."""

from __future__ import annotations

import dataclasses
import json

from backend.i18n import ngettext

PAGE_SIZE = 20


@dataclasses.dataclass(frozen=True)
class Words:
    """How a list says its counts, as whole plural sentences marked with N_(one, other):
    `showing` has {shown} and {n} ("Showing 20 of 143 done goals"), `more` has {n}.
    No English frame around a translated noun (assets/ui/paging.js says the same)."""

    showing: tuple[str, str]
    more: tuple[str, str]


def count_text(shown: int, total: int, words: Words, locale: str | None = None) -> str:
    """"Showing 20 of 143 done goals" ("" for an empty list: its empty state says it)."""
    if total <= 0:
        return ""
    return ngettext(*words.showing, total, locale, shown=min(shown, total))


def more_text(shown: int, total: int, words: Words, page: int = PAGE_SIZE,
              locale: str | None = None) -> str:
    """"Show 20 more done goals", or "" when every item is shown."""
    left = total - shown
    if left <= 0:
        return ""
    return ngettext(*words.more, min(page, left), locale)


def focus_item_script(list_id: str, index: int) -> str:
    """JS that focuses item `index` of a paged list once it has rendered (polls ~3 s)."""
    return ("(function(l,i,n){var f=function(){var s=document.querySelectorAll("
            "'[data-page-list=\"'+l+'\"] [data-page-item]');if(s[i]){s[i].focus();"
            "return}if(n-->0)setTimeout(f,50)};f()})("
            f"{json.dumps(str(list_id))},{int(index)},60)")
