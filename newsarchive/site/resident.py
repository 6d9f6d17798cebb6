"""The dev server's resident site: the last build's model kept in memory, an edit applied as a delta.

A build run for the dev server keeps its model (`RenderPlan.keep_model`): Pelican's articles
generator (the stories with everything the plugin attached, the terms, the context) and
every page and feed the writers recorded, with its context. From it, an index says which
pages show which story: a story's own page, the listings and term pages whose cards show
it, the pages of the stories it is a neighbour or a related story of, the feeds that carry
it (the same values the page keys of `newsarchive.site.render` are made from).

When the one change is a post's text, or header fields a story only shows (`DISPLAY_FIELDS`:
title, deck, summary, reading time; and the importer's own `INVISIBLE_FIELDS`), the post is
read again by Pelican's reader, the story takes the new text and fields, the pages that show
the story are rendered again (of a paginated listing only the pages holding it), a new
title goes into the story's JSON-LD and its terms' JSON files, then its search record is
written again and its shard re-indexed. Nothing else can differ: the other header fields
hold everything that orders, groups, tags or links a story, and the site map lists pages,
which stay the same.

Anything else (another header field edited, a post added or deleted, a theme, setting or
code change, several files at once, a post tagged from its own text, a title that makes
the address or that deals pages quote) is built by the ordinary incremental build, in
this process, and the model is taken from that build.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from newsarchive.core.config import Config
from newsarchive.core.errors import NewsarchiveError, Warnings
from newsarchive.site import pelican_compat
from newsarchive.site.build import BuildResult, build_site
from newsarchive.site.incremental import SEARCH_FOLDER, load_manifest, save_manifest
from newsarchive.site.plugin.api import term_record, write_kept
from newsarchive.site.plugin.settings import plugin_options
from newsarchive.site.plugin.stories import json_ld
from newsarchive.site.plugin.terms import TAXONOMIES
from newsarchive.site.render import RenderPlan, TemplateNames, Unkeyable, compact, referenced_names, stamp
from newsarchive.site.search import (
    RECORDS_FOLDER,
    keys_state,
    parse_digests,
    record_key,
    record_template,
    shard_digests,
    shard_of,
    start_pagefind,
    write_record,
)
from newsarchive.site.serve import Changes, Stamps, stamps

log = logging.getLogger(__name__)

# Story attributes, set by the plugin, that a story's own page shows of other stories
# (as `newsarchive.site.render` keys them).
NEIGHBOURS = ("related_stories", "newer_story", "older_story")
# Term attributes that a term's page shows.
TERM_FIGURES = ("timeline", "related_companies", "related_technologies", "links", "deals", "deal_network")
# Writer.write_file's own parameters: the rest of its keyword arguments are the page's values.
# Header fields a story shows but nothing is ordered, grouped, linked or tagged by: an edit
# of them is a delta too (a title only where a Slug line fixes the address).
DISPLAY_FIELDS = frozenset({"title", "summary", "deck", "minutes"})
# Header fields no page shows (the importer's record of the post): a new value is no change
# to the site, as long as the field stays (its presence marks a post the importer wrote).
INVISIBLE_FIELDS = frozenset({"digest", "fingerprint"})
# What `newsarchive.site.incremental.post_digest` keeps on a story: dropped when its text changes.
_POST_DIGEST = "_newsarchive_post_digest"
_WRITER_PARAMETERS = ("relative_urls", "paginated", "template_name", "override_output", "url")


@dataclass(frozen=True)
class Applied:
    """What the dev server did with one change: one line to show, the files it wrote."""

    summary: str
    written: tuple[str, ...] = ()
    delta: bool = False  # applied as a delta (not by a build)
    failed: bool = False


class _Unknown(Exception):
    """A value whose stories cannot be told: its page is rendered after every edit."""


def _files_changed(changes: Changes, named: int = 3) -> str:
    """ "3 files changed: a.md, b.md, c.md" (the first ``named`` of them named)."""
    names = [path.name for path in (*changes.added, *changes.modified, *changes.removed)]
    more = f" and {len(names) - named:,} more" if len(names) > named else ""
    return f"{len(names):,} files changed: {', '.join(names[:named])}{more}"


class Reach:
    """The stories (by ``id``) a template value shows, computed once per value.

    A collection's answer is kept with the collection itself, so that its ``id`` is never
    that of another one made later; a page of a listing (made anew for every page) is
    looked at each time."""

    def __init__(self, templates: TemplateNames | None = None) -> None:
        self._memo: dict[tuple[int, bool], tuple[Any, frozenset[int]]] = {}
        self._names: dict[str, frozenset[str]] = {}
        self.templates = templates or TemplateNames()  # the build's: templates parsed once

    def names(self, template: jinja2.Template) -> frozenset[str]:
        """The variables ``template`` refers to (worked out once per template)."""
        known = self._names.get(str(template.name))
        if known is None:
            known = self._names[str(template.name)] = referenced_names(template, self.templates)
        return known

    def of(self, value: Any, shallow: bool = False) -> frozenset[int]:
        if value is None or isinstance(value, str | int | float | bool | jinja2.Template | Paginator):
            return frozenset()
        if isinstance(value, Content):
            return self._story(value, shallow)
        if isinstance(value, Page):
            return self.of_items(value.object_list)
        if isinstance(value, list | tuple | dict | set | frozenset):
            key = (id(value), shallow)
            known = self._memo.get(key)
            if known is None:
                items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
                known = self._memo[key] = (value, self.of_items(items))
            return known[1]
        if isinstance(value, URLWrapper):
            if shallow:
                return frozenset()
            return frozenset().union(*(self.of(getattr(value, name, None), True) for name in TERM_FIGURES))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return frozenset().union(
                *(self.of(getattr(value, f.name), True) for f in dataclasses.fields(value))
            )
        raise _Unknown(type(value).__name__)

    def of_items(self, items: Iterable[Any]) -> frozenset[int]:
        """The stories of a listing's items (a feed's are wrapped: the story is ``_article``)."""
        return frozenset().union(*(self.of(getattr(item, "_article", item), True) for item in items))

    def _story(self, story: Content, shallow: bool) -> frozenset[int]:
        if shallow:
            return frozenset((id(story),))
        shown = {id(story)}
        for name in NEIGHBOURS:
            value = getattr(story, name, None)
            items = value if isinstance(value, list) else [value]
            shown |= {id(item) for item in items if item is not None}
        return frozenset(shown)


def page_values(job_args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The values a recorded page's template sees (Pelican's writer adds the same)."""
    context = job_args[2]
    return {**context, **{k: v for k, v in kwargs.items() if k not in _WRITER_PARAMETERS}}


def shown_by(
    reach: Reach, template: jinja2.Template, values: dict[str, Any], settings: dict[str, Any]
) -> frozenset[int]:
    """The stories a page shows: those of every value its template refers to (settings
    aside). A paginated page shows only its own page of ``articles`` and ``dates``."""
    names = reach.names(template)
    paginated = "articles_page" in names or "dates_page" in names
    shown: set[int] = set()
    for name in names:
        if name not in values or name in settings or (paginated and name in ("articles", "dates")):
            continue
        shown |= reach.of(values[name])
    return frozenset(shown)


def job_shows(reach: Reach, job: Any, settings: dict[str, Any]) -> frozenset[int] | None:
    """The stories a recorded page or feed shows on any of its pages (None: cannot tell)."""
    try:
        if job.kind == "feed":
            limit = settings.get("FEED_MAX_ITEMS")
            return reach.of_items(list(job.args[0])[:limit])
        template = job.args[1]
        values = page_values(job.args, job.kwargs)
        shown = set(shown_by(reach, template, values, settings))
        # Paginated: the stories of every page (Pelican paginates ``articles`` and ``dates``
        # when no ``paginated`` is given).
        paginated = job.kwargs.get("paginated")
        if paginated is None:
            paginated = {k: v for k, v in job.kwargs.items() if k in ("articles", "dates")}
        for listed in paginated.values():
            shown |= reach.of(listed)
        return frozenset(shown)
    except (_Unknown, Unkeyable):
        return None


@dataclass
class Model:
    """One build's model, as the dev server keeps it."""

    plan: RenderPlan
    generator: Any
    stories: dict[str, Any]  # post file -> story
    headers: dict[str, str]  # post file -> its header, as built
    shows: dict[int, list[int]] = field(default_factory=dict)  # story id -> recorded jobs
    always: list[int] = field(default_factory=list)  # jobs whose stories cannot be told
    # What each value shows, kept: a delta changes a story's text, never what shows what.
    reach: Reach = field(default_factory=Reach)

    @classmethod
    def of(cls, plan: RenderPlan) -> Model | None:
        generator = next((g for g in plan.generators if hasattr(g, "articles")), None)
        if generator is None or not plan.recorded:
            return None
        stories = {str(Path(article.source_path).resolve()): article for article in generator.articles}
        headers = {path: header(Path(path)) for path in stories}
        model = cls(plan, generator, stories, headers, reach=Reach(plan.templates))
        model.index()
        return model

    def index(self) -> None:
        reach, settings = self.reach, self.generator.settings
        for number, (_, job) in enumerate(self.plan.recorded):
            shown = job_shows(reach, job, settings)
            if shown is None:
                self.always.append(number)
                continue
            for story in shown:
                self.shows.setdefault(story, []).append(number)


_META_LINE = re.compile(r"^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_CONTINUED = re.compile(r"^ {4,}(.*)$")


def header_fields(text: str) -> dict[str, str] | None:
    """A post header's fields (lower-case names) as Python-Markdown's meta extension reads
    them; None when a line is neither a field nor a field's continuation."""
    fields: dict[str, str] = {}
    name = ""
    for line in text.split("\n"):
        if (field_line := _META_LINE.match(line)) is not None:
            name = field_line.group(1).lower()
            fields[name] = field_line.group(2).strip()
        elif name and (continued := _CONTINUED.match(line)) is not None:
            fields[name] += "\n" + continued.group(1).strip()
        else:
            return None
    return fields


def changed_fields(before: str, after: str) -> set[str] | None:
    """The header fields that differ between two versions of a post (None: unreadable)."""
    if not before or not after:
        return None
    if before == after:
        return set()
    old, new = header_fields(before), header_fields(after)
    if old is None or new is None:
        return None
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def header(path: Path) -> str:
    """A post's metadata lines: everything before its first blank line ("" when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return text.replace("\r\n", "\n").split("\n\n", 1)[0]


class _OnlyPagesShowing:
    """A template that renders only the pages showing ``story`` (the others are kept)."""

    def __init__(self, template: jinja2.Template, story: Any, writer: Any, model: Model):
        self.template = template
        self.story = story
        self.writer = writer
        self.model = model
        self.written: list[str] = []

    def render(self, context: dict[str, Any]) -> str:
        names = self.model.reach.names(self.template)
        paginated = "articles_page" in names or "dates_page" in names
        model = self.model
        if paginated and id(self.story) not in shown_by(
            model.reach, self.template, context, model.generator.settings
        ):
            self.writer.keep_next_page()
            return ""
        self.written.append(str(context["output_file"]))
        return compact(self.template.render(context))


class ResidentSite:
    """The site the dev server keeps: built once, then brought up to date change by change."""

    def __init__(self, config: Config, jobs: int = 0):
        self.config = config
        self.jobs = jobs
        self.model: Model | None = None
        # What the deltas since the last build wrote, for the build manifest (`record`).
        self._unrecorded: set[str] = set()
        self._shards: dict[str, str] = {}
        # Each post's size and time as the site last read it: a file event that arrives late,
        # after its change was applied, is no change (`known`).
        self._read: Stamps = {}

    # Builds ------------------------------------------------------------------------------------
    def build(self, reason: str = "") -> Applied:
        """The ordinary incremental build, in this process, keeping its model."""
        self.record()
        self.model = None  # the old model's memory goes before the build's
        kept: list[RenderPlan] = []
        self._read = stamps([self.config.content])  # before the build reads: a later write is news
        try:
            result = build_site(self.config, jobs=self.jobs, warnings=Warnings(False), keep=kept.append)
        except NewsarchiveError as error:
            return Applied(f"{reason}the build failed: {error}", failed=True)
        if kept:
            self.model = Model.of(kept[0])
        kept_line = (
            f"; {len(self.model.plan.recorded):,} pages and feeds kept in memory" if self.model else ""
        )
        return Applied(reason + result.summary() + kept_line + _warnings(result))

    # Changes -----------------------------------------------------------------------------------
    def apply(self, changes: Changes, served: Callable[[], None] = lambda: None) -> Applied:
        """Bring the site up to date with ``changes``: as a delta when it is one post's text,
        else by a build. ``served`` is called once the changed pages are in place (before the
        search index is brought up to date)."""
        changes = self.known(changes)
        why = self.why_not_delta(changes)
        if why:
            applied = self.build(f"built again ({why}): ")
            served()
            return applied
        path = str(changes.modified[0].resolve())
        return self.edit(path, served)

    def known(self, changes: Changes) -> Changes:
        """``changes`` as the site knows them: the posts of the last build that were "added"
        taken as modified (a file saved by writing a new one over it, as editors and the
        importer do, is added again), and without the files that are as the site last read
        them (the system's events of a write can arrive after the write was applied)."""
        if self.model is None:
            return changes
        again = tuple(path for path in changes.added if str(path.resolve()) in self.model.stories)
        added = tuple(path for path in changes.added if path not in again)
        modified = tuple(path for path in sorted({*changes.modified, *again}) if not self._as_read(path))
        removed = tuple(path for path in changes.removed if not self._never_read(path))
        return Changes(added, modified, removed)

    def _never_read(self, path: Path) -> bool:
        """Whether ``path`` is a file of the posts' folder that no build or delta read (one
        made and removed while the site was not looking, or one it already knows is gone)."""
        return path.is_relative_to(self.config.content) and str(path) not in self._read

    def _as_read(self, path: Path) -> bool:
        """Whether ``path`` is as the site last read it (same size and modification time)."""
        now: Stamps = stamps([path])
        return bool(now) and self._read.get(str(path)) == now.get(str(path))

    def why_not_delta(self, changes: Changes) -> str:
        """Why ``changes`` cannot be applied as a delta ("" when they can)."""
        if self.model is None:
            return "no model of the last build"
        if changes.added or changes.removed:
            return "a post added or removed" if changes.count == 1 else _files_changed(changes)
        if changes.count != 1:
            return _files_changed(changes)
        path = changes.modified[0].resolve()
        story = self.model.stories.get(str(path))
        if story is None:
            return f"{path.name} is not a post of the last build"
        if getattr(story, "autotagged", ()):
            return f"{path.name} is tagged from its own text"
        fields = changed_fields(self.model.headers[str(path)], header(path))
        if fields is None:
            return f"the header of {path.name} cannot be compared"
        kept = set(header_fields(header(path)) or {}) & set(story.metadata)
        others = fields - DISPLAY_FIELDS - (INVISIBLE_FIELDS & kept)
        if others:
            return f"the {', '.join(sorted(others))} line(s) of {path.name} changed"
        if "title" in fields:
            return self._why_not_title(story, path)
        return ""

    def _why_not_title(self, story: Any, path: Path) -> str:
        """Why a new title cannot be a delta: one the slug, order or deals depend on."""
        assert self.model is not None
        settings = self.model.generator.settings
        if "slug" not in story.metadata:
            return f"{path.name} has no Slug line: its address follows its title"
        if settings.get("ARTICLE_ORDER_BY", "reversed-date") not in ("reversed-date", "date"):
            return "stories are ordered by title"
        if getattr(story, "story_deals", ()):
            return f"{path.name} reports deals, whose pages name it"
        return ""

    def edit(self, path: str, served: Callable[[], None]) -> Applied:
        """Apply an edit of a post's text: the pages that show it, then its search record.
        Whatever goes wrong on the way (Pelican's reader, a template, Pagefind) is left to
        the build, which says what it is."""
        model = self.model
        assert model is not None
        story, name = model.stories[path], Path(path).name
        self._read.update(stamps([Path(path)]))  # before reading it: a later write is news
        try:
            read_again = pelican_compat.read_post(model.generator, path)
            pelican_compat.take_body(story, read_again)
            written_first = self.take_fields(model, story, read_again, Path(path))
            if hasattr(story, _POST_DIGEST):
                delattr(story, _POST_DIGEST)
            written = self.render_pages(model, story) + written_first
            served()
            shard, shard_digest = self.reindex(model, story)
        except Exception as error:
            log.debug("delta of %s failed", name, exc_info=True)
            return self.build(f"built again (the delta of {name} failed: {type(error).__name__}: {error}): ")
        self._unrecorded.update(written)
        self._shards[shard] = shard_digest
        summary = f"{name}: {len(written)} page(s) rendered again, search shard {shard} re-indexed"
        return Applied(summary, tuple(written), delta=True)

    def take_fields(self, model: Model, story: Any, read_again: Any, path: Path) -> list[str]:
        """Give the story its new display fields (its JSON-LD and its terms' JSON files follow
        a new title); return the files written."""
        fields = changed_fields(model.headers[str(path)], header(path)) or set()
        if not fields:
            return []
        pelican_compat.take_fields(story, read_again, fields)
        model.headers[str(path)] = header(path)
        if "title" not in fields:
            return []
        settings = model.generator.settings
        story.json_ld = json_ld(story, settings)
        if not plugin_options(settings).NEWSARCHIVE_JSON_API:
            return []
        site_url = str(settings.get("SITEURL") or "")
        written = []
        for taxonomy in TAXONOMIES.values():
            for term, articles in model.generator.context[taxonomy.index]:
                if any(article is story for article in articles):
                    record = term_record(term, articles, taxonomy.template, site_url)
                    write_kept(
                        None, self.config.output, term.api_url, json.dumps(record, ensure_ascii=False) + "\n"
                    )
                    written.append(term.api_url)
        return written

    def render_pages(self, model: Model, story: Any) -> list[str]:
        """Render again every recorded page and feed that shows ``story``; return the files."""
        settings = model.generator.settings
        writer = pelican_compat.KeepingWriter(str(self.config.output), settings=settings)
        numbers = sorted({*model.shows.get(id(story), ()), *model.always})
        # the story's own page first: it is the one the writer is looking at
        numbers.sort(key=lambda number: model.plan.recorded[number][1].kwargs.get("article") is not story)
        written: list[str] = []
        for number in numbers:
            _, job = model.plan.recorded[number]
            if job.kind == "feed":
                elements, context, *rest = job.args
                Writer.write_feed(writer, elements, context, *rest, **job.kwargs)
                written.append(str(rest[0] if rest else job.kwargs.get("path")))
                continue
            name, template, context, *rest = job.args
            only = _OnlyPagesShowing(template, story, writer, model)
            Writer.write_file(writer, name, only, context, *rest, **job.kwargs)
            written += only.written
        return written

    def reindex(self, model: Model, story: Any) -> tuple[str, str]:
        """Write the story's search record again and re-index its shard; return the shard
        and its new digest."""
        generator, plan = model.generator, model.plan
        records = Path(generator.settings["CACHE_PATH"]) / RECORDS_FOLDER
        sizes: dict[int, int] = {}
        for article in generator.articles:
            sizes[article.date.year] = sizes.get(article.date.year, 0) + 1
        shard = shard_of(story, sizes)
        name = f"{shard}/{story.save_as}"
        state = keys_state(records)
        keys = state.load()
        keys = dict(keys) if isinstance(keys, dict) else {}
        state.path.unlink(missing_ok=True)  # no key vouches for the record while it is written
        write_record(records, name, record_template(generator), generator.context, story)
        keys[name] = record_key(story, plan.build_digest)
        state.save(keys)
        target = self.config.output / SEARCH_FOLDER / shard
        fresh = Path(tempfile.mkdtemp(prefix=f".{shard}.", dir=target.parent))
        process = start_pagefind(records / shard, fresh / "bundle")
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            problem = (stderr or stdout).strip()[-500:]
            raise NewsarchiveError(f"Pagefind failed on the {shard} shard: {problem}")
        old = fresh / "old"
        if target.exists():
            target.rename(old)
        (fresh / "bundle").rename(target)
        shutil.rmtree(fresh, ignore_errors=True)
        return shard, shard_digests(keys)[shard]

    def record(self) -> None:
        """Tell the next build what the deltas changed: the files written (their keys
        unknown, so it renders them again), the shards' new digests (it keeps their
        bundles), inputs never seen (it does not stop as up to date). Done before a build
        and when the server stops, not after each delta: at 40,000 stories the manifest
        takes 3 to 4 s to read and write. A manifest left as it was is safe too: the files
        written no longer match it (rendered again) nor the shards' records (re-indexed)."""
        if not self._unrecorded and not self._shards:
            return
        manifest = load_manifest(self.config.output)
        written, shards = sorted(self._unrecorded), dict(self._shards)
        self._unrecorded.clear()
        self._shards.clear()
        if manifest is None:
            return
        pages = dict(manifest.pages)
        for name in written:
            path = self.config.output / name
            if path.is_file():
                pages[name] = stamp(path, "")
        search = json.dumps(
            {**parse_digests(manifest.search), **shards}, sort_keys=True, separators=(",", ":")
        )
        save_manifest(
            self.config.output, dataclasses.replace(manifest, inputs="", pages=pages, search=search)
        )


def _warnings(result: BuildResult) -> str:
    return "".join(f"\nwarning: {warning}" for warning in result.warnings)
