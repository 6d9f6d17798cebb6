"""Deal extraction scored on 100 hand-labelled BBC stories (``deals_labels.yaml``).

The labels were written before the extractor existed (the rule is at the top of the label
file). An extracted event is *found* when a labelled event of the same story has the same
type and at least two of the same parties (names compared by the gazetteer slug they
resolve to, else by Pelican's slug of the name; a label may list several spellings, and
a name of two words or more also matches a spelling that contains it word for word or
that it contains); each labelled event is found at most once. Figures:

* events: type and parties right (precision over extracted events, recall over labelled);
* parties: the same, with any type (how often the right parties are found at all);
* roles: (party, role) pairs of the events found;
* amount: on the events found, value and currency within 1% (and the dollar figure, when
  the label has one); precision over found events with an extracted amount, recall over
  found events with a labelled amount;
* share: the same for the share in percent (within 0.05).

Run ``python -m tests.eval.deals [-v] [--half odd|even]``: ``--half`` scores only the stories
whose file number is odd (the half rules were developed on) or even (the half kept to check
them on); without it, all of them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsarchive.core.models import Article, Deal, Kind
from newsarchive.core.slugs import pelican_slug
from newsarchive.gazetteer.deals import extract_deals
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import tag
from newsarchive.ingest.importer import read_article

LABELS = Path(__file__).with_name("deals_labels.yaml")
BBC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "bbc-news" / "bbc"
MILLION = 1_000_000


@dataclass
class Score:
    hit: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.hit / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hit / self.gold if self.gold else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.hit}/{self.predicted} = {self.precision:.3f}, "
            f"recall {self.hit}/{self.gold} = {self.recall:.3f}"
        )


@dataclass
class Report:
    fields: dict[str, Score] = field(
        default_factory=lambda: {name: Score() for name in ("events", "parties", "roles", "amount", "share")}
    )
    notes: list[str] = field(default_factory=list)


def labels() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return loaded


def corpus_files() -> list[Path]:
    """Exactly the stories ``evaluate`` reads: those the label file lists."""
    return [BBC / name for name in labels()]


def article(name: str) -> Article:
    parsed = read_article(BBC / name, 10**7)
    assert isinstance(parsed, Article), parsed
    return parsed


def name_slugs(label: str, gazetteer: Gazetteer) -> set[str]:
    """Every slug a labelled party name (with its "|" spellings) may stand for."""
    slugs = set()
    for spelling in label.split("|"):
        entity = gazetteer.resolve(Kind.COMPANY, spelling)
        slugs.add(entity.slug if entity else pelican_slug(spelling))
        slugs.add(pelican_slug(spelling))
    return slugs


@dataclass(frozen=True)
class GoldEvent:
    type: str
    parties: tuple[tuple[frozenset[str], str], ...]  # (slugs, role)
    amount: tuple[float, str, float | None] | None
    share: float | None


def gold_events(entry: dict[str, Any], gazetteer: Gazetteer) -> list[GoldEvent]:
    events = []
    for event in entry.get("events") or []:
        parties = tuple(
            (frozenset(name_slugs(str(name), gazetteer)), role)
            for role, names in event["parties"].items()
            for name in names
        )
        amount = event.get("amount")
        events.append(
            GoldEvent(
                event["type"],
                parties,
                (amount[0] * MILLION, amount[1], None if amount[2] is None else amount[2] * MILLION)
                if amount
                else None,
                event.get("share"),
            )
        )
    return events


def same_name(slug: str, slugs: frozenset[str]) -> bool:
    """A slug is one of the labelled spellings', or one contains the other word for word
    ("securities-and-exchange-commission" in "us-securities-and-exchange-commission")."""
    return slug in slugs or any(_contains(slug, other) or _contains(other, slug) for other in slugs)


def _contains(longer: str, shorter: str) -> bool:
    return "-" in shorter and f"-{shorter}-" in f"-{longer}-"


def _common(gold: GoldEvent, deal: Deal) -> int:
    return sum(1 for slugs, _ in gold.parties if any(same_name(p.slug, slugs) for p in deal.parties))


def match(gold: list[GoldEvent], found: tuple[Deal, ...], same_type: bool) -> list[tuple[GoldEvent, Deal]]:
    """Pairs of labelled and extracted events, one to one, most common parties first."""
    candidates = sorted(
        (
            (-_common(g, d), i, j)
            for i, g in enumerate(gold)
            for j, d in enumerate(found)
            if _common(g, d) >= min(2, len(g.parties)) and (not same_type or g.type == d.type)
        ),
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_found:
            used_gold.add(i)
            used_found.add(j)
            pairs.append((gold[i], found[j]))
    return pairs


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def amount_right(gold: GoldEvent, deal: Deal) -> bool:
    if gold.amount is None or deal.amount is None:
        return False
    value, currency, usd = gold.amount
    if currency != deal.amount.currency or not _close(value, deal.amount.value):
        return False
    return usd is None or (deal.amount.usd is not None and _close(usd, deal.amount.usd))


def score_story(name: str, gold: list[GoldEvent], found: tuple[Deal, ...], report: Report) -> None:
    fields = report.fields
    pairs = match(gold, found, same_type=True)
    for key, matched in (("events", pairs), ("parties", match(gold, found, same_type=False))):
        fields[key].hit += len(matched)
        fields[key].predicted += len(found)
        fields[key].gold += len(gold)
    for g, d in pairs:
        gold_roles = [(slugs, role) for slugs, role in g.parties]
        right = sum(
            1 for p in d.parties if any(p.slug in slugs and p.role == role for slugs, role in gold_roles)
        )
        fields["roles"].hit += right
        fields["roles"].predicted += len(d.parties)
        fields["roles"].gold += len(gold_roles)
        _score_value(fields["amount"], g.amount is not None, d.amount is not None, amount_right(g, d))
        share_right = (
            g.share is not None and d.share_percent is not None and abs(g.share - d.share_percent) <= 0.05
        )
        _score_value(fields["share"], g.share is not None, d.share_percent is not None, share_right)
        if d.amount is not None and not amount_right(g, d):
            report.notes.append(f"{name}: amount {d.amount} labelled {g.amount}")
    found_pairs = {id(d) for _, d in pairs}
    gold_pairs = {id(g) for g, _ in pairs}
    report.notes += [f"{name}: extra {_shown(d)}" for d in found if id(d) not in found_pairs]
    report.notes += [
        f"{name}: missed {g.type} {[sorted(s)[0] for s, _ in g.parties]}"
        for g in gold
        if id(g) not in gold_pairs
    ]


def _score_value(score: Score, labelled: bool, extracted: bool, right: bool) -> None:
    score.gold += labelled
    score.predicted += extracted
    score.hit += right


def _shown(deal: Deal) -> str:
    parties = ", ".join(f"{p.name} ({p.role})" for p in deal.parties)
    return f"{deal.type}: {parties} | {deal.evidence[0][:100]}"


def in_half(name: str, half: str) -> bool:
    """Whether a labelled story ("business/001.txt") is in the ``half`` ("odd", "even", "" for all)."""
    number = int(Path(name).stem)
    return not half or (number % 2 == 1) == (half == "odd")


def evaluate(gazetteer: Gazetteer | None = None, half: str = "") -> Report:
    gazetteer = gazetteer or load_gazetteer()
    report = Report()
    for name, entry in labels().items():
        if not in_half(name, half):
            continue
        found = extract_deals(tag(article(name), gazetteer), gazetteer)
        score_story(name, gold_events(entry, gazetteer), found, report)
    return report


def main() -> None:
    half = sys.argv[sys.argv.index("--half") + 1] if "--half" in sys.argv else ""
    if half not in ("", "odd", "even"):
        sys.exit("--half takes odd or even")
    report = evaluate(half=half)
    for key, score in report.fields.items():
        print(f"{key:8} {score}")
    if "-v" in sys.argv:
        for note in report.notes:
            print("  " + note)


if __name__ == "__main__":
    main()
