"""The values that flow between pipeline stages.

Every stage takes one of these frozen dataclasses and returns the next one, or a
:class:`Rejection` that says which input failed, at which stage, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Rejection:
    """An input that a stage could not turn into its next value."""

    path: Path
    stage: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.stage}: {self.reason}"


@dataclass(frozen=True)
class RawDocument:
    """A source file read from disk and decoded to text."""

    path: Path
    data: bytes
    text: str
    encoding: str


class BlockStyle(StrEnum):
    """How a block of body text is set: most are paragraphs; HTML pages add the rest."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    BULLET = "bullet"
    NUMBERED = "numbered"
    CODE = "code"


@dataclass(frozen=True)
class Block:
    """One block of a story's body: its text and how it is set."""

    text: str
    style: BlockStyle = BlockStyle.PARAGRAPH


def paragraphs(*texts: str) -> tuple[Block, ...]:
    """Plain paragraphs as body blocks."""
    return tuple(Block(text) for text in texts)


@dataclass(frozen=True)
class Article:
    """A story with its fields separated from page furniture."""

    title: str
    body: tuple[Block, ...]
    source_path: Path
    deck: str = ""
    author: str = ""
    role: str = ""
    author_bio: str = ""
    publication: str = ""
    published: datetime | None = None
    date_estimated: bool = False
    read_minutes: int | None = None
    source_url: str = ""
    captured: datetime | None = None  # when a container (web archive, fetch) saved the page
    summary_only: bool = False  # a feed item that carried only its summary
    layout: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        """The text of every body block, in order."""
        return tuple(block.text for block in self.body)


class Zone(StrEnum):
    """Where in a story a mention stands; relevance weights are keyed by zone."""

    HEADLINE = "headline"
    DECK = "deck"
    LEAD = "lead"
    BODY = "body"


class Kind(StrEnum):
    """The two kinds of terms the gazetteer holds and posts are tagged with."""

    COMPANY = "company"
    TECHNOLOGY = "technology"


@dataclass(frozen=True)
class Mention:
    """One occurrence of a gazetteer entity in a story."""

    slug: str
    kind: Kind
    zone: Zone
    offset: int
    surface: str


@dataclass(frozen=True)
class TermScore:
    """An entity's relevance to a story.

    ``machine`` says whether the score reached the threshold; ``tagged`` is the final
    state after a person's pins and removals (False: shown as "also mentioned").
    """

    slug: str
    name: str
    score: float
    tagged: bool
    machine: bool = False


@dataclass(frozen=True)
class Overrides:
    """Tags a person pinned or removed by hand; re-imports and retags keep them."""

    pinned_companies: tuple[str, ...] = ()
    pinned_technologies: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def pinned(self, kind: Kind) -> tuple[str, ...]:
        return self.pinned_companies if kind is Kind.COMPANY else self.pinned_technologies


@dataclass(frozen=True)
class DealParty:
    """A party to a deal: its display name, slug (the gazetteer's, else made from the name) and role."""

    name: str
    slug: str
    role: str


@dataclass(frozen=True)
class DealAmount:
    """A deal's value as the story gives it, and its US dollar figure when the story gives one."""

    value: float
    currency: str
    usd: float | None = None


@dataclass(frozen=True)
class Deal:
    """One business event a story reports: who did what with whom, for how much, when.

    ``date`` is what the story says it refers to: "2020-03" for "in March", "2001" for
    "in 2001", the story's own day when it says nothing. ``evidence`` holds the sentences.
    """

    type: str
    status: str
    parties: tuple[DealParty, ...]
    amount: DealAmount | None = None
    share_percent: float | None = None
    date: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaggedArticle:
    """A story with the gazetteer entities it mentions, scored, and any hand-made overrides."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    companies: tuple[TermScore, ...] = ()
    technologies: tuple[TermScore, ...] = ()
    overrides: Overrides = Overrides()
    deals: tuple[Deal, ...] = ()

    def tagged(self, kind: Kind) -> tuple[TermScore, ...]:
        return tuple(t for t in self._terms(kind) if t.tagged)

    def also_mentioned(self, kind: Kind) -> tuple[TermScore, ...]:
        return tuple(t for t in self._terms(kind) if not t.tagged)

    def _terms(self, kind: Kind) -> tuple[TermScore, ...]:
        return self.companies if kind is Kind.COMPANY else self.technologies


@dataclass(frozen=True)
class Post:
    """A Pelican Markdown post: where it goes under content/ and its full text."""

    relative_path: Path
    text: str
    slug: str
    digest: str = ""


class Status(StrEnum):
    """What happened to one input during an import."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    KEPT_EDITED = "kept-edited"
    IGNORED = "ignored"
    SKIPPED = "skipped"  # an item of a container that is not a story (an image, a redirect, an index page)
    REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    """The final state of one input path, for the import report."""

    source: Path
    status: Status
    detail: str = ""
    post: Path | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
