"""A decision's HTML page (``ledger trace MATTER --html FILE``), opened in a real headless browser
(Debian's chromium): it renders, its screenshot and its print are real images of the page, and
the key facts of the trace (every role-holder, the decision's count, every finding) are on it, in
Chinese and in English."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ledger.cli.main import cli
from ledger.store.demo import build_ledger

AS_OF = "2026-12-31T23:00:00+08:00"  # the demo's year is dated ahead: read it as of its end
FAILED = "县经济开发区标准厂房二期建设项目"  # the demo's failed decision, with a review
BREACHED = "县城区主干道景观提升工程"  # announced against the majority, without reasons
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on this machine (make test installs Debian's package where it can)",
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("html") / "ledger"
    build_ledger(directory, size=1)
    yield directory


def page(home: Path, lang: str, out: Path, matter: str = FAILED) -> dict[str, Any]:
    """Write a decision's page in ``lang``; return its trace as JSON."""
    args = ["--home", str(home), "--lang", lang, "trace", matter, "--as-of", AS_OF]
    result = CliRunner().invoke(cli, [*args, "--json", "--html", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def browser(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args],
        capture_output=True,
        timeout=120,
        check=True,
    )


def text_of(dom: str) -> str:
    """The text of the rendered DOM, tags dropped and entities resolved."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", dom))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("matter", [FAILED, BREACHED])
def test_the_page_renders_with_every_role_holder_and_finding(
    home: Path, tmp_path: Path, lang: str, matter: str
) -> None:
    out = tmp_path / f"page.{lang}.html"
    trace = page(home, lang, out, matter)
    url = out.resolve().as_uri()
    rendered = text_of(browser("--dump-dom", url).stdout.decode("utf-8"))
    assert matter in rendered
    people = {r["name"] for r in trace["roles"] if r["name"]}
    assert len(people) > 5
    for name in people:
        assert name in rendered, name
    decision = trace["decisions"][0]
    counts = (decision["votes_for"], decision["votes_against"])
    if lang == "zh":
        assert "决策" in rendered and "赞成 {}、反对 {}".format(*counts) in rendered
    else:
        assert f"{counts[0]} for, {counts[1]} against" in rendered
    assert bool(trace["findings"]) == (matter == BREACHED)
    for finding in trace["findings"]:
        assert (finding["message_zh"] if lang == "zh" else finding["message"]) in rendered
        assert finding["responsible_name"] in rendered
    assert trace["dissenters"]  # both have dissent: one failed, one overrode the majority
    for dissenter in trace["dissenters"]:
        assert dissenter["name"] in rendered


def test_the_page_is_a_real_image_on_screen_and_in_print(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "failed.zh.html"
    page(home, "zh", out)
    url = out.resolve().as_uri()
    shot = tmp_path / "page.png"
    browser("--hide-scrollbars", "--window-size=1000,1400", f"--screenshot={shot}", url)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1000, 1400)
    assert len(png) > 40_000  # a blank or unstyled page compresses to a few kilobytes
    printed = tmp_path / "page.pdf"
    browser("--no-pdf-header-footer", f"--print-to-pdf={printed}", url)
    pdf = printed.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 20_000  # the text and its fonts, printed (an empty print is ~1 KB)


def test_the_page_has_no_script_and_no_outside_resource(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "failed.en.html"
    page(home, "en", out)
    source = out.read_text(encoding="utf-8")
    assert "<script" not in source.lower()
    assert "http://" not in source and "https://" not in source
    assert "default-src 'none'" in source  # the browser may load nothing from anywhere
    assert "This page is a rendering of the ledger" in source
