"""Lists of names in running text: a name that is one item of a list of three or more proper
names is named in passing.

"available to rent on iTunes, Vudu, Amazon, YouTube and Google Play" names five services,
none of which the sentence says anything about. A list of common nouns ("products including
small cells, packet optical transport, microwave backhaul and submarine cable") is not one:
it says what a firm makes, which is what the story is about. A list is found clause by clause (a clause
ends at ``.``, ``;``, ``:``, ``!``, ``?`` or a bracket): the clause is cut at commas and at
"and"/"or", and a run of at least `MIN_ITEMS` parts is a list when

* every part inside the run is short (at most `MAX_ITEM_WORDS` words) and starts with a
  capital or a digit, as a name does: its first part may be
  long (the item is its last words: "rent on iTunes"), and so may its last ("YouTube and
  Google Play on weekends": the item is its first words);
* the run ends with "and" or "or" before its last item, as English lists do (so "Microsoft,
  which makes Windows, said" is not a list).

The spans returned are the items; a name inside one of them is a list item.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_ITEMS = 3
MAX_ITEM_WORDS = 4

Span = tuple[int, int]

_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n]+(?:\s|$)|[()\[\]]")
_SEPARATOR = re.compile(r"\s*,\s*(?:and|or)\s+|\s*,\s*|\s+(?:and|or)\s+")
_WORD = re.compile(r"\S+")
_CONJUNCTION = re.compile(r"\b(?:and|or)\b")


@lru_cache(maxsize=2048)
def list_item_spans(text: str) -> tuple[Span, ...]:
    """The spans of ``text`` that are items of a list of `MIN_ITEMS` or more."""
    if "," not in text:
        return ()
    spans: list[Span] = []
    start = 0
    for end in [match.start() for match in _CLAUSE_END.finditer(text)] + [len(text)]:
        if text.count(",", start, end) >= 1:
            spans += _clause_items(text, start, end)
        start = end + 1
    return tuple(spans)


def _clause_items(text: str, start: int, end: int) -> list[Span]:
    """The list items of the clause ``text[start:end]``: for each part that follows "and" or
    "or", the run of short parts before it joined by commas, if the run is long enough."""
    parts: list[Span] = []
    after_and: list[bool] = [False]  # whether part i follows "and"/"or"
    cursor = start
    for separator in _SEPARATOR.finditer(text, start, end):
        parts.append((cursor, separator.start()))
        after_and.append(bool(_CONJUNCTION.search(separator.group())))
        cursor = separator.end()
    parts.append((cursor, end))
    found: list[Span] = []
    for last in range(2, len(parts)):
        if not after_and[last]:
            continue
        first = last - 1
        while first >= 1 and _name(text, parts[first]) and not after_and[first]:
            first -= 1
        if last - first + 1 >= MIN_ITEMS and all(_name(text, parts[i]) for i in range(first + 1, last)):
            found.append(_tail(text, parts[first]))
            found += parts[first + 1 : last]
            found.append(_head(text, parts[last]))
    return found


def _name(text: str, span: Span) -> bool:
    """Whether a part is short and starts as a name does (a capital or a digit)."""
    words = _WORD.findall(text, span[0], span[1])
    return 0 < len(words) <= MAX_ITEM_WORDS and (words[0][0].isupper() or words[0][0].isdigit())


def _tail(text: str, span: Span) -> Span:
    words = list(_WORD.finditer(text, span[0], span[1]))
    return (words[-MAX_ITEM_WORDS:][0].start(), span[1]) if words else span


def _head(text: str, span: Span) -> Span:
    words = list(_WORD.finditer(text, span[0], span[1]))
    return (span[0], words[:MAX_ITEM_WORDS][-1].end()) if words else span
