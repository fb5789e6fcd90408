"""docs/verification.md's walk by hand runs as written, against real archives: its Python blocks,
pasted one after another, verify the demo's whole, matter and withholding archives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.archive.conftest import Demo, members

DOC = Path(__file__).parents[2] / "docs" / "verification.md"
ARCHIVE_LINE = 'ARCHIVE = "ledger-2026.zip"'
KEY_LINE = 'KEY = "ed25519:…"  # the ledger key, from the office, out of band'
HELD_LINE = 'HELD = None  # or "held.txt"'


def _script(archive: Path, key: str, held: Path | None) -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    script = "\n".join(blocks)
    for line in (ARCHIVE_LINE, KEY_LINE, HELD_LINE):
        assert line in script, line
    return (
        script.replace(ARCHIVE_LINE, f"ARCHIVE = {str(archive)!r}")
        .replace(KEY_LINE, f"KEY = {key!r}")
        .replace(HELD_LINE, f"HELD = {str(held) if held else None!r}")
    )


@pytest.mark.parametrize("which", ["whole", "matter", "period", "confidential"])
def test_the_walk_by_hand_verifies_the_demo(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str
) -> None:
    archive: Path = getattr(demo, which)
    held = tmp_path / "held.txt"
    held.write_bytes(members(archive)["checkpoint.txt"])
    exec(compile(_script(archive, demo.key, held), str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert "the ledger signed:" in out and "records checked" in out


def test_the_walk_by_hand_finds_a_changed_payload(demo: Demo, tmp_path: Path) -> None:
    from tests.archive.conftest import rebuild

    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        content["records.txt"] = content["records.txt"].replace(
            "王建国".encode(), "王建军".encode(), 1
        )
        return content

    forged = rebuild(demo.whole, tmp_path / "forged.zip", change, fix_manifest=True)
    with pytest.raises(AssertionError):
        exec(compile(_script(forged, demo.key, None), str(DOC), "exec"), {})
