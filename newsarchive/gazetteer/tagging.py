"""Find gazetteer entities in a story and score how much the story is about each.

Each mention weighs its zone's weight (headline, deck, lead, body) times its strength
(weak aliases count less). The byline, the author's bio and furniture are not scanned,
and the publication that ran the story is never its subject. At or above the kind's
threshold an entity is tagged; below it, it is "also mentioned". Weights and thresholds
are data: ``data/relevance.yaml``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.models import Article, Kind, Mention, Overrides, TaggedArticle, TermScore, Zone
from newsarchive.core.slugs import pelican_slug
from newsarchive.gazetteer.entities import Entity, Gazetteer, load_gazetteer
from newsarchive.gazetteer.matching import Hit, Surface
from newsarchive.gazetteer.senses import NOTHING, SenseReader


@dataclass(frozen=True)
class ZoneWeights:
    headline: float
    deck: float
    lead: float
    body: float


@dataclass(frozen=True)
class Thresholds:
    company: float
    technology: float


@dataclass(frozen=True)
class RelevanceRules:
    """The schema of ``data/relevance.yaml``."""

    zone_weights: ZoneWeights
    lead_paragraphs: int
    weak_strength: float
    thresholds: Thresholds
    subject_paragraphs: int = 0
    top_share: Thresholds | None = None
    listed_from: Thresholds | None = None

    def listing_floor(self, kind: Kind) -> float:
        floor: float = getattr(self.listed_from, kind.value) if self.listed_from else 0.0
        return floor

    def share_of_top(self, kind: Kind) -> float:
        share: float = getattr(self.top_share, kind.value) if self.top_share else 0.0
        return share

    def weight(self, zone: Zone) -> float:
        weight: float = getattr(self.zone_weights, zone.value)
        return weight

    def threshold(self, kind: Kind) -> float:
        threshold: float = getattr(self.thresholds, kind.value)
        return threshold


@cache
def load_relevance(path: Path | None = None) -> RelevanceRules:
    """The weights in ``path`` (default: the bundled file), checked once."""
    rules: RelevanceRules = load_data(path or data_path("gazetteer", "relevance.yaml"), RelevanceRules)
    return rules


@lru_cache(maxsize=4096)
def context_pattern(entity: Entity) -> re.Pattern[str]:
    """Any of an entity's context words, as a whole word in Latin text, anywhere in CJK text."""
    words = "|".join(re.escape(word) for word in sorted(entity.context, key=len, reverse=True))
    return re.compile(_bounded(words), re.IGNORECASE)


def _bounded(alternatives: str) -> str:
    latin = "A-Za-z0-9\u00c0-\u024f"
    return rf"(?<![{latin}])(?:{alternatives})(?![{latin}])"


def zones(article: Article, lead_paragraphs: int) -> Iterator[tuple[Zone, str]]:
    """The scanned parts of a story, in reading order."""
    yield Zone.HEADLINE, article.title
    if article.deck:
        yield Zone.DECK, article.deck
    for index, paragraph in enumerate(article.body_paragraphs):
        yield (Zone.LEAD if index < lead_paragraphs else Zone.BODY), paragraph


def tag(
    article: Article,
    gazetteer: Gazetteer | None = None,
    rules: RelevanceRules | None = None,
) -> TaggedArticle:
    """The gazetteer entities a story mentions, scored by where they stand, tagged at or above the kind's
    threshold."""
    gazetteer = gazetteer or load_gazetteer()
    rules = rules or load_relevance()
    parts = list(zones(article, rules.lead_paragraphs))
    full_text = "\n".join(text for _, text in parts)
    publisher = gazetteer.resolve(Kind.COMPANY, article.publication) if article.publication else None
    in_context: dict[Entity, bool] = {}

    def allowed(surface: Surface) -> bool:
        if surface.entity is publisher:
            return False
        if not surface.needs_context:
            return True
        if surface.entity not in in_context:
            in_context[surface.entity] = bool(context_pattern(surface.entity).search(full_text))
        return in_context[surface.entity]

    mentions: list[Mention] = []
    scores: dict[Entity, float] = defaultdict(float)
    subjects: set[Entity] = set()
    senses = SenseReader(full_text)
    offset = 0
    for index, (zone, text) in enumerate(parts):
        for hit in gazetteer.scan(text, allowed):
            entity = meant(gazetteer, senses, hit, text)
            if entity is None:
                continue
            if not hit.surface.weak and _names_subject(index, zone, article, rules):
                subjects.add(entity)
            strength = rules.weak_strength if hit.surface.weak else 1.0
            scores[entity] += rules.weight(zone) * strength
            surface = text[hit.start : hit.end]
            mentions.append(Mention(entity.slug, entity.kind, zone, offset + hit.start, surface))
        offset += len(text) + 2
    return TaggedArticle(
        article=article,
        mentions=tuple(mentions),
        companies=_ranked(scores, Kind.COMPANY, rules, subjects),
        technologies=_ranked(scores, Kind.TECHNOLOGY, rules, subjects),
    )


def _names_subject(index: int, zone: Zone, article: Article, rules: RelevanceRules) -> bool:
    """Whether a name standing in part ``index`` of the story makes its entity a subject: the
    headline, the deck and the first ``subject_paragraphs`` paragraphs do, whatever the length."""
    if zone in (Zone.HEADLINE, Zone.DECK):
        return True
    paragraph = index - 1 - (1 if article.deck else 0)
    return paragraph < rules.subject_paragraphs


def meant(gazetteer: Gazetteer, senses: SenseReader, hit: Hit, text: str) -> Entity | None:
    """The entity a hit stands for once its entry's senses have been read (None: no entity)."""
    entity = hit.surface.entity
    if not entity.senses:
        return entity
    written = text[hit.start : hit.end]
    slug = senses.meaning(entity.senses, written, text, hit.start, hit.end)
    if slug is None:
        return entity
    return None if slug == NOTHING else gazetteer.get(entity.kind, slug)


def _ranked(
    scores: dict[Entity, float], kind: Kind, rules: RelevanceRules, subjects: set[Entity]
) -> tuple[TermScore, ...]:
    own = [score for entity, score in scores.items() if entity.kind is kind]
    threshold = max(rules.threshold(kind), rules.share_of_top(kind) * max(own, default=0.0))
    floor = rules.listing_floor(kind)
    terms = []
    for entity, score in scores.items():
        if entity.kind is kind and (score >= floor or entity in subjects):
            tagged = score >= threshold or entity in subjects
            terms.append(TermScore(entity.slug, entity.name, round(score, 2), tagged, machine=tagged))
    return _by_score(terms)


def _by_score(terms: list[TermScore]) -> tuple[TermScore, ...]:
    return tuple(sorted(terms, key=lambda t: (-t.score, t.name.casefold())))


def term_key(gazetteer: Gazetteer, kind: Kind, name: str) -> str:
    """The slug a display name or alias stands for (Pelican's slugify for unknown names)."""
    entity = gazetteer.resolve(kind, name)
    return entity.slug if entity else pelican_slug(name)


def apply_overrides(tagged: TaggedArticle, overrides: Overrides, gazetteer: Gazetteer) -> TaggedArticle:
    """Force a person's pinned tags on and removed tags off, whatever the scores say."""
    return replace(
        tagged,
        companies=_overridden(tagged.companies, Kind.COMPANY, overrides, gazetteer),
        technologies=_overridden(tagged.technologies, Kind.TECHNOLOGY, overrides, gazetteer),
        overrides=overrides,
    )


def _overridden(
    terms: tuple[TermScore, ...], kind: Kind, overrides: Overrides, gazetteer: Gazetteer
) -> tuple[TermScore, ...]:
    removed = {term_key(gazetteer, kind, name) for name in overrides.removed}
    pinned = {term_key(gazetteer, kind, name): name for name in overrides.pinned(kind)}
    result = [replace(t, tagged=(t.machine or t.slug in pinned) and t.slug not in removed) for t in terms]
    present = {t.slug for t in terms}
    for slug, name in pinned.items():
        if slug not in present and slug not in removed:
            entity = gazetteer.get(kind, slug)
            result.append(TermScore(slug, entity.name if entity else name, 0.0, tagged=True))
    return _by_score(result)
