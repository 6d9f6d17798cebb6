"""One loader for every data file: YAML checked against a dataclass schema, once.

Heuristics and dictionaries (the gazetteer, relevance weights, boilerplate patterns, page
metadata rules, suggest cues) are data files reviewed like code. Each has a schema: a
frozen dataclass whose fields name the file's keys and whose types say what each holds.
`load_data` reads a file, refuses unknown or missing keys and values of the wrong type,
and raises a `ConfigError` naming the file, the key and the problem, e.g.
``newsarchive/gazetteer/data/relevance.yaml: thresholds.company: expected a number, got 'high'``.

Types a schema may use: str, int, float, bool, ``re.Pattern[str]`` (compiled
case-insensitively), ``tuple[X, ...]``, ``frozenset[str]``, ``dict[str, X]`` and nested
schemas. A field with a default is optional.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from newsarchive.core.errors import ConfigError

T = TypeVar("T")

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(package: str, name: str) -> Path:
    """Where the bundled data file ``name`` of ``newsarchive.<package>`` lives."""
    return Path(str(resources.files(f"newsarchive.{package}").joinpath("data", name)))


def load_data(path: Path, schema: Any, strings_only: bool = False) -> Any:
    """The YAML document at ``path`` as an instance of ``schema`` (a dataclass, or a type such
    as ``tuple[Record, ...]``). ``strings_only`` reads every scalar as a string (YAML 1.1
    would read Norway's code "NO" as false)."""
    where = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{where}: cannot read the data file: {error}") from error
    try:
        document = yaml.load(text, Loader=yaml.BaseLoader if strings_only else _SAFE_LOADER)
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise ConfigError(f"{where}: not valid YAML: {problem}") from error
    return convert(schema, document, where, "")


def _display(path: Path) -> str:
    """A bundled file as newsarchive/<package>/data/<name>; any other as given."""
    parts = path.parts
    if "newsarchive" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("newsarchive") :])
    return str(path)


def convert(schema: Any, value: Any, where: str, key: str) -> Any:
    """``value`` checked and converted to ``schema``; ``key`` is its dotted place in the file."""
    origin = typing.get_origin(schema)
    if dataclasses.is_dataclass(schema):
        return _record(schema, value, where, key)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(schema) if option is not type(None)]
        return None if value is None else convert(options[0], value, where, key)
    if origin is tuple or origin is frozenset:
        item = typing.get_args(schema)[0]
        if not isinstance(value, list):
            _fail(where, key, "expected a list", value)
        items = [convert(item, v, where, f"{key}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else frozenset(items)
    if origin is dict:
        item = typing.get_args(schema)[1]
        if not isinstance(value, dict):
            _fail(where, key, "expected a mapping", value)
        return {str(k): convert(item, v, where, _join(key, str(k))) for k, v in value.items()}
    if schema is re.Pattern or origin is re.Pattern:
        return _pattern(value, where, key)
    return _scalar(schema, value, where, key)


def _record(schema: Any, value: Any, where: str, key: str) -> Any:
    if not isinstance(value, dict):
        _fail(where, key, "expected a mapping of keys to values", value)
    fields = {field.name: field for field in dataclasses.fields(schema)}
    unknown = sorted(set(map(str, value)) - set(fields))
    if unknown:
        known = ", ".join(sorted(fields))
        raise ConfigError(f"{where}: {_join(key, unknown[0])}: unknown key (known: {known})")
    hints = _hints(schema)
    given = {}
    for name, field in fields.items():
        if name in value:
            given[name] = convert(hints[name], value[name], where, _join(key, name))
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{where}: {_join(key, name)}: missing")
    return schema(**given)


@cache
def _hints(schema: Any) -> dict[str, Any]:
    return typing.get_type_hints(schema)


def _scalar(schema: Any, value: Any, where: str, key: str) -> Any:
    if schema is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if schema is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if schema is str and isinstance(value, str):
        return value
    if schema is bool and isinstance(value, bool):
        return value
    if schema is Any:
        return value
    expected = {float: "a number", int: "a whole number", str: "a string", bool: "true or false"}
    _fail(where, key, f"expected {expected.get(schema, getattr(schema, '__name__', schema))}", value)


def _pattern(value: Any, where: str, key: str) -> re.Pattern[str]:
    if not isinstance(value, str):
        _fail(where, key, "expected a pattern string", value)
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"{where}: {key}: bad pattern {value!r}: {error}") from error


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _fail(where: str, key: str, problem: str, value: Any) -> typing.NoReturn:
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    raise ConfigError(f"{where}: {key or '(top level)'}: {problem}, got {shown[:60]}")
