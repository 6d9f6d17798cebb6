"""Slugs as Pelican makes them: the importer names posts and the tagger names unknown
terms the way the site will."""

from __future__ import annotations

MAX_SLUG_CHARS = 80


def pelican_slug(text: str) -> str:
    """What Pelican's own slugify makes of ``text``, with its default substitutions."""
    from pelican.settings import DEFAULT_CONFIG  # imported here: Pelican is slow to import
    from pelican.utils import slugify

    return str(slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]))


def make_slug(title: str, fallback: str) -> str:
    """Pelican's slug of a title, trimmed at a word boundary; ``fallback`` if nothing is left."""
    slug = pelican_slug(title)
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rsplit("-", 1)[0]
    return slug.strip("-") or fallback
