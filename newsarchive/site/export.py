"""The archive as data: ``newsarchive export sqlite FILE``.

The stories are read as a build reads them (Pelican with the plugin: the same stories,
terms, URLs and related stories as the pages), and written with sqlite-utils to one
SQLite file with foreign keys, indexes and full-text search over the stories, plus a
Datasette metadata file beside it (``FILE.metadata.json``: titles, descriptions, facets
and canned queries), so that ``datasette FILE -m FILE.metadata.json`` opens it.

Tables: ``stories``, ``authors``, ``companies``, ``technologies`` (one row per page the
site has of each), ``story_companies`` and ``story_technologies`` (the tags, with the
relevance of the post's ``Relevance:`` line), ``also_mentioned`` (terms named below the
tagging threshold; they may have no page, so no foreign key), ``related_stories`` (the
"Related stories" of each story page, best first) and ``stories_fts``.
Deals are not in posts yet: when they are, a ``deals`` table joins ``stories`` the same way
(see `write_tables`).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.core.config import Config
from newsarchive.core.errors import ConfigError
from newsarchive.core.models import Kind
from newsarchive.core.posts import relevance_entries
from newsarchive.site.autotag import html_blocks, html_text
from newsarchive.site.build import pelican_settings
from newsarchive.site.pelican_compat import read_stories
from newsarchive.site.plugin.terms import TAXONOMIES

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the database, its Datasette metadata and its row counts."""

    database: Path
    metadata: Path
    rows: dict[str, int]

    def summary(self) -> str:
        counts = ", ".join(f"{count:,} {table}" for table, count in self.rows.items())
        return f"wrote {self.database} ({counts}) and {self.metadata}"


def metadata_path(database: Path) -> Path:
    """Where the Datasette metadata of ``database`` goes: beside it, FILE.metadata.json."""
    return database.with_name(f"{database.name}.metadata.json")


def export_sqlite(config: Config, database: Path) -> ExportResult:
    """Read the archive as a build does and write it to ``database`` (replaced if present)."""
    if not config.content.is_dir():
        raise ConfigError(f"{config.content}: content folder not found; run `newsarchive import` first")
    if database.exists() and not database.is_file():
        raise ConfigError(f"{database}: not a file")
    if not database.parent.is_dir():
        raise ConfigError(f"{database.parent}: folder not found (the database goes there)")
    with tempfile.TemporaryDirectory(prefix="newsarchive-export-") as scratch:
        settings = pelican_settings(config, Path(scratch) / "output")
        generator = read_stories(settings)
    if not generator.articles:
        raise ConfigError(f"{config.content}: no stories to export; import some sources first")
    rows = archive_rows(generator)
    partial = database.with_name(f".{database.name}.writing")
    partial.unlink(missing_ok=True)
    write_tables(partial, rows)
    partial.replace(database)
    metadata = metadata_path(database)
    title = str(generator.settings.get("SITENAME") or "News archive")
    metadata.write_text(
        json.dumps(datasette_metadata(database.stem, title), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return ExportResult(database, metadata, {table: len(items) for table, items in rows.items()})


# Rows ----------------------------------------------------------------------------------------

Rows = dict[str, list[dict[str, Any]]]


def archive_rows(generator: Any) -> Rows:
    """Every table's rows, from an articles generator the plugin has worked on."""
    articles = list(generator.articles)
    ids = {id(article): number for number, article in enumerate(articles, start=1)}
    rows: Rows = {
        "authors": [author_row(author, items) for author, items in generator.authors],
        "stories": [story_row(ids[id(a)], a) for a in articles],
        "companies": [],
        "technologies": [],
        "story_companies": [],
        "story_technologies": [],
        "also_mentioned": [],
        "related_stories": [],
    }
    for kind, taxonomy in TAXONOMIES.items():
        table = taxonomy.index
        rows[table] = [term_row(kind, term, items) for term, items in generator.context[table]]
    for article in articles:
        story = ids[id(article)]
        scores = relevance_scores(article)
        for kind, taxonomy in TAXONOMIES.items():
            column = "company" if kind is Kind.COMPANY else "technology"
            for rank, term in enumerate(getattr(article, taxonomy.key, []), start=1):
                rows[f"story_{taxonomy.index}"].append(
                    {"story_id": story, column: term.slug, "rank": rank, "relevance": scores.get(term.name)}
                )
            for term in getattr(article, taxonomy.mentioned_key, []):
                rows["also_mentioned"].append(
                    {
                        "story_id": story,
                        "kind": kind.value,
                        "slug": term.slug,
                        "name": term.name,
                        "relevance": scores.get(term.name),
                        "has_page": bool(getattr(term, "has_page", False)),
                    }
                )
        for rank, other in enumerate(getattr(article, "related_stories", []), start=1):
            rows["related_stories"].append({"story_id": story, "related_id": ids[id(other)], "rank": rank})
    return rows


def relevance_scores(article: Any) -> dict[str, float]:
    """The scores of the post's Relevance line, by term name (as the tags are named)."""
    entries = relevance_entries(str(article.metadata.get("relevance", "")))
    scores = {e.name.casefold(): e.score for kind_entries in entries.values() for e in kind_entries}
    terms = [
        term
        for taxonomy in TAXONOMIES.values()
        for key in (taxonomy.key, taxonomy.mentioned_key)
        for term in getattr(article, key, [])
    ]
    return {t.name: scores[t.name.casefold()] for t in terms if t.name.casefold() in scores}


def story_row(number: int, article: Any) -> dict[str, Any]:
    metadata = article.metadata
    author = getattr(article, "author", None)
    minutes = str(metadata.get("minutes", "")).strip()
    return {
        "id": number,
        "title": str(article.title),
        "date": article.date.isoformat(),
        "year": article.date.year,
        "month": article.date.strftime("%Y-%m"),
        "author": author.slug if author is not None else None,
        "publication": str(metadata.get("publication", "")) or None,
        "deck": str(metadata.get("deck", "")) or None,
        "summary": html_text(str(article.summary)),
        "body": "\n\n".join(html_blocks(str(article.content))),
        "minutes": int(minutes) if minutes.isdigit() else None,
        "url": str(getattr(article, "href", None) or article.url),
        "source_url": str(getattr(article, "original_url", "")) or None,
        "slug": str(article.slug),
    }


def author_row(author: Any, articles: list[Any]) -> dict[str, Any]:
    return {"slug": author.slug, "name": author.name, "url": author.url, "stories": len(articles)}


def term_row(kind: Kind, term: Any, articles: list[Any]) -> dict[str, Any]:
    """A company or technology with its gazetteer facts (empty for names it does not know)."""
    entity = getattr(term, "entity", None)
    row: dict[str, Any] = {
        "slug": term.slug,
        "name": term.name,
        "url": term.url,
        "stories": len(articles),
        "first_story": min(a.date for a in articles).date().isoformat(),
        "last_story": max(a.date for a in articles).date().isoformat(),
        "api_url": getattr(term, "api_url", "") or None,
        "in_gazetteer": entity is not None,
    }
    if kind is Kind.COMPANY:
        row.update(
            parent=entity.parent if entity and entity.parent else None,
            country=(entity.country_name or entity.country or None) if entity else None,
            sector=(entity.sector or None) if entity else None,
            website=(entity.website or None) if entity else None,
            wikidata=(entity.wikidata or None) if entity else None,
        )
    else:
        row.update(broader=", ".join(entity.broader) if entity and entity.broader else None)
    return row


# Tables --------------------------------------------------------------------------------------


def write_tables(path: Path, rows: Rows) -> None:
    """Write the rows with their keys, foreign keys, indexes and the stories' full-text index.

    A ``deals`` table (when posts carry deals) goes here the same way: rows from the plugin's
    deal fields, ``story_id`` a foreign key to ``stories``, its companies in a link table.
    """
    import sqlite_utils  # imported here: it takes half a second, and most commands never need it

    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    _ensure(db, "authors", {"slug": str, "name": str, "url": str, "stories": int}, "slug")
    db.table("authors").insert_all(rows["authors"], pk="slug")
    db.table("stories").insert_all(rows["stories"], pk="id", foreign_keys=[("author", "authors", "slug")])
    company = {"slug": str, "name": str, "url": str, "stories": int, "parent": str, "country": str}
    _ensure(db, "companies", company, "slug")
    db.table("companies").insert_all(rows["companies"], pk="slug", alter=True)
    _ensure(
        db, "technologies", {"slug": str, "name": str, "url": str, "stories": int, "broader": str}, "slug"
    )
    db.table("technologies").insert_all(rows["technologies"], pk="slug", alter=True)
    for table, column, target in (
        ("story_companies", "company", "companies"),
        ("story_technologies", "technology", "technologies"),
    ):
        db.table(table).create(
            {"story_id": int, column: str, "rank": int, "relevance": float},
            pk=("story_id", column),
            foreign_keys=[("story_id", "stories", "id"), (column, target, "slug")],
        )
        db.table(table).insert_all(rows[table])
        db.table(table).create_index([column, "story_id"])
    db.table("also_mentioned").create(
        {"story_id": int, "kind": str, "slug": str, "name": str, "relevance": float, "has_page": bool},
        pk=("story_id", "kind", "slug"),
        foreign_keys=[("story_id", "stories", "id")],
    )
    db.table("also_mentioned").insert_all(rows["also_mentioned"])
    db.table("also_mentioned").create_index(["kind", "slug"])
    db.table("related_stories").create(
        {"story_id": int, "related_id": int, "rank": int},
        pk=("story_id", "rank"),
        foreign_keys=[("story_id", "stories", "id"), ("related_id", "stories", "id")],
    )
    db.table("related_stories").insert_all(rows["related_stories"])
    db.table("related_stories").create_index(["related_id"])
    for columns in (["date"], ["year"], ["author"], ["publication"]):
        db.table("stories").create_index(columns)
    db.table("stories").enable_fts(["title", "deck", "summary", "body"], tokenize="porter")
    db.table("schema_version").insert({"version": SCHEMA_VERSION})
    db.conn.commit()
    db.close()


def _ensure(db: sqlite_utils.Database, table: str, columns: dict[str, type], pk: str) -> None:
    """Create ``table`` with these columns first, so an archive with no rows of it still has it."""
    if not db.table(table).exists():
        db.table(table).create(columns, pk=pk)


# Datasette -----------------------------------------------------------------------------------


def datasette_metadata(name: str, title: str) -> dict[str, Any]:
    """Datasette's metadata for the database ``name``: what each table holds, its facets,
    and canned queries."""
    return {
        "title": f"{title}: data",
        "description": (
            "Every story of the archive with its companies and technologies (tagged, with "
            "relevance, and also mentioned), authors and related stories."
        ),
        "databases": {
            name: {
                "title": title,
                "tables": TABLES,
                "queries": QUERIES,
            }
        },
    }


TABLES: dict[str, Any] = {
    "stories": {
        "description": "One row per story page; full-text search over title, deck, summary and body.",
        "label_column": "title",
        "sort_desc": "date",
        "facets": ["year", "publication", "author"],
    },
    "authors": {"description": "One row per author page.", "label_column": "name", "sort_desc": "stories"},
    "companies": {
        "description": "One row per company page, with the gazetteer's facts.",
        "label_column": "name",
        "sort_desc": "stories",
        "facets": ["country", "sector", "in_gazetteer"],
    },
    "technologies": {
        "description": "One row per technology page.",
        "label_column": "name",
        "sort_desc": "stories",
        "facets": ["in_gazetteer"],
    },
    "story_companies": {
        "description": "Companies tagged on each story, with the post's relevance score.",
        "facets": ["company"],
    },
    "story_technologies": {
        "description": "Technologies tagged on each story, with the post's relevance score.",
        "facets": ["technology"],
    },
    "also_mentioned": {
        "description": "Companies and technologies a story names below the tagging threshold.",
        "facets": ["kind", "slug"],
    },
    "related_stories": {"description": "Each story page's related stories, best first (rank 1)."},
}

QUERIES: dict[str, Any] = {
    "companies_tagged_together": {
        "title": "Companies most often tagged together",
        "description": "Pairs of companies tagged on the same stories, most stories first.",
        "sql": (
            "select a.name as company, b.name as other_company, count(*) as stories\n"
            "from story_companies x\n"
            "join story_companies y on y.story_id = x.story_id and x.company < y.company\n"
            "join companies a on a.slug = x.company\n"
            "join companies b on b.slug = y.company\n"
            "group by x.company, y.company\n"
            "order by stories desc, company, other_company\n"
            "limit 100"
        ),
    },
    "stories_per_year_for_technology": {
        "title": "Stories per year for a technology",
        "description": "How coverage of one technology (its name or slug, e.g. O-RAN) grew by year.",
        "sql": (
            "select s.year, count(*) as stories\n"
            "from story_technologies st\n"
            "join technologies t on t.slug = st.technology\n"
            "join stories s on s.id = st.story_id\n"
            "where t.slug = lower(:technology) or lower(t.name) = lower(:technology)\n"
            "group by s.year\n"
            "order by s.year"
        ),
    },
    "stories_per_year_for_company": {
        "title": "Stories per year for a company",
        "description": "Stories tagged with one company (its name or slug) by year.",
        "sql": (
            "select s.year, count(*) as stories\n"
            "from story_companies sc\n"
            "join companies c on c.slug = sc.company\n"
            "join stories s on s.id = sc.story_id\n"
            "where c.slug = lower(:company) or lower(c.name) = lower(:company)\n"
            "group by s.year\n"
            "order by s.year"
        ),
    },
    "technologies_of_a_company": {
        "title": "Technologies most often tagged with a company",
        "description": "For one company (name or slug), the technologies of its stories.",
        "sql": (
            "select t.name as technology, count(*) as stories\n"
            "from story_companies sc\n"
            "join companies c on c.slug = sc.company\n"
            "join story_technologies st on st.story_id = sc.story_id\n"
            "join technologies t on t.slug = st.technology\n"
            "where c.slug = lower(:company) or lower(c.name) = lower(:company)\n"
            "group by t.slug\n"
            "order by stories desc, technology\n"
            "limit 50"
        ),
    },
    "search_stories": {
        "title": "Search the stories",
        "description": "Full-text search (SQLite FTS5 syntax) over title, deck, summary and body.",
        "sql": (
            "select s.date, s.title, s.url, s.publication\n"
            "from stories_fts\n"
            "join stories s on s.id = stories_fts.rowid\n"
            "where stories_fts match :query\n"
            "order by stories_fts.rank\n"
            "limit 100"
        ),
    },
}
