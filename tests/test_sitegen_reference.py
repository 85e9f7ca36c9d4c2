"""Which names the API reference documents: what ptx/__init__.py exports and imports, each under
the module that defines it."""

from pathlib import Path

import pytest

from sitegen.reference import public_names


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / "ptx" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "ptx" / name).write_text(text)
    return root


def test_a_helper_is_found_where_it_is_defined_through_a_re_export(tmp_path):
    root = write(
        tmp_path,
        {
            "__init__.py": "from ptx import tools\nfrom ptx.engine import fit\nfrom ptx.checks import Check\n"
            '__all__ = ["Check", "fit", "tools"]\n',
            "engine.py": "def helper():\n    pass\n\n\ndef fit():\n    pass\n",
            "checks/__init__.py": "from ptx.checks.base import Check\n",
            "checks/base.py": "class Check:\n    pass\n",
            "tools.py": "",
        },
    )
    assert public_names(root) == {"Check": "checks.base", "fit": "engine"}


def test_a_function_named_like_an_exported_module_is_not_a_helper(tmp_path):
    """ptx exports the module `history`; a function `history` in an exercise check is not public."""
    root = write(
        tmp_path,
        {
            "__init__.py": 'from ptx import history, exercises\n__all__ = ["exercises", "history"]\n',
            "history.py": "",
            "exercises/__init__.py": "",
            "exercises/cells.py": "def history():\n    pass\n",
        },
    )
    assert public_names(root) == {}


def test_an_export_imported_from_a_module_that_lacks_it_fails(tmp_path):
    root = write(
        tmp_path,
        {"__init__.py": 'from ptx.engine import fit\n__all__ = ["fit"]\n', "engine.py": ""},
    )
    with pytest.raises(LookupError, match="ptx.engine neither defines nor imports fit"):
        public_names(root)
