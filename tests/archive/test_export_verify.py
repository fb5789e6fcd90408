"""Exports of the demo ledger verify offline, with ``ledger verify-archive`` and with the
standalone script the archive carries: whole, one matter, one period, and with confidential
matters withheld (which then reveal nothing); and no archive ever holds a secret ballot's
choices."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.archive.evidence import parse_tlog_proof
from ledger.integrity.checkpoint import parse_checkpoint
from ledger.integrity.digest import leaf_hash
from ledger.integrity.merkle import verify_inclusion
from ledger.integrity.record import decode_record
from tests.archive.conftest import (
    FAILED,
    Demo,
    manifest_of,
    members,
    run,
    standalone,
)

UUID_TEXT = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def verify_json(archive: Path, *args: str) -> dict[str, Any]:
    result = run("verify-archive", str(archive), "--json", *args)
    document: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (0 if document["ok"] else 1)
    return document


def records(archive: Path) -> list[Any]:
    data = members(archive)["records.txt"]
    lines = data.split(b"\n")[:-1]
    return [decode_record(b"\n".join(lines[i : i + 3])) for i in range(0, len(lines), 3)]


# --- whole ---------------------------------------------------------------------------------


def test_whole_export_verifies_offline(demo: Demo) -> None:
    report = verify_json(demo.whole, "--trusted-key", demo.key)
    assert report["ok"], report["failure"]
    assert report["scope"]["kind"] == "whole"
    assert report["events"] == report["tree_size"] > 1900
    assert report["anchor_source"] == "given" and report["withheld"] == []
    assert report["decision_proofs"] > 50 and report["matters"] > 50


def test_whole_export_verifies_with_the_standalone_script(demo: Demo, tmp_path: Path) -> None:
    done = standalone(demo.whole, "--trusted-key", demo.key, workdir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("VERIFIED")


def test_a_whole_archive_is_checked_against_the_trusted_key(demo: Demo, tmp_path: Path) -> None:
    other = "ed25519:" + "A" * 43 + "="
    result = run("verify-archive", str(demo.whole), "--trusted-key", other)
    assert result.exit_code == 1
    assert "integrity failure in records.txt at position 1" in result.stdout
    assert f"but the trusted key is {other}" in result.stdout
    assert standalone(demo.whole, "--trusted-key", other, workdir=tmp_path).returncode == 1


def test_without_a_trusted_key_the_archive_is_only_self_consistent(demo: Demo) -> None:
    result = run("verify-archive", str(demo.whole))
    assert result.exit_code == 0
    assert "taken from the archive itself" in result.stdout
    document = json.loads(run("verify-archive", str(demo.whole), "--json").stdout)
    assert document["anchor_source"] == "archive"


def test_verify_archive_speaks_chinese(demo: Demo) -> None:
    result = run("--lang", "zh", "verify-archive", str(demo.whole), "--trusted-key", demo.key)
    assert result.exit_code == 0
    assert result.stdout.startswith("✓ 档案核验无误：整本台账")
    english = run("verify-archive", str(demo.whole), "--trusted-key", demo.key, "--json")
    chinese = run(
        "--lang", "zh", "verify-archive", str(demo.whole), "--trusted-key", demo.key, "--json"
    )
    assert english.stdout == chinese.stdout


def test_the_archive_holds_the_stored_bytes(demo: Demo) -> None:
    service = demo.service()
    stored = [row.state for page in service.app.rows() for row in page]
    data = members(demo.whole)["records.txt"]
    assert data == b"".join(state + b"\n" for state in stored)


def test_the_trust_template_and_key_history(demo: Demo) -> None:
    content = members(demo.whole)
    trust = json.loads(content["trust.json"])
    assert trust["ledger_key"] == demo.key and trust["witnesses_required"] == 0
    keys = json.loads(content["keys.json"])["keys"]
    assert keys[0]["key"] == demo.key and keys[0]["registered"] == 0
    assert any(k["revoked"] is not None for k in keys), "the demo revokes a key"
    assert any(k["purposes"] == ["act"] for k in keys)


def test_each_decision_proof_is_a_c2sp_tlog_proof(demo: Demo) -> None:
    content = members(demo.whole)
    checkpoint = parse_checkpoint(content["checkpoint.txt"].decode())
    names = [n for n in content if n.startswith("proofs/")]
    assert names
    for name in names:
        proof = parse_tlog_proof(content[name].decode(), name)
        assert proof.extra is not None
        header = json.loads(proof.extra)
        assert header["type"] == "matter.decided" and header["seq"] == proof.index + 1
        assert name == f"proofs/{header['stream']}-{header['seq']}.tlog-proof"
        verify_inclusion(
            leaf_hash(proof.extra), proof.index, checkpoint.size, proof.path, checkpoint.root
        )


def test_pages_are_static_escaped_and_in_both_languages(demo: Demo) -> None:
    content = members(demo.whole)
    pages = [n for n in content if n.startswith("html/")]
    assert "html/index.zh.html" in pages and "html/index.en.html" in pages
    for name in pages:
        page = content[name].decode()
        assert page.startswith("<!DOCTYPE html>")
        assert "<script" not in page.lower() and "http://" not in page
        assert "https://" not in page and "src=" not in page
        assert "Content-Security-Policy" in page and "@page" in page
    index = content["html/index.zh.html"].decode()
    link = re.search(rf'href="([^"]+)">{FAILED}</a>', index)
    assert link is not None
    failed = content[f"html/{link[1]}"].decode()
    for term in ("决策失误责任追究", "表决", "责任追溯", "发现的问题"):
        assert term in failed
    english = content["html/" + link[1].replace(".zh.", ".en.")].decode()
    assert "Accountability trace" in english and 'lang="en"' in english


def test_each_page_shows_the_findings_of_ledger_findings_on_its_matter(demo: Demo) -> None:
    """The pages judge everything the archive holds once, as `ledger findings` judges the
    ledger, and each keeps its matter's: the demo's flood, reported in time at a meeting that
    did not take up the water plant it concerns, is no finding on the water plant's page."""
    from html import unescape

    from ledger.integrity.canonical import parse_time
    from ledger.projections.findings import judged, of_matter

    as_of = parse_time(manifest_of(demo.whole)["as_of"])
    service = demo.service()
    reader = service.reader()
    _, found = judged(service.app.rows(), as_of)
    pages = 0
    for name, data in members(demo.whole).items():
        page = re.fullmatch(r"html/([0-9a-f-]{36})\.en\.html", name)
        if page is None:
            continue
        table = data.decode().split("<h2>Findings", 1)[1]
        shown = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td></tr>", table)
        expected = of_matter(found, reader.matter_file(page[1], as_of).scope)
        assert [(rule, unescape(text)) for rule, text in shown] == [
            (f.rule, f.message) for f in expected
        ], name
        pages += 1
    assert pages > 50
    water = reader.matter_file("县城第二水厂建设方案", as_of)
    assert water.world.emergencies and not any(
        f.rule == "emergency-report" for f in water.findings()
    )
    land = reader.matter_file("关于县城东区土地收储的决定", as_of)
    assert [f.rule for f in land.findings()].count("emergency-report") == 1


# --- partial: one matter, one period ------------------------------------------------------


def test_a_matter_export_verifies_by_inclusion_proofs(demo: Demo, tmp_path: Path) -> None:
    report = verify_json(demo.matter, "--trusted-key", demo.key)
    assert report["ok"], report["failure"]
    assert report["scope"]["kind"] == "matter" and len(report["scope"]["matters"]) == 1
    assert report["events"] < report["tree_size"]
    content = members(demo.matter)
    proofs = json.loads(content["proofs.json"])
    held = [r.seq for r in records(demo.matter)]
    assert [p["position"] for p in proofs["inclusion"]] == held
    assert held[0] == 1 and held != list(range(1, len(held) + 1))
    assert [n for n in content if n.startswith("html/")] == [
        f"html/{report['scope']['matters'][0]}.zh.html",
        f"html/{report['scope']['matters'][0]}.en.html",
        "html/index.zh.html",
        "html/index.en.html",
    ]
    done = standalone(demo.matter, "--trusted-key", demo.key, workdir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_matter_export_holds_every_key_event(demo: Demo) -> None:
    whole = [r.seq for r in records(demo.whole) if r.header["type"].startswith("key.")]
    partial = [r.seq for r in records(demo.matter) if r.header["type"].startswith("key.")]
    assert whole == partial


def test_a_period_export_verifies(demo: Demo, tmp_path: Path) -> None:
    report = verify_json(demo.period, "--trusted-key", demo.key)
    assert report["ok"], report["failure"]
    assert report["scope"]["kind"] == "period"
    assert report["scope"]["from"] == "2026-03-31T16:00:00.000000Z"
    assert report["scope"]["until"] == "2026-06-30T15:59:59.999999Z"
    window = [
        r
        for r in records(demo.period)
        if "2026-03-31T16:00:00" <= r.header["recorded_at"] <= "2026-06-30T16:00:00"
    ]
    assert len(window) > 300
    done = standalone(demo.period, "--trusted-key", demo.key, workdir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_empty_period_is_refused(demo: Demo, tmp_path: Path) -> None:
    result = run(
        "--home", str(demo.home), "export", "--out", str(tmp_path / "x.zip"),
        "--from", "2030-01-01",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "nothing to export" in result.stderr
    assert not (tmp_path / "x.zip").exists()


def test_export_refuses_to_replace_a_file(demo: Demo, tmp_path: Path) -> None:
    target = tmp_path / "taken.zip"
    target.write_text("mine")
    result = run("--home", str(demo.home), "export", "--out", str(target), "--matter", FAILED)
    assert result.exit_code == 2 and "exists" in result.stderr
    assert target.read_text() == "mine"


# --- withholding ---------------------------------------------------------------------------


def test_withholding_confidential_matters_verifies_and_lists_them(
    demo: Demo, tmp_path: Path
) -> None:
    report = verify_json(demo.confidential, "--trusted-key", demo.key)
    assert report["ok"], report["failure"]
    listed = [w["position"] for w in manifest_of(demo.confidential)["withheld"]]
    withheld = [r.seq for r in records(demo.confidential) if r.withheld]
    assert listed == withheld == [w["position"] for w in report["withheld"]]
    assert len(withheld) > 20
    assert {w["reason"] for w in report["withheld"]} == {"confidential"}
    done = standalone(demo.confidential, "--trusted-key", demo.key, workdir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"({len(withheld)} withheld)" in done.stdout


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_a_withheld_matter_reveals_nothing(demo: Demo) -> None:
    """Neither the salt nor the payload of a withheld event, nor any text of it that no event
    left in the archive also says (a stock phrase like 同意 is said of other matters too), nor
    the title of a withheld matter, appears in any member of the archive, pages included."""
    archived = {r.seq: r for r in records(demo.confidential)}
    withheld = {seq for seq, r in archived.items() if r.withheld}
    service = demo.service()
    live = [decode_record(row.state) for page in service.app.rows() for row in page]
    said_elsewhere: set[str] = set()
    for record in live:
        if record.seq not in withheld:
            said_elsewhere |= _strings(record.body["payload"])
    content = b"\n".join(members(demo.confidential).values())
    titles = [
        r.body["payload"]["title"]
        for r in live
        if r.header["type"] == "matter.opened" and r.seq in withheld
    ]
    assert titles, "the demo has confidential matters"
    for title in titles:
        assert title.encode() not in content, title
    for record in live:
        if record.seq not in withheld:
            continue
        assert record.body["salt"].encode() not in content
        for text in _strings(record.body["payload"]) - said_elsewhere:
            if not UUID_TEXT.match(text):  # ids are in every header: not content
                assert text.encode() not in content, (record.seq, text)


def test_withheld_matters_get_no_page(demo: Demo) -> None:
    content = members(demo.confidential)
    archived = records(demo.confidential)
    hidden = {r.header["stream"] for r in archived if r.header["type"] == "matter.opened"}
    hidden = {s for s in hidden if any(r.withheld and r.header["stream"] == s for r in archived)}
    assert hidden
    for matter in hidden:
        assert f"html/{matter}.zh.html" not in content
        assert not any(n.startswith(f"proofs/{matter}-") for n in content)
    index = content["html/index.en.html"].decode()
    assert "content of" in index and "is withheld from this archive" in index


def test_withholding_a_named_matter(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "named.zip"
    result = run(
        "--home", str(demo.home), "export", "--out", str(out), "--withhold", FAILED, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["withheld_matters"] == 1 and document["withheld"]
    assert {w["reason"] for w in document["withheld"]} == {"named"}
    assert FAILED.encode() not in b"".join(members(out).values())
    assert verify_json(out, "--trusted-key", demo.key)["ok"]


# --- secret ballots ------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["whole", "matter", "period", "confidential"])
def test_no_archive_holds_a_secret_ballots_choices(demo: Demo, which: str) -> None:
    archive: Path = getattr(demo, which)
    secret = [
        r
        for r in records(archive)
        if r.header["type"] == "meeting.vote_taken"
        and not r.withheld
        and r.body["payload"]["method"] == "secret_ballot"
    ]
    if which == "whole":
        assert secret, "the demo has secret ballots"
    for vote in secret:
        assert vote.body["payload"]["ballots"] == []
    content = members(archive)
    for name, data in content.items():
        if name.startswith("html/") and name.endswith(".en.html"):
            page = data.decode()
            for vote in secret:
                matter = vote.body["payload"]["item"]
                if name == f"html/{matter}.en.html":
                    assert "secret ballot: tally only" in page
                    assert "against (secret_ballot)" not in page
                    assert "for (secret_ballot)" not in page


def test_the_matter_of_a_partial_archive_is_named_by_id(demo: Demo) -> None:
    scope = manifest_of(demo.matter)["scope"]
    assert UUID(scope["matters"][0])


def test_every_text_the_pages_use_is_in_both_languages() -> None:
    from ledger.i18n import CATALOGUE

    source = (Path(__file__).parents[2] / "src/ledger/archive/html.py").read_text()
    used = set(re.findall(r'_t\(\s*lang,\s*"([^"]+)"', source))
    used |= set(re.findall(r'message\(\s*lang,\s*"([^"]+)"', source))
    assert len(used) > 20 and not used - CATALOGUE.keys()


def test_an_export_is_not_built_on_a_forged_checkpoint(demo: Demo, tmp_path: Path) -> None:
    """A checkpoint of the right origin, size and root, but signed by a key the ledger never
    registered, is refused before anything is written; the ledger's own one is accepted."""
    from ledger.integrity.checkpoint import sign_checkpoint
    from ledger.integrity.keys import SigningKey

    held = parse_checkpoint((demo.home / "checkpoint.txt").read_text(encoding="utf-8"))
    forged = sign_checkpoint(held.origin, held.size, held.root, SigningKey.generate())
    forged_file = tmp_path / "forged.txt"
    forged_file.write_text(forged.text(), encoding="utf-8")
    out = tmp_path / "forged.zip"
    args = ["--home", str(demo.home), "export", "--out", str(out), "--checkpoint"]
    refused = run(*args, str(forged_file))
    assert refused.exit_code == 1
    assert "not signed by any key this ledger registered" in refused.stderr
    assert not out.exists()
    genuine = tmp_path / "genuine.txt"
    genuine.write_text(held.text(), encoding="utf-8")
    assert run(*args, str(genuine)).exit_code == 0 and out.is_file()
