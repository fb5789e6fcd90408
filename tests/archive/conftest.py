"""Archives to test: the demo ledger (built once for the whole package of tests), exported whole,
by matter, by period and with its confidential matters withheld; and helpers to run both
verifiers (``ledger verify-archive`` and the standalone ``verify_archive.py``), and to rebuild
an archive with one member changed (its CRC recomputed, as a forger would)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ledger.archive.layout import MANIFEST, ArchiveWriter
from ledger.archive.read import open_archive
from ledger.cli.main import cli
from ledger.integrity.digest import sha256
from ledger.store.demo import build_ledger
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

AS_OF = "2026-12-31T23:00:00+08:00"  # the demo's year is dated ahead: read it as of its end
FAILED = "县经济开发区标准厂房二期建设项目"  # the demo's failed decision


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """``ledger ARGS`` in-process; never a traceback."""
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def standalone(
    archive: Path, *args: str, workdir: Path, script_from: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The archive's own ``verify_archive.py``, taken from the archive (or, for a damaged one,
    from the good archive ``script_from``), run as the auditor runs it: ``python
    verify_archive.py ARCHIVE``."""
    with open_archive(script_from or archive) as opened:
        script = opened.read("verify_archive.py")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "verify_archive.py").write_bytes(script)
    done = subprocess.run(
        [sys.executable, "verify_archive.py", str(archive), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def members(archive: Path) -> dict[str, bytes]:
    """Every member, by name, in the file's order."""
    with open_archive(archive) as opened:
        return {name: opened.read(name) for name in opened.names}


def rebuild(
    source: Path,
    target: Path,
    change: Callable[[dict[str, bytes]], dict[str, bytes]],
    *,
    fix_manifest: bool = False,
) -> Path:
    """``source`` with its members changed by ``change``, written in the canonical layout (so
    CRCs agree: what a forger produces); with ``fix_manifest`` the manifest's digests are
    recomputed too, so only the signed content can tell."""
    content = change(dict(members(source)))
    if fix_manifest and MANIFEST in content:
        manifest = json.loads(content[MANIFEST])
        manifest["members"] = [
            {"name": n, "sha256": sha256(data), "size": len(data)}
            for n, data in content.items()
            if n != MANIFEST
        ]
        content[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    with open(target, "wb") as f:
        writer = ArchiveWriter(f)
        for name, data in content.items():
            writer.add(name, data)
        writer.close()
    return target


def manifest_of(archive: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(members(archive)[MANIFEST])
    return result


@dataclass(frozen=True)
class Demo:
    """The demo ledger and its archives."""

    home: Path
    key: str  # the ledger key (trust anchor)
    whole: Path
    matter: Path
    period: Path
    confidential: Path

    def service(self) -> LedgerService:
        return LedgerService.open(LedgerHome(self.home))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo ledger (size 1, about 1,900 events) and four exports of it."""
    base = tmp_path_factory.mktemp("demo")
    home = base / "ledger"
    build_ledger(home, size=1)
    key = json.loads((home / "ledger.json").read_text())["genesis_key"]
    out = base / "archives"
    out.mkdir()

    def export(name: str, *args: str) -> Path:
        path = out / f"{name}.zip"
        result = run("--home", str(home), "export", "--out", str(path), *args)
        assert result.exit_code == 0, result.stdout + result.stderr
        return path

    yield Demo(
        home=home,
        key=key,
        whole=export("whole"),
        matter=export("matter", "--matter", FAILED, "--consistency-from", "1000"),
        period=export("period", "--from", "2026-04-01", "--until", "2026-06-30"),
        confidential=export("confidential", "--withhold", "confidential"),
    )
    shutil.rmtree(base, ignore_errors=True)


@dataclass(frozen=True)
class County:
    """A small ledger (docs/examples/county.yaml: people, one matter decided) and its export."""

    home: Path
    key: str
    whole: Path
    matter: Path


def record_county(service: LedgerService) -> None:
    """The example county's people, then its matter and the meeting that decides it."""
    from tests.domain.rules.conftest import Clock, CountyLedger, county_people, county_rest

    county = CountyLedger(service, Clock(service.clock() if service.clock else datetime.now(UTC)))
    county.record(*county_people())
    county.record_promptly(county_rest())


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    base = tmp_path_factory.mktemp("county")
    home = base / "ledger"
    service = LedgerService.create(LedgerHome(home), "XX县委员会", passphrase=None)
    try:
        record_county(service)
    finally:
        service.app.close()
    key = json.loads((home / "ledger.json").read_text())["genesis_key"]
    whole, matter = base / "whole.zip", base / "matter.zip"
    for path, args in ((whole, ()), (matter, ("--matter", "县城供水管网改造方案"))):
        result = run("--home", str(home), "export", "--out", str(path), *args)
        assert result.exit_code == 0, result.stdout + result.stderr
    yield County(home, key, whole, matter)
    shutil.rmtree(base, ignore_errors=True)
