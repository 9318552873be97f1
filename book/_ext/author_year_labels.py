"""Sphinx extension: label the bibliography by author and year, as the text cites.

The chapters cite with ``bibtex_reference_style = author_year`` ("Cho et al. (2014)"), but
pybtex's ``plain`` style labels the list itself with numbers ([1], [2], ...), so a reader who
follows a citation lands on a number the text never showed. This extension registers the pybtex
formatting style ``plain_author_year``: ``plain`` (entries sorted by author, year and title) with
labels such as "Shannon 1948", "Levy and Goldberg 2014" and "Cho et al. 2014", and a letter after
the year when two entries would otherwise share a label ("Mikolov et al. 2013a").
"""

from __future__ import annotations

import string
from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _who(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.prelast_names + person.last_names) for person in people]
    if names and names[-1] == "others":  # BibTeX's "and others"
        names = [*names[:-1], "", ""]
    if not names:
        return entry.fields.get("key") or entry.fields.get("organization") or entry.key
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def _plain(text: str) -> str:
    """BibTeX braces and escapes removed: {\\"e} -> e is enough for surnames used here."""
    return text.replace("{", "").replace("}", "").replace("\\", "")


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [_plain(f"{_who(e)} {e.fields.get('year', 'n.d.')}") for e in entries]
        shared = {base for base, count in Counter(bases).items() if count > 1}
        seen: Counter = Counter()
        for base in bases:
            if base in shared:
                yield base + string.ascii_lowercase[seen[base]]
                seen[base] += 1
            else:
                yield base


class PlainAuthorYear(PlainStyle):
    default_label_style = "author_year_labels"


def setup(app):
    register_plugin("pybtex.style.labels", "author_year_labels", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "plain_author_year", PlainAuthorYear)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
