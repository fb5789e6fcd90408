"""Archives from hostile hands: each malformed or malicious file is refused with exit 2 and one
line saying why, by ``ledger verify-archive`` and by the standalone script, and nothing is
written anywhere (an archive is never extracted)."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.archive import layout
from ledger.archive.read import ArchiveFormatError, open_archive
from tests.archive.conftest import County, members, run, standalone

UUID = "3f76fffc-0000-4000-8000-000000000001"


def _zip(
    entries: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_STORED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as z:
        for info, data in entries:
            z.writestr(info, data)
    return buffer.getvalue()


def _canonical(entries: list[tuple[str, bytes]]) -> bytes:
    """Entries in the canonical layout, names unchecked (as a forger would write them)."""
    out = io.BytesIO()
    directory = b""
    for name, data in entries:
        raw = name.encode()
        offset = out.tell()
        crc = zlib.crc32(data)
        out.write(layout.local_header(raw, crc, len(data)) + data)
        directory += layout.central_header(raw, crc, len(data), offset)
    start = out.tell()
    out.write(directory + layout.end_record(len(entries), len(directory), start))
    return out.getvalue()


def _symlink() -> bytes:
    info = zipfile.ZipInfo("records.txt")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return _zip([(info, b"/etc/passwd")])


def _too_many() -> bytes:
    # an end record claiming more members than the limit (checked before anything is read)
    return layout.end_record(layout.MAX_MEMBERS + 1, 0, 0)


def _oversized() -> bytes:
    # a page declaring 100 MiB: refused on its declared size, before a byte of it is read
    data = _canonical([("html/index.en.html", b"x")])
    size = 100 << 20
    return data.replace(struct.pack("<II", 1, 1), struct.pack("<II", size, size))


HOSTILE: dict[str, tuple[Callable[[County], bytes], str]] = {
    "empty_file": (lambda _: b"", "the file is empty"),
    "not_a_zip": (lambda _: b"%PDF-1.7\n" + b"x" * 100, "not a ledger archive"),
    "path_traversal": (
        lambda _: _canonical([("../../evil.txt", b"x")]),
        "climbs out of the archive",
    ),
    "absolute_path": (lambda _: _canonical([("/etc/cron.d/x", b"x")]), "absolute path"),
    "backslash": (lambda _: _canonical([("html\\..\\x.txt", b"x")]), "backslash"),
    "unexpected_name": (lambda _: _canonical([("evil.sh", b"rm -rf /")]), "unexpected member"),
    "duplicate_names": (
        lambda _: _canonical([("records.txt", b"a\n"), ("records.txt", b"b\n")]),
        "appears twice",
    ),
    "too_many_members": (lambda _: _too_many(), "above the limit"),
    "zip_bomb": (
        lambda _: _zip([("records.txt", bytes(200 << 20))], zipfile.ZIP_DEFLATED),
        "compressed",
    ),
    "oversized_member": (lambda _: _oversized(), "above the limit"),
    "symlink": (lambda _: _symlink(), "symbolic link"),
    "stdlib_zip": (
        lambda c: _zip(list(members(c.whole).items())),
        "not those of the canonical layout",
    ),
    "data_appended": (lambda c: c.whole.read_bytes() + b"\x00" * 10, "no ZIP end record"),
    "data_prepended": (lambda c: b"MZ" + c.whole.read_bytes(), "central directory"),
    "a_member_missing": (
        lambda c: _canonical([(n, d) for n, d in members(c.whole).items() if n != "records.txt"]),
        "no records.txt",
    ),
    "records_not_whole": (
        lambda c: _canonical(
            [(n, d[:-1] if n == "records.txt" else d) for n, d in members(c.whole).items()]
        ),
        "records.txt",
    ),
}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_a_hostile_file_is_refused(
    county: County, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attack: str
) -> None:
    make, words = HOSTILE[attack]
    work = tmp_path / "work"
    work.mkdir()
    archive = tmp_path / "hostile.zip"
    archive.write_bytes(make(county))
    monkeypatch.chdir(work)
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(work))
    result = run("verify-archive", str(archive), "--trusted-key", county.key)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (sorted(os.listdir(tmp_path)), sorted(os.listdir(work))) == before
    sa = tmp_path / "sa"
    done = standalone(archive, "--trusted-key", county.key, workdir=sa, script_from=county.whole)
    assert done.returncode == 2, done.stdout + done.stderr
    assert sorted(os.listdir(sa)) == ["verify_archive.py"]


def test_a_directory_is_not_an_archive(tmp_path: Path) -> None:
    result = run("verify-archive", str(tmp_path))
    assert result.exit_code == 2


def test_a_missing_file(tmp_path: Path) -> None:
    result = run("verify-archive", str(tmp_path / "none.zip"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_the_writer_writes_what_the_reader_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with open(path, "wb") as f:
        writer = layout.ArchiveWriter(f)
        for name in layout.REQUIRED_NAMES:
            writer.add(name, f"{name}\n".encode())
        with writer.stream(f"html/{UUID}.zh.html") as write:
            write(b"<p>")
            write("中文".encode())
        writer.close()
    with open_archive(path) as opened:
        assert opened.names == [*layout.REQUIRED_NAMES, f"html/{UUID}.zh.html"]
        assert opened.text(f"html/{UUID}.zh.html") == "<p>中文"
        assert list(opened.lines("manifest.json")) == [b"manifest.json"]
    with zipfile.ZipFile(path) as z:  # any ZIP reader reads it
        assert z.testzip() is None and z.read("keys.json") == b"keys.json\n"


def test_the_writer_refuses_a_name_the_format_does_not_have(tmp_path: Path) -> None:
    with open(tmp_path / "a.zip", "wb") as f, pytest.raises(ValueError, match="not a member"):
        layout.ArchiveWriter(f).add("../x", b"")


def test_strict_json_refuses_floats_and_duplicates(tmp_path: Path) -> None:
    from ledger.archive.read import parse_strict_json

    with pytest.raises(ArchiveFormatError, match="duplicate key"):
        parse_strict_json('{"a":1,"a":2}', "x")
    with pytest.raises(ArchiveFormatError, match="not an integer"):
        parse_strict_json('{"a":1.5}', "x")
    with pytest.raises(ArchiveFormatError, match="not an integer"):
        parse_strict_json('{"a":NaN}', "x")
    with pytest.raises(ArchiveFormatError, match="not valid JSON"):
        parse_strict_json("[" * 100_000, "x")
