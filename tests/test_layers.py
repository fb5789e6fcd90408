"""The layers are a checked contract (style rule 19): import-linter runs the contracts in
pyproject.toml ([tool.importlinter]) here, so the suite (and CI, which runs it) fails when a
module imports from a layer above its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_are_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_against_the_layers_is_found(tmp_path: Path) -> None:
    # The contract the other way up (the domain above the command line) must break: the tool
    # reads the real imports rather than passing whatever it is given.
    upside_down = tmp_path / "upside-down.toml"
    upside_down.write_text(
        "[tool.importlinter]\n"
        'root_package = "ledger"\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "upside down"\n'
        'type = "layers"\n'
        'layers = ["ledger.domain", "ledger.cli"]\n'
    )
    result = _lint("--config", str(upside_down))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "upside down BROKEN" in result.stdout
    assert "ledger.cli" in result.stdout and "ledger.domain" in result.stdout
