"""Lists in running text, and which of their items are named in passing.

A list is found clause by clause (a clause ends at ``.``, ``;``, ``:``, ``!``, ``?`` or a
bracket): the clause is cut at commas and at "and"/"or", and a run of at least `MIN_ITEMS`
parts is a list when

* every part inside the run is short (at most `MAX_ITEM_WORDS` words): its first part may be
  long (the item is its last words: "rent on iTunes"), and so may its last ("YouTube and
  Google Play on weekends": the item is its first words);
* the run ends with "and" or "or" before its last item, as English lists do (so "Microsoft,
  which makes Windows, said" is not a list);
* no part inside the run is a reporting clause ("a fixed-line telephone, the report said, and
  77% a mobile network": two facts and their source, not a list of three).

A list is *of names* when every inner item starts with a capital or a digit. An item of a
list is named in passing (`in_passing`) when the list is of names ("available to rent on
iTunes, Vudu, Amazon, YouTube and Google Play": five services the sentence says nothing
about), or when most of the list's other items are not technologies ("law enforcement, space
exploration, environmental clean-up and economic development": one budget line among
others). A list of technologies ("products including small cells, packet optical transport,
microwave backhaul and submarine cable") says what a firm makes: that is what the story is
about, so its items count in full.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

MIN_ITEMS = 3
MAX_ITEM_WORDS = 4

Span = tuple[int, int]

_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n]+(?:\s|$)|[()\[\]]")
_SEPARATOR = re.compile(r"\s*,\s*(?:and|or)\s+|\s*,\s*|\s+(?:and|or)\s+")
_WORD = re.compile(r"\S+")
_CONJUNCTION = re.compile(r"\b(?:and|or)\b")
_REPORTING = re.compile(
    r"\b(?:said|says|say|added|adds|reported|reports|claimed|claims|noted|notes|warned|warns|explained"
    r"|explains|argued|argues|believes|thinks|thought|told|wrote|writes|according to \S+)$"
)


@dataclass(frozen=True)
class ListRun:
    """One list: the spans of its items, and whether it is a list of names."""

    items: tuple[Span, ...]
    of_names: bool

    def item_holding(self, start: int, end: int) -> int | None:
        """The index of the item that holds ``start``-``end``, or None."""
        for index, (item_start, item_end) in enumerate(self.items):
            if item_start <= start and end <= item_end:
                return index
        return None


# "everything from A to B", "ranging from A to B", "every type of device from A right up to B":
# a range whose two ends stand for all that lies between, an enumeration in other words
_RANGE = re.compile(
    r"\b(?:everything|anything|(?:every|any|all)\s+(?:types?|kinds?|sorts?)\s+of\s+[\w-]+|rang(?:e|es|ed|ing))"
    r"\s+from\s+(?P<first>[^.,;:!?()]{1,60}?)\s+(?:(?:right|all\s+the\s+way)\s+)?(?:(?:up|down)\s+)?to\s+"
    r"(?P<last>[^.,;:!?()]{1,40}?)(?=[.,;:!?()]|\s+(?:to|and|or|in|at|for|with|that|which)\b|$)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def range_ends(text: str) -> tuple[Span, ...]:
    """The spans of both ends of every "everything from A to B" range in ``text``."""
    if "from" not in text.lower():
        return ()
    return tuple(match.span(group) for match in _RANGE.finditer(text) for group in ("first", "last"))


def in_passing(text: str, start: int, end: int, technologies: list[Span]) -> bool:
    """Whether a technology named at ``text[start:end]`` is one item of a list of names, or of a
    list whose other items are mostly not technologies (``technologies``: the spans of every
    technology named in ``text``), or an end of a range that stands for a whole class ("every
    type of device from handheld computers to servers"). Only the clause around the name is read."""
    if _holds_any_of(range_ends(text), start, end):
        return True
    if "," not in text:
        return False
    for run in _clause_lists(text, *_clause_around(text, start, end)):
        index = run.item_holding(start, end)
        if index is None:
            continue
        if run.of_names:
            return True
        others = [item for i, item in enumerate(run.items) if i != index]
        held = sum(1 for item in others if _holds_any(item, technologies))
        return held * 2 < len(others)
    return False


def _clause_around(text: str, start: int, end: int) -> Span:
    """The clause of ``text`` that holds ``start``-``end`` (see the module docstring): it
    begins after the last clause end that closes before ``start`` and ends at the first that
    opens at or after ``end``."""
    starts, ends = _clause_ends(text)
    before = bisect.bisect_right(ends, start)
    after = bisect.bisect_left(starts, end)
    return (starts[before - 1] + 1 if before else 0), (starts[after] if after < len(starts) else len(text))


@lru_cache(maxsize=64)
def _clause_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each clause end of ``text`` opens and closes, found once per paragraph (a
    paragraph is asked about once per technology it names); both lists rise, as the matches
    do not overlap."""
    matches = list(_CLAUSE_END.finditer(text))
    return tuple(match.start() for match in matches), tuple(match.end() for match in matches)


def _holds_any_of(ends: tuple[Span, ...], start: int, end: int) -> bool:
    return any(first <= start and end <= last for first, last in ends)


def _holds_any(item: Span, spans: list[Span]) -> bool:
    return any(item[0] <= start and end <= item[1] for start, end in spans)


def find_lists(text: str) -> tuple[ListRun, ...]:
    """Every list of `MIN_ITEMS` or more items in ``text``."""
    if "," not in text:
        return ()
    runs: list[ListRun] = []
    start = 0
    for end in [match.start() for match in _CLAUSE_END.finditer(text)] + [len(text)]:
        if text.count(",", start, end) >= 1:
            runs += _clause_lists(text, start, end)
        start = end + 1
    return tuple(runs)


@lru_cache(maxsize=1024)
def _clause_lists(text: str, start: int, end: int) -> tuple[ListRun, ...]:
    """The lists of the clause ``text[start:end]``: for each part that follows "and" or "or",
    the run of short parts before it joined by commas, if the run is long enough."""
    parts: list[Span] = []
    after_and: list[bool] = [False]  # whether part i follows "and"/"or"
    cursor = start
    for separator in _SEPARATOR.finditer(text, start, end):
        parts.append((cursor, separator.start()))
        after_and.append(bool(_CONJUNCTION.search(separator.group())))
        cursor = separator.end()
    parts.append((cursor, end))
    found: list[ListRun] = []
    for last in range(2, len(parts)):
        if not after_and[last]:
            continue
        first = last - 1
        while first >= 1 and _item_like(text, parts[first]) and not after_and[first]:
            first -= 1
        inner = parts[first + 1 : last]
        if last - first + 1 >= MIN_ITEMS and all(_item_like(text, part) for part in inner):
            items = (_tail(text, parts[first]), *inner, _head(text, parts[last]))
            found.append(ListRun(items, all(_starts_as_name(text, part) for part in inner)))
    return tuple(found)


def _short(text: str, span: Span) -> bool:
    return 0 < len(_WORD.findall(text, span[0], span[1])) <= MAX_ITEM_WORDS


def _item_like(text: str, span: Span) -> bool:
    """Whether a part can be an inner item of a list: short, and not a reporting clause."""
    return _short(text, span) and not _REPORTING.search(text, span[0], span[1])


def _starts_as_name(text: str, span: Span) -> bool:
    """Whether a part starts as a name does: with a capital or a digit."""
    first = text[span[0] : span[0] + 1]
    return first.isupper() or first.isdigit()


def _tail(text: str, span: Span) -> Span:
    words = list(_WORD.finditer(text, span[0], span[1]))
    return (words[-MAX_ITEM_WORDS:][0].start(), span[1]) if words else span


def _head(text: str, span: Span) -> Span:
    words = list(_WORD.finditer(text, span[0], span[1]))
    return (span[0], words[:MAX_ITEM_WORDS][-1].end()) if words else span
