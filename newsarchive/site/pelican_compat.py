"""Every contact newsarchive has with Pelican's internals, in one place.

Pelican's documented interface (settings, signals, ``Pelican(settings).run()``, readers
and writers chosen by settings and signals) is used everywhere. The things it offers no
interface for live here:

- its period archives, its category and author groups and its translations find their
  stories with a list scan per story (quadratic at archive scale): stand-ins that give the
  same lists without;
- its writer opens each output file itself: the keeping writer opens nothing for a page
  kept from the last build and never writes through a hard link to it; `pages_written`
  says what values the writer would put over the context of each page it renders (the
  pages of a listing paginated as it paginates them), so pages kept as they are need not
  go through the writer at all;
- its Markdown reader converts one post at a time: the preconverted reader takes a post
  converted in advance (on every core) and still has Pelican process its metadata;
- it computes a story's URL and output file at every access: they are fixed once;
- its generator-level content cache (``CONTENT_CACHING_LAYER = "generator"``, documented)
  keeps story objects with the settings and context of the run that pickled them, in files
  named after the generators: `rebind` gives them this run's, `generator_cache_files`
  names the files (a build of other settings removes them); `shard_content_cache` keeps the
  stories' cache in shards, so a build that read one post writes one shard, not all;
- its log filter drops a message it has logged before in the same process: each build
  starts with the filter's memory cleared, so a second build (the dev server, a test)
  counts its warnings too.

Each was written against, and is tested with, the Pelican versions in ``KNOWN_VERSIONS``.
On another version none is put in place: Pelican's own code runs (full, slower builds),
and the build warns once, naming the version.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import zlib
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

import jinja2
import pelican
import pelican.generators
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.paginator import Paginator
from pelican.readers import MarkdownReader
from pelican.utils import sanitised_join
from pelican.writers import Writer

KNOWN_VERSIONS = ("4.12.",)
_writer_log = logging.getLogger("pelican.writers")  # the logger Pelican's writer logs with
_PATCHED = "_newsarchive_linear"


def pelican_version() -> str:
    return str(getattr(pelican, "__version__", "unknown"))


def supported(version: str | None = None) -> bool:
    """Whether the stand-ins below were made for this Pelican version."""
    return (version or pelican_version()).startswith(KNOWN_VERSIONS)


def unsupported_warning() -> str | None:
    """The build's warning when the stand-ins do not apply to this Pelican (None: they do)."""
    if supported():
        return None
    known = ", ".join(v.rstrip(".") for v in KNOWN_VERSIONS)
    return (
        f"Pelican {pelican_version()} is not a version newsarchive knows ({known}): building with "
        "Pelican's own reading, writing and archives (every page rendered, slower)"
    )


# Logging ------------------------------------------------------------------------------------


def forget_logged_messages() -> None:
    """Let this build's warnings through Pelican's duplicate filter even if an earlier
    build in this process logged the same ones."""
    if not supported():
        return
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


# Period archives ----------------------------------------------------------------------------

PeriodBuilder = Callable[[Any, list[Any], list[Any], dict[str, Any]], dict[str, list[dict[str, Any]]]]


def linear_period_archives(build: PeriodBuilder) -> PeriodBuilder:
    """Pelican's period archives, with each period's ``articles`` found in one pass.

    Pelican fills them with ``[a for a in articles if a in dates]``, a list scan per
    article per period: at 10,000 stories over ten years, about 5 s of every build.
    Articles have identity equality, so a lookup by ``id`` gives the same lists in the
    same order.
    """

    def build_linearly(
        generator: Any, sorted_articles: list[Any], articles: list[Any], settings: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        archives = build(generator, sorted_articles, [], settings)
        for periods in archives.values():
            period_of = {id(article): period for period in periods for article in period["dates"]}
            for period in periods:
                period["articles"] = []
            for article in articles:
                if (found := period_of.get(id(article))) is not None:
                    found["articles"].append(article)
        return archives

    setattr(build_linearly, _PATCHED, build)
    return build_linearly


def install() -> None:
    """Put the linear period archives and the grouped translations in place (once, however
    often plugins register)."""
    if not supported():
        return
    current = ArticlesGenerator._build_period_archives
    if not hasattr(current, _PATCHED):
        ArticlesGenerator._build_period_archives = linear_period_archives(current)
    install_grouped_translations()


def pelicans_own_period_archives() -> PeriodBuilder:
    """Pelican's unpatched method (for the test that compares the two)."""
    current = ArticlesGenerator._build_period_archives
    return getattr(current, _PATCHED, current)  # type: ignore[no-any-return]


# Translations -------------------------------------------------------------------------------

Translations = Callable[..., tuple[list[Any], list[Any]]]


def grouped_translations(process: Translations) -> Translations:
    """Pelican's ``process_translations``, run on one group of stories at a time.

    Pelican sorts the stories by their translation id (the slug), groups them, and then
    finds the translations with ``[x for x in stories if x not in index]``: a scan of every
    original per story, 21 s of a build at 40,000 stories. Run on each group alone, its scan
    stays within the group; the groups come in the same sorted order, so the originals and
    the translations are the same lists in the same order, with the same warnings.
    """

    def by_group(content_list: list[Any], translation_id: Any = None) -> tuple[list[Any], list[Any]]:
        if not translation_id:
            return process(content_list, translation_id)
        names = (translation_id,) if isinstance(translation_id, str) else tuple(translation_id)
        key = attrgetter(*names)
        try:
            content_list.sort(key=key)
        except (TypeError, AttributeError):
            return process(content_list, translation_id)  # Pelican's own error
        index: list[Any] = []
        translations: list[Any] = []
        for _, group in groupby(content_list, key):
            originals, others = process(list(group), translation_id)
            index += originals
            translations += others
        return index, translations

    setattr(by_group, _PATCHED, process)
    return by_group


def install_grouped_translations() -> None:
    current = pelican.generators.process_translations
    if not hasattr(current, _PATCHED):
        pelican.generators.process_translations = grouped_translations(current)


def pelicans_own_translations() -> Translations:
    """Pelican's unpatched function (for the test that compares the two)."""
    current = pelican.generators.process_translations
    return getattr(current, _PATCHED, current)  # type: ignore[no-any-return]


# Category and author groups -----------------------------------------------------------------


class MembershipList(list[Any]):
    """A list of articles whose ``in`` is a set lookup instead of a scan.

    Pelican finds the stories of each category and author page (category pages too,
    though we write none) with ``[a for a in self.dates if a in articles]``: for the one
    category of 10,000 stories that is 50 million comparisons, every build. Articles
    have identity equality, so looking them up by ``id`` answers the same. The list is
    made once the generator has its articles and is not changed afterwards.
    """

    def __init__(self, items: list[Any]):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def fast_membership(generator: ArticlesGenerator) -> None:
    """Give the generator's category and author groups `MembershipList`s, in place (the
    template context holds the same lists)."""
    if not supported():
        return
    for groups in (generator.categories, generator.authors):
        groups[:] = [(name, MembershipList(articles)) for name, articles in groups]


# Story URLs ---------------------------------------------------------------------------------


def fix_url(article: Any, url: str) -> None:
    """Make ``url`` the story's URL for good (Pelican formats it anew at every access).
    Not save_as: overriding it would silence Pelican's warning about two stories written
    to the same file."""
    if supported():
        article.override_url = url


def fix_save_as(article: Any, save_as: str) -> None:
    """Make ``save_as`` the story's output file for good, as a post's own ``Save_as`` field
    would (Pelican formats it anew at every access). For stories whose output file a
    previous build formatted (see `newsarchive.site.story_cache`); Pelican's writer then
    allows the file to be written over: `release_save_as` undoes it for stories that share one."""
    if supported():
        article.override_save_as = save_as


def release_save_as(article: Any) -> None:
    """Let Pelican format the story's output file again (and refuse a second story's write
    to it, as it does)."""
    with suppress(AttributeError):
        del article.override_save_as


# Writing ------------------------------------------------------------------------------------


class KeepingWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, able to leave one page's file as it is (`keep_next_page`).

    The staging folder holds hard links to the last build's pages; a page written again
    replaces its link with a new file instead of writing through it into the last site.
    """

    _keep_next = False

    def keep_next_page(self) -> None:
        """The page Pelican writes next stays as the last build left it."""
        self._keep_next = True

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str] | _NullFile:
        if self._keep_next:
            self._keep_next = False
            return _NullFile()
        with suppress(FileNotFoundError):
            os.unlink(filename)
        stream: IO[str] = super()._open_w(filename, encoding, override)
        return stream


def _write_file_arguments(
    name: str,
    template: Any,
    context: dict[str, Any],
    relative_urls: bool = False,
    paginated: dict[str, Any] | None = None,
    template_name: str | None = None,
    override_output: bool = False,
    url: str | None = None,
    **kwargs: Any,
) -> tuple[bool, dict[str, Any] | None, str | None, bool, str | None, dict[str, Any]]:
    """The arguments of a ``Writer.write_file`` call, bound as Pelican's signature binds them
    (tests/test_pelican_compat.py checks the two signatures agree)."""
    return relative_urls, paginated, template_name, override_output, url, kwargs


@dataclass(frozen=True)
class PagesCall:
    """The pages one ``Writer.write_file`` call renders: for each, the values Pelican puts
    over the shared context (its file under ``output_file``), and whether the call may
    write over a file another call wrote."""

    pages: tuple[dict[str, Any], ...]
    override_output: bool


def pages_written(
    settings: dict[str, Any], name: str, context: dict[str, Any], args: Sequence[Any], kwargs: dict[str, Any]
) -> PagesCall | None:
    """The pages Pelican's ``Writer.write_file(name, template, context, *args, **kwargs)``
    renders: one page, or each page of a paginated listing, with the values it puts over
    ``context``, made as Pelican makes them. None when URLs are relative (the writer then
    changes the shared context) or something listens to its ``content_written`` signal (it
    must hear every page).

    A page kept from the last build can then be decided without the writer (it would render
    the same values and write nothing), and a page rendered again written by `write_page`."""
    if not supported() or signals.content_written.receivers:
        return None
    try:
        relative_urls, paginated, template_name, override, url, extra = _write_file_arguments(
            name, None, context, *args, **kwargs
        )
    except TypeError:
        return None
    if relative_urls:
        return None
    own = {"localsiteurl": context.get("localsiteurl")}
    if paginated is None:
        paginated = {key: value for key, value in extra.items() if key in {"articles", "dates"}}
    if not (paginated and template_name in settings["PAGINATED_TEMPLATES"]):
        return PagesCall(({**own, "output_file": name, **extra},), bool(override))
    per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
    paginators = {key: Paginator(name, url, value, settings, per_page) for key, value in paginated.items()}
    # Each page once (Pelican's writer makes a page three times: as itself and as its
    # neighbours' previous and next; the three are equal).
    made = {key: [p.page(n) for n in range(1, p.num_pages + 1)] for key, p in paginators.items()}
    pages = []
    for number in range(next(iter(paginators.values())).num_pages):
        values = dict(extra)
        for key, paginator in paginators.items():
            page = made[key][number]
            values[f"{key}_paginator"] = paginator
            values[f"{key}_page"] = page
            values[f"{key}_previous_page"] = made[key][number - 1] if number > 0 else None
            last = number + 1 == paginator.num_pages
            values[f"{key}_next_page"] = None if last else made[key][number + 1]
        pages.append({**own, "output_file": page.save_as, **values})
    return PagesCall(tuple(pages), bool(override))


def write_page(
    writer: Writer, html: str, context: dict[str, Any], values: dict[str, Any], override: bool
) -> None:
    """Write one page of a `pages_written` call as Pelican's writer writes it (through its
    ``_open_w``, which notices a file written twice), ``html`` rendered from ``context``
    with ``values`` over it."""
    localsiteurl = values.get("localsiteurl")
    if localsiteurl:
        context["localsiteurl"] = localsiteurl
    path = sanitised_join(writer.output_path, values["output_file"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with writer._open_w(path, "utf-8", override=override) as stream:
        stream.write(html)
    _writer_log.info('Writing "%s"', path)


class _NullFile:
    """Stands in for a kept page's file: Pelican's writer 'writes' nothing into it."""

    def __enter__(self) -> _NullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, text: str) -> int:
        return 0


# Reading ------------------------------------------------------------------------------------

Converted = tuple[str, dict[str, list[str]], dict[str, str]]  # HTML, raw metadata, formatted fields


class PreconvertedMarkdownReader(MarkdownReader):  # type: ignore[misc]
    """Pelican's Markdown reader, taking a post converted in advance when `preconverted`
    has one (subclasses say where from); Pelican still processes its metadata."""

    def preconverted(self, source_path: str) -> Converted | None:
        return None

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        done = self.preconverted(source_path)
        if done is None:
            result: tuple[str, dict[str, Any]] = super().read(source_path)
            return result
        content, meta, formatted = done
        self._source_path = source_path
        self._md = _Formatted(formatted)
        return content, self._parse_metadata(meta)


class _Formatted:
    """Stands in for the Markdown instance Pelican's ``_parse_metadata`` uses to convert
    formatted fields (the summary): it returns what the worker converted."""

    class _Registry:
        def deregister(self, name: str, strict: bool = True) -> None:
            return None

    def __init__(self, converted: dict[str, str]):
        self.converted = converted
        self.preprocessors = self._Registry()

    def reset(self) -> _Formatted:
        return self

    def convert(self, text: str) -> str:
        return self.converted[text]


def is_cached(generator: Any, path: str) -> bool:
    """Whether Pelican's content cache already holds the post at ``path`` (its reader cache,
    or with ``CONTENT_CACHING_LAYER = "generator"`` the generator's, by the post's path
    relative to the content folder)."""
    if generator.readers.get_cached_data(path, (None, None))[0] is not None:
        return True
    relative = os.path.relpath(path, generator.path)
    return generator.get_cached_data(relative, None) is not None


# The generator-level content cache ----------------------------------------------------------


def generator_cache_files(settings: dict[str, Any]) -> list[str]:
    """Where Pelican keeps the stories and pages of its generator-level content cache (it
    names each file after its generator's class)."""
    folder = str(settings["CACHE_PATH"])
    return [os.path.join(folder, kind.__name__) for kind in (ArticlesGenerator, PagesGenerator)]


def content_cache_shards(settings: dict[str, Any]) -> Path:
    """The folder of the articles generator's content cache in shards (`shard_content_cache`)."""
    return Path(str(settings["CACHE_PATH"])) / f"{ArticlesGenerator.__name__}.shards"


TEMPLATE_CODE_FOLDER = "templates"


def cache_compiled_templates(generator: Any) -> None:
    """Give each generator's Jinja environment a bytecode cache in the build cache: every
    build makes its generators and their environments anew, and compiling the theme's
    templates again each time costs about a quarter of a second (Jinja checks each
    template's source against the checksum kept with its code, so an edited template is
    compiled again)."""
    environment = getattr(generator, "env", None)
    if isinstance(environment, jinja2.Environment) and environment.bytecode_cache is None:
        folder = Path(str(generator.settings["CACHE_PATH"])) / TEMPLATE_CODE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def shard_content_cache(generator: Any) -> None:
    """Keep the articles generator's content cache as `CACHE_SHARDS` files by post path, and
    write again only the shards that hold a post this run read.

    Pelican pickles its whole cache into one file after any run that read one post: 37 MB
    and 0.28 s at 10,000 stories, 145 MB and over a second at 40,000, for a build after one
    change. Here Pelican's `cache_data` and `get_cached_data` keep their meaning and the
    dictionary they use; only where it is stored changes. The stories' settings and context
    (this run's, which `rebind` gives them anyway) are pickled as references, not copies, so
    a shard does not hold the whole context. Pelican's own single file, where an earlier
    version left one, is read once and then replaced by the shards."""
    settings = generator.settings
    generator_level = settings.get("CONTENT_CACHING_LAYER") == "generator"
    if not (supported() and settings.get("CACHE_CONTENT") and generator_level):
        return
    folder = content_cache_shards(settings)
    single = Path(str(settings["CACHE_PATH"])) / ArticlesGenerator.__name__
    dirty: set[int] = {_shard_of(name) for name in generator._cache}  # those Pelican's single file held
    if settings.get("LOAD_CONTENT_CACHE"):
        generator._cache.update(_load_shards(folder, generator))
    else:  # every post is read again: no shard of an earlier run may outlive this one
        shutil.rmtree(folder, ignore_errors=True)
    read = generator.cache_data

    def cache_data(filename: str, data: Any) -> None:
        read(filename, data)
        dirty.add(_shard_of(filename))

    def save_cache() -> None:
        _save_shards(folder, generator, sorted(dirty))
        dirty.clear()
        single.unlink(missing_ok=True)

    generator.cache_data = cache_data
    generator.save_cache = save_cache


CACHE_SHARDS = 64


def _shard_of(filename: str) -> int:
    return zlib.crc32(filename.encode("utf-8", "surrogatepass")) % CACHE_SHARDS


def _run_objects(generator: Any) -> dict[str, Any]:
    """What a shard refers to instead of holding: the run's settings and context."""
    return {"settings": generator.settings, "context": generator.context}


class _ShardPickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], generator: Any):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._references = {id(value): name for name, value in _run_objects(generator).items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self._references.get(id(obj))


class _ShardUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], generator: Any):
        super().__init__(file)
        self._objects = _run_objects(generator)

    def persistent_load(self, pid: Any) -> Any:
        return self._objects[pid]


def _load_shards(folder: Path, generator: Any) -> dict[str, Any]:
    """Every shard's entries; a shard that cannot be read is none (its posts are read again)."""
    entries: dict[str, Any] = {}
    for index in range(CACHE_SHARDS):
        try:
            with open(folder / f"{index:02d}.pickle", "rb") as file:
                entries.update(_ShardUnpickler(file, generator).load())
        except FileNotFoundError:
            continue
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError) as error:
            logging.getLogger(__name__).debug("content cache shard %s not read: %s", index, error)
    return entries


def _save_shards(folder: Path, generator: Any, shards: Sequence[int]) -> None:
    """Write the shards given, each whole, each replacing its last file in one rename."""
    if not shards:
        return
    by_shard: dict[int, dict[str, Any]] = {index: {} for index in shards}
    for name, entry in generator._cache.items():
        held = by_shard.get(_shard_of(name))
        if held is not None:
            held[name] = entry
    folder.mkdir(parents=True, exist_ok=True)
    for index, entries in by_shard.items():
        target = folder / f"{index:02d}.pickle"
        partial = target.with_suffix(".partial")
        with open(partial, "wb") as file:
            _ShardPickler(file, generator).dump(entries)
        os.replace(partial, target)


def reader_cache_files(settings: dict[str, Any]) -> list[str]:
    """Where Pelican keeps its reader-level content cache (``CONTENT_CACHING_LAYER =
    "reader"``), named after each generator's class."""
    return [f"{name}-Readers" for name in generator_cache_files(settings)]


def rebind(article: Any, generator: Any) -> None:
    """Give a story from the generator-level cache this run's settings and context: Pelican
    pickled it with the last run's copies, which its URLs and links would otherwise use."""
    article.settings = generator.settings
    article._context = generator.context


# Reading without writing -------------------------------------------------------------------


def read_stories(settings: dict[str, Any]) -> ArticlesGenerator:
    """The articles generator of a Pelican run with ``settings``, its context generated and
    nothing written: the stories, groups and plugin fields a build's pages show (plugins
    loaded as in a build). Pelican offers no call for it; this is what its ``run`` does
    before it writes."""
    from pelican import Pelican

    site = Pelican(settings)
    context = dict(site.settings)
    context.update(generated_content={}, static_links=set(), static_content={})
    context["localsiteurl"] = site.settings["SITEURL"]
    generator = ArticlesGenerator(
        context=context,
        settings=site.settings,
        path=site.path,
        theme=site.theme,
        output_path=site.output_path,
    )
    generator.generate_context()
    return generator


# The dev server's delta ---------------------------------------------------------------------


def read_post(generator: ArticlesGenerator, path: str) -> Any:
    """The story at ``path`` read again by the generator's readers, as Pelican read it in the
    build (its reader, settings and context)."""
    from pelican.contents import Article

    relative = os.path.relpath(path, generator.path)
    article = generator.readers.read_file(
        base_path=generator.path, path=relative, content_class=Article, context=generator.context
    )
    article.refresh_metadata_intersite_links()  # as Pelican's run does once all are read
    return article


def take_fields(article: Any, read_again: Any, names: set[str]) -> None:
    """Give ``article`` the metadata fields ``names`` (lower case) as ``read_again`` has them,
    removing those it lacks (the summary Pelican keeps aside included)."""
    for name in names:
        if name in read_again.metadata:
            article.metadata[name] = read_again.metadata[name]
            setattr(article, name, getattr(read_again, name))
        else:
            article.metadata.pop(name, None)
            with suppress(AttributeError):
                delattr(article, name)
    if "summary" in names:
        if hasattr(read_again, "_summary"):
            article._summary = read_again._summary
        elif hasattr(article, "_summary"):
            del article._summary


def take_body(article: Any, read_again: Any) -> None:
    """Give ``article`` the text of ``read_again`` (the same post, its header unchanged),
    forgetting the content and summary Pelican memoized for it."""
    from pelican.contents import Content

    article._content = read_again._content
    for method in (Content.get_content, Content.get_summary):
        cache = method.cache
        for key in [key for key in cache if key and key[0] is article]:
            del cache[key]
