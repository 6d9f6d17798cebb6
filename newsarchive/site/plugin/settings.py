"""The plugin's settings: its defaults, added to Pelican's where the project sets none."""

from __future__ import annotations

import logging
from typing import Any

import jinja2

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


def add_settings(pelican: Any) -> None:
    """Jinja's undefined that logs a warning where a template uses a missing value."""
    """Defaults for term URLs and feeds, the reporting undefined, the parallel reader, and
    the term index pages (direct templates) and term pages (paginated)."""
    settings = pelican.settings
    for key, value in DEFAULT_SETTINGS.items():
        settings.setdefault(key, value)
    settings.setdefault("JINJA_ENVIRONMENT", {}).setdefault("undefined", ReportingUndefined)
    readers_setting(settings)
    templates = settings.setdefault("DIRECT_TEMPLATES", [])
    paginated = settings.setdefault("PAGINATED_TEMPLATES", {})
    for taxonomy in TAXONOMIES.values():
        if taxonomy.index not in templates:
            templates.append(taxonomy.index)
        paginated.setdefault(taxonomy.template, None)
