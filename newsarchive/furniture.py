"""Page-furniture rules, loaded from ``data/furniture.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .errors import ConfigError


@dataclass(frozen=True)
class FurnitureRules:
    read_time: re.Pattern[str]
    byline_publication: re.Pattern[str]
    byline_prefix: re.Pattern[str]
    end_of_story: tuple[re.Pattern[str], ...]
    sign_off: re.Pattern[str]
    drop_lines: tuple[re.Pattern[str], ...]
    bio_stop: tuple[re.Pattern[str], ...]

    def ends_story(self, line: str) -> bool:
        return _any_full(self.end_of_story, line)

    def is_dropped(self, line: str) -> bool:
        return _any_full(self.drop_lines, line)

    def ends_bio(self, line: str) -> bool:
        return self.ends_story(line) or _any_full(self.bio_stop, line)

    def is_sign_off(self, line: str, author: str) -> bool:
        match = self.sign_off.fullmatch(line.strip())
        return bool(match and author and match["author"].strip().lower() == author.lower())

    def read_minutes(self, line: str) -> int | None:
        match = self.read_time.fullmatch(line.strip())
        return int(match["minutes"]) if match else None


def _any_full(patterns: tuple[re.Pattern[str], ...], line: str) -> bool:
    stripped = line.strip()
    return any(p.fullmatch(stripped) for p in patterns)


def _compile(value: Any, key: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ConfigError(f"furniture.yaml: {key} must be a pattern string")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"furniture.yaml: {key}: bad pattern {value!r}: {error}") from error


def _compile_all(values: Any, key: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(values, list):
        raise ConfigError(f"furniture.yaml: {key} must be a list of patterns")
    return tuple(_compile(v, f"{key}[{i}]") for i, v in enumerate(values))


def parse_rules(document: dict[str, Any]) -> FurnitureRules:
    return FurnitureRules(
        read_time=_compile(document.get("read_time"), "read_time"),
        byline_publication=_compile(document.get("byline_publication"), "byline_publication"),
        byline_prefix=_compile(document.get("byline_prefix"), "byline_prefix"),
        end_of_story=_compile_all(document.get("end_of_story"), "end_of_story"),
        sign_off=_compile(document.get("sign_off"), "sign_off"),
        drop_lines=_compile_all(document.get("drop_lines"), "drop_lines"),
        bio_stop=_compile_all(document.get("bio_stop", []), "bio_stop"),
    )


@cache
def load_rules() -> FurnitureRules:
    text = resources.files("newsarchive.data").joinpath("furniture.yaml").read_text("utf-8")
    return parse_rules(yaml.safe_load(text))
