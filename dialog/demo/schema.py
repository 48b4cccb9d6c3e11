"""Checking a demo data file against its area's schema, before anything is written.

A schema is a dict from key to what the value must be; a key ending in ``?`` may be left
out. A value's spec is one of: ``str``, ``int``, ``float`` (an integer will do), ``bool``,
``date``, ``datetime`` (a TOML local date-time: Swedish wall-clock time), ``time``; an
enum class (one of its values); a nested schema dict (a TOML table); a one-element list
``[spec]`` (an array of such values); ``MapOf(key, value)`` (a table with free keys);
``OneOf(spec, ...)`` (the first that fits).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any


class DemoDataError(Exception):
    """A demo data file is wrong; the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")
        self.file = file
        self.key = key


@dataclass(frozen=True)
class MapOf:
    """A table whose keys are free, each checked by ``key`` and its value by ``value``."""

    key: Callable[[str], bool]
    value: Any
    key_hint: str


@dataclass(frozen=True)
class OneOf:
    """The first of these specs that the value fits."""

    specs: tuple[Any, ...]


def is_year(key: str) -> bool:
    return key.isdigit() and len(key) == 4


def enum_key(choices: type[enum.Enum]) -> Callable[[str], bool]:
    return lambda key: key in {member.value for member in choices}


# A time relative to the day the demo is loaded: in_days from now, at a wall-clock time
# when one is given (else the same time of day as now).
RELATIVE_TIME = {"in_days": int, "at?": time}


def check(file: str, data: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """Check a file's data against the schema; return it.

    :raise DemoDataError: naming the file and the first key that is wrong.
    """
    _check_value(file, "", data, schema)
    return data


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _check_value(file: str, path: str, value: Any, spec: Any) -> None:
    problem = _problem(file, path, value, spec)
    if problem is not None:
        raise DemoDataError(file, path, problem)


def _problem(file: str, path: str, value: Any, spec: Any) -> str | None:
    """What is wrong with the value, or None; nested errors are raised with their key."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return "expected a table"
        _check_table(file, path, value, spec)
        return None
    if isinstance(spec, list):
        if not isinstance(value, list):
            return "expected an array"
        for index, item in enumerate(value):
            _check_value(file, _join(path, index), item, spec[0])
        return None
    if isinstance(spec, MapOf):
        if not isinstance(value, dict):
            return "expected a table"
        for key, item in value.items():
            if not spec.key(key):
                raise DemoDataError(file, _join(path, key), f"expected {spec.key_hint} as key")
            _check_value(file, _join(path, key), item, spec.value)
        return None
    if isinstance(spec, OneOf):
        problems = [_problem(file, path, value, option) for option in spec.specs]
        return None if None in problems else " or ".join(p for p in problems if p)
    return _scalar_problem(value, spec)


def _check_table(file: str, path: str, value: dict[str, Any], schema: dict[str, Any]) -> None:
    known = {key.rstrip("?") for key in schema}
    for key in value:
        if key not in known:
            raise DemoDataError(
                file, _join(path, key), f"unknown key (expected one of {', '.join(sorted(known))})"
            )
    for key, spec in schema.items():
        name = key.rstrip("?")
        if name in value:
            _check_value(file, _join(path, name), value[name], spec)
        elif not key.endswith("?"):
            raise DemoDataError(file, _join(path, name), "missing")


def _scalar_problem(value: Any, spec: Any) -> str | None:
    if isinstance(spec, type) and issubclass(spec, enum.Enum):
        choices = [str(member.value) for member in spec]
        return None if value in choices else f"expected one of {', '.join(choices)}"
    fits = {
        str: lambda v: isinstance(v, str) and v.strip() != "",
        bool: lambda v: isinstance(v, bool),
        int: lambda v: isinstance(v, int) and not isinstance(v, bool),
        float: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        date: lambda v: type(v) is date,
        datetime: lambda v: isinstance(v, datetime) and v.tzinfo is None,
        time: lambda v: isinstance(v, time) and v.tzinfo is None,
    }
    names = {
        str: "a text",
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        date: "a date like 2019-12-16",
        datetime: "a local date-time like 2019-03-12T18:00:00",
        time: "a local time like 17:30:00",
    }
    return None if fits[spec](value) else f"expected {names[spec]}"
