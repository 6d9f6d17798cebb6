"""Figures for company and technology pages: mentions over time, terms seen together.

Pure functions over plain values, so the Pelican plugin stays a thin adapter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from babel import Locale

from newsarchive.site.plugin.i18n import Dates

T = TypeVar("T", bound=Hashable)

BAR_WIDTH = 22
BAR_GAP = 6
CHART_HEIGHT = 72
# Above this many bars, a year's axis label is its last two digits.
FULL_YEAR_TICKS = 12


@dataclass(frozen=True)
class Bar:
    label: str  # the period in full, as the chart's description names it ("Jun 2020")
    count: int
    x: int
    height: int
    tick: str = ""  # the period as the axis names it ("Jun", "2020", "20")

    @property
    def y(self) -> int:
        return CHART_HEIGHT - self.height


@dataclass(frozen=True)
class Timeline:
    """Stories per year (per month when they all fall in one year), drawn as SVG bars."""

    bars: tuple[Bar, ...]
    unit: str

    @property
    def width(self) -> int:
        return len(self.bars) * (BAR_WIDTH + BAR_GAP)

    @property
    def height(self) -> int:
        return CHART_HEIGHT

    @property
    def bar_width(self) -> int:
        return BAR_WIDTH

    @property
    def description(self) -> str:
        return ", ".join(f"{bar.label}: {bar.count}" for bar in self.bars)


def timeline(dates: Iterable[datetime], labels: Dates | None = None) -> Timeline:
    """Stories per year (per month within one year) as the bars of a small SVG chart,
    labelled in the language of ``labels`` (English by default)."""
    dates = list(dates)
    labels = labels or Dates(Locale("en"))
    if not dates:
        return Timeline((), "year")
    years = Counter(d.year for d in dates)
    if len(years) == 1:
        (year,) = years
        months = Counter(d.month for d in dates)
        firsts = [date(year, m, 1) for m in range(min(months), max(months) + 1)]
        return _bars(
            [(labels.month_of_year(d), labels.month_short(d), months[d.month]) for d in firsts], "month"
        )
    span = range(min(years), max(years) + 1)
    short = len(span) > FULL_YEAR_TICKS
    return _bars(
        [(labels.year(date(y, 1, 1)), f"{y % 100:02d}" if short else str(y), years[y]) for y in span], "year"
    )


def _bars(counts: list[tuple[str, str, int]], unit: str) -> Timeline:
    peak = max(count for _, _, count in counts) or 1
    bars = tuple(
        Bar(label, count, i * (BAR_WIDTH + BAR_GAP), round(CHART_HEIGHT * count / peak) if count else 0, tick)
        for i, (label, tick, count) in enumerate(counts)
    )
    return Timeline(bars, unit)


def seen_together(term_lists: Iterable[Sequence[T]], exclude: T, limit: int = 12) -> list[tuple[T, int]]:
    """Terms tagged on the same stories as ``exclude``, most frequent first (each counted
    once per story, equal terms as one).

    Each distinct object is compared with the others once, then stories are counted by
    object identity: the terms of a site are a few shared objects, and Pelican's wrappers
    hash and compare through a property (the slug), too slow to do for every term of
    every story of every term page."""
    first_of: dict[int, T] = {}  # id of a term object -> the first term equal to it
    firsts: dict[T, T] = {}
    counts: Counter[int] = Counter()
    for terms in term_lists:
        for term in terms:
            if id(term) not in first_of:
                first_of[id(term)] = firsts.setdefault(term, term)
        counts.update({id(first_of[id(term)]) for term in terms})
    together = [(first_of[key], count) for key, count in counts.items()]
    together = [(term, count) for term, count in together if term != exclude]
    return sorted(together, key=lambda item: (-item[1], str(item[0]).casefold()))[:limit]
