"""Every message in the code and templates is in both catalogs, translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("sv", "en")


def _source_messages() -> set[str]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    messages = _source_messages()
    assert len(messages) > 100
    return messages


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_every_message_translated(source_messages, language):
    """Every message in code and templates is in the catalog, translated and not fuzzy."""
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as file:
        catalog = read_po(file)
    missing = sorted(m for m in source_messages if m not in catalog)
    untranslated = sorted(
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    )
    assert not missing, f"not in the {language} catalog (run make translations): {missing}"
    assert not untranslated, f"untranslated or fuzzy in {language}: {untranslated}"
