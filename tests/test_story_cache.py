"""The story cache: a post's facts are used only while its file and the build are unchanged."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from newsarchive.site.incremental import reading_digest
from newsarchive.site.pelican_compat import generator_cache_files
from newsarchive.site.story_cache import STORY_CACHE, StoryCache, own_content_cache, source_digest


def story(path: Path, url: str = "2020/01/02/a/") -> SimpleNamespace:
    return SimpleNamespace(source_path=str(path), url=url, save_as=f"{url}index.html")


def learned(tmp_path: Path, post: Path, build: str = "build-1") -> StoryCache:
    cache = StoryCache.load(tmp_path, build)
    cache.learn(story(post))
    cache.save()
    return StoryCache.load(tmp_path, build)


def test_an_unchanged_post_keeps_its_facts(tmp_path: Path) -> None:
    post = tmp_path / "a.md"
    post.write_text("Title: A\n\nText.\n", encoding="utf-8")
    facts = learned(tmp_path, post).facts(str(post))
    assert facts is not None and facts.url == "2020/01/02/a/" and facts.save_as == "2020/01/02/a/index.html"
    assert facts.source == source_digest(story(post))


def test_a_changed_post_or_another_build_knows_nothing(tmp_path: Path) -> None:
    post = tmp_path / "a.md"
    post.write_text("Title: A\n\nText.\n", encoding="utf-8")
    cache = learned(tmp_path, post)
    assert StoryCache.load(tmp_path, "build-2").facts(str(post)) is None  # other settings or code
    assert StoryCache.load(tmp_path, "build-1", clean=True).facts(str(post)) is None
    stat = post.stat()
    os.utime(post, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))  # touched: same size, new stamp
    assert cache.facts(str(post)) is None
    post.unlink()
    assert cache.facts(str(post)) is None


def test_a_damaged_cache_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / STORY_CACHE).write_text('{"version": 1, "key": "b", "data": {"x": [1]}}', encoding="utf-8")
    assert StoryCache.load(tmp_path, "b").known == {}
    (tmp_path / STORY_CACHE).write_text("{not json", encoding="utf-8")
    assert StoryCache.load(tmp_path, "b").known == {}


def test_stories_gone_are_dropped(tmp_path: Path) -> None:
    post = tmp_path / "a.md"
    post.write_text("Title: A\n\nText.\n", encoding="utf-8")
    learned(tmp_path, post).save()  # this build learned nothing: the story is gone
    assert StoryCache.load(tmp_path, "build-1").known == {}


def test_pelicans_story_objects_are_kept_for_one_reading_digest_only(tmp_path: Path) -> None:
    """The generator-level cache Pelican keeps is removed before a build of another digest
    (other settings, theme or code), kept for a build of the same one."""
    settings = {"CACHE_CONTENT": True, "CONTENT_CACHING_LAYER": "generator", "CACHE_PATH": str(tmp_path)}
    objects, pages = (Path(name) for name in generator_cache_files(settings))
    pages.write_bytes(b"pages of build 1")
    objects.write_bytes(b"story objects of build 1")
    own_content_cache(settings, "build-1")  # no digest file yet: whose objects they are is unknown
    assert not objects.exists() and not pages.exists()
    objects.write_bytes(b"story objects of build 1")
    own_content_cache(settings, "build-1")
    assert objects.read_bytes() == b"story objects of build 1"
    own_content_cache(settings, "build-2")
    assert not objects.exists()
    objects.write_bytes(b"story objects of build 2")
    own_content_cache({**settings, "CONTENT_CACHING_LAYER": "reader"}, "build-3")  # not Pelican's layer
    assert objects.exists()


def test_the_reading_digest_ignores_where_the_site_goes(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    settings = {"THEME": str(theme), "OUTPUT_PATH": "a", "SITENAME": "x"}
    same = reading_digest({**settings, "OUTPUT_PATH": "b", "LOAD_CONTENT_CACHE": False})
    assert reading_digest(settings) == same
    assert reading_digest({**settings, "SITENAME": "y"}) != same
