"""The plugin's settings: its defaults, added to Pelican's where the project sets none."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import jinja2

from newsarchive.core.datafiles import convert
from newsarchive.core.errors import ConfigError
from newsarchive.site.plugin.i18n import DATE_FORMAT_SETTING, DEFAULT_DATE_FORMAT
from newsarchive.site.plugin.terms import TAXONOMIES
from newsarchive.site.reading import readers_setting

# Template variables a theme asks for that do not exist become warnings (and --strict
# failures) instead of silently empty text. Module level, so Pelican's cache can pickle it.
_LoggingUndefined = jinja2.make_logging_undefined(logger=logging.getLogger("newsarchive.templates"))


class ReportingUndefined(_LoggingUndefined):  # type: ignore[misc,valid-type]
    pass


DEFAULT_SETTINGS: dict[str, Any] = {
    "COMPANY_URL": "companies/{slug}/",
    "COMPANY_SAVE_AS": "companies/{slug}/index.html",
    "COMPANIES_URL": "companies/",
    "COMPANIES_SAVE_AS": "companies/index.html",
    "COMPANY_FEED_ATOM": "feeds/companies/{slug}.atom.xml",
    "TECHNOLOGY_URL": "technologies/{slug}/",
    "TECHNOLOGY_SAVE_AS": "technologies/{slug}/index.html",
    "TECHNOLOGIES_URL": "technologies/",
    "TECHNOLOGIES_SAVE_AS": "technologies/index.html",
    "TECHNOLOGY_FEED_ATOM": "feeds/technologies/{slug}.atom.xml",
    DATE_FORMAT_SETTING: DEFAULT_DATE_FORMAT,
}


PREFIX = "NEWSARCHIVE_"
# Settings of ours that are not options: the render plan a newsarchive build attaches.
_INTERNAL = ("NEWSARCHIVE_RENDER_PLAN",)


@dataclass(frozen=True)
class PluginOptions:
    """The plugin's own settings (``NEWSARCHIVE_*`` in a Pelican settings file), checked
    once when Pelican starts: an unknown name or a value of the wrong type is one
    ConfigError line."""

    NEWSARCHIVE_TAG_POSTS: bool = True  # tag posts without Companies/Technologies lines
    NEWSARCHIVE_JSON_API: bool = True  # write api/{companies,technologies}/{slug}.json
    NEWSARCHIVE_API_PATH: str = "api"  # the folder of the JSON API in the site
    NEWSARCHIVE_DATE_FORMAT: str = DEFAULT_DATE_FORMAT  # Babel's style (short ... full) or a CLDR pattern


def plugin_options(settings: dict[str, Any], where: str = "Pelican settings") -> PluginOptions:
    """The ``NEWSARCHIVE_*`` settings, checked against `PluginOptions` (``where`` names the
    settings file in errors, when known)."""
    given = {key: value for key, value in settings.items() if key.startswith(PREFIX) and key not in _INTERNAL}
    options: PluginOptions = convert(PluginOptions, given, where, "")
    if not options.NEWSARCHIVE_API_PATH.strip("/") or ".." in options.NEWSARCHIVE_API_PATH.split("/"):
        raise ConfigError(
            f"{where}: NEWSARCHIVE_API_PATH: expected a folder inside the site, "
            f"got {options.NEWSARCHIVE_API_PATH!r}"
        )
    return options


def option_names() -> list[str]:
    return [field.name for field in fields(PluginOptions)]


def has_own_templates(settings: dict[str, Any]) -> bool:
    """Whether the theme has newsarchive's term templates (company.html, companies.html ...);
    if not, term pages use the theme's tag.html and tags.html."""
    names = [name for taxonomy in TAXONOMIES.values() for name in (taxonomy.template, taxonomy.index)]
    return all(has_template(settings, name) for name in names)


def has_template(settings: dict[str, Any], name: str) -> bool:
    """Whether the theme (or a templates override folder) has the template ``name``; a
    theme copied from an older newsarchive may lack the newer pages' templates."""
    folders = [
        *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES") or []),
        Path(settings["THEME"]) / "templates",
    ]
    return any((folder / f"{name}.html").is_file() for folder in folders)


def add_settings(pelican: Any) -> None:
    """Check the plugin's options; defaults for term URLs and feeds, (with a theme of ours)
    Jinja's undefined that logs a warning where a template uses a missing value, the
    parallel reader, and the term index pages (direct templates, with a theme of ours) and
    term pages (paginated)."""
    settings = pelican.settings
    plugin_options(settings)
    for key, value in DEFAULT_SETTINGS.items():
        settings.setdefault(key, value)
    own_templates = has_own_templates(settings)
    # Each build makes its generators, and with them Jinja environments, anew: a template
    # cannot change within one, so Jinja need not stat its file at every include (ten or
    # more per page: a quarter of a million stats in a build of 10,000 stories).
    settings.setdefault("JINJA_ENVIRONMENT", {}).setdefault("auto_reload", False)
    if own_templates:  # another theme may rely on undefined values being empty
        settings.setdefault("JINJA_ENVIRONMENT", {}).setdefault("undefined", ReportingUndefined)
    readers_setting(settings)
    templates = settings.setdefault("DIRECT_TEMPLATES", [])
    paginated = settings.setdefault("PAGINATED_TEMPLATES", {})
    for taxonomy in TAXONOMIES.values():
        if own_templates and taxonomy.index not in templates:
            templates.append(taxonomy.index)
        paginated.setdefault(taxonomy.template, None)
