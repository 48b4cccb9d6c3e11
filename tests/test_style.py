"""The suite's own conventions: every test says in a docstring what behaviour it checks."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def undocumented_tests(root: Path) -> list[str]:
    """Name each test function under root without a docstring, as ``path:line name``."""
    found = []
    for path in sorted(root.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.name.startswith("test")
                and not (ast.get_docstring(node) or "").strip()
            ):
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno} {node.name}")
    return found


def test_every_test_has_a_docstring():
    """Every test function in tests/ has a docstring saying the behaviour it checks."""
    missing = undocumented_tests(TESTS)
    assert not missing, "tests without a docstring:\n" + "\n".join(missing)


def test_the_check_names_each_test_without_a_docstring(tmp_path):
    """Tests without a docstring (or an empty one), in classes and sub-folders, are named."""
    (tmp_path / "area").mkdir()
    (tmp_path / "area" / "test_example.py").write_text(
        "def test_documented():\n"
        '    """Says what it checks."""\n'
        "\n\n"
        "def test_bare():\n"
        "    assert True\n"
        "\n\n"
        "class TestGroup:\n"
        "    async def test_in_a_class(self):\n"
        '        """ """\n'
        "\n\n"
        "def helper():\n"
        "    pass\n",
        encoding="utf-8",
    )
    (tmp_path / "helpers.py").write_text("def test_like_name():\n    pass\n", encoding="utf-8")
    assert undocumented_tests(tmp_path) == [
        "area/test_example.py:5 test_bare",
        "area/test_example.py:10 test_in_a_class",
    ]
