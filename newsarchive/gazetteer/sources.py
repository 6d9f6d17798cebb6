"""Sources and tickers: the parts of a story that name who reported it, and the stock codes
that name a company.

A dateline or credit ("LONDON (Reuters) -", "SPACE.com -", "By Jane Doe, Associated Press",
"(AFP)" closing a paragraph) names the story's source, never its subject, whoever it is:
the patterns in ``data/sources.yaml`` recognise the position, not a list of wire services,
and no company is counted inside the span they mark. A ticker ("(NYSE: IBM)", "<TXN.N>")
is a mention of the company whose ``tickers`` list it; the exchange inside it is never a
subject either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.errors import ConfigError

Span = tuple[int, int]
Guarded = tuple[re.Pattern[str], int]  # a pattern and its rule's number (-1: tried on every text)
ALWAYS = -1
_second = itemgetter(1)


@dataclass(frozen=True)
class CreditRule:
    """One dateline or credit pattern of ``data/sources.yaml``."""

    name: str
    where: str
    pattern: str
    publisher: bool = False
    media_only: bool = False
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class TickerRule:
    """One ticker pattern of ``data/sources.yaml``."""

    name: str
    pattern: str


@dataclass(frozen=True)
class SourceRules:
    """The schema of ``data/sources.yaml``."""

    credits: tuple[CreditRule, ...]
    tickers: tuple[TickerRule, ...]
    exchanges: dict[str, tuple[str, ...]]
    ric_suffixes: dict[str, str]


@dataclass(frozen=True)
class Ticker:
    """A ticker found in a text: its span, the exchange code it names (or "") and its symbol."""

    start: int
    end: int
    exchange: str
    symbol: str


@dataclass(frozen=True)
class CompiledSources:
    """`SourceRules` ready for use: compiled patterns and the exchange names by spelling."""

    lead_credits: tuple[Guarded, ...]
    any_credits: tuple[Guarded, ...]
    tickers: tuple[re.Pattern[str], ...]
    exchange_codes: dict[str, str]
    ric_suffixes: dict[str, str]
    publisher_credits: tuple[Guarded, ...] = ()
    attributions: tuple[Guarded, ...] = ()
    triggers: dict[str, frozenset[int]] = field(default_factory=dict)  # required string -> its rules

    def paragraph_spans(
        self, text: str, in_lead: bool, present: set[int] | None = None
    ) -> tuple[list[Span], list[Span]]:
        """The spans of ``text`` that name its source (datelines, credits, bylines), and the spans
        naming a publication credited for a report or quote ("told Reuters"), inside which only
        media companies are sources. ``present`` is `present` of the whole story, if known."""
        present = self.present(text) if present is None else present
        return self.source_spans(text, in_lead, present), self.attribution_spans(text, present)

    def source_spans(self, text: str, in_lead: bool, present: set[int] | None = None) -> list[Span]:
        """The first half of `paragraph_spans`."""
        present = self.present(text) if present is None else present
        patterns = self.lead_credits + self.any_credits if in_lead else self.any_credits
        return _spans(patterns, text, present)

    def attribution_spans(self, text: str, present: set[int] | None = None) -> list[Span]:
        """The second half of `paragraph_spans`: the costliest patterns, which the tagger runs
        only on a paragraph where a credit could drop one of its names."""
        present = self.present(text) if present is None else present
        return _spans(self.attributions, text, present)

    def publisher_names(self, text: str) -> list[str]:
        """Names ``text`` gives its own publication ("told the BBC News website": BBC)."""
        numbers = {number for _, number in self.publisher_credits}
        spans = _spans(self.publisher_credits, text, numbers)
        return [text[start:end] for start, end in spans]

    def present(self, text: str) -> set[int]:
        """The rules whose required strings occur in ``text`` (substring tests, done in C): run
        once on a whole story, it spares each paragraph the rules the story cannot match."""
        if self.trigger_automaton is None:
            return set()
        return set().union(*map(_second, self.trigger_automaton.iter(text)))  # no loop in Python

    @cached_property
    def trigger_automaton(self) -> Any:
        """The required strings in one Aho-Corasick automaton (one pass over a text, in C)."""
        if not self.triggers:
            return None
        automaton = ahocorasick.Automaton()
        for required, rules in self.triggers.items():
            automaton.add_word(required, rules)
        automaton.make_automaton()
        return automaton

    def find_tickers(self, text: str) -> Iterator[Ticker]:
        """Every ticker in ``text`` with the exchange code it names ("" if unknown)."""
        if ":" not in text and "<" not in text:
            return
        for pattern in self.tickers:
            for match in pattern.finditer(text):
                groups = match.groupdict()
                if groups.get("suffix"):
                    exchange = self.ric_suffixes.get(groups["suffix"], "")
                else:
                    exchange = self.exchange_codes.get(groups.get("exchange") or "", "")
                yield Ticker(match.start(), match.end(), exchange, groups["symbol"])


def _spans(patterns: tuple[Guarded, ...], text: str, present: set[int]) -> list[Span]:
    """The source spans of every pattern that needs no string or whose strings are ``present``."""
    spans: list[Span] = []
    for pattern, rule in patterns:
        if rule == ALWAYS or rule in present:
            spans.extend(_source_span(match) for match in pattern.finditer(text))
    return spans


def _source_span(match: re.Match[str]) -> Span:
    """The ``source`` group (or ``agency``, a second place the name may stand), else the match."""
    for group in ("source", "agency"):
        if group in match.re.groupindex and match.group(group) is not None:
            return match.span(group)
    return match.span()


def inside(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``start``-``end`` overlaps any of ``spans``."""
    return any(start < span_end and end > span_start for span_start, span_end in spans)


@cache
def load_sources(path: Path | None = None) -> CompiledSources:
    """The rules in ``path`` (default: the bundled file), checked and compiled once."""
    where = path or data_path("gazetteer", "sources.yaml")
    rules: SourceRules = load_data(where, SourceRules)
    return compile_sources(rules, str(where))


def compile_sources(rules: SourceRules, where: str) -> CompiledSources:
    """Compile ``rules``; a bad pattern or an unknown position is a `ConfigError` naming it."""
    lead: list[Guarded] = []
    anywhere: list[Guarded] = []
    publisher: list[Guarded] = []
    attributions: list[Guarded] = []
    needs: dict[str, set[int]] = {}
    for number, rule in enumerate(rules.credits):
        if rule.where not in ("lead", "any"):
            raise ConfigError(f"{where}: credits {rule.name!r}: where must be 'lead' or 'any'")
        for required in rule.requires:
            needs.setdefault(required, set()).add(number)
        compiled = (_compiled(rule.pattern, rule.name, where), number if rule.requires else ALWAYS)
        if rule.media_only:
            attributions.append(compiled)
            continue
        (lead if rule.where == "lead" else anywhere).append(compiled)
        if rule.publisher:
            publisher.append(compiled)
    tickers = tuple(_compiled(rule.pattern, rule.name, where) for rule in rules.tickers)
    for ticker_rule, pattern in zip(rules.tickers, tickers, strict=True):
        if "symbol" not in pattern.groupindex:
            raise ConfigError(f"{where}: tickers {ticker_rule.name!r}: the pattern needs a 'symbol' group")
    codes = {spelling: code for code, spellings in rules.exchanges.items() for spelling in (code, *spellings)}
    unknown = sorted(set(rules.ric_suffixes.values()) - set(rules.exchanges))
    if unknown:
        raise ConfigError(f"{where}: ric_suffixes: unknown exchange {unknown[0]!r}")
    return CompiledSources(
        tuple(lead),
        tuple(anywhere),
        tickers,
        codes,
        dict(rules.ric_suffixes),
        tuple(publisher),
        tuple(attributions),
        {required: frozenset(numbers) for required, numbers in needs.items()},
    )


def _compiled(pattern: str, name: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigError(f"{where}: {name!r}: not a valid pattern: {error}") from error
