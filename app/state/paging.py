"""The words of a paged list, in one place: "Showing 20 of 143 done goals" and "Show 20 more
done goals". assets/ui/pages.js says the same for the device-store screens."""

from __future__ import annotations

import dataclasses
import json

PAGE_SIZE = 20

SHOWING = "Showing {shown} of {total} {what}"
SHOW_MORE = "Show {n} more {what}"


@dataclasses.dataclass
class Words:
    """How a list names its items: one and many ("done goal", "done goals")."""

    one: str
    many: str

    def of(self, n: int) -> str:
        return self.one if n == 1 else self.many


def count_text(shown: int, total: int, words: Words) -> str:
    """"Showing 20 of 143 done goals" ("" for an empty list: its empty state says it)."""
    if total <= 0:
        return ""
    return SHOWING.format(shown=min(shown, total), total=total, what=words.of(total))


def more_text(shown: int, total: int, words: Words, page: int = PAGE_SIZE) -> str:
    """"Show 20 more done goals", or "" when every item is shown."""
    left = total - shown
    if left <= 0:
        return ""
    n = min(page, left)
    return SHOW_MORE.format(n=n, what=words.of(n))


def focus_item_script(list_id: str, index: int) -> str:
    """JS that focuses item `index` of a paged list once it has rendered (polls ~3 s)."""
    return ("(function(l,i,n){var f=function(){var s=document.querySelectorAll("
            "'[data-page-list=\"'+l+'\"] [data-page-item]');if(s[i]){s[i].focus();"
            "return}if(n-->0)setTimeout(f,50)};f()})("
            f"{json.dumps(str(list_id))},{int(index)},60)")
