"""The theme's language: message catalogues (complete, up to date with the templates),
dates and names in the site's language, and the Japanese build of the seed."""

from __future__ import annotations

import gettext
import json
import re
from datetime import date
from io import BytesIO
from pathlib import Path

import jinja2
import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import REPO

from newsarchive.core.config import Config
from newsarchive.core.errors import BuildError, ConfigError
from newsarchive.core.models import Kind
from newsarchive.gazetteer.entities import build_gazetteer, load_gazetteer
from newsarchive.site.plugin.entity_stats import timeline
from newsarchive.site.plugin.i18n import (
    Dates,
    country_name,
    load_translations,
    remembered_gettext,
    site_dates,
    site_locale,
)

TRANSLATIONS = REPO / "theme" / "translations"
JAPANESE = TRANSLATIONS / "ja" / "LC_MESSAGES" / "messages.po"
STORY = "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/index.html"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")
TAG = re.compile(r"<(/?[a-z]+)[^>]*>")


def catalogue(path: Path) -> list[tuple[object, object]]:
    with path.open("rb") as stream:
        return [(m.id, m.string) for m in read_po(stream) if m.id]


def extracted_ids() -> set[object]:
    """The msgids the templates mark today, extracted the way `make messages` does."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(REPO / "theme" / "templates"), method_map, options_map)
    return {message if isinstance(message, str) else tuple(message) for _, _, message, _, _ in found}


# Catalogues ---------------------------------------------------------------------------------


def test_every_japanese_message_has_a_translation() -> None:
    messages = catalogue(JAPANESE)
    assert len(messages) > 50
    untranslated = [i for i, s in messages if not all((s,) if isinstance(s, str) else s)]
    assert untranslated == []
    with JAPANESE.open("rb") as stream:
        assert [m.id for m in read_po(stream) if m.id and m.fuzzy] == []


def test_the_catalogues_are_up_to_date_with_the_templates() -> None:
    """`make update-messages` has been run since the templates last changed."""
    marked = extracted_ids()
    assert "Latest stories" in marked and ("story", "stories") in marked
    assert {i for i, _ in catalogue(TRANSLATIONS / "messages.pot")} == marked
    assert {i for i, _ in catalogue(JAPANESE)} == marked


def test_translations_keep_every_placeholder_and_tag() -> None:
    for msgid, msgstr in catalogue(JAPANESE):
        source = msgid if isinstance(msgid, str) else msgid[1]
        for translated in (msgstr,) if isinstance(msgstr, str) else msgstr:
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), msgid
            assert TAG.findall(translated) == TAG.findall(source), msgid


def test_the_po_file_is_read_before_a_compiled_one(tmp_path: Path) -> None:
    folder = tmp_path / "translations" / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Search"\nmsgstr "検索"\n', encoding="utf-8")
    assert load_translations(tmp_path, Locale("ja")).gettext("Search") == "検索"
    assert load_translations(tmp_path, Locale.parse("ja_JP")).gettext("Search") == "検索"
    assert load_translations(tmp_path, Locale("de")).gettext("Search") == "Search"


def test_a_theme_with_only_a_compiled_catalogue_works(tmp_path: Path) -> None:
    folder = tmp_path / "translations" / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with JAPANESE.open("rb") as stream:
        compiled = BytesIO()
        write_mo(compiled, read_po(stream))
    (folder / "messages.mo").write_bytes(compiled.getvalue())
    translations = load_translations(tmp_path, Locale("ja"))
    assert translations.gettext("Latest stories") == "最新記事"
    assert translations.ngettext("%(num)s story", "%(num)s stories", 3) == "%(num)s件の記事"


def test_a_broken_catalogue_names_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "translations" / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Search"\nmsgid "Archives"\nmsgstr "検索"\n', encoding="utf-8")
    with pytest.raises(BuildError, match=r"messages\.po: not a readable message catalogue"):
        load_translations(tmp_path, Locale("ja"))


def test_no_catalogue_shows_the_themes_own_words(tmp_path: Path) -> None:
    assert isinstance(load_translations(tmp_path, Locale("en")), gettext.NullTranslations)


# Dates and names ----------------------------------------------------------------------------


def test_dates_in_japanese_and_english() -> None:
    day = date(2020, 6, 25)
    japanese, english = Dates(Locale("ja")), Dates(Locale("en"))
    assert japanese.day(day) == "2020年6月25日"
    assert english.day(day) == "June 25, 2020"  # as Pelican's "%B %-d, %Y" wrote it before
    assert (japanese.month_name(day), english.month_name(day)) == ("6月", "June")
    assert (japanese.period(day, 1), japanese.period(day, 2)) == ("2020年", "2020年6月")
    assert (english.period(day, 1), english.period(day, 2), english.period(day, 3)) == (
        "2020",
        "June 2020",
        "June 25, 2020",
    )


def test_a_deals_date_as_precise_as_it_is() -> None:
    japanese, english = Dates(Locale("ja")), Dates(Locale("en"))
    assert [english.partial(d) for d in ("2020-06-25", "2020-03", "2001", "")] == [
        "June 2020",
        "March 2020",
        "2001",
        "",
    ]
    assert [japanese.partial(d) for d in ("2020-06-25", "2020-03", "2001")] == [
        "2020年6月",
        "2020年3月",
        "2001年",
    ]
    assert (japanese.iso_day("2020-06-25"), english.iso_day("2020-06-25")) == (
        "2020年6月25日",
        "June 25, 2020",
    )
    assert english.iso_day("not a day") == "not a day"


def test_the_date_format_setting_and_an_unknown_language() -> None:
    assert site_dates({"DEFAULT_LANG": "ja", "NEWSARCHIVE_DATE_FORMAT": "yyyy/MM/dd"}).day(
        date(2020, 6, 5)
    ) == ("2020/06/05")
    assert str(site_locale({"DEFAULT_LANG": "pt-BR"})) == "pt_BR"
    with pytest.raises(ConfigError, match="DEFAULT_LANG: 'xx-nowhere'"):
        site_locale({"DEFAULT_LANG": "xx-nowhere"})


def test_timeline_labels_in_the_sites_language() -> None:
    dates = [date(2020, 6, 1), date(2020, 8, 3)]
    japanese = timeline(dates, Dates(Locale("ja")))
    assert [(b.label, b.tick) for b in japanese.bars] == [
        ("2020年6月", "6月"),
        ("2020年7月", "7月"),
        ("2020年8月", "8月"),
    ]
    assert [b.tick for b in timeline(dates).bars] == ["Jun", "Jul", "Aug"]
    years = timeline([date(y, 1, 1) for y in range(2000, 2015)], Dates(Locale("ja")))
    assert (years.bars[0].label, years.bars[0].tick) == ("2000年", "00")


def test_countries_in_the_sites_language() -> None:
    assert country_name(Locale("ja"), "JP", "Japan") == "日本"
    assert country_name(Locale("en"), "KR", "South Korea") == "South Korea"  # the gazetteer's own
    assert country_name(Locale("ja"), "", "") == ""


# Local-script names -------------------------------------------------------------------------


def test_local_names_and_their_languages() -> None:
    gazetteer = load_gazetteer()
    ntt = gazetteer.get(Kind.COMPANY, "ntt")
    docomo = gazetteer.get(Kind.COMPANY, "ntt-docomo")
    tsmc = gazetteer.get(Kind.COMPANY, "tsmc")
    assert ntt and (ntt.local_name, ntt.local_lang) == ("日本電信電話", "ja")
    assert docomo and (docomo.local_name, docomo.local_lang) == ("NTTドコモ", "ja")
    assert tsmc and tsmc.local_lang == "zh-Hant"
    nokia = gazetteer.get(Kind.COMPANY, "nokia")
    assert nokia and nokia.local_name == ""


def test_a_local_name_is_matched_and_needs_a_language() -> None:
    record = {"slug": "kddi", "name": "KDDI", "country": "JP", "local_name": "ケーディーディーアイ"}
    gazetteer = build_gazetteer({Kind.COMPANY: [record], Kind.TECHNOLOGY: []})
    assert [hit.surface.entity.slug for hit in gazetteer.scan("ケーディーディーアイが発表")] == ["kddi"]
    with pytest.raises(ConfigError, match=r"\(kddi\): local_name needs local_lang"):
        build_gazetteer({Kind.COMPANY: [{**record, "country": ""}], Kind.TECHNOLOGY: []})
    explicit = build_gazetteer({Kind.COMPANY: [{**record, "local_lang": "ja-Kana"}], Kind.TECHNOLOGY: []})
    assert explicit.entities[(Kind.COMPANY, "kddi")].local_lang == "ja-Kana"


# The sites ----------------------------------------------------------------------------------


def read(site: Config, name: str) -> str:
    return (site.output / name).read_text(encoding="utf-8")


def test_the_japanese_build_speaks_japanese(built_site_ja: Config) -> None:
    home = read(built_site_ja, "index.html")
    assert '<html lang="ja">' in home
    assert "<h1>最新記事</h1>" in home and ">本文へスキップ</a>" in home
    assert '<time datetime="2020-06-25">2020年6月25日</time>' in home
    story = read(built_site_ja, STORY)
    assert "この記事のトピック" in story and "In this story" not in story
    ntt = read(built_site_ja, "companies/ntt/index.html")
    assert '<p lang="ja">日本電信電話</p>' in ntt
    assert "<dd>日本</dd>" in ntt and "年別の記事数" in ntt
    assert "2020年6月の記事" in read(built_site_ja, "2020/06/index.html")
    assert ">6月</a>" in read(built_site_ja, "2020/index.html")
    search = read(built_site_ja, "search/index.html")
    found = re.search(r'<script type="application/json" id="search-messages">(.*?)</script>', search)
    assert found is not None
    messages = json.loads(found.group(1))
    assert messages["noneFor"] == "「{query}」に一致する記事は見つかりませんでした。"
    assert messages["found"] == {
        "one": "{count}件の記事が見つかりました。",
        "other": "{count}件の記事が見つかりました。",
    }
    index = built_site_ja.output / "pagefind"
    entries = [json.loads(p.read_text()) for p in index.rglob("pagefind-entry.json")]
    assert entries and all(list(entry["languages"]) == ["ja"] for entry in entries)  # every shard's index


def test_no_english_interface_words_are_left_in_the_japanese_build(built_site_ja: Config) -> None:
    """Every translated string whose English differs is absent from the pages (the stories
    themselves are English; only the interface is checked)."""
    words = [
        "Latest stories",
        "Skip to content",
        "Related stories",
        "Often in the same stories",
        "Stories per year",
        "Previous story",
        "Next story",
        "Atom feed",
        "Narrow the results",
        "stories belong to their publishers",
        "Deals in this story",
        "Most frequent counterparties",
        "<strong>Stake</strong>",
        "<strong>Partnership</strong>",
        "(investor)",
        "(partner)",
        " · agreed · ",
        "June 2020</time>",
        "March 2020</time>",
    ]
    pages = [p for p in built_site_ja.output.rglob("*.html") if "pagefind" not in p.parts]
    leftovers = [(p.name, w) for p in pages for w in words if w in p.read_text(encoding="utf-8")]
    assert leftovers == []


def test_the_japanese_build_names_deals_in_japanese(built_site_ja: Config) -> None:
    """Type, status, roles and month through the theme's catalogue and Babel; the codes stay
    English in the page's markup only where a machine reads them (datetime)."""
    story = read(built_site_ja, STORY)
    assert "この記事の取引" in story
    assert "<strong>出資</strong> · 合意 · " in story
    assert "NTT</a> <span>(出資者)</span>" in story and "(出資先)" in story
    ntt = read(built_site_ja, "companies/ntt/index.html")
    assert '<time datetime="2020-03">2020年3月</time>' in ntt
    assert '<time datetime="2020-06">2020年6月</time>' in ntt or "2020年6月</time>" in ntt
    assert "<strong>提携</strong>" in ntt
    stakes = read(built_site_ja, "deals/stake/index.html")
    assert "<h1>取引: 出資</h1>" in stakes
    feed = read(built_site_ja, "feeds/companies/toyota.atom.xml")
    assert "提携" in feed and "Partnership" not in feed


def test_the_english_build_shows_local_names_marked_as_such(built_site: Config) -> None:
    ntt = read(built_site, "companies/ntt/index.html")
    assert '<html lang="en">' in ntt
    assert '<p lang="ja">日本電信電話</p>' in ntt and "<dd>Japan</dd>" in ntt
    assert "June 25, 2020" in read(built_site, "index.html")


@pytest.mark.parametrize("autoescape", [True, False])
def test_remembered_gettext_renders_as_jinjas_own(autoescape: bool) -> None:
    """The once-translated ``_`` gives what Jinja's new-style gettext gives: escaping,
    ``%%`` as a format string, variables, also on the second call of the same string."""
    catalogue = {
        "Tom & Jerry": "Tom & Jerry <b>",
        "100%% sure": "sûr à 100%%",
        "%(n)s stories": "%(n)s récits",
    }

    class Catalogue(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return catalogue.get(message, message)

    source = (
        '{{ _("Tom & Jerry") }}|{{ _("100%% sure") }}|{{ _("%(n)s stories", n=n) }}|{{ _("Tom & Jerry") }}'
    )
    pages = []
    for remembered in (False, True):
        environment = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        environment.install_gettext_translations(Catalogue(), newstyle=True)  # type: ignore[attr-defined]
        if remembered:
            once = remembered_gettext(Catalogue().gettext)
            environment.globals.update(gettext=once, _=once)
        template = environment.from_string(source)
        pages.append([template.render(n="<3>"), template.render(n=4)])
    assert pages[0] == pages[1]
    variable = "&lt;3&gt;" if autoescape else "<3>"  # a translation is trusted, a variable is not
    assert pages[1][0] == f"Tom & Jerry <b>|sûr à 100%|{variable} récits|Tom & Jerry <b>"
