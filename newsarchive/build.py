"""Run Pelican with the project's settings and the newsarchive plugin."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from .config import Config
from .errors import BuildError, ConfigError

PLUGIN = "newsarchive.pelican_plugin"


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pelican_settings(config: Config, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    from pelican.settings import read_settings

    if not config.settings.is_file():
        raise ConfigError(f"{config.settings}: Pelican settings file not found")
    override = {"PATH": str(config.content), "OUTPUT_PATH": str(config.output), **(overrides or {})}
    settings: dict[str, Any] = read_settings(str(config.settings), override=override)
    plugins = settings.setdefault("PLUGINS", []) or []
    if PLUGIN not in plugins:
        settings["PLUGINS"] = [*plugins, PLUGIN]
    return settings


def build_site(config: Config, strict: bool = False, overrides: dict[str, Any] | None = None) -> list[str]:
    """Build the site into ``config.output``; return Pelican's warnings.

    With ``strict``, any warning fails the build.
    """
    from pelican import Pelican

    if not config.content.is_dir():
        raise ConfigError(f"{config.content}: content folder not found; run `newsarchive import` first")
    counter = _WarningCounter()
    loggers = [logging.getLogger(name) for name in ("pelican", "newsarchive")]
    for logger in loggers:
        logger.addHandler(counter)
    try:
        Pelican(pelican_settings(config, overrides)).run()
    except ConfigError:
        raise
    except Exception as error:
        raise BuildError(f"Pelican failed: {type(error).__name__}: {error}") from error
    finally:
        for logger in loggers:
            logger.removeHandler(counter)
    messages = [*counter.messages, *index_search(config.output)]
    if strict and messages:
        raise BuildError(f"--strict: {len(messages)} warning(s): " + "; ".join(messages[:5]))
    return messages


def index_search(output: Path) -> list[str]:
    """Build the Pagefind search index into output/pagefind/; return its warnings.

    Only story bodies are indexed: story pages mark theirs with data-pagefind-body.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"Pagefind failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return [line for line in done.stdout.splitlines() if "warn" in line.lower()]
