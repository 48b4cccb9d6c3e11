"""Load the demo municipality from its data files, through the services staff use.

The content lives in ``dialog/demo/data``, one folder per area and one TOML file per
framework (or per framework's dialogues, or per dialogue's proposals, or per page):
``accounts/``, ``goals/``, ``dialogues/``, ``contributions/``, ``moderation/``,
``pages/``. Every file is read and checked against its area's schema before anything is
written, and then each area's loader creates what is missing through the services, with the file's
``actor`` in the audit trail; what exists is left as it is, so loading twice changes
nothing. The past that no service reaches is set in one place, ``dialog/demo/past.py``.

New demo content of an existing kind is a new data file. A new kind of content is a new
folder and a module with a ``SCHEMA`` and a ``load(source, now)``, added to ``AREAS``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from flask_babel import force_locale

from dialog.core.models import utcnow
from dialog.demo import accounts, contributions, dialogues, goals, moderation, pages
from dialog.demo.common import Source
from dialog.demo.schema import DemoDataError, check

DATA = files("dialog.demo") / "data"
DATA_NAME = "dialog/demo/data"


@dataclass(frozen=True)
class Area:
    """One kind of demo content: its folder under the data, how it is checked and loaded."""

    folder: str
    schema: dict[str, Any]
    load: Callable[[Source, datetime], Any]
    order: Callable[[list[Source]], list[Source]] = list


# In the order they are loaded: later areas refer to what earlier ones created.
AREAS = (
    Area("accounts", accounts.SCHEMA, accounts.load),
    Area("goals", goals.SCHEMA, goals.load, goals.in_order),
    Area("dialogues", dialogues.SCHEMA, dialogues.load),
    Area("contributions", contributions.SCHEMA, contributions.load),
    Area("moderation", moderation.SCHEMA, moderation.load),
    Area("pages", pages.SCHEMA, pages.load),
)


def load(
    root: Traversable | Path = DATA,
    now: datetime | None = None,
    areas: Collection[str] | None = None,
) -> dict[str, list[Any]]:
    """Create the demo content that is missing (flushes, never commits).

    Every file is checked first. ``areas`` limits the loading to these folders (the
    benchmark loads the users before anything else). Returns, per area folder loaded,
    what its files describe, created now or before.

    :raise DemoDataError: naming the file and key, when a file is wrong or a service
        refuses what it asks for.
    """
    now = now or utcnow()
    checked = read(root)
    loaded: dict[str, list[Any]] = {}
    # A service's refusal is told to whoever edits the files, in English; a command has no
    # request whose language could be chosen.
    with force_locale("en"):
        for area in AREAS:
            if areas is not None and area.folder not in areas:
                continue
            results = loaded.setdefault(area.folder, [])
            for source in checked[area.folder]:
                result = area.load(source, now)
                results.extend(result if isinstance(result, list) else [result])
    return loaded


def read(root: Traversable | Path = DATA) -> dict[str, list[Source]]:
    """Read and check every data file, per area folder, in the order they are loaded."""
    name = DATA_NAME if root == DATA else str(root)
    areas = {area.folder: area for area in AREAS}
    for entry in root.iterdir():
        if entry.is_dir() and entry.name not in areas and not entry.name.startswith(("_", ".")):
            raise DemoDataError(
                f"{name}/{entry.name}", "", f"no demo area of this name ({', '.join(areas)})"
            )
    checked = {}
    for area in AREAS:
        folder = root / area.folder
        entries = sorted(folder.iterdir(), key=lambda e: e.name) if folder.is_dir() else []
        sources = [
            _read(f"{name}/{area.folder}/{entry.name}", entry.read_text("utf-8"), area.schema)
            for entry in entries
            if entry.name.endswith(".toml")
        ]
        checked[area.folder] = area.order(sources)
    return checked


def _read(file: str, text: str, schema: dict[str, Any]) -> Source:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(file, "", f"not valid TOML: {error}") from None
    return Source(file, check(file, data, schema))


def demo_password(root: Traversable | Path = DATA) -> str:
    """The password of the demo users (in ``accounts/users.toml``)."""
    return str(read(root)["accounts"][0].data["password"])
