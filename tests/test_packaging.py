"""`pip install .` (not only editable installs) must carry the templates and default data."""

import subprocess
import sys
import zipfile

from conftest import REPO


def test_the_wheel_ships_templates_vocabulary_and_starter_catalog(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kb/data/concepts.toml" in names and "kb/data/starter_catalog.toml" in names
    assert any(n.startswith("kb/site_templates/") and n.endswith(".html") for n in names)
    assert any(n.startswith("kb/site_templates/") and n.endswith(".css") for n in names)
    assert "kb/cli.py" in names and "kb/commands/search.py" in names
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "kb").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules <= names, f"modules missing from the wheel: {sorted(modules - names)}"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kb = kb.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
