"""TaggedArticle <-> Pelican Markdown post text. Pure functions, no I/O.

Whatever a source says stays text. Metadata values are single lines written only
in the header block; the body is escaped so that Markdown and HTML in it are shown,
not interpreted: "<script>" stays visible text, a leading "#" is not a heading,
"Title: x" in the body is a sentence (Python-Markdown reads metadata only before the
first blank line, and every value is one line).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime

from newsarchive.core.markdown_text import clean_text, escape_paragraph, render_body
from newsarchive.core.models import Deal, DealAmount, DealParty, Kind, Overrides, TaggedArticle, TermScore

WORDS_PER_MINUTE = 230
FINGERPRINT_KEY = "Fingerprint"
_META_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):[ \t]*(?P<value>.*)$")


def format_date(value: datetime) -> str:
    """Pelican's Date metadata: date only at midnight, else ISO with any offset kept."""
    has_time = (value.hour, value.minute, value.second) != (0, 0, 0)
    if not has_time and value.tzinfo is None:
        return value.strftime("%Y-%m-%d")
    return value.isoformat(timespec="minutes")


def names(terms: tuple[TermScore, ...]) -> str:
    """Display names of terms, comma-separated, as a post's metadata line holds them."""
    return ", ".join(term.name for term in terms)


def relevance(tagged: TaggedArticle) -> str:
    """Every scored term, companies then technologies: "NTT=13*; NEC=9.5* | 5G=7*; DSP=1".

    A star marks a tag as written to the Companies/Technologies lines, so a later edit of
    those lines can be told apart and kept as the person's pin or removal.
    """

    def part(terms: tuple[TermScore, ...]) -> str:
        return "; ".join(f"{t.name}={t.score:g}{'*' if t.tagged else ''}" for t in terms)

    if not tagged.companies and not tagged.technologies:
        return ""
    return f"{part(tagged.companies)} | {part(tagged.technologies)}"


@dataclass(frozen=True)
class RelevanceEntry:
    """One term of a post's Relevance line: its name and score (None when not given)."""

    name: str
    score: float
    written: bool  # the star: written to the Companies/Technologies line


def relevance_entries(relevance_line: str) -> dict[Kind, list[RelevanceEntry]]:
    """A Relevance line read back, per kind; a score a person mangled reads as 0."""
    companies, _, technologies = relevance_line.partition("|")
    result: dict[Kind, list[RelevanceEntry]] = {}
    for kind, part in ((Kind.COMPANY, companies), (Kind.TECHNOLOGY, technologies)):
        entries = (entry.strip().rpartition("=") for entry in part.split(";"))
        result[kind] = [
            RelevanceEntry(name.strip(), _number(score.strip().rstrip("*")), score.strip().endswith("*"))
            for name, _, score in entries
            if name.strip()
        ]
    return result


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def written_tags(relevance_line: str) -> dict[Kind, list[str]]:
    """The names a Relevance line says were written as tags, per kind."""
    return {
        kind: [e.name for e in entries if e.written]
        for kind, entries in relevance_entries(relevance_line).items()
    }


def read_minutes(tagged: TaggedArticle) -> int:
    """The story's reading time: as the page stated it, else from its length."""
    article = tagged.article
    if article.read_minutes:
        return article.read_minutes
    words = sum(len(p.split()) for p in article.body_paragraphs)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def metadata(tagged: TaggedArticle, slug: str, source: str, digest: str = "") -> list[tuple[str, str]]:
    """The post's header fields, in a stable order; empty values are left out."""
    article = tagged.article
    summary = article.deck or article.body_paragraphs[0]
    published = format_date(article.published) if article.published else ""
    fields = [
        ("Title", article.title),
        ("Date", published),
        ("Date_Estimated", "yes" if article.date_estimated else ""),
        ("Author", article.author),
        ("Role", article.role),
        ("Publication", article.publication),
        ("Deck", article.deck),
        ("Summary", escape_paragraph(summary)),
        ("Slug", slug),
        ("Companies", names(tagged.tagged(Kind.COMPANY))),
        ("Technologies", names(tagged.tagged(Kind.TECHNOLOGY))),
        ("Companies_Mentioned", names(tagged.also_mentioned(Kind.COMPANY))),
        ("Technologies_Mentioned", names(tagged.also_mentioned(Kind.TECHNOLOGY))),
        ("Relevance", relevance(tagged)),
        ("Deals", deals_line(tagged.deals)),
        ("Pinned_Companies", ", ".join(tagged.overrides.pinned_companies)),
        ("Pinned_Technologies", ", ".join(tagged.overrides.pinned_technologies)),
        ("Removed", ", ".join(tagged.overrides.removed)),
        ("Minutes", str(read_minutes(tagged))),
        ("Bio", article.author_bio),
        ("Source", source),
        ("Source_URL", article.source_url),
        ("Captured", article.captured.isoformat(timespec="seconds") if article.captured else ""),
        ("Summary_Only", "yes" if article.summary_only else ""),
        ("Digest", digest),
    ]
    return [(key, clean_text(value)) for key, value in fields if clean_text(value)]


# A person may edit these lines to pin or remove tags: the fingerprint leaves them out,
# and the edit becomes Pinned_*/Removed entries instead of marking the post as edited.
TAG_LINES = ("Companies", "Technologies")
# The lines a retag rewrites, in the order a post has them.
TAG_FIELDS = (
    "Companies",
    "Technologies",
    "Companies_Mentioned",
    "Technologies_Mentioned",
    "Relevance",
    "Deals",
    "Pinned_Companies",
    "Pinned_Technologies",
    "Removed",
)


def fingerprint(text: str) -> str:
    """A digest of a post's text, kept in its header: a text that no longer matches was edited by hand."""
    header, _, body = text.partition("\n\n")
    kept = [
        line for line in header.split("\n") if line.partition(":")[0] not in (*TAG_LINES, FINGERPRINT_KEY)
    ]
    return hashlib.sha256("\n".join([*kept, "", body]).encode("utf-8")).hexdigest()[:16]


def with_fingerprint(text: str) -> str:
    """``text`` with its Fingerprint line (re)written as the header's last line."""
    header, _, body = text.partition("\n\n")
    lines = [line for line in header.split("\n") if not line.startswith(f"{FINGERPRINT_KEY}:")]
    return "\n".join([*lines, f"{FINGERPRINT_KEY}: {fingerprint(text)}", "", body])


def render_post(
    tagged: TaggedArticle, slug: str, source: str, digest: str = "", body: str | None = None
) -> str:
    """The post's full text, ending with a fingerprint that detects hand edits.

    ``digest`` identifies the story's text, so a later import spots a duplicate of it;
    ``body`` is the body's Markdown when it was already rendered (by a worker process).
    """
    header = "".join(f"{key}: {value}\n" for key, value in metadata(tagged, slug, source, digest))
    markdown = render_body(tagged.article.body) if body is None else body
    return with_fingerprint(f"{header}\n{markdown}\n")


def replace_tags(
    text: str, tagged: TaggedArticle, refingerprint: bool, keep: frozenset[str] = frozenset()
) -> str:
    """``text`` with only its tag lines rewritten from ``tagged``; everything else kept.

    The fingerprint is renewed only when ``refingerprint`` (the post had no other edits),
    so a post a person edited stays marked as edited. Lines named in ``keep`` stay as they are.
    """
    header, _, body = text.partition("\n\n")
    lines = header.split("\n")
    rewritten = tuple(key for key in TAG_FIELDS if key not in keep)
    tag_lines = [f"{key}: {value}" for key, value in metadata(tagged, "", "") if key in rewritten]
    keys = [line.partition(":")[0] for line in lines]
    keys = [key if key in rewritten else f"~{key}" if key in TAG_FIELDS else key for key in keys]
    at = next((i for i, key in enumerate(keys) if key in TAG_FIELDS), None)
    if at is None:
        at = keys.index("Slug") + 1 if "Slug" in keys else len([k for k in keys if k != FINGERPRINT_KEY])
    kept_before = [line for line, key in zip(lines[:at], keys[:at], strict=True) if key not in TAG_FIELDS]
    kept_after = [line for line, key in zip(lines[at:], keys[at:], strict=True) if key not in TAG_FIELDS]
    new_text = "\n".join([*kept_before, *tag_lines, *kept_after, "", body])
    return with_fingerprint(new_text) if refingerprint else new_text


def deal_record(deal: Deal) -> dict[str, object]:
    """A deal as JSON-ready fields, named as `newsarchive deals --json` prints them."""
    amount = deal.amount
    return {
        "type": deal.type,
        "status": deal.status,
        "parties": [{"name": p.name, "slug": p.slug, "role": p.role} for p in deal.parties],
        "amount": {"value": amount.value, "currency": amount.currency, "usd": amount.usd} if amount else None,
        "share_percent": deal.share_percent,
        "date": deal.date,
        "evidence": list(deal.evidence),
    }


def deals_line(deals: tuple[Deal, ...]) -> str:
    """The post's ``Deals:`` line: a JSON list of `deal_record` objects on one line."""
    if not deals:
        return ""
    return json.dumps([deal_record(deal) for deal in deals], ensure_ascii=False, separators=(",", ":"))


def parse_deals(value: str) -> tuple[Deal, ...]:
    """A ``Deals:`` line read back. Raises ValueError naming what is wrong (a person may edit it)."""
    if not value.strip():
        return ()
    try:
        records = json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"Deals: not valid JSON: {error.msg} at character {error.pos}") from error
    if not isinstance(records, list):
        raise ValueError("Deals: expected a JSON list of deals")
    return tuple(_deal(record, index) for index, record in enumerate(records))


def _deal(record: object, index: int) -> Deal:
    where = f"Deals[{index}]"
    if not isinstance(record, dict) or not isinstance(record.get("type"), str):
        raise ValueError(f"{where}: expected an object with a type")
    try:
        parties = tuple(DealParty(str(p["name"]), str(p["slug"]), str(p["role"])) for p in record["parties"])
        amount = record.get("amount")
        share = record.get("share_percent")
        return Deal(
            type=record["type"],
            status=str(record.get("status", "")),
            parties=parties,
            amount=DealAmount(
                float(amount["value"]), str(amount["currency"]), _maybe_float(amount.get("usd"))
            )
            if amount
            else None,
            share_percent=None if share is None else float(share),
            date=str(record.get("date", "")),
            evidence=tuple(str(s) for s in record.get("evidence", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{where}: malformed deal ({type(error).__name__}: {error})") from error


def _maybe_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ParsedPost:
    """A post file split into its metadata fields and its body, and whether a person edited it."""

    metadata: dict[str, str]
    body: str
    edited: bool

    def get(self, key: str) -> str:
        return self.metadata.get(key.lower(), "")


def parse_post(text: str) -> ParsedPost:
    """Read a post's header. ``edited`` is True unless its fingerprint still matches."""
    header, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    for line in header.split("\n"):
        match = _META_LINE.match(line)
        if match:
            fields.setdefault(match["key"].lower(), match["value"].strip())
    recorded = fields.get(FINGERPRINT_KEY.lower(), "")
    return ParsedPost(fields, body, edited=not recorded or fingerprint(text) != recorded)


def split_names(value: str | list[str]) -> list[str]:
    """Names from a comma-separated metadata value (or a list of them), without repeats."""
    raw = ",".join(value) if isinstance(value, list) else value
    names: list[str] = []
    seen: set[str] = set()
    for name in (part.strip() for part in raw.split(",")):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _folded(names: list[str]) -> set[str]:
    return {name.casefold() for name in names}


def overrides_of(post: ParsedPost) -> Overrides:
    """The person's pins and removals: the explicit fields, plus any edit of the tag lines."""
    pinned = {
        Kind.COMPANY: split_names(post.get("pinned_companies")),
        Kind.TECHNOLOGY: split_names(post.get("pinned_technologies")),
    }
    removed = split_names(post.get("removed"))
    if post.get("relevance"):
        written = written_tags(post.get("relevance"))
        for kind, key in ((Kind.COMPANY, "companies"), (Kind.TECHNOLOGY, "technologies")):
            shown = split_names(post.get(key))
            was_written, is_shown = _folded(written[kind]), _folded(shown)
            added = [n for n in shown if n.casefold() not in was_written]
            dropped = [n for n in written[kind] if n.casefold() not in is_shown]
            pinned[kind] = _merged(pinned[kind], added, dropped)
            removed = _merged(removed, dropped, added)
    return Overrides(tuple(pinned[Kind.COMPANY]), tuple(pinned[Kind.TECHNOLOGY]), tuple(removed))


def _merged(current: list[str], add: list[str], drop: list[str]) -> list[str]:
    gone = _folded(drop)
    kept = [n for n in current if n.casefold() not in gone]
    already = _folded(kept)
    return kept + [n for n in add if n.casefold() not in already]
