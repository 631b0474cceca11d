"""The import layers (pyproject.toml, [tool.importlinter]) hold, and the contracts catch an upward import."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tracker", tmp_path / "tracker", ignore=shutil.ignore_patterns(
        "__pycache__", "translations", "static", "templates", "*.txt"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "upward_import", "contract"), [
    ("agreements/panels.py", "from tracker.actions import models", "Features import only downward"),
    ("accounts/services.py", "from tracker.auth import services", "Features import only downward"),
    ("organisations/services.py", "from tracker.accounts import sessions", "Features import only downward"),
    ("policy.py", "from tracker.agreements.models import Agreement", "The core knows no feature"),
    ("audit/labels.py", "from tracker.organisations.models import Organisation", "The core knows no feature"),
])
def test_an_upward_import_breaks_a_contract(tmp_path, module, upward_import, contract):
    tree = copy_of_the_tree(tmp_path)
    path = tree / "tracker" / module
    path.write_text(path.read_text() + f"\n{upward_import}  # added by the test\n")
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
    assert upward_import.split()[1] in result.stdout  # the report names the offending import
