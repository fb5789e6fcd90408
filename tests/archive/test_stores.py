"""Export and offline verification on each store (SQLite and PostgreSQL): one contract, each store
subclasses it. The archive of a ledger is the same whatever store kept it."""

from __future__ import annotations

from pathlib import Path

from ledger.store.service import LedgerService
from tests.archive.conftest import members, record_county, run, standalone
from tests.archive.test_tamper import outcome
from tests.store.backends import PostgresBackend, RawStore, SQLiteBackend, StoreContract

MATTER = "县城供水管网改造方案"


class ArchiveContract(StoreContract):
    def test_whole_and_matter_archives_verify(self, service: LedgerService, tmp_path: Path) -> None:
        record_county(service)
        key = service.config.genesis_key
        home = str(service.home.path)
        whole, matter = tmp_path / "whole.zip", tmp_path / "matter.zip"
        assert run("--home", home, "export", "--out", str(whole)).exit_code == 0
        args = ("--matter", MATTER, "--withhold", MATTER)
        assert run("--home", home, "export", "--out", str(matter), *args).exit_code == 0
        assert outcome(whole, key) == outcome(matter, key) == 0
        stored = b"".join(row.state + b"\n" for page in service.app.rows() for row in page)
        assert members(whole)["records.txt"] == stored
        done = standalone(matter, "--trusted-key", key, workdir=tmp_path / "sa")
        assert done.returncode == 0, done.stdout + done.stderr

    def test_a_row_changed_in_the_database_is_caught_in_the_archive(
        self, service: LedgerService, raw: RawStore, tmp_path: Path
    ) -> None:
        """The export carries the stored bytes as they are; a payload changed in the database
        after it was sealed travels into the archive, where the verifier names it."""
        service.register_member("张三", "书记")
        service.register_member("李四")
        row = raw.rows()[1]
        raw.set_state(row.row, row.state.replace("张三".encode(), "王五".encode()))
        archive = tmp_path / "x.zip"
        assert run("--home", str(service.home.path), "export", "--out", str(archive)).exit_code == 0
        result = run("verify-archive", str(archive), "--trusted-key", service.config.genesis_key)
        assert result.exit_code == 1
        assert "at position 2" in result.stdout
        assert "payload does not match its commitment" in result.stdout


class TestArchiveSQLite(ArchiveContract):
    backend = SQLiteBackend()


class TestArchivePostgres(ArchiveContract):
    backend = PostgresBackend()
