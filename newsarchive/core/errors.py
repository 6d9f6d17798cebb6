"""One exception family, and the one counter of warnings. The CLI catches
:class:`NewsarchiveError` in one place."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class NewsarchiveError(Exception):
    """Base of every error newsarchive raises on purpose."""

    exit_code = 2


class ConfigError(NewsarchiveError):
    """Settings or data files are invalid: a usage or configuration error."""


class GazetteerError(ConfigError):
    """The companies or technologies data does not pass validation."""


class BuildError(NewsarchiveError):
    """Pelican could not build the site."""

    exit_code = 1


class Warnings:
    """The one count of a run's warnings (the import's, Pelican's, the build's own), and the
    one place where ``--strict`` turns them into a failure."""

    def __init__(self, strict: bool = False):
        self.strict = strict
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def since(self, start: int) -> tuple[str, ...]:
        """The warnings added after the first ``start``."""
        return tuple(self.messages[start:])

    def check(self, what: str, start: int = 0) -> None:
        """With ``strict``, fail when ``what`` added any warning after the first ``start``."""
        found = self.messages[start:]
        if self.strict and found:
            count = f" ({len(found)} in all)" if len(found) > 1 else ""
            raise BuildError(f"--strict: {what} had problems, first {found[0]}{count}")

    @contextmanager
    def listening(self, *loggers: str) -> Iterator[None]:
        """Count what the named loggers warn about while the block runs."""
        handler = _Counting(self)
        chosen = [logging.getLogger(name) for name in loggers]
        for logger in chosen:
            logger.addHandler(handler)
        try:
            yield
        finally:
            for logger in chosen:
                logger.removeHandler(handler)


class _Counting(logging.Handler):
    def __init__(self, warnings: Warnings) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings = warnings

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings.add(record.getMessage())
