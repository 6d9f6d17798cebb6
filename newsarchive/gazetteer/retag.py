"""Re-apply the gazetteer to every post after the data changed, keeping a person's tags.

The story is read back from the post itself (its header and escaped body), so sources
are not needed. Tags a person pinned or removed, by the Pinned_*/Removed fields or by
editing the Companies/Technologies lines, stay as the person left them. Only the tag
lines change; a post edited by hand elsewhere keeps its edits and stays marked as edited.
Running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsarchive.core.config import Config
from newsarchive.core.files import atomic_write
from newsarchive.core.markdown_text import parse_body
from newsarchive.core.models import Article, TaggedArticle
from newsarchive.core.posts import ParsedPost, overrides_of, parse_post, replace_tags
from newsarchive.gazetteer.deals import with_deals
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import apply_overrides, tag


@dataclass(frozen=True)
class RetagResult:
    """What retag did to one post: changed or not, and why a post was skipped."""

    post: Path
    changed: bool
    reason: str = ""


def article_of(post: ParsedPost, path: Path) -> Article:
    """The story as the post tells it: enough to tag it again."""
    return Article(
        title=post.get("title"),
        deck=post.get("deck"),
        publication=post.get("publication"),
        author=post.get("author"),
        body=parse_body(post.body),
        source_path=path,
        published=_day(post.get("date")),
    )


def _day(value: str) -> datetime | None:
    """The post's Date, so that "in March" in a retagged story still means the story's March."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def retag_text(text: str, path: Path, gazetteer: Gazetteer) -> str:
    """A post's text with its tags computed again from its own title, deck and body, keeping a person's pins
    and removals."""
    post = parse_post(text)
    tagged: TaggedArticle = with_deals(tag(article_of(post, path), gazetteer), gazetteer)
    tagged = apply_overrides(tagged, overrides_of(post), gazetteer)
    # A post edited by hand keeps its Deals line as the person left it.
    keep = frozenset({"Deals"}) if post.edited else frozenset()
    return replace_tags(text, tagged, refingerprint=not post.edited, keep=keep)


def retag_posts(config: Config, gazetteer: Gazetteer | None = None) -> list[RetagResult]:
    """Re-apply the gazetteer to every post in the content folder, keeping hand-made tags."""
    gazetteer = gazetteer or load_gazetteer()
    results = []
    for path in sorted(config.content.rglob("*.md")):
        relative = path.relative_to(config.content)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            results.append(RetagResult(relative, False, f"cannot read: {error}"))
            continue
        if not parse_post(text).get("title"):
            results.append(RetagResult(relative, False, "no Title: not a post"))
            continue
        new_text = retag_text(text, path, gazetteer)
        if new_text != text:
            atomic_write(path, new_text)
        results.append(RetagResult(relative, new_text != text))
    return results
