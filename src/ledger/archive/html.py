"""Readable renderings of a decision's archive and trace, in Chinese and in English: static,
self-contained HTML that prints well (docs/archive-format.md, "html/").

Each page is drawn from a :class:`~ledger.projections.trace.MatterFile` made of the events the
archive itself holds (withheld payloads included as withheld), so a page can show nothing an
archive withholds. It uses the command line's catalogue and vocabulary (``ledger/i18n.py``,
``ledger/vocabulary.py``) for the words, so the pages say what ``ledger trace`` and ``ledger
history`` say. No script, no external resource (a Content-Security-Policy forbids both), and
every text of the record is escaped.

The pages are not evidence: they are renderings for people, listed with their SHA-256 in the
manifest; the evidence is the records, the checkpoint and the proofs.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from ledger import vocabulary
from ledger.beijing_time import say_time
from ledger.i18n import Lang, message, term, terms
from ledger.projections.trace import ArchiveEntry, MatterFile, Trace

LANGS: tuple[Lang, ...] = ("zh", "en")
_HTML_LANG = {"zh": "zh-CN", "en": "en"}
_STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
  font-size: 10.5pt; line-height: 1.5; color: #000; background: #fff; max-width: 62em;
  margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 .3em; }
h2 { font-size: 12.5pt; border-bottom: 1px solid #000; margin: 1.4em 0 .4em;
  break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; }
th, td { border: 1px solid #666; padding: 2px 5px; vertical-align: top; text-align: left; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.meta { color: #333; margin: .1em 0; }
.withheld { font-style: italic; color: #444; }
.note { border: 1px solid #999; padding: .4em .6em; margin: 1em 0; font-size: 9.5pt; }
@media print { body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; } .note { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class PageContext:
    """What every page says about the archive it belongs to."""

    ledger_name: str
    origin: str
    tree_size: int
    as_of: str
    period: tuple[str, str] | None = None  # (from, until) of a period archive
    in_archive: bool = True  # False for a page printed from a live ledger (`ledger trace --html`)
    level: str = "county"  # the ledger's level (ledger.domain.ledger.Level): how posts are named


@dataclass(frozen=True)
class MatterLine:
    """One matter in the index page."""

    matter: str
    title: str
    state: str
    categories: tuple[str, ...]
    events: int


def matter_pages(file: MatterFile, context: PageContext) -> tuple[MatterLine, dict[Lang, bytes]]:
    """The matter's page in each language, and its line in the index."""
    trace = file.trace()
    entries = file.archive()
    names = file.names()
    pages = {lang: _matter_page(lang, trace, entries, names, context) for lang in LANGS}
    line = MatterLine(trace.matter, trace.title, trace.state, trace.categories, len(entries))
    return line, pages


def matter_page(file: MatterFile, context: PageContext, lang: Lang) -> bytes:
    """The matter's page in one language."""
    return _matter_page(lang, file.trace(), file.archive(), file.names(), context)


def index_pages(
    lines: list[MatterLine], context: PageContext, *, withheld_events: int
) -> dict[Lang, bytes]:
    """The archive's index page in each language: the matters rendered, and how many events
    are withheld (never which matters: their titles are withheld too)."""
    return {lang: _index_page(lang, lines, context, withheld_events) for lang in LANGS}


def _t(lang: Lang, key: str, /, **values: object) -> str:
    return escape(message(lang, key, **values))


def _e(value: object) -> str:
    return escape(str(value))


def _document(lang: Lang, title: str, body: list[str]) -> bytes:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_HTML_LANG[lang]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
    ]
    return ("\n".join([*head, *body, "</body>", "</html>"]) + "\n").encode("utf-8")


def _header(lang: Lang, context: PageContext) -> list[str]:
    out = [
        f'<p class="meta">{_t(lang, "html.ledger", name=context.ledger_name)}</p>',
        '<p class="meta">'
        + _t(lang, "html.checkpoint", origin=context.origin, size=context.tree_size)
        + "</p>",
        f'<p class="meta">{_t(lang, "html.as_of", as_of=say_time(lang, context.as_of))}</p>',
    ]
    if context.period is not None:
        since, until = context.period
        period = _t(lang, "html.period", since=say_time(lang, since), until=say_time(lang, until))
        out.append(f'<p class="meta">{period}</p>')
    return out


def _note(lang: Lang, context: PageContext) -> str:
    if context.in_archive:
        return f'<p class="note">{_t(lang, "html.evidence_note")}</p>'
    return f'<p class="note">{_t(lang, "html.live_note")}</p>'


def _matter_page(
    lang: Lang,
    trace: Trace,
    entries: list[ArchiveEntry],
    names: dict[str, str],
    context: PageContext,
) -> bytes:
    title = _t(lang, "html.matter_title", title=trace.title)
    body = [f"<h1>{_e(trace.title)}</h1>", *_header(lang, context)]
    state = term(lang, "state", trace.state)
    body.append(f'<p class="meta">{_t(lang, "html.state", state=state)}</p>')
    if trace.categories:
        categories = terms(lang, "category", trace.categories)
        body.append(f'<p class="meta">{_t(lang, "trace.categories", categories=categories)}</p>')
    body.append(f'<p class="meta">{_t(lang, "html.matter_id", matter=trace.matter)}</p>')
    if context.period is not None:
        body.append(f'<p class="note">{_t(lang, "html.partial_note")}</p>')
    body += _decisions(lang, trace)
    body += _timeline(lang, entries, names)
    body += _roles(lang, trace, context.level)
    body += _corrections(lang, trace, names)
    body += _findings(lang, trace)
    body.append(_note(lang, context))
    return _document(lang, title, body)


def _decisions(lang: Lang, trace: Trace) -> list[str]:
    out = [f"<h2>{_t(lang, 'html.decisions')}</h2>"]
    if not trace.decisions:
        out.append(f"<p>{_t(lang, 'html.no_decision')}</p>")
    for d in trace.decisions:
        mismatch = ""
        if d["announced"] != d["computed"]:
            mismatch = message(
                lang, "trace.count_differs", computed=term(lang, "outcome", d["computed"])
            )
        if d.get("corrected_by"):
            by = ", ".join(map(str, d["corrected_by"]))
            mismatch += message(lang, "trace.decision_corrected", by=by)
        line = message(
            lang,
            "trace.decision",
            position=d["position"],
            announced=term(lang, "outcome", d["announced"]),
            mismatch=mismatch,
            votes_for=d["votes_for"],
            votes_against=d["votes_against"],
            abstentions=d["abstentions"],
            method=term(lang, "method", d["method"]),
            needed=d["votes_needed"],
            roster=d["roster"],
        )
        out.append(f"<p>{escape(line)}</p>")
    for c in trace.chair_against_majority:
        reasons = c["reasons"] or message(lang, "trace.no_reasons")
        announced = term(lang, "outcome", c["announced"])
        text = message(lang, "trace.chair_against", announced=announced, reasons=reasons)
        out.append(f"<p><strong>{escape(text)}</strong></p>")
    for change in trace.changes:
        kind = vocabulary.event(lang, change["type"])
        text = message(lang, "trace.change", position=change["position"], type=kind)
        out.append(f"<p>{escape(text)}</p>")
    return out


def _corrections(lang: Lang, trace: Trace, names: dict[str, str]) -> list[str]:
    """The corrections of the file's events: what each changed, why, who recorded it, where."""
    if not trace.corrections:
        return []
    out = [f"<h2>{_t(lang, 'trace.corrections')}</h2>", '<ul class="corrections">']
    for c in trace.corrections:
        out.append(f"<li>{_e(vocabulary.correction(lang, c, names))}</li>")
    return [*out, "</ul>"]


def _timeline(lang: Lang, entries: list[ArchiveEntry], names: dict[str, str]) -> list[str]:
    out = [
        f"<h2>{_t(lang, 'html.timeline')}</h2>",
        "<table>",
        "<thead><tr>"
        f'<th class="num">{_t(lang, "col.position")}</th>'
        f"<th>{_t(lang, 'col.when')}</th>"
        f"<th>{_t(lang, 'html.col_section')}</th>"
        f"<th>{_t(lang, 'html.col_event')}</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    for e in entries:
        if _is_withheld(e.payload):
            withheld = _t(lang, "html.withheld_event", type=vocabulary.event(lang, e.type))
            cell = f'<td class="withheld">{withheld}</td>'
        else:
            cell = f"<td>{_e(vocabulary.history_line(lang, e, names))}</td>"
        out.append(
            f'<tr><td class="num">{e.position}</td>'
            f'<td class="nowrap">{_e(say_time(lang, e.occurred_at, zone=False))}</td>'
            f"<td>{_e(term(lang, 'section', e.section))}</td>{cell}</tr>"
        )
    out += ["</tbody>", "</table>", f'<p class="meta">{_t(lang, "trace.legend")}</p>']
    return out


def _roles(lang: Lang, trace: Trace, level: str) -> list[str]:
    out = [
        f"<h2>{_t(lang, 'html.roles')}</h2>",
        "<table>",
        "<thead><tr>"
        f'<th class="num">{_t(lang, "col.position")}</th>'
        f"<th>{_t(lang, 'col.role')}</th>"
        f"<th>{_t(lang, 'col.who')}</th>"
        f"<th>{_t(lang, 'col.posts')}</th>"
        f"<th>{_t(lang, 'col.detail')}</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    for r in trace.roles:
        detail = (
            vocabulary.corrected_detail(
                lang, r.role, r.detail, r.original_role, r.original_detail, r.corrected_by
            )
            + (" ✍" if r.signed_by_person else "")
            + vocabulary.times_note(lang, r.occurred_at, r.recorded_at, r.transcribed)
        )
        out.append(
            f'<tr><td class="num">{r.position}</td>'
            f"<td>{_e(vocabulary.role(lang, r.role))}</td>"
            f"<td>{_e(vocabulary.person(lang, r.name or '—'))}</td>"
            f"<td>{_e(vocabulary.posts(lang, r.posts, level))}</td>"
            f"<td>{_e(detail)}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    if trace.dissenters:
        listed = [
            message(lang, "trace.dissenter", name=d["name"], how=vocabulary.roles(lang, d["how"]))
            for d in trace.dissenters
        ]
        joined = ("；" if lang == "zh" else "; ").join(listed)
        out.append(f"<p>{escape(message(lang, 'trace.dissent', dissenters=joined))}</p>")
    return out


def _findings(lang: Lang, trace: Trace) -> list[str]:
    out = [f"<h2>{_t(lang, 'html.findings', count=len(trace.findings))}</h2>"]
    if not trace.findings:
        return [*out, f"<p>{_t(lang, 'trace.no_findings')}</p>"]
    out += [
        "<table>",
        "<thead><tr>"
        f"<th>{_t(lang, 'col.rule')}</th>"
        f"<th>{_t(lang, 'col.responsible')}</th>"
        f"<th>{_t(lang, 'col.message')}</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    for f in trace.findings:
        text = f["message_zh"] if lang == "zh" else f["message"]
        who = vocabulary.person(lang, f.get("responsible_name", f["responsible"]))
        rule = vocabulary.rule(lang, f["rule"])
        out.append(f"<tr><td>{_e(rule)}</td><td>{_e(who)}</td><td>{_e(text)}</td></tr>")
    return [*out, "</tbody>", "</table>"]


def _index_page(
    lang: Lang, lines: list[MatterLine], context: PageContext, withheld_events: int
) -> bytes:
    title = _t(lang, "html.index_title", name=context.ledger_name)
    body = [f"<h1>{title}</h1>", *_header(lang, context)]
    body.append(f"<h2>{_t(lang, 'html.index_matters', count=len(lines))}</h2>")
    if lines:
        body += [
            "<table>",
            "<thead><tr>"
            f"<th>{_t(lang, 'col.matter')}</th>"
            f"<th>{_t(lang, 'col.state')}</th>"
            f"<th>{_t(lang, 'html.col_categories')}</th>"
            f'<th class="num">{_t(lang, "html.col_events")}</th>'
            "</tr></thead>",
            "<tbody>",
        ]
        for m in lines:
            href = escape(f"{m.matter}.{lang}.html")
            body.append(
                f'<tr><td><a href="{href}">{_e(m.title)}</a></td>'
                f"<td>{_e(term(lang, 'state', m.state))}</td>"
                f"<td>{_e(terms(lang, 'category', m.categories))}</td>"
                f'<td class="num">{m.events}</td></tr>'
            )
        body += ["</tbody>", "</table>"]
    if withheld_events:
        body.append(f"<p>{_t(lang, 'html.index_withheld', events=withheld_events)}</p>")
    body.append(_note(lang, context))
    return _document(lang, title, body)


def _is_withheld(payload: Any) -> bool:
    return isinstance(payload, dict) and set(payload) == {"withheld"}
