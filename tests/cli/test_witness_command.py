"""``ledger witness`` end to end through click's runner: a ledger hands its checkpoints and
consistency proofs to a witness in a directory of its own; exit codes, stdout and stderr apart,
and never a traceback."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from ledger.integrity.checkpoint import parse_checkpoint, sign_checkpoint, verify_checkpoint
from ledger.integrity.digest import digest_bytes, to_digest
from ledger.integrity.keys import SigningKey
from ledger.integrity.merkle import MemoryTree, verify_consistency
from ledger.integrity.witness import verify_cosignature

NAME = "jw.example.gov.cn/witness"
NO_PASSPHRASE = {"LEDGER_KEY_PASSPHRASE": None, "LEDGER_PASSPHRASE": None}


def run(*args: str | Path, env: Mapping[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={**NO_PASSPHRASE, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr
    return result


class County:
    """A ledger in a home, and its witness in a directory of its own."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.home = tmp_path / "county"
        self.wdir = tmp_path / "jw"
        assert run("--home", self.home, "init", "--name", "XX县委", "--unencrypted").exit_code == 0
        config = json.loads((self.home / "ledger.json").read_text(encoding="utf-8"))
        self.origin = f"ledger/{config['ledger_id']}"
        self.log_key = config["checkpoint_key"]

    def ledger(self, *args: str | Path) -> Result:
        result = run("--home", self.home, *args)
        assert result.exit_code == 0, result.stderr
        return result

    def grow(self, *names: str) -> None:
        for name in names:
            self.ledger("member", "add", name)

    def checkpoint(self, label: str) -> Path:
        path = self.tmp / f"{label}.txt"
        self.ledger("checkpoint", "--out", path)
        return path

    def proof(self, old: int, new: int) -> Path:
        path = self.tmp / f"proof-{old}-{new}.json"
        path.write_text(self.ledger("consistency", str(old), str(new), "--json").stdout)
        return path

    def init_witness(self, *extra: str, env: Mapping[str, str | None] | None = None) -> Result:
        return run(
            "witness", "init", "--dir", self.wdir, "--name", NAME, "--origin", self.origin,
            "--log-key", self.log_key, *extra, env=env,
        )  # fmt: skip

    def cosign(self, *args: str | Path, env: Mapping[str, str | None] | None = None) -> Result:
        return run("witness", "cosign", "--dir", self.wdir, *args, env=env)

    def shown(self) -> dict[str, object]:
        result = run("witness", "show", "--dir", self.wdir, "--json")
        assert result.exit_code == 0, result.stderr
        document: dict[str, object] = json.loads(result.stdout)
        return document

    def size(self) -> int:
        logs = self.shown()["logs"]
        assert isinstance(logs, list)
        (log,) = logs
        return int(log["size"])

    def evidence(self) -> list[Path]:
        return sorted((self.wdir / "evidence").glob("*.txt"))

    def reports(self) -> list[Path]:
        return sorted((self.wdir / "evidence").glob("misbehaviour-*.json"))

    def forge(self, label: str, size: int, root: bytes) -> Path:
        """A checkpoint the ledger's operator signs with the ledger's own key."""
        (key_file,) = (self.home / "keys").glob("*.key")
        ledger_key = SigningKey.from_pem(key_file.read_bytes(), None)
        assert ledger_key.key_id == self.log_key
        path = self.tmp / f"{label}.txt"
        path.write_text(sign_checkpoint(self.origin, size, root, ledger_key).text())
        return path


@pytest.fixture
def county(tmp_path: Path) -> County:
    return County(tmp_path)


@pytest.fixture
def witnessed(county: County) -> County:
    """The county with a witness (unencrypted key) that has cosigned nothing."""
    result = county.init_witness("--unencrypted")
    assert result.exit_code == 0, result.stderr
    return county


# --- the happy path ------------------------------------------------------------------------


def test_init_makes_key_and_state_and_shows_the_verifier_key(county: County) -> None:
    result = county.init_witness("--unencrypted", "--json")
    assert result.exit_code == 0, result.stderr
    made = json.loads(result.stdout)
    assert made["name"] == NAME and made["key"].startswith("ed25519:")
    assert made["verifier_key"].startswith(f"{NAME}+")
    assert base64.b64decode(made["verifier_key"].split("+", 2)[2])[:1] == b"\x04"
    assert made["logs"] == [
        {
            "origin": county.origin,
            "log_key": county.log_key,
            "size": 0,
            "root": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "cosigned_at": None,
        }
    ]
    assert (county.wdir / "witness.key").is_file() and (county.wdir / "witness.json").is_file()
    assert county.shown() == made


def test_first_checkpoint_is_cosigned_and_printed(witnessed: County) -> None:
    witnessed.grow("王建国")
    result = witnessed.cosign(witnessed.checkpoint("first"))
    assert result.exit_code == 0, result.stderr
    note = parse_checkpoint(result.stdout)
    key = str(witnessed.shown()["key"])
    assert verify_cosignature(note, NAME, key) > 0
    assert [s.name for s in note.signatures] == [witnessed.origin, NAME]
    assert witnessed.size() == 2


def test_proof_from_ledger_consistency_json_feeds_the_witness(witnessed: County) -> None:
    """Each command is a new run: the witness remembers what it cosigned in its state file."""
    witnessed.grow("王建国")
    first = witnessed.checkpoint("first")
    assert witnessed.cosign(first).exit_code == 0
    witnessed.grow("李明", "张华")
    second = witnessed.checkpoint("second")
    out = witnessed.tmp / "second-cosigned.txt"
    result = witnessed.cosign(second, "--proof", witnessed.proof(2, 4), "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "checkpoint of 4 events" in result.stdout and str(out) in result.stdout
    assert witnessed.size() == 4
    assert not (witnessed.wdir / "evidence").exists()
    note = parse_checkpoint(out.read_text(encoding="utf-8"))
    assert verify_cosignature(note, NAME, str(witnessed.shown()["key"])) > 0
    # The ledger's own verifier accepts the cosigned checkpoint it is given.
    verified = run("--home", witnessed.home, "verify", "--checkpoint", out)
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_tlog_witness_proof_lines_feed_the_witness(witnessed: County) -> None:
    witnessed.grow("王建国")
    assert witnessed.cosign(witnessed.checkpoint("first")).exit_code == 0
    witnessed.grow("李明", "张华", "赵强")
    proof = json.loads(witnessed.proof(2, 5).read_text(encoding="utf-8"))
    lines = [
        base64.b64encode(bytes.fromhex(h.removeprefix("sha256:"))).decode()
        for h in proof["consistency_path"]
    ]
    request = witnessed.tmp / "proof.txt"
    request.write_text("old 2\n" + "".join(line + "\n" for line in lines) + "\n")
    result = witnessed.cosign(witnessed.checkpoint("second"), "--proof", request)
    assert result.exit_code == 0, result.stderr
    assert witnessed.size() == 5
    assert not (witnessed.wdir / "evidence").exists()


def test_encrypted_witness_key_needs_its_passphrase(county: County) -> None:
    secret = {"LEDGER_KEY_PASSPHRASE": "correct horse"}
    assert county.init_witness(env=secret).exit_code == 0
    pem = (county.wdir / "witness.key").read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    checkpoint = county.checkpoint("first")
    missing = county.cosign(checkpoint)
    assert missing.exit_code == 2
    assert "LEDGER_KEY_PASSPHRASE" in missing.stderr
    wrong = county.cosign(checkpoint, env={"LEDGER_KEY_PASSPHRASE": "wrong"})
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.stderr
    assert county.size() == 0
    right = county.cosign(checkpoint, env=secret)
    assert right.exit_code == 0, right.stderr


def test_show_in_chinese(witnessed: County) -> None:
    result = run("--lang", "zh", "witness", "show", "--dir", witnessed.wdir)
    assert result.exit_code == 0
    assert "见证方：" in result.stdout and "验证密钥：" in result.stdout
    assert "尚未见证签名" in result.stdout


def test_witness_is_listed_in_help() -> None:
    result = run("--help")
    assert "witness" in result.stdout
    group = run("witness", "--help")
    assert group.exit_code == 0 and "cosign" in group.stdout and "init" in group.stdout


# --- refusals: exit 1 ----------------------------------------------------------------------


def test_a_smaller_checkpoint_is_refused_and_kept_as_evidence(witnessed: County) -> None:
    first = witnessed.checkpoint("first")
    witnessed.grow("王建国", "李明")
    assert witnessed.cosign(witnessed.checkpoint("second")).exit_code == 0
    result = witnessed.cosign(first)
    assert result.exit_code == 1
    assert "error: expected a checkpoint of at least 3 events" in result.stderr
    assert result.stdout == ""
    (kept,) = witnessed.evidence()
    assert kept.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert str(kept) in result.stderr
    assert witnessed.size() == 3
    assert witnessed.reports() == []  # no proof that the smaller tree is not a prefix


def test_a_rewritten_history_is_refused(witnessed: County) -> None:
    """The ledger's operator signs, with the ledger's own key, a checkpoint of the size the
    witness cosigned but another root: two histories under one key. The witness refuses and
    keeps it; with the one in its state it proves the ledger equivocated."""
    witnessed.grow("王建国")
    assert witnessed.cosign(witnessed.checkpoint("first")).exit_code == 0
    (key_file,) = (witnessed.home / "keys").glob("*.key")
    ledger_key = SigningKey.from_pem(key_file.read_bytes(), None)
    forged = sign_checkpoint(witnessed.origin, 2, bytes(32), ledger_key).text()
    path = witnessed.tmp / "forged.txt"
    path.write_text(forged, encoding="utf-8")
    result = witnessed.cosign(path)
    assert result.exit_code == 1
    assert "the log shows two histories" in result.stderr
    assert [p.read_text(encoding="utf-8") for p in witnessed.evidence()] == [forged]


def _report(path: Path, log_key: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A report checked from its own contents and the log key alone (its how_to_check steps 1
    and 2): both notes verify with the key and name one origin."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "ledger.misbehaviour/1"
    older, newer = document["checkpoints"]
    for entry in (older, newer):
        note = parse_checkpoint(entry["note"])
        assert entry["signed_by"] == log_key and verify_checkpoint(note, log_key)
        assert note.origin == document["origin"]
        assert (note.size, to_digest(note.root)) == (entry["size"], entry["root"])
    return document, older, newer


def test_a_fork_writes_a_misbehaviour_report(witnessed: County) -> None:
    """Two roots for the 2 events the witness cosigned, both signed by the ledger's key: the
    witness writes the report `ledger verify-archive` would, and says where, in both languages."""
    witnessed.grow("王建国")
    first = witnessed.checkpoint("first")
    assert witnessed.cosign(first).exit_code == 0
    state = (witnessed.wdir / "witness.json").read_text(encoding="utf-8")
    forged = witnessed.forge("forged", 2, bytes(32))
    result = witnessed.cosign(forged)
    assert result.exit_code == 1 and result.stdout == ""
    (report,) = witnessed.reports()
    assert report.name == f"misbehaviour-{witnessed.origin.replace('/', '_')}-2-2.json"
    assert f"misbehaviour report written to {report}" in result.stderr
    document, older, newer = _report(report, witnessed.log_key)
    assert document["kind"] == "same-size" and document["proof"] is None
    assert older["size"] == newer["size"] == 2 and older["root"] != newer["root"]
    assert older["note"] == first.read_text(encoding="utf-8")
    assert newer["note"] == forged.read_text(encoding="utf-8")
    assert (witnessed.wdir / "witness.json").read_text(encoding="utf-8") == state
    again = run("--lang", "zh", "witness", "cosign", "--dir", witnessed.wdir, forged)
    assert again.exit_code == 1
    (second,) = set(witnessed.reports()) - {report}  # kept evidence is never overwritten
    assert second.name == report.name.replace("-2-2.json", "-2-2-1.json")
    assert f"违规证据报告已写入 {second}" in again.stderr
    assert "日志呈现了两种历史" in again.stderr


@pytest.mark.parametrize("form", ["json", "lines"])
def test_a_rewritten_past_writes_a_misbehaviour_report(witnessed: County, form: str) -> None:
    """After the witness cosigned 3 events, the operator rebuilds the log with other events
    and signs 5, with a proof that holds for the new log: it implies another head for the first
    3, and the report proves it from the two signed notes and that proof alone."""
    witnessed.grow("王建国", "李明")
    first = witnessed.checkpoint("first")
    assert witnessed.cosign(first).exit_code == 0
    held_root = parse_checkpoint(first.read_text(encoding="utf-8")).root
    tree = MemoryTree(bytes([i]) * 32 for i in range(5))
    forged = witnessed.forge("rewritten", 5, tree.root(5))
    path = tree.consistency_proof(3, 5)
    proof = witnessed.tmp / "proof"
    if form == "json":  # `ledger consistency --json` names the old head: refused at step 5
        proof.write_text(
            json.dumps(
                {
                    "old_size": 3,
                    "old_root": to_digest(tree.root(3)),
                    "new_size": 5,
                    "new_root": to_digest(tree.root(5)),
                    "consistency_path": [to_digest(h) for h in path],
                }
            )
        )
    else:  # tlog-witness lines: the head is computed from the proof (step 7)
        proof.write_text("old 3\n" + "".join(base64.b64encode(h).decode() + "\n" for h in path))
    result = witnessed.cosign(forged, "--proof", proof)
    assert result.exit_code == 1 and result.stdout == ""
    (report,) = witnessed.reports()
    assert f"misbehaviour report written to {report}" in result.stderr
    document, older, newer = _report(report, witnessed.log_key)
    assert document["kind"] == "inconsistent"
    assert (older["size"], newer["size"]) == (3, 5)
    step = document["proof"]
    assert (step["old_size"], step["new_size"], step["new_root"]) == (3, 5, newer["root"])
    old_root = digest_bytes(step["old_root"])
    hashes = [digest_bytes(h) for h in step["consistency_path"]]
    verify_consistency(3, 5, old_root, digest_bytes(newer["root"]), hashes)
    assert old_root == tree.root(3) != held_root == digest_bytes(older["root"])
    assert witnessed.size() == 3


def test_a_fork_not_signed_by_the_ledger_key_writes_no_report(
    witnessed: County, tmp_path: Path
) -> None:
    witnessed.grow("王建国")
    assert witnessed.cosign(witnessed.checkpoint("first")).exit_code == 0
    path = tmp_path / "unsigned.txt"
    path.write_text(sign_checkpoint(witnessed.origin, 2, bytes(32), SigningKey.generate()).text())
    result = witnessed.cosign(path)
    assert result.exit_code == 1
    assert "misbehaviour" not in result.stderr
    assert not (witnessed.wdir / "evidence").exists()


def test_a_checkpoint_of_another_ledger_is_refused(witnessed: County, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert run("--home", other, "init", "--name", "Y", "--unencrypted").exit_code == 0
    config = json.loads((other / "ledger.json").read_text(encoding="utf-8"))
    (key_file,) = (other / "keys").glob("*.key")
    other_key = SigningKey.from_pem(key_file.read_bytes(), None)
    assert config["checkpoint_key"] == other_key.key_id
    # Signed by another ledger's key under this ledger's origin: not the log's signature.
    path = tmp_path / "foreign.txt"
    path.write_text(sign_checkpoint(witnessed.origin, 1, bytes(32), other_key).text())
    result = witnessed.cosign(path)
    assert result.exit_code == 1
    assert f"expected a signature by the log key {witnessed.log_key}" in result.stderr
    assert witnessed.evidence() == []  # proves nothing about this ledger
    assert witnessed.reports() == []
    assert witnessed.size() == 0


def test_a_bad_proof_is_refused(witnessed: County) -> None:
    witnessed.grow("王建国")
    assert witnessed.cosign(witnessed.checkpoint("first")).exit_code == 0
    witnessed.grow("李明", "张华")
    proof = witnessed.proof(2, 4)
    document = json.loads(proof.read_text(encoding="utf-8"))
    document["consistency_path"][0] = "sha256:" + "ab" * 32
    proof.write_text(json.dumps(document))
    result = witnessed.cosign(witnessed.checkpoint("second"), "--proof", proof)
    assert result.exit_code == 1
    assert "is not proved to extend the 2 events" in result.stderr
    assert witnessed.size() == 2
    assert witnessed.reports() == []  # a damaged proof leads to no root: it proves nothing


# --- bad input: exit 2 ---------------------------------------------------------------------


def test_a_proof_from_another_size_names_the_command_to_run(witnessed: County) -> None:
    witnessed.grow("王建国")
    assert witnessed.cosign(witnessed.checkpoint("first")).exit_code == 0
    witnessed.grow("李明", "张华")
    result = witnessed.cosign(witnessed.checkpoint("second"), "--proof", witnessed.proof(1, 4))
    assert result.exit_code == 2
    assert "`ledger consistency 2 4 --json`" in result.stderr
    missing = witnessed.cosign(witnessed.checkpoint("second"))
    assert missing.exit_code == 2 and "got none" in missing.stderr
    assert witnessed.evidence() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage\n", "not a checkpoint: no blank line"),
        (b"\xff\xfe\x00binary", "is not valid UTF-8 text"),
        (b"", "not a checkpoint"),
        (b"a\nb\n\n\xe2\x80\x94 x AAAA\n", "not a checkpoint"),
    ],
)
def test_a_garbage_checkpoint_file_is_bad_input(
    witnessed: County, content: bytes, message: str
) -> None:
    path = witnessed.tmp / "garbage.txt"
    path.write_bytes(content)
    result = witnessed.cosign(path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert witnessed.size() == 0


def test_a_missing_checkpoint_file_is_bad_input(witnessed: County) -> None:
    result = witnessed.cosign(witnessed.tmp / "absent.txt")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "absent.txt" in result.stderr


def test_a_garbage_proof_file_is_bad_input(witnessed: County) -> None:
    proof = witnessed.tmp / "proof.json"
    proof.write_text("{not json")
    result = witnessed.cosign(witnessed.checkpoint("first"), "--proof", proof)
    assert result.exit_code == 2 and "the proof is not valid JSON" in result.stderr


def test_no_witness_in_the_directory_is_bad_input(county: County) -> None:
    for args in (
        ("witness", "show", "--dir", county.wdir),
        ("witness", "cosign", "--dir", county.wdir, county.checkpoint("first")),
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert "no witness in" in result.stderr and "ledger witness init" in result.stderr
    assert not county.wdir.exists()


def test_a_damaged_state_file_is_bad_input(witnessed: County) -> None:
    (witnessed.wdir / "witness.json").write_text("{}")
    result = run("witness", "show", "--dir", witnessed.wdir)
    assert result.exit_code == 2 and "not a witness state file" in result.stderr


def test_init_twice_is_refused(witnessed: County) -> None:
    before = (witnessed.wdir / "witness.key").read_bytes()
    result = witnessed.init_witness("--unencrypted")
    assert result.exit_code == 2 and "already holds a witness" in result.stderr
    assert (witnessed.wdir / "witness.key").read_bytes() == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--log-key", "ed25519:AAAA", "log key: an Ed25519 public key has 32 bytes"),
        ("--name", "has space", "a witness name is non-empty"),
        ("--origin", "", "an origin is one non-empty line"),
    ],
)
def test_init_with_bad_values_writes_nothing(
    county: County, option: str, value: str, message: str
) -> None:
    values = {"--name": NAME, "--origin": county.origin, "--log-key": county.log_key}
    values[option] = value
    args = [item for pair in values.items() for item in pair]
    result = run("witness", "init", "--dir", county.wdir, *args, "--unencrypted")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not county.wdir.exists()
