"""The README's tour works as printed, in both languages.

The shell blocks of README.md, from "A tour" to the attacker's edit, are run in order with bash
in a fresh directory, as a reader would paste them, with only these changes: `make demo` becomes
the command it runs (`ledger demo --dir demo-ledger`; the virtual environment already exists
here), activating the environment becomes putting its `bin` on PATH, the example record file is
found in this checkout, and the two placeholders a reader fills in by hand (`ed25519:…`, the
checkpoint key, and `ledger/<id>`, the origin) take the values `ledger checkpoint --json`
prints. Every command must succeed, except the last `verify`, which must find the attacker's
edit (exit 1, naming the changed event).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def tour_script() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## A tour")
    end = text.index("## PostgreSQL")
    blocks = re.findall(r"```sh\n(.*?)```", text[start:end], flags=re.S)
    assert len(blocks) >= 8
    script = "\n".join(blocks)
    script = script.replace("make demo", "ledger demo --dir demo-ledger")
    script = script.replace(". .venv/bin/activate\n", "")
    script = script.replace("docs/examples/county.yaml", str(ROOT / "docs/examples/county.yaml"))
    assert "ed25519:…" in script and "ledger/<id>" in script
    script = script.replace("ed25519:…", '"$KEY"').replace("ledger/<id>", '"$ORIGIN"')
    lookup = (
        "DOC=$(ledger --home demo-ledger checkpoint --json)\n"
        'KEY=$(printf %s "$DOC" | python3 -c '
        "'import json,sys; print(json.load(sys.stdin)[\"key\"])')\n"
        'ORIGIN=$(printf %s "$DOC" | python3 -c '
        "'import json,sys; print(json.load(sys.stdin)[\"origin\"])')\n"
    )
    first = script.index("ledger --home demo-ledger verify")
    script = script[:first] + lookup + script[first:]
    last = script.index("ledger --home county verify ;")  # its failure is the point
    return "set -euo pipefail\n" + script[:last] + "set +e\n" + script[last:]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_of_the_tour_works_as_printed(tmp_path: Path, lang: str) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "LEDGER_LANG": lang,
        "NO_COLOR": "1",
    }
    env.pop("LEDGER_PASSPHRASE", None)
    env.pop("LEDGER_HOME", None)
    done = subprocess.run(
        ["bash", "-c", tour_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    assert done.stdout.rstrip().endswith("exit code 1"), output[-1500:]
    broken = "完整性校验失败" if lang == "zh" else "integrity failure at position 2"
    assert broken in output, output[-1500:]
    assert (tmp_path / "archive.zip").is_file() and (tmp_path / "cosigned.txt").is_file()
    assert (tmp_path / "标准厂房二期.html").is_file()
