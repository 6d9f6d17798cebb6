"""Render Pelican's pages in parallel, and only those whose inputs changed.

Pelican hands every page and feed to its writer, one at a time, as the generators run.
`DeferredWriter` (installed through Pelican's ``get_writer`` signal while a `RenderPlan`
is active) records them instead, and `render_recorded` renders them at the end: in forked
worker processes that share the generated context copy-on-write, one per core.

Every page gets a key: a digest of the build-wide inputs (`build_digest`: theme, settings,
newsarchive's code and data, Pelican's version) and of the values its template refers to
(found by Jinja's own analysis of the template and everything it extends or includes). A
story counts by a digest of its post file, so a listing changes when a story it shows
changes. When a page's key equals the key the previous build recorded, and the previous
file is still in place (in the last site, or hard-linked into the staging folder), the page
is not rendered and the file is left as it is (same inode, same time stamp). Values that
cannot be keyed safely make their page render every time.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from newsarchive.core.digests import digest
from newsarchive.core.errors import BuildError
from newsarchive.core.parallel import Forked, fork_map
from newsarchive.core.state import StateFile
from newsarchive.site.incremental import PageRecord, post_digest
from newsarchive.site.pelican_compat import Converted, KeepingWriter, pages_written, write_page
from newsarchive.site.search import SearchIndex
from newsarchive.site.story_cache import StoryCache

log = logging.getLogger(__name__)

# Story attributes, set by the plugin, that a story's own page shows of other stories.
_NEIGHBOURS = ("related_stories", "newer_story", "older_story")
_MENTIONS = ("companies_mentioned", "technologies_mentioned")
# Term attributes, set by the plugin, that a term's page shows.
_TERM_FIGURES = ("timeline", "related_companies", "related_technologies", "links", "deals", "deal_network")


@dataclass
class RenderPlan:
    """One build's rendering: the previous build's pages, and what this build made."""

    build_digest: str
    previous: dict[str, PageRecord] = field(default_factory=dict)
    workers: int = 1
    pages: dict[str, PageRecord] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)  # files rendered (not kept) by this build
    writers: list[DeferredWriter] = field(default_factory=list)
    # The previous build's pages being linked into staging by a child process while
    # Pelican reads (see newsarchive.site.build).
    linking: Forked[dict[str, PageRecord]] | None = None
    # Where the previous build's pages are kept: the last site itself in a delta build
    # (newsarchive.site.delta); None: linked into the folder Pelican writes.
    kept: Path | None = None
    search: SearchIndex | None = None  # started by the plugin once Pelican knows the stories
    converted: dict[str, Converted] = field(default_factory=dict)  # posts read in advance
    converted_all: bool = False
    stories: StoryCache | None = None  # what the last build knew of each story
    content: dict[str, tuple[int, int]] | None = None  # every content file's stamp, as the build found it
    templates: TemplateNames = field(default_factory=lambda: TemplateNames())
    # The dev server keeps the run's model (see newsarchive.site.resident): the generators
    # and every recorded page and feed, with its context, once rendered.
    keep_model: bool = False
    generators: list[Any] = field(default_factory=list)
    recorded: list[tuple[DeferredWriter, _Job]] = field(default_factory=list)

    def await_previous(self) -> None:
        """Wait until the previous build's pages are linked; they are ``previous`` then."""
        if self.linking is not None:
            self.previous = self.linking.result()
            self.linking = None


PLAN_SETTING = "NEWSARCHIVE_RENDER_PLAN"


class _Holder:
    """Carries the plan inside Pelican's settings, the one thing Pelican hands every
    generator, reader and writer. Pelican may pickle or copy settings (its caches, its
    content objects): the plan goes with neither."""

    def __init__(self, plan: RenderPlan | None):
        self.plan = plan

    def __reduce__(self) -> tuple[type[_Holder], tuple[None]]:
        return _Holder, (None,)

    def __deepcopy__(self, memo: dict[int, Any]) -> _Holder:
        return self

    def __repr__(self) -> str:
        return "<newsarchive render plan>"


def attach(settings: dict[str, Any], plan: RenderPlan) -> None:
    """Make ``plan`` the one the plugin, reader and writer of this Pelican run work for."""
    settings[PLAN_SETTING] = _Holder(plan)


def plan_of(settings: dict[str, Any] | None) -> RenderPlan | None:
    """The plan a newsarchive build attached to ``settings`` (None in a plain Pelican run)."""
    holder = (settings or {}).get(PLAN_SETTING)
    return holder.plan if isinstance(holder, _Holder) else None


class Unkeyable(Exception):
    """A value whose effect on a page cannot be captured: the page always renders."""


@dataclass
class _Job:
    kind: str  # "page" or "feed"
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class DeferredWriter(KeepingWriter):
    """Pelican's writer, recording pages to render them later (see the module docstring)."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        plan = plan_of(settings)
        if plan is None:
            raise BuildError("DeferredWriter used outside of a build")
        self.plan = plan
        plan.writers.append(self)
        self.jobs: list[_Job] = []
        self.keys = _Keys(settings or {}, plan.build_digest, plan.templates)
        self._keep_next = False
        self.made: dict[str, str] = {}  # output file -> key, in this process
        self.rendered: list[str] = []

    # Pelican's interface, recorded --------------------------------------------------------
    def write_file(
        self, name: Any, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        if not name:
            return
        # The shared context is final once generators write (Pelican copies it per page).
        self.jobs.append(_Job("page", (name, template, context, *args), kwargs))

    def write_feed(self, elements: Any, context: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        self.jobs.append(_Job("feed", (list(elements), context, *args), kwargs))

    # Rendering -----------------------------------------------------------------------------
    def run(self, job: _Job) -> None:
        if job.kind == "feed":
            self._run_feed(job)
            return
        name, template, context, *rest = job.args
        call = pages_written(self.settings, name, context, rest, job.kwargs)
        if call is None or not isinstance(template, jinja2.Template):
            Writer.write_file(self, name, _KeyedTemplate(template, self), context, *rest, **job.kwargs)
            return
        for values in call.pages:  # the writer's pages, without its copy of the context for each
            output_file = str(values["output_file"])
            try:
                key = self.keys.page_key(template, context, values)
            except Unkeyable:
                key = ""
            if key and self.unchanged(output_file, key):
                continue  # kept: the writer would render nothing and write nothing
            self.made[output_file] = key
            self.rendered.append(output_file)
            html = compact(template.render({**context, **values}))
            write_page(self, html, context, values, call.override_output)

    def _run_feed(self, job: _Job) -> None:
        elements, context, *rest = job.args
        path = rest[0] if rest else job.kwargs.get("path")
        if not path:
            Writer.write_feed(self, elements, context, *rest, **job.kwargs)
            return
        try:
            key = self.keys.feed_key(elements, path, repr(rest), repr(sorted(job.kwargs.items())))
        except Unkeyable:
            key = ""
        if key and self.unchanged(str(path), key):
            return
        self.made[str(path)] = key
        self.rendered.append(str(path))
        Writer.write_feed(self, elements, context, *rest, **job.kwargs)

    def unchanged(self, output_file: str, key: str) -> bool:
        """True (and the file kept) when the previous build wrote this page with this key."""
        record = self.plan.previous.get(output_file)
        if (
            record
            and record.key == key
            and record.matches(os.path.join(self.plan.kept or self.output_path, output_file))
        ):
            self.made[output_file] = key
            return True
        return False


class _KeyedTemplate:
    """A Jinja template that skips rendering when its page's key is unchanged (a page Pelican's
    writer renders: relative URLs, or a plugin hearing every page written)."""

    def __init__(self, template: jinja2.Template, writer: DeferredWriter):
        self.template = template
        self.writer = writer

    def render(self, context: dict[str, Any]) -> str:
        writer = self.writer
        output_file = str(context["output_file"])
        try:
            key = writer.keys.page_key(self.template, context)
        except Unkeyable:
            key = ""
        if key and writer.unchanged(output_file, key):
            writer.keep_next_page()
            return ""
        writer.made[output_file] = key
        writer.rendered.append(output_file)
        return compact(self.template.render(context))


# The leading indentation of lines, which templates carry for their readers and browsers
# ignore: about 4% of every page. Pages with <pre> or <textarea>, where it shows, keep it.
_INDENTATION = re.compile(r"\n[ \t]+")


def compact(html: str) -> str:
    """A page without its lines' leading indentation (unless it holds <pre> or <textarea>)."""
    if "<pre" in html or "<textarea" in html:
        return html
    return _INDENTATION.sub("\n", html)


class _Keys:
    """Digests of what pages show, cached per story and per template."""

    def __init__(self, settings: dict[str, Any], build: str, templates: TemplateNames):
        self.settings = settings
        self.templates = templates
        self.build = build  # the digest of everything every page depends on
        self._template_names: dict[str, frozenset[str]] = {}
        self._lists: dict[tuple[int, int, bool], str] = {}
        self._pages: dict[tuple[int, int], tuple[Paginator, str]] = {}
        self._terms: dict[int, tuple[URLWrapper, str]] = {}  # the term is kept: its id is its own
        self._contexts: dict[tuple[int, str, frozenset[str]], tuple[dict[str, Any], str]] = {}

    # stories --------------------------------------------------------------------------------
    @staticmethod
    def card(article: Content) -> str:
        """A story as listings show it (see `post_digest`)."""
        return post_digest(article)

    def story_page(self, article: Content) -> str:
        """A story as its own page shows it, with its neighbours and linked mentions."""
        parts = [self.card(article)]
        for name in _NEIGHBOURS:
            value = getattr(article, name, None)
            items = value if isinstance(value, list) else [value]
            parts += [post_digest(item) if item is not None else "-" for item in items]
        for name in _MENTIONS:
            parts += [self.term_ref(term) for term in getattr(article, name, []) or []]
        parts.append(repr(getattr(article, "story_deals", ())))  # counterparties' links
        return digest(*parts)

    # terms ----------------------------------------------------------------------------------
    @staticmethod
    def term_ref(term: URLWrapper) -> str:
        """A term as a link shows it, with its gazetteer entry (a term page shows its
        profile; the gazetteer is not in the build digest)."""
        known: str | None = getattr(term, "_newsarchive_ref", None)
        if known is None:
            entity = getattr(term, "entity", None)
            entry = digest(repr(entity)) if entity is not None else "-"
            known = f"{type(term).__name__}:{term.slug}:{term.name}:{getattr(term, 'has_page', True)}:{entry}"
            term._newsarchive_ref = known
        return known

    def term_page(self, term: URLWrapper) -> str:
        """A term as its own page shows it: with its timeline, related terms and profile links
        (worked out once per term: every page of its listing shows them)."""
        known = self._terms.get(id(term))
        if known is None:
            parts = [self.term_ref(term)]
            for name in _TERM_FIGURES:
                parts.append(self.value(getattr(term, name, None), shallow=True))
            known = self._terms[id(term)] = (term, digest(*parts))
        return known[1]

    # values ---------------------------------------------------------------------------------
    def value(self, value: Any, shallow: bool = False, identity: bool = False) -> str:
        """A digest of a template value; ``identity`` keys story lists by their order only."""
        if value is None or isinstance(value, str | int | float | bool):
            return repr(value)
        if isinstance(value, Content):
            if identity:
                return str(getattr(value, "href", None) or value.url)
            return self.card(value) if shallow else self.story_page(value)
        if isinstance(value, URLWrapper):
            return self.term_ref(value) if shallow else self.term_page(value)
        if isinstance(value, Page):
            return self._page(value)
        if isinstance(value, Paginator):
            return repr((value.num_pages, value.count, value.per_page))
        if isinstance(value, dict):
            return digest(
                *(f"{k!r}={self.value(v, True, identity)}" for k, v in sorted(value.items(), key=repr))
            )
        if isinstance(value, list | tuple):
            # The same story lists are passed to every page of a listing: digest them once.
            cache_key = (id(value), len(value), identity)
            cached = self._lists.get(cache_key)
            if cached is None:
                cached = digest(*(self.item(item, identity) for item in value))
                self._lists[cache_key] = cached
            return cached
        if isinstance(value, set | frozenset):
            return digest(*(self.item(item, identity) for item in sorted(value, key=repr)))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return repr(value)
        if isinstance(value, jinja2.Template):
            return str(value.name)
        raise Unkeyable(type(value).__name__)

    def item(self, item: Any, identity: bool = False) -> str:
        """`value` of one item of a list, shallow: most are stories, taken straight to
        their card (page keys digest close to a million items a build at 40,000 stories)."""
        if isinstance(item, Content):
            return str(getattr(item, "href", None) or item.url) if identity else post_digest(item)
        return self.value(item, True, identity)

    def _page(self, page: Page) -> str:
        """A page of a listing, digested once: it is also its neighbours' previous or next page
        (the paginator is kept with it: its ``id`` is never another's)."""
        cache_key = (id(page.paginator), page.number)
        known = self._pages.get(cache_key)
        if known is None:
            paginator = page.paginator
            known = self._pages[cache_key] = (
                paginator,
                digest(
                    repr((page.number, paginator.num_pages, paginator.count)),
                    *(self.item(item) for item in page.object_list),
                ),
            )
        return known[1]

    def page_key(
        self, template: jinja2.Template, context: dict[str, Any], over: dict[str, Any] | None = None
    ) -> str:
        """The key of a page: the build digest, the template, the output file and every value
        the template refers to, from ``context``; or, for a page of a job (`pages_written`),
        from the values ``over`` it and one digest of the context they share with the job's
        other pages, made once. (Pelican's writer renders a page either way each time a
        build runs with the same settings, so keys of the two kinds are never compared.)"""
        names = self.template_names(template)
        paginated = "articles_page" in names or "dates_page" in names
        if over is None:
            parts = self._parts(names, context, paginated)
            head = [
                self.build,
                str(template.name),
                str(context.get("output_file")),
                str(context.get("SITEURL")),
            ]
            return digest(*head, *(parts[name] for name in sorted(parts)))
        own = names.intersection(over)
        parts = self._parts(own, over, paginated)
        siteurl = over["SITEURL"] if "SITEURL" in over else context.get("SITEURL")
        head = [self.build, str(template.name), str(over.get("output_file")), str(siteurl)]
        return digest(*head, self._shared(template, context, own), *(parts[name] for name in sorted(parts)))

    def _parts(self, names: Iterable[str], values: dict[str, Any], paginated: bool) -> dict[str, str]:
        """Each value's part of a page key, by name (settings are in the build digest)."""
        return {
            name: f"{name}={self.value(values[name], identity=paginated and name in ('articles', 'dates'))}"
            for name in names
            if name in values and name not in self.settings
        }

    def _shared(self, template: jinja2.Template, context: dict[str, Any], own: frozenset[str]) -> str:
        """The digest of the values of a context shared by many pages, made once per template
        and set of the pages' own names (the context is kept with it: its ``id`` is never
        another's)."""
        cache_key = (id(context), str(template.name), own)
        known = self._contexts.get(cache_key)
        if known is None:
            names = self.template_names(template)
            paginated = "articles_page" in names or "dates_page" in names
            parts = self._parts(names - own, context, paginated)
            known = self._contexts[cache_key] = (context, digest(*(parts[name] for name in sorted(parts))))
        return known[1]

    def feed_key(self, elements: list[Any], *parts: str) -> str:
        """The key of a feed: the build digest, its arguments and the stories it shows."""
        limit = self.settings.get("FEED_MAX_ITEMS")
        shown = elements[:limit]
        return digest(self.build, "feed", *parts, *(self.card(getattr(e, "_article", e)) for e in shown))

    def template_names(self, template: jinja2.Template) -> frozenset[str]:
        """Every variable the template and the templates it uses refer to."""
        name = str(template.name)
        if name not in self._template_names:
            self._template_names[name] = referenced_names(template, self.templates)
        return self._template_names[name]


def referenced_names(template: jinja2.Template, templates: TemplateNames) -> frozenset[str]:
    """Every variable ``template`` and the templates it uses refer to (`Unkeyable` when one is
    chosen at run time), parsed through the build's ``templates``."""
    return frozenset(_free_names(template.environment, str(template.name), set(), templates))


def _free_names(
    environment: jinja2.Environment, name: str, seen: set[str], templates: TemplateNames
) -> set[str]:
    if name in seen or environment.loader is None:
        return set()
    seen.add(name)
    undeclared, referenced_templates = templates.parsed(environment, name)
    names = set(undeclared)
    for referenced in referenced_templates:
        if referenced is None:
            raise Unkeyable(f"{name} includes a template chosen at run time")
        names |= _free_names(environment, referenced, seen, templates)
    return names


TEMPLATE_NAMES = "template-names.json"
TEMPLATE_NAMES_VERSION = 1


class TemplateNames:
    """What each template refers to (its free variables and the templates it uses), by the
    template's source, kept between builds: parsing the theme's templates again costs each
    rendering process about half a second."""

    def __init__(self, cache_folder: Path | None = None):
        self.file = (
            StateFile(cache_folder / TEMPLATE_NAMES, TEMPLATE_NAMES_VERSION, "template names")
            if cache_folder
            else None
        )
        saved = self.file.load() if self.file else None
        self.known: dict[str, list[list[str | None]]] = saved if isinstance(saved, dict) else {}
        self.used: set[str] = set()

    def parsed(self, environment: jinja2.Environment, name: str) -> tuple[list[str], list[str | None]]:
        """The free variables of template ``name`` and the templates it extends, includes or imports."""
        assert environment.loader is not None
        source = environment.loader.get_source(environment, name)[0]
        key = digest(name, source)
        found = self.known.get(key)
        if found is None:
            tree = environment.parse(source)
            undeclared: list[str | None] = [*sorted(meta.find_undeclared_variables(tree))]
            found = [undeclared, list(meta.find_referenced_templates(tree))]
            self.known[key] = found
        self.used.add(key)
        return [str(n) for n in found[0]], found[1]

    def save(self) -> None:
        """Keep the templates this build used (the others are out of date)."""
        if self.file is not None:
            self.file.save({key: self.known[key] for key in sorted(self.used)})


# Running the recorded jobs ---------------------------------------------------------------------


def render_recorded(plan: RenderPlan) -> None:
    """Render every recorded page and feed, split over ``plan.workers`` processes."""
    plan.await_previous()
    jobs = [(writer, job) for writer in plan.writers for job in writer.jobs]
    _know_templates(jobs)  # once, before the workers fork: each would parse them again
    workers = max(1, min(plan.workers, len(jobs) // 50 or 1))
    output = Path(plan.writers[0].output_path) if plan.writers else Path()
    for made, rendered in fork_map(_run_share, jobs, workers, "rendering"):
        plan.rendered += rendered
        written = set(rendered)
        for output_file, key in made.items():
            kept = output_file not in written
            plan.pages[output_file] = plan.previous[output_file] if kept else stamp(output / output_file, key)
    if plan.keep_model:
        plan.recorded = jobs
    for writer in plan.writers:
        writer.jobs.clear()


def _know_templates(jobs: Sequence[tuple[DeferredWriter, _Job]]) -> None:
    """Work out every page template's free variables in this process."""
    seen: set[tuple[int, str]] = set()
    for writer, job in jobs:
        template = job.args[1] if job.kind == "page" else None
        if isinstance(template, jinja2.Template) and (id(writer), str(template.name)) not in seen:
            seen.add((id(writer), str(template.name)))
            try:
                writer.keys.template_names(template)
            except Unkeyable:
                continue


def stamp(path: Path, key: str) -> PageRecord:
    """The record of a file just written with ``key``."""
    stat = path.stat()
    return PageRecord(key, stat.st_size, stat.st_mtime_ns)


def _run_share(jobs: Sequence[tuple[DeferredWriter, _Job]]) -> tuple[dict[str, str], list[str]]:
    """Render some jobs; return the files made (kept or rendered) with their keys, and the
    files rendered."""
    writers: dict[int, DeferredWriter] = {}
    for writer, job in jobs:
        writers[id(writer)] = writer
        writer.run(job)
    made: dict[str, str] = {}
    for writer in writers.values():
        made.update(writer.made)
    return made, [name for writer in writers.values() for name in writer.rendered]
