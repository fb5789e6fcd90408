"""Named attacks on an archive, each caught by both verifiers, with the same exit code.

Two kinds: a changed byte anywhere in the file (the canonical layout and the members' CRC-32
leave no byte unchecked, so every flip is exit 1 or 2, never 0, never a traceback); and a
forger's edit of one member with the ZIP rebuilt around it (CRCs recomputed, and where it says
so the manifest's digests too), which only the hashes, signatures and proofs can catch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.archive.read import open_archive
from ledger.archive.verify import verify_archive
from ledger.errors import LedgerError
from ledger.integrity.canonical import canonical_bytes
from tests.archive.conftest import County, Demo, members, rebuild, run, standalone

Change = Callable[[dict[str, bytes]], dict[str, bytes]]
FUZZ = int(os.environ.get("LEDGER_FUZZ", "40"))  # random edits per member


def outcome(archive: Path, key: str) -> int:
    """The exit code ``ledger verify-archive`` gives, computed in-process (fast)."""
    try:
        report = verify_archive(archive, trusted_key=key)
    except LedgerError as e:
        return e.exit_code
    return 0 if report.ok else 1


def _layout_spans(archive: Path) -> list[int]:
    """Every byte of the file that is not member content: headers, names, directory, end."""
    with open_archive(archive) as opened:
        size = opened.size
        content: set[int] = set()
        for member in opened.members.values():
            content.update(range(member.data_offset, member.data_offset + member.size))
    return [i for i in range(size) if i not in content]


def test_flipping_any_byte_is_caught(county: County, tmp_path: Path) -> None:
    data = county.whole.read_bytes()
    positions = sorted(set(_layout_spans(county.whole)) | set(range(0, len(data), 53)))
    assert len(positions) > 1000
    flipped = tmp_path / "flipped.zip"
    for i, position in enumerate(positions):
        changed = bytearray(data)
        changed[position] ^= 0x01 if i % 2 else 0xFF
        flipped.write_bytes(bytes(changed))
        code = outcome(flipped, county.key)
        assert code in (1, 2), f"byte {position} flipped: exit {code}"


def test_flipped_bytes_through_both_commands(county: County, tmp_path: Path) -> None:
    data = county.whole.read_bytes()
    for n, position in enumerate(range(7, len(data), len(data) // 12)):
        changed = bytearray(data)
        changed[position] ^= 0x20
        flipped = tmp_path / f"flipped-{n}.zip"
        flipped.write_bytes(bytes(changed))
        result = run("verify-archive", str(flipped), "--trusted-key", county.key)
        assert result.exit_code in (1, 2), position
        assert len((result.stderr or result.stdout).strip().splitlines()) <= 4
        done = standalone(
            flipped, "--trusted-key", county.key, workdir=tmp_path / "sa", script_from=county.whole
        )
        assert done.returncode in (1, 2), position


# --- a forger's edits ----------------------------------------------------------------------


def _record_lines(content: dict[str, bytes]) -> list[bytes]:
    return content["records.txt"].split(b"\n")[:-1]


def _set_records(content: dict[str, bytes], lines: list[bytes]) -> dict[str, bytes]:
    content["records.txt"] = b"".join(line + b"\n" for line in lines)
    return content


def _edit_record(index: int, line: int, edit: Callable[[bytes], bytes]) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        lines = _record_lines(content)
        lines[3 * index + line] = edit(lines[3 * index + line])
        return _set_records(content, lines)

    return change


def _withhold(index: int, *, listed: bool) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        lines = _record_lines(content)
        lines[3 * index + 2] = b'{"withheld":"confidential"}'
        if listed:
            manifest = json.loads(content["manifest.json"])
            manifest["withheld"] = [{"position": index + 1, "reason": "confidential"}]
            manifest["counts"]["withheld"] = 1
            content["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
        return _set_records(content, lines)

    return change


def _drop_record(index: int) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        lines = _record_lines(content)
        start = 3 * (index % (len(lines) // 3))
        del lines[start : start + 3]
        return _set_records(content, lines)

    return change


def _swap_records(a: int, b: int) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        lines = _record_lines(content)
        first, second = lines[3 * a : 3 * a + 3], lines[3 * b : 3 * b + 3]
        lines[3 * a : 3 * a + 3], lines[3 * b : 3 * b + 3] = second, first
        return _set_records(content, lines)

    return change


def _drop_act_signatures() -> Change:
    """The first record with an act signature loses it: the header (hashed) is untouched, so
    only the header's ``signers`` shows what the seal should hold."""

    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        lines = _record_lines(content)
        at = next(i for i in range(1, len(lines), 3) if b'"role":"act"' in lines[i])
        seal = json.loads(lines[at])
        seal["sigs"] = [s for s in seal["sigs"] if s["role"] == "record"]
        lines[at] = canonical_bytes(seal)
        return _set_records(content, lines)

    return change


def _member(name: str, edit: Callable[[bytes], bytes]) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        content[name] = edit(content[name])
        return content

    return change


def _first(prefix: str, edit: Callable[[bytes], bytes]) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        name = next(n for n in content if n.startswith(prefix))
        content[name] = edit(content[name])
        return content

    return change


def _manifest(edit: Callable[[dict[str, object]], None]) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        document = json.loads(content["manifest.json"])
        edit(document)
        content["manifest.json"] = json.dumps(document, ensure_ascii=False).encode()
        return content

    return change


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return edit


def _add(name: str, data: bytes) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        content[name] = data
        return content

    return change


def _pop_member(name: str) -> Change:
    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        del content[name]
        return content

    return change


def _tlog_path(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[3] = lines[4]  # an audit path hash replaced by its neighbour
    return b"\n".join(lines)


def _set_events(document: dict[str, object]) -> None:
    counts = document["counts"]
    assert isinstance(counts, dict)
    counts["events"] = 3


def _proof_hash(data: bytes) -> bytes:
    document = json.loads(data)
    path = document["inclusion"][1]["path"]
    digit = "1" if path[0][-1] == "0" else "0"
    path[0] = path[0][:-1] + digit  # still a well-formed digest, of another node
    return json.dumps(document).encode()


# name -> (change, fix the manifest's digests, expected exit, expected words)
WHOLE_ATTACKS: dict[str, tuple[Change, bool, int, str]] = {
    "payload_changed": (
        _edit_record(1, 2, _replace("王建国".encode(), "王建军".encode())),
        True,
        1,
        "at position 2\n  event:    member.registered\n  problem:  payload does not match",
    ),
    "header_changed": (
        _edit_record(2, 0, _replace(b'"occurred_at":"2026', b'"occurred_at":"2025')),
        True,
        1,
        "at position 3\n  event:    member.registered\n  problem:  stored hash",
    ),
    "signature_changed": (
        _edit_record(3, 1, lambda line: line.replace(b'"sig":"', b'"sig":"A', 1)[:-4] + b'="}]}'),
        True,
        1,
        "position 4",
    ),
    "record_removed": (_drop_record(5), True, 1, "position 6\n"),
    "records_swapped": (_swap_records(4, 5), True, 1, "position 5"),
    "tail_removed": (_drop_record(-1), True, 1, "were removed"),
    "withheld_unlisted": (_withhold(1, listed=False), True, 1, "withheld positions"),
    "checkpoint_root_changed": (
        _member("checkpoint.txt", lambda d: d.replace(d.split(b"\n")[2], b"A" * 43 + b"=")),
        True,
        1,
        "do not match the signed checkpoint",
    ),
    "page_changed": (
        _first("html/index.en.html", _replace(b"<h1>", b"<h1>Forged ")),
        False,
        1,
        "html/index.en.html",
    ),
    "member_added": (_add("proofs.json", b"{}"), True, 2, "a whole archive holds no proofs.json"),
    "member_unlisted": (_add("README.txt", b"x"), False, 1, "README.txt"),
    "member_removed": (_pop_member("verify_archive.py"), False, 1, "verify_archive.py"),
    "keys_changed": (
        _member("keys.json", _replace(b'"registered": 0', b'"registered": 1')),
        True,
        1,
        "keys.json",
    ),
    "decision_proof_changed": (_first("proofs/", _tlog_path), True, 1, "does not prove"),
    "manifest_counts_changed": (_manifest(_set_events), False, 1, "manifest"),
    "manifest_duplicate_key": (
        _member("manifest.json", lambda d: b'{"format":"x",' + d[1:]),
        False,
        2,
        "duplicate key",
    ),
    "manifest_not_utf8": (
        _member("manifest.json", lambda d: d.replace(b"{", b"{\xff", 1)),
        False,
        2,
        "manifest.json",
    ),
}


@pytest.mark.parametrize("attack", sorted(WHOLE_ATTACKS))
def test_a_forgers_edit_is_caught(county: County, tmp_path: Path, attack: str) -> None:
    change, fix, expected, words = WHOLE_ATTACKS[attack]
    if attack == "member_unlisted":
        change = _pop_then_add("README.txt")
    forged = rebuild(county.whole, tmp_path / f"{attack}.zip", change, fix_manifest=fix)
    result = run("verify-archive", str(forged), "--trusted-key", county.key)
    assert result.exit_code == expected, result.stdout + result.stderr
    assert words in result.stdout + result.stderr
    done = standalone(
        forged, "--trusted-key", county.key, workdir=tmp_path / "sa", script_from=county.whole
    )
    assert done.returncode == expected, done.stdout + done.stderr


def test_a_removed_act_signature_is_caught(demo: Demo, tmp_path: Path) -> None:
    """A member's own signature taken off their act (the demo's members sign their votes and
    opinions; the small county ledger has none): both verifiers name it, the standalone one
    reading only format.md's rule that the header's signers lists the act signatures."""
    forged = rebuild(
        demo.whole, tmp_path / "unsigned.zip", _drop_act_signatures(), fix_manifest=True
    )
    result = run("verify-archive", str(forged), "--trusted-key", demo.key)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "problem:  the header lists signer ed25519:" in result.stdout + result.stderr
    done = standalone(forged, "--trusted-key", demo.key, workdir=tmp_path / "sa")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the signatures are not one record signature then one act signature" in (
        done.stdout + done.stderr
    )


def _pop_then_add(name: str) -> Change:
    """Take a member out of the manifest's list but keep it in the archive."""

    def change(content: dict[str, bytes]) -> dict[str, bytes]:
        document = json.loads(content["manifest.json"])
        document["members"] = [m for m in document["members"] if m["name"] != name]
        content["manifest.json"] = json.dumps(document, ensure_ascii=False).encode()
        return content

    return change


def test_withheld_is_told_from_tampered(county: County, tmp_path: Path) -> None:
    """A body replaced by the withheld form and listed verifies (the commitment stays in the
    signed header); a body changed in place does not."""
    withheld = rebuild(
        county.whole, tmp_path / "w.zip", _withhold(1, listed=True), fix_manifest=True
    )
    report = verify_archive(withheld, trusted_key=county.key)
    assert report.ok and report.withheld == [(2, "confidential")]
    tampered = rebuild(
        county.whole,
        tmp_path / "t.zip",
        _edit_record(1, 2, _replace("王建国".encode(), "王建军".encode())),
        fix_manifest=True,
    )
    failure = verify_archive(tampered, trusted_key=county.key).failure
    assert failure is not None and failure.position == 2
    assert failure.problem == "payload does not match its commitment"


def test_pages_are_not_evidence(county: County, tmp_path: Path) -> None:
    """A page changed with the manifest recomputed to match still verifies: pages are renderings,
    listed with their digests, and not signed (docs/archive-format.md, "What is evidence")."""
    forged = rebuild(
        county.whole,
        tmp_path / "page.zip",
        _first("html/index.en.html", _replace(b"<h1>", b"<h1>Forged ")),
        fix_manifest=True,
    )
    assert verify_archive(forged, trusted_key=county.key).ok


PARTIAL_ATTACKS: dict[str, tuple[Change, int, str]] = {
    "proof_changed": (_member("proofs.json", _proof_hash), 1, "not in the log the checkpoint"),
    "records_reordered": (_swap_records(2, 3), 1, "out of order"),
    "record_dropped_with_its_proof": (_drop_record(2), 1, "proofs for positions"),
    "head_dropped": (_drop_record(-1), 1, "does not end with the checkpoint's last event"),
}


@pytest.mark.parametrize("attack", sorted(PARTIAL_ATTACKS))
def test_a_forgers_edit_of_a_partial_archive_is_caught(
    county: County, tmp_path: Path, attack: str
) -> None:
    change, expected, words = PARTIAL_ATTACKS[attack]
    forged = rebuild(county.matter, tmp_path / f"{attack}.zip", change, fix_manifest=True)
    result = run("verify-archive", str(forged), "--trusted-key", county.key)
    assert result.exit_code == expected, result.stdout + result.stderr
    assert words in result.stdout + result.stderr
    done = standalone(
        forged, "--trusted-key", county.key, workdir=tmp_path / "sa", script_from=county.whole
    )
    assert done.returncode == result.exit_code, done.stdout + done.stderr


def test_the_county_archives_verify(county: County, tmp_path: Path) -> None:
    for archive in (county.whole, county.matter):
        assert outcome(archive, county.key) == 0
        done = standalone(archive, "--trusted-key", county.key, workdir=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
    assert set(members(county.whole)) >= {"records.txt", "manifest.json", "verify_archive.py"}


# --- random edits: both verifiers refuse each one, neither ever crashes ------------------------


@pytest.fixture(scope="module")
def second_implementation() -> Callable[[list[str]], int]:
    """The standalone verifier's ``main``, imported from the package's copy."""
    import importlib.util

    import ledger.archive

    path = Path(ledger.archive.__file__).with_name("verify_archive.py")
    spec = importlib.util.spec_from_file_location("standalone_verifier", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    main: Callable[[list[str]], int] = module.main
    return main


@pytest.mark.parametrize("member", ["records.txt", "checkpoint.txt", "keys.json", "manifest.json"])
def test_random_edits_of_a_member(
    county: County,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    second_implementation: Callable[[list[str]], int],
    member: str,
) -> None:
    import random

    rng = random.Random(f"ledger-{member}")
    original = members(county.whole)[member]
    alphabet = b'0123456789abcdef"{}[],:\\\n xyz\xff\xe4'
    forged = tmp_path / "forged.zip"
    for _ in range(FUZZ):
        data = bytearray(original)
        for _ in range(rng.choice((1, 1, 2, 5))):
            position = rng.randrange(len(data))
            data[position] = rng.choice(alphabet)
        if bytes(data) == original:
            continue
        rebuild(
            county.whole,
            forged,
            _member(member, lambda _, d=bytes(data): d),
            fix_manifest=member != "manifest.json",
        )
        first = outcome(forged, county.key)
        second = second_implementation([str(forged), "--trusted-key", county.key])
        capsys.readouterr()
        assert first == second, (first, second, bytes(data)[:300])
        if first == 0:  # only an edit that changes nothing the archive vouches for
            assert _substance(member, bytes(data)) == _substance(member, original)
        else:
            assert first in (1, 2)


DESCRIPTION = ("created_at", "generator")  # manifest fields nothing can vouch for


def _substance(member: str, data: bytes) -> object:
    """What a member says, less whitespace and the manifest's description."""
    try:
        document = json.loads(data)
    except ValueError:
        return data
    if member == "manifest.json" and isinstance(document, dict):
        return {k: v for k, v in document.items() if k not in DESCRIPTION}
    return document
