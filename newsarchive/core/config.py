"""Project settings, read and validated once from ``[tool.newsarchive]`` in pyproject.toml.

Only paths and limits live here. Site settings (name, URL, feeds) stay in Pelican's own
``pelicanconf.py``; tagging heuristics live in the data files under ``newsarchive/data``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from newsarchive.core.errors import ConfigError

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class FetchSettings:
    """How `newsarchive add` fetches pages: ``[tool.newsarchive.fetch]``.

    ``delay`` seconds between two requests to one host (longer if its robots.txt asks),
    ``timeout`` seconds for a whole response, ``retries`` after a 5xx, 429, timeout or
    connection error, waiting ``backoff`` seconds, then twice as long each time; ``contact``
    (a URL or e-mail address) is added to the User-Agent so a site owner can reach you.
    """

    delay: float = 2.0
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 2.0
    contact: str = ""


@dataclass(frozen=True)
class Config:
    """Validated settings; relative paths are resolved against ``root``."""

    root: Path
    sources: Path
    content: Path
    output: Path
    settings: Path
    max_source_bytes: int = 5 * 1024 * 1024
    max_site_bytes: int = 1_000_000_000  # GitHub Pages' limit for a published site
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @property
    def cache(self) -> Path:
        """Pelican's content cache and newsarchive's import journal: only time is lost
        without them."""
        return self.root / "cache"

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with the non-None ``changes`` applied (paths resolved)."""
        given = {key: value for key, value in changes.items() if value is not None}
        for key, value in given.items():
            if isinstance(value, (str, Path)):
                given[key] = _resolve(self.root, value)
        return replace(self, **given)


_DEFAULTS: dict[str, Any] = {
    "sources": "sources",
    "content": "content",
    "output": "output",
    "settings": "pelicanconf.py",
    "max_source_bytes": Config.max_source_bytes,
    "max_site_bytes": Config.max_site_bytes,
}


def _resolve(root: Path, value: str | Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def load_config(root: Path | None = None) -> Config:
    """Read ``[tool.newsarchive]`` from ``root/pyproject.toml`` (all keys optional)."""
    root = (root or Path.cwd()).resolve()
    table = _read_table(root / PYPROJECT)
    return _validate(root, table)


def _read_table(pyproject: Path) -> dict[str, Any]:
    if not pyproject.is_file():
        return {}
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read settings: {error}") from error
    table = document.get("tool", {}).get("newsarchive", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.newsarchive] must be a table")
    return table


def _validate(root: Path, table: dict[str, Any]) -> Config:
    known = {f.name for f in fields(Config)} - {"root"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in [tool.newsarchive]: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    merged = {**_DEFAULTS, **table}
    for key in ("sources", "content", "output", "settings"):
        if not isinstance(merged[key], str) or not merged[key].strip():
            raise ConfigError(f"[tool.newsarchive] {key} must be a non-empty path string")
    for key in ("max_source_bytes", "max_site_bytes"):
        limit = merged[key]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            raise ConfigError(f"[tool.newsarchive] {key} must be a positive integer")
    return Config(
        fetch=_fetch_settings(merged.get("fetch", {})),
        root=root,
        sources=_resolve(root, merged["sources"]),
        content=_resolve(root, merged["content"]),
        output=_resolve(root, merged["output"]),
        settings=_resolve(root, merged["settings"]),
        max_source_bytes=merged["max_source_bytes"],
        max_site_bytes=merged["max_site_bytes"],
    )


def _fetch_settings(table: Any) -> FetchSettings:
    """``[tool.newsarchive.fetch]``: non-negative numbers, a whole number of retries."""
    if not isinstance(table, dict):
        raise ConfigError("[tool.newsarchive] fetch must be a table")
    known = {f.name for f in fields(FetchSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in [tool.newsarchive.fetch]: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    for key in ("delay", "timeout", "backoff"):
        value = table.get(key, 0)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"[tool.newsarchive.fetch] {key} must be a number of seconds, 0 or more")
    if table.get("timeout", 1) == 0:
        raise ConfigError("[tool.newsarchive.fetch] timeout must be more than 0 seconds")
    retries = table.get("retries", 0)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
        raise ConfigError("[tool.newsarchive.fetch] retries must be a whole number from 0 to 10")
    if not isinstance(table.get("contact", ""), str):
        raise ConfigError("[tool.newsarchive.fetch] contact must be a string (a URL or e-mail address)")
    return FetchSettings(**table)
