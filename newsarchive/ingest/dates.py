"""Recognise a line that is a publication date, in the formats news pages use.

A line counts as a date only when the whole line is one (after an optional
"Published"/"Updated" label), so body sentences that merely contain a date are left alone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

# US and common news-site zone abbreviations; dateutil cannot know them unaided.
_ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200,
    "EEST": 10800, "IST": 19800, "JST": 32400, "KST": 32400, "HKT": 28800, "SGT": 28800,
    "AEST": 36000, "AEDT": 39600, "EST": -18000, "EDT": -14400, "CST": -21600,
    "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800, "PDT": -25200,
}  # fmt: skip
# "ET" and friends mean whichever of standard or daylight time was in force that day.
_REGIONS: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}  # fmt: skip
_LABEL = re.compile(r"^(?:published|updated|posted|date)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_JAPANESE = re.compile(r"^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日(?:\s*(\d{1,2})[:時](\d{2})分?)?$")
_MAX_DATE_LINE = 48


def parse_date_line(line: str) -> datetime | None:
    """Return the date a short line states, or None when the line is not a date."""
    text = _LABEL.sub("", line.strip()).strip()
    if not text or len(text) > _MAX_DATE_LINE:
        return None
    japanese = _JAPANESE.match(text)
    if japanese:
        return _japanese_date(japanese)
    if not _YEAR.search(text):
        return None
    try:
        return dateparser.parse(text, tzinfos=_zone_for, fuzzy=False)
    except (ValueError, OverflowError):
        return None


def _zone_for(name: str, offset: int | None) -> tzinfo | None:
    if name and name.upper() in _REGIONS:
        return ZoneInfo(_REGIONS[name.upper()])
    seconds = _ZONES.get(name.upper()) if name else None
    if seconds is None:
        return None
    return timezone(timedelta(seconds=seconds), name.upper())


def _japanese_date(match: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None


_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_/.]?(0[1-9]|1[0-2])[-_/.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_path(path: str) -> datetime | None:
    """A date written in a file or folder name ("2020-06-25-story.txt", "2020/06/25/")."""
    match = _PATH_DATE.search(path)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
