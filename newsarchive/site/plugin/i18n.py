"""The site's language (``DEFAULT_LANG``): the theme's strings from its Babel message
catalogue, and dates, months and country names in that language from Babel's CLDR data.

The theme marks every string for translation (Jinja's i18n extension: ``_()``,
``ngettext()``); its catalogues are ``THEME/translations/LANG/LC_MESSAGES/messages.po``.
The ``.po`` file is the one source: it is compiled in memory when the build starts (a few
milliseconds), so a fresh clone builds without a compile step and a stale ``.mo`` can never
be shown. A theme shipped with only a compiled ``messages.mo`` works too. A language
without a catalogue shows the theme's own (English) strings.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import Markup

from newsarchive.core.errors import BuildError, ConfigError

TRANSLATIONS_FOLDER = "translations"
DOMAIN = "messages"
DATE_FORMAT_SETTING = "NEWSARCHIVE_DATE_FORMAT"
DEFAULT_DATE_FORMAT = "long"  # Babel's style names (short, medium, long, full) or a CLDR pattern
# How a period archive is named, by the number of parts Pelican gives (year, month, day).
PERIOD_SKELETONS = {1: "y", 2: "yMMMM"}
# The language the gazetteer's data (names, countries) is written in.
DATA_LANGUAGE = "en"


def site_locale(settings: dict[str, Any]) -> Locale:
    """The Babel locale of ``DEFAULT_LANG`` (a BCP 47 tag such as ``ja`` or ``pt-BR``)."""
    lang = str(settings.get("DEFAULT_LANG") or "en")
    try:
        return Locale.parse(lang, sep="-") if "-" in lang else Locale.parse(lang)
    except (UnknownLocaleError, ValueError) as error:
        raise ConfigError(f"DEFAULT_LANG: {lang!r} is not a language Babel knows ({error})") from error


def catalogue_folders(theme: Path, locale: Locale) -> list[Path]:
    """Where a catalogue for ``locale`` may be, most specific first (ja_JP, then ja)."""
    names = [str(locale), locale.language]
    return [theme / TRANSLATIONS_FOLDER / name / "LC_MESSAGES" for name in dict.fromkeys(names)]


def load_translations(theme: Path, locale: Locale) -> gettext.NullTranslations:
    """The theme's translations for ``locale``: its .po compiled in memory, else its .mo,
    else none (the theme's own strings)."""
    for folder in catalogue_folders(theme, locale):
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if po.is_file():
            return _compiled(po, po.stat().st_mtime_ns)
        if mo.is_file():
            with mo.open("rb") as stream:
                return Translations(stream, domain=DOMAIN)
    return gettext.NullTranslations()


@cache
def _compiled(po: Path, mtime_ns: int) -> Translations:
    """A .po catalogue as translations (once per file version and process)."""
    try:
        with po.open("rb") as stream:
            catalogue = read_po(stream, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, OSError, UnicodeDecodeError) as error:
        raise BuildError(f"{po}: not a readable message catalogue ({error})") from error
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Dates:
    """Dates as the site's language writes them (Babel), for the plugin and the templates."""

    def __init__(self, locale: Locale, style: str = DEFAULT_DATE_FORMAT):
        self.locale = locale
        self.style = style

    def day(self, when: date | datetime) -> str:
        """A story's date, e.g. "June 25, 2020" or "2020年6月25日"."""
        return format_date(when, self.style, locale=self.locale)

    def month_name(self, when: date | datetime) -> str:
        """The month alone, as a heading names it: "June", "6月"."""
        return format_date(when, "LLLL", locale=self.locale)

    def month_short(self, when: date | datetime) -> str:
        """The month as a chart's axis names it: "Jun", "6月"."""
        return format_date(when, "LLL", locale=self.locale)

    def month_of_year(self, when: date | datetime) -> str:
        """A month with its year, short: "Jun 2020", "2020年6月"."""
        return format_skeleton("yMMM", when, locale=self.locale)

    def year(self, when: date | datetime) -> str:
        """A year as a label: "2020", "2020年"."""
        return format_skeleton("y", when, locale=self.locale)

    def iso_day(self, text: str) -> str:
        """An ISO day ("2020-06-25") as :meth:`day` writes it; other text as it is."""
        try:
            return self.day(date.fromisoformat(text))
        except ValueError:
            return text

    def partial(self, text: str) -> str:
        """A date as precise as a deal's ("2020-06-25" or "2020-06": "June 2020", "2020年6月";
        "2020": "2020", "2020年"); text that is no date as it is."""
        parts = text.split("-")
        if not parts[0].isdigit() or len(parts[0]) != 4:
            return text
        month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if 1 <= month <= 12:
            return format_skeleton("yMMMM", date(int(parts[0]), month, 1), locale=self.locale)
        return self.year(date(int(parts[0]), 1, 1))

    def period(self, when: date | datetime, parts: int) -> str:
        """A period archive's name from its first story's date and Pelican's period parts
        (1: year, 2: month, 3: day): "June 2020", "2020年6月"."""
        skeleton = PERIOD_SKELETONS.get(parts)
        return format_skeleton(skeleton, when, locale=self.locale) if skeleton else self.day(when)


def site_dates(settings: dict[str, Any]) -> Dates:
    """The dates of this build's language and date format setting."""
    return Dates(site_locale(settings), str(settings.get(DATE_FORMAT_SETTING) or DEFAULT_DATE_FORMAT))


def country_name(locale: Locale, code: str, data_name: str) -> str:
    """A country as the site's language names it: the gazetteer's name on a site in its
    language, else Babel's name of the territory (else the gazetteer's)."""
    if locale.language == DATA_LANGUAGE or not code:
        return data_name
    return str(locale.territories.get(code.upper(), data_name))


def install_translations(generator: Any) -> None:
    """Give the generator's Jinja environment the i18n extension, the theme's translations
    for ``DEFAULT_LANG`` and the date and country filters of that language."""
    settings = generator.settings
    dates = site_dates(settings)
    environment = generator.env
    environment.add_extension("jinja2.ext.i18n")
    translations = load_translations(Path(str(settings["THEME"])), dates.locale)
    environment.install_gettext_translations(translations, newstyle=True)
    remembered = remembered_gettext(translations.gettext)
    environment.globals.update(gettext=remembered, _=remembered)
    environment.filters.update(
        month_name=dates.month_name,
        period_name=dates.period,
        deal_date=dates.partial,
        iso_day=dates.iso_day,
        country_name=lambda entity: country_name(dates.locale, entity.country, entity.country_name),
    )


def remembered_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style ``gettext`` (a translated string, escaped, formatted with its
    variables), each string translated and escaped once per environment: a page calls it
    about twenty times, and Jinja's own way (through the ``_`` alias, the context and a
    `Markup` made each time) was a tenth of rendering a site."""
    translated: dict[tuple[str, bool], str] = {}
    finished: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def once_gettext(context: jinja2.runtime.Context, string: str, **variables: Any) -> str:
        key = (string, bool(context.eval_ctx.autoescape))
        if not variables:
            done = finished.get(key)
            if done is not None:
                return done
        text = translated.get(key)
        if text is None:
            text = translate(string)
            text = translated[key] = Markup(text) if key[1] else text
        result: str = text % variables  # as Jinja: always a format string
        if not variables:
            finished[key] = result
        return result

    return once_gettext
