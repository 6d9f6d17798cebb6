"""Incremental builds: after each kind of change, a build that keeps unchanged pages from
the last one gives the same site, byte for byte, as a clean build of the same inputs; pages
whose inputs did not change are left untouched; nothing changed means nothing to do."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project, site_tree
from pelican import signals
from pelican.cache import FileStampDataCacher
from pelican.generators import CachingGenerator
from pelican.paginator import Page, Paginator
from pelican.writers import Writer

from newsarchive.core.config import Config
from newsarchive.core.errors import BuildError
from newsarchive.ingest.importer import import_sources
from newsarchive.site import reading
from newsarchive.site.build import BuildResult, build_site
from newsarchive.site.incremental import SEARCH_FOLDER, count_files
from newsarchive.site.pelican_compat import pages_written
from newsarchive.site.reading import ParallelMarkdownReader
from newsarchive.site.render import RenderPlan

OTHER_STORIES = [
    ("Vodafone", "Wi-Fi", "2015-03-02"),
    ("Ericsson", "Satellite broadband", "2015-04-13"),
    ("BT", "Wi-Fi", "2015-05-20"),
    ("Vodafone", "Satellite broadband", "2015-07-08"),
    ("Ericsson", "Wi-Fi", "2015-09-30"),
    ("BT", "Satellite broadband", "2015-11-11"),
]


def other_story(company: str, technology: str, day: str) -> str:
    """A short story that shares no company or technology with the seed."""
    paragraph = f"{company} said its {technology} service would reach more homes this year."
    title = f"{company} widens {technology} service ({day})"
    return f"{title}\n\n{day}\n\n{paragraph}\n\n{paragraph} Analysts agreed.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = make_project(tmp_path_factory.mktemp("incremental") / "site")
    for number, (company, technology, day) in enumerate(OTHER_STORIES):
        (config.sources / f"other-{number}.txt").write_text(
            other_story(company, technology, day), encoding="utf-8"
        )
    assert import_sources(config, jobs=1).exit_code == 0
    first = build_site(config, strict=True)
    assert first.rendered > 0 and not first.up_to_date
    return config


def clean_build(config: Config) -> dict[str, str]:
    """The same inputs built from nothing into another folder."""
    clean = config.with_overrides(output=config.root / "clean-output")
    build_site(clean, strict=True, clean=True)
    return site_tree(clean.output)


def assert_same_as_clean(config: Config) -> None:
    incremental, clean = site_tree(config.output), clean_build(config)
    assert sorted(set(incremental) ^ set(clean)) == []
    assert [name for name in incremental if incremental[name] != clean[name]] == []


def posts(config: Config) -> list[Path]:
    return sorted(config.content.rglob("*.md"))


def seed_post(config: Config) -> Path:
    return next(p for p in posts(config) if p.name.startswith("ntt-takes"))


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def pages(config: Config) -> int:
    return sum(1 for _ in config.output.rglob("*.html")) - sum(
        1 for _ in (config.output / "pagefind").rglob("*.html")
    )


def test_nothing_changed_means_nothing_to_do(site: Config) -> None:
    result = build_site(site, strict=True)
    assert result.up_to_date and result.rendered == 0
    assert "up to date" in result.summary()


def test_a_file_deleted_from_the_output_is_built_again(site: Config) -> None:
    stylesheet = site.output / "theme" / "css" / "main.css"
    stylesheet.unlink()
    result = build_site(site, strict=True)
    assert not result.up_to_date and stylesheet.is_file()


def test_a_file_added_to_the_output_by_hand_is_no_longer_up_to_date(site: Config) -> None:
    added = site.output / "theme" / "notes.txt"
    added.write_text("mine", encoding="utf-8")
    assert not build_site(site, strict=True).up_to_date
    assert not added.exists()  # the build made the site it makes, without the stray file


def test_files_are_counted_as_os_walk_lists_them(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "page.html").write_text("x", encoding="utf-8")
    (tmp_path / "top.txt").write_text("x", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "a")  # a link to a folder: listed, not entered
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    walked = sum(len(names) for _, _, names in os.walk(tmp_path))
    assert count_files(str(tmp_path)) == walked == 3


def test_edited_story_renders_only_what_shows_it(site: Config) -> None:
    unrelated = next((site.output / "2015" / "05").rglob("index.html"))  # BT's Wi-Fi story
    untouched = [site.output / "search" / "index.html", site.output / "404.html", unrelated]
    untouched.append(site.output / "api" / "companies" / "bt.json")  # the JSON API is kept like pages
    before = [stamp(path) for path in untouched]
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA sentence added by hand.\n\n", 1))
    result = build_site(site, strict=True)
    assert 0 < result.rendered < pages(site)
    assert [stamp(path) for path in untouched] == before
    assert "A sentence added by hand." in (site.output / "2020/06/25").joinpath(
        "ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance", "index.html"
    ).read_text(encoding="utf-8")
    assert_same_as_clean(site)


def _writer_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages that reach Pelican's writer from now on."""
    calls: list[str] = []
    write_file = Writer.write_file

    def counting(writer: Writer, name: str, *args: Any, **kwargs: Any) -> None:
        calls.append(str(name))
        write_file(writer, name, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", counting)
    return calls


def test_kept_pages_do_not_go_through_pelicans_writer(site: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are decided and rendered from their jobs (the values Pelican's writer would
    render them with, `pages_written`): its copy of the context for every page is not made;
    with a plugin listening to every page written, every page goes through the writer."""
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nOne sentence for the writer.\n\n", 1))
    calls = _writer_calls(monkeypatch)
    kept: list[RenderPlan] = []
    build_site(site, strict=True, jobs=1, keep=kept.append)
    story_page = re.compile(r"20\d\d/\d\d/\d\d/[^/]+/index.html$")
    rendered = {name for name in kept[0].rendered if story_page.match(name)}
    assert 0 < len(rendered) < len(result_pages(site))
    assert [name for name in calls if story_page.match(name)] == []  # rendered without it too
    assert_same_as_clean(site)

    heard: list[str] = []

    def hear(path: str, context: dict[str, Any]) -> None:
        heard.append(path)

    signals.content_written.connect(hear)
    try:
        calls.clear()
        edit(
            seed_post(site), lambda text: text.replace("One sentence for the writer.", "One for the ear.", 1)
        )
        build_site(site, strict=True, jobs=1)
    finally:
        signals.content_written.disconnect(hear)
    assert len({name for name in calls if story_page.match(name)}) == len(result_pages(site))
    assert len(heard) >= len(OTHER_STORIES) + 1
    assert_same_as_clean(site)


def result_pages(config: Config) -> list[str]:
    """The story pages of the built site, site-relative."""
    return sorted(
        path.relative_to(config.output).as_posix() for path in config.output.glob("20*/*/*/*/index.html")
    )


def test_a_jobs_pages_are_the_pages_pelicans_writer_would_render(site: Config, tmp_path: Path) -> None:
    """Each page of a job, as `pages_written` makes it (the context, the page's own values
    over it), is the page Pelican's writer renders: the same values."""
    kept: list[RenderPlan] = []
    build_site(site, strict=True, jobs=1, keep=kept.append)
    compared = paginated = 0
    for writer, job in kept[0].recorded:
        if job.kind != "page":
            continue
        name, _, context, *rest = job.args
        call = pages_written(writer.settings, name, context, rest, job.kwargs)
        assert call is not None, name
        seen: list[dict[str, Any]] = []
        pelicans = Writer(str(tmp_path / "pelicans"), settings=writer.settings)
        Writer.write_file(pelicans, name, _Recording(seen), dict(context), *rest, **job.kwargs)
        ours = [{**context, **over} for over in call.pages]
        assert [sorted(page) for page in seen] == [sorted(page) for page in ours], name
        for theirs, mine in zip(seen, ours, strict=True):
            assert all(_same(theirs[key], mine[key]) for key in mine), name
        compared += len(call.pages)
        paginated += any(key.endswith("_paginator") for key in call.pages[0])
    assert compared > len(OTHER_STORIES) and paginated > 0


class _Recording:
    """A template that keeps the values Pelican's writer renders it with."""

    def __init__(self, seen: list[dict[str, Any]]):
        self.seen = seen

    def render(self, context: dict[str, Any]) -> str:
        self.seen.append(dict(context))
        return ""


def _same(theirs: Any, mine: Any) -> bool:
    """The same value: the same object, or for a page of a listing (made anew by each
    paginator) the same page of the same stories."""
    if isinstance(theirs, Page) and isinstance(mine, Page):
        return (theirs.number, theirs.object_list, theirs.save_as) == (
            mine.number,
            mine.object_list,
            mine.save_as,
        )
    if isinstance(theirs, Paginator) and isinstance(mine, Paginator):
        return (theirs.object_list, theirs.num_pages) == (mine.object_list, mine.num_pages)
    return theirs is mine or theirs == mine


def test_retitled_story(site: Config) -> None:
    edit(seed_post(site), lambda text: text.replace("Title: NTT takes", "Title: NTT buys into NEC: takes", 1))
    build_site(site, strict=True)
    assert_same_as_clean(site)


def test_added_story(site: Config) -> None:
    original = seed_post(site)
    copy = original.with_name("second-alliance.md")
    text = original.read_text(encoding="utf-8")
    text = re.sub(r"^Slug: .*$", "Slug: second-alliance", text, count=1, flags=re.M)
    text = re.sub(r"^Title: .*$", "Title: A second alliance", text, count=1, flags=re.M)
    copy.write_text(text.replace("Date: 2020-06-25", "Date: 2021-02-03"), encoding="utf-8")
    build_site(site, strict=True)
    assert (site.output / "2021/02/03/second-alliance/index.html").is_file()
    assert_same_as_clean(site)


def test_deleted_story_leaves_no_page(site: Config) -> None:
    (site.content / "2020" / "second-alliance.md").unlink(missing_ok=True)
    for post in site.content.rglob("second-alliance.md"):
        post.unlink()
    build_site(site, strict=True)
    assert not (site.output / "2021/02/03/second-alliance").exists()
    assert_same_as_clean(site)


def test_hand_edited_tags_add_and_drop_term_pages(site: Config) -> None:
    edit(
        seed_post(site),
        lambda text: text.replace("Companies: NTT, NEC, NTT Docomo, Toyota", "Companies: NTT, NEC, Fujitsu"),
    )
    build_site(site, strict=True)
    assert (site.output / "companies" / "fujitsu" / "index.html").is_file()
    assert not (site.output / "companies" / "toyota").exists()
    assert not (site.output / "api" / "companies" / "toyota.json").exists()
    assert_same_as_clean(site)


def test_hand_written_post_is_tagged_at_read_time(site: Config) -> None:
    post = site.content / "hand-written.md"
    post.write_text(
        "Title: Fujitsu and Samsung test Open RAN radios\nDate: 2016-01-05\n\n"
        "Fujitsu and Samsung said their O-RAN radios passed interoperability tests.\n\n"
        "Samsung will ship the O-RAN radios next year, Fujitsu said.\n",
        encoding="utf-8",
    )
    build_site(site, strict=True)
    samsung = (site.output / "api" / "companies" / "samsung.json").read_text(encoding="utf-8")
    assert "Fujitsu and Samsung test Open RAN radios" in samsung
    assert_same_as_clean(site)
    post.unlink()
    build_site(site, strict=True)
    assert_same_as_clean(site)


def test_new_slug_moves_the_story(site: Config) -> None:
    """The story cache keeps a story's URL only while its post file is unchanged."""
    edit(
        seed_post(site),
        lambda text: re.sub(r"^Slug: .*$", "Slug: ntt-nec-alliance", text, count=1, flags=re.M),
    )
    build_site(site, strict=True)
    day = site.output / "2020" / "06" / "25"
    assert (day / "ntt-nec-alliance" / "index.html").is_file()
    assert not (day / "ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance").exists()
    assert_same_as_clean(site)


def test_unchanged_posts_are_not_read_again(site: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the edited post file is read for its digest; the others' come from the story cache."""
    read: list[str] = []
    read_bytes = Path.read_bytes

    def reading(path: Path) -> bytes:
        if path.suffix == ".md" and site.content in path.parents:
            read.append(path.name)
        return read_bytes(path)

    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nOne more sentence.\n\n", 1))
    monkeypatch.setattr(Path, "read_bytes", reading)
    build_site(site, strict=True)
    monkeypatch.undo()
    assert read == [seed_post(site).name]
    assert_same_as_clean(site)


def test_unchanged_posts_come_from_pelicans_content_cache(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pelican keeps the story objects (its generator-level cache): only the edited post is
    read by a reader at all."""
    read: list[str] = []
    reader_read = ParallelMarkdownReader.read

    def reading(reader: ParallelMarkdownReader, source_path: str) -> Any:
        read.append(Path(source_path).name)
        return reader_read(reader, source_path)

    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nStill one more sentence.\n\n", 1))
    monkeypatch.setattr(ParallelMarkdownReader, "read", reading)
    build_site(site, strict=True, jobs=1)
    monkeypatch.undo()
    assert read == [seed_post(site).name]
    assert_same_as_clean(site)


def test_reader_level_cache_files_of_earlier_builds_are_removed(site: Config) -> None:
    """Pelican never reads its reader-level cache when the stories are cached whole: a file
    of it that an earlier version left is removed (it is as large as the stories' cache)."""
    cache = site.root / "cache"
    left = cache / "ArticlesGenerator-Readers"
    left.write_bytes(b"an earlier build's reader cache")
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA sentence for the cache.\n\n", 1))
    build_site(site, strict=True)
    assert not left.exists() and any((cache / "ArticlesGenerator.shards").glob("*.pickle"))


def test_a_build_that_read_one_post_writes_one_shard_of_the_content_cache(site: Config) -> None:
    """Pelican's cache of story objects is kept in shards by post path: a build after one
    edit writes the shard of the edited post and leaves the others as they were, and the
    site it then builds from them is a clean build's."""
    cache = site.root / "cache"
    shards = cache / "ArticlesGenerator.shards"
    assert len(list(shards.glob("*.pickle"))) >= 2
    before = {path.name: path.stat().st_mtime_ns for path in shards.glob("*.pickle")}
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA sentence for one shard.\n\n", 1))
    build_site(site, strict=True)
    after = {path.name: path.stat().st_mtime_ns for path in shards.glob("*.pickle")}
    assert sorted(after) == sorted(before)
    assert len([name for name in after if after[name] != before[name]]) == 1
    assert not (cache / "ArticlesGenerator").exists()
    assert_same_as_clean(site)


def test_a_new_url_setting_moves_the_cached_stories(site: Config) -> None:
    """Story objects Pelican cached were made with the last settings: a URL setting changed
    moves every story, as in a clean build."""
    settings = site.root / "pelicanconf.py"
    original = settings.read_text(encoding="utf-8")
    moved = original.replace('ARTICLE_URL = "{date:%Y}/', 'ARTICLE_URL = "stories/{date:%Y}/', 1)
    moved = moved.replace('ARTICLE_SAVE_AS = "{date:%Y}/', 'ARTICLE_SAVE_AS = "stories/{date:%Y}/', 1)
    assert moved != original
    settings.write_text(moved, encoding="utf-8")
    try:
        build_site(site, strict=True)
        assert (site.output / "stories" / "2020" / "06" / "25").is_dir()
        assert_same_as_clean(site)
    finally:
        settings.write_text(original, encoding="utf-8")
    build_site(site, strict=True)
    assert not (site.output / "stories").exists()
    assert_same_as_clean(site)


def test_the_model_is_out_of_the_collectors_way_only_during_the_run(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is off while Pelican loads its content cache, and the model frozen
    (gc.freeze) once every story is linked, while the pages render; both undone after."""
    frozen: list[int] = []
    collecting_while_loading: list[bool] = []
    cacher_init = FileStampDataCacher.__init__

    def loading(cacher: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(cacher, CachingGenerator):  # the generators' caches: the story objects
            collecting_while_loading.append(gc.isenabled())
        cacher_init(cacher, *args, **kwargs)

    def rendering(pelican: Any) -> None:
        frozen.append(gc.get_freeze_count())

    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA frozen sentence.\n\n", 1))
    monkeypatch.setattr(FileStampDataCacher, "__init__", loading)
    signals.finalized.connect(rendering)
    try:
        build_site(site, strict=True)
    finally:
        signals.finalized.disconnect(rendering)
    assert frozen and frozen[0] > 0
    assert collecting_while_loading and not any(collecting_while_loading)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    assert_same_as_clean(site)


def test_two_stories_written_to_one_file_are_reported(site: Config) -> None:
    copy = seed_post(site).with_name("same-slug.md")
    copy.write_text(seed_post(site).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        with pytest.raises(BuildError, match="overwrite"):  # as Pelican does it: the build stops
            build_site(site)
    finally:
        copy.unlink()
    build_site(site, strict=True)
    assert_same_as_clean(site)


def test_a_delta_build_leaves_the_kept_pages_where_they_are(site: Config) -> None:
    """The last build's pages stay in the site (not hard-linked into a staging folder, not
    deleted with a replaced site): only what the build wrote moves in."""
    unrelated = next((site.output / "2015" / "05").rglob("index.html"))  # BT's Wi-Fi story
    before = unrelated.stat()
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA sentence in place.\n\n", 1))
    build_site(site, strict=True)
    after = unrelated.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_nlink) == (before.st_ino, before.st_mtime_ns, 1)
    assert not list(site.output.parent.glob(f".{site.output.name}.building"))
    # What goes to the trash (deleted in the background) is the replaced search shard only.
    discarded = {
        child.name
        for trash in site.output.parent.glob(f".{site.output.name}.trash-*")
        for child in _listing(trash)
    }
    assert discarded <= set(search_shards(site))
    assert_same_as_clean(site)


def _listing(folder: Path) -> list[Path]:
    """A folder's entries, or none when a background deletion got to it first."""
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def search_shards(site: Config) -> list[str]:
    return [shard.name for shard in (site.output / SEARCH_FOLDER).iterdir() if shard.is_dir()]


def test_a_file_the_theme_no_longer_has_leaves_the_site(site: Config) -> None:
    """A delta build removes the files of the last site it did not make again (here a
    stylesheet taken out of the theme), as a build into a fresh folder would not have them."""
    extra = site.root / "theme" / "static" / "css" / "extra.css"
    extra.write_text("p { margin: 0 }\n", encoding="utf-8")
    build_site(site, strict=True)
    assert (site.output / "theme" / "css" / "extra.css").is_file()
    extra.unlink()
    build_site(site, strict=True)
    assert not (site.output / "theme" / "css" / "extra.css").exists()
    assert_same_as_clean(site)


def test_theme_change_renders_every_page(site: Config) -> None:
    base = site.root / "theme" / "templates" / "base.html"
    edit(base, lambda text: text.replace("</body>", "<!-- theme edited -->\n</body>"))
    result = build_site(site, strict=True)
    assert result.rendered >= pages(site)
    assert "theme edited" in (site.output / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(site)


def test_settings_change_renders_every_page(site: Config) -> None:
    settings = site.root / "pelicanconf.py"
    edit(settings, lambda text: text.replace('SITENAME = "', 'SITENAME = "Renamed ', 1))
    result = build_site(site, strict=True)
    assert result.rendered >= pages(site)
    assert "Renamed" in (site.output / "search" / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(site)


def test_clean_build_renders_everything(site: Config) -> None:
    result: BuildResult = build_site(site, strict=True, clean=True)
    assert not result.up_to_date and result.rendered >= pages(site)


def test_links_are_checked_everywhere_when_a_file_of_the_last_site_is_gone(tmp_path: Path) -> None:
    """The last site's files come from its manifest (no walk of the old site)."""
    from newsarchive.site.build import _pages_to_check
    from newsarchive.site.incremental import Manifest, PageRecord
    from newsarchive.site.render import RenderPlan

    record = PageRecord("key", 1, 1)
    previous = Manifest("inputs", {"a/index.html": record}, (), 2, 2, "", ("theme/main.css",))
    plan = RenderPlan("build", previous={"a/index.html": record}, rendered=["b/index.html", "feed.xml"])
    assert previous.site_files() == {"a/index.html", "theme/main.css"}
    everything = {"a/index.html", "b/index.html", "feed.xml", "theme/main.css"}
    assert _pages_to_check(previous, tmp_path, everything, plan) == ["b/index.html"]
    assert _pages_to_check(previous, tmp_path, everything - {"theme/main.css"}, plan) is None
    assert _pages_to_check(None, tmp_path, everything, plan) is None


def test_posts_to_convert_are_looked_for_only_when_enough_are_new(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's own walk of the content folder says how many posts the last build did not
    read: after one edit the reader's second walk (to convert posts on every core) is not
    made; with many new posts it is, and they are converted in advance."""
    walks: list[int] = []
    post_paths = reading._post_paths

    def walking(generator: Any) -> list[str]:
        found = post_paths(generator)
        walks.append(len(found))
        return found

    monkeypatch.setattr(reading, "_post_paths", walking)
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nOne more for the readers.\n\n", 1))
    build_site(site, strict=True, jobs=2)
    assert walks == []
    copies = []
    for number in range(reading.MIN_POSTS):
        copy = site.content / f"copy-{number}.md"
        text = seed_post(site).read_text(encoding="utf-8")
        copy.write_text(text.replace("Slug: ", f"Slug: copy-{number}-", 1), encoding="utf-8")
        copies.append(copy)
    try:
        build_site(site, strict=True, jobs=2)
        assert len(walks) == 1 and walks[0] >= reading.MIN_POSTS
    finally:
        for copy in copies:
            copy.unlink()
        build_site(site, strict=True)
    assert_same_as_clean(site)


def test_the_size_a_build_reports_is_the_sites_size_on_disk(site: Config) -> None:
    """Pages are counted by their records (kept or just written), the other files on disk:
    the build's file count and size are those of the site it leaves."""
    edit(seed_post(site), lambda text: text.replace("\n\n", "\n\nA sentence for the size.\n\n", 1))
    result = build_site(site, strict=True)
    files = [path for path in site.output.rglob("*") if path.is_file()]
    assert (result.files, result.size) == (len(files), sum(path.stat().st_size for path in files))


def test_a_storys_post_fields_are_made_once_and_kept_with_it_in_the_content_cache(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a story's own post decides (its Relevance scores, its dates as shown, its
    original link) is made when the post is read; a later build takes it from Pelican's
    content cache with the story, so only the edited post's are made again."""
    from newsarchive.site.plugin import related, stories

    read: list[str] = []
    linked: list[str] = []
    scores, link_text = related.relevance_scores, stories.link_text
    monkeypatch.setattr(related, "relevance_scores", lambda a: read.append(a.source_path) or scores(a))
    monkeypatch.setattr(stories, "link_text", lambda url: linked.append(url) or link_text(url))
    post = seed_post(site)
    edit(post, lambda text: text.replace("\n\n", "\n\nA sentence for the post's fields.\n\n", 1))
    build_site(site, strict=True)
    assert [Path(path).name for path in read] == [post.name]
    assert len(linked) == 1
    assert_same_as_clean(site)
