"""The read index: which events concern which subject, kept up to date with eventsourcing's
tracking so that each event is applied exactly once, and rebuildable from the log at any time.

It holds no facts of its own, only where to find them: for each event its position, storage
row, times, type and actor; for each subject (member, body, matter, meeting, emergency action,
review …) its label; and for each event the subjects it concerns (its own stream, and every known
subject its payload names). Reads then fetch just the events a question needs from the store,
rather than replaying the whole log (docs/architecture.md, "Reading").

The index lives in ``HOME/index.sqlite``, beside the ledger, whatever the store: it is a cache,
and ``ledger rebuild`` makes it again from the events alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from ledger.domain.meeting import WHOLE_MEETING
from ledger.integrity.digest import leaf_hash
from ledger.integrity.verify import StoredRow
from ledger.projections import tree as merkle_tree
from ledger.projections.roles import ROLE_TYPES, parts_of

INDEX_VERSION = 3
"""The layout of the index file (SQLite ``user_version``); a file of another version is made
again from the events (version 2 added the ``roles`` table, 3 keyed the tables by position)."""

SECONDARY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS events_kind ON events (kind, position)",
    "CREATE INDEX IF NOT EXISTS events_stream ON events (stream, type, position)",
    "CREATE INDEX IF NOT EXISTS events_recorded ON events (recorded_at)",
    "CREATE INDEX IF NOT EXISTS refs_subject ON refs (subject, position)",
    "CREATE INDEX IF NOT EXISTS subjects_label ON subjects (label)",
    "CREATE INDEX IF NOT EXISTS roles_person ON roles (person, position)",
]
"""Indexes for the questions; a rebuild creates them once its rows are in, which is faster than
keeping them up to date row by row."""

_IN_CHUNK = 500  # values per IN (...) list: below SQLite's parameter limit (999 before 3.32)

INDEX_NAME = "ledger-index"
"""The tracking name of the index (its row in eventsourcing's ``tracking`` table)."""

CONTEXT_KINDS = (
    "ledger",
    "member",
    "body",
    "delegation",
    "ruleset",
    "calendar",
    "transcription",
    "key",
    "report",
    "correction",
)
"""Kinds of events every question may need: who held which post, who sat on which body, which
working-day calendar counts, which acts were transcribed from paper, and the corrections (few),
which may change any act of any file."""

LABELS = {
    "member.registered": ("member", "name"),
    "body.established": ("body", "name"),
    "matter.opened": ("matter", "title"),
    "meeting.scheduled": ("meeting", "title"),
    "emergency.action_taken": ("emergency", "summary"),
    "review.opened": ("review", "reason"),
    "report.delivered": ("report", "summary"),
    "delegation.granted": ("delegation", "power"),
    "correction.recorded": ("correction", "reason"),
}


@dataclass(frozen=True)
class IndexedEvent:
    """One event as the index knows it."""

    position: int
    row: int
    recorded_at: str
    occurred_at: str
    type: str
    stream: str
    actor: str
    endorsed: bool


@dataclass(frozen=True)
class HeldRole:
    """One part a person held in one matter's file."""

    matter: str
    title: str
    opened: int  # the position of the matter's opening
    role: str
    detail: str
    position: int
    occurred_at: str
    signed_by_person: bool


class IndexRecorder(SQLiteTrackingRecorder):
    """eventsourcing's SQLite tracking recorder, with the index's own tables beside ``tracking``;
    each page of events and its tracking row are written in one transaction."""

    bulk = False
    """Whether to leave out the secondary indexes (a rebuild adds them once at the end)."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS events ("
            "position INTEGER PRIMARY KEY, row INTEGER NOT NULL, recorded_at TEXT NOT NULL, "
            "occurred_at TEXT NOT NULL, type TEXT NOT NULL, kind TEXT NOT NULL, "
            "stream TEXT NOT NULL, actor TEXT NOT NULL, endorsed INTEGER NOT NULL)",
            # which subjects each event concerns: its stream, and the known ids it names
            "CREATE TABLE IF NOT EXISTS refs ("
            "position INTEGER NOT NULL, subject TEXT NOT NULL, "
            "PRIMARY KEY (position, subject)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS subjects ("
            "id TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL, "
            "position INTEGER NOT NULL)",
            # who held which part in which event (ledger.projections.roles); items lists the
            # matters it concerns (comma-separated), or is NULL for every matter whose file
            # holds the event
            "CREATE TABLE IF NOT EXISTS roles ("
            "position INTEGER NOT NULL, ordinal INTEGER NOT NULL, person TEXT NOT NULL, "
            "role TEXT NOT NULL, detail TEXT NOT NULL, items TEXT, "
            "PRIMARY KEY (position, ordinal)) WITHOUT ROWID",
            *merkle_tree.create_table_statements(),
            *([] if self.bulk else SECONDARY_INDEXES),
        ]

    def write(self, entries: Entries, tracking: Tracking) -> None:
        with self.datastore.get_connection(commit=True) as connection:
            # The index is a cache that `ledger rebuild` remakes: WAL with synchronous=NORMAL
            # cannot corrupt it, and at worst forgets the last pages after a power cut; a
            # rebuild writes a new file that replaces the old one only once it is complete.
            mode = "OFF" if self.bulk else "NORMAL"
            connection._sqlite_conn.execute(f"PRAGMA synchronous={mode}")
        with self.datastore.transaction(commit=True) as c:
            c.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?)", entries.events)
            c.executemany("INSERT INTO refs VALUES (?,?)", entries.refs)
            c.executemany("INSERT OR IGNORE INTO subjects VALUES (?,?,?,?)", entries.subjects)
            c.executemany("INSERT INTO roles VALUES (?,?,?,?,?,?)", entries.roles)
            # RFC 9162 nodes, in the same transaction
            merkle_tree.write(c, entries.events[0][0] - 1, entries.leaves)
            self._insert_tracking(c, tracking)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, list(params))
            return list(c.fetchall())


class LedgerIndex:
    """A ledger's read index in a SQLite file."""

    def __init__(self, path: Path, *, bulk: bool = False) -> None:
        """Open (or create) the index in ``path``; ``bulk`` for a new file that a rebuild fills
        and then finishes with :meth:`finish_bulk`."""
        self.path = path
        self.datastore = SQLiteDatastore(str(path), lock_timeout=60)
        self.recorder = IndexRecorder(self.datastore)
        self.recorder.bulk = bulk
        fresh = not self.recorder.query("SELECT 1 FROM sqlite_master LIMIT 1")
        self.recorder.create_table()
        if fresh:
            with self.datastore.transaction(commit=True) as c:
                c.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        self._known: set[str] | None = None
        self.tree = merkle_tree.EventTree(self.recorder.query)

    def close(self) -> None:
        self.datastore.close()

    def finish_bulk(self) -> None:
        """Create the secondary indexes a bulk rebuild left out, and move everything from the
        write-ahead log into the file itself (so the file alone is the whole index)."""
        with self.datastore.transaction(commit=True) as c:
            for statement in SECONDARY_INDEXES:
                c.execute(statement)
        with self.datastore.get_connection(commit=True) as connection:
            connection._sqlite_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.recorder.bulk = False

    @property
    def outdated(self) -> bool:
        """Whether the file was made by another version of the index (make it again)."""
        return int(self.recorder.query("PRAGMA user_version")[0][0]) != INDEX_VERSION

    @property
    def tracked(self) -> int:
        """The storage row of the last event applied (0 for none)."""
        return self.recorder.max_tracking_id(INDEX_NAME) or 0

    def catch_up(
        self,
        pages: Callable[[int], Iterable[Sequence[StoredRow]]],
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Apply every event after the tracked one (``pages(after)`` yields them); returns how
        many. A concurrent catch-up that applied a page first makes this one stop: tracking
        refuses to apply a row twice."""
        from eventsourcing.persistence import IntegrityError

        known = self._known_subjects()
        applied = 0
        for page in pages(self.tracked):  # pages of PAGE rows
            if not page:
                continue
            try:
                self.recorder.write(_entries(page, known), Tracking(INDEX_NAME, page[-1].row))
            except IntegrityError:
                self._known = None
                return applied  # another process indexed these rows first
            applied += len(page)
            if on_progress:
                on_progress(applied)
        return applied

    def _known_subjects(self) -> set[str]:
        if self._known is None:
            self._known = {r[0] for r in self.recorder.query("SELECT id FROM subjects")}
        return self._known

    # --- questions ----------------------------------------------------------------------------

    def subject(self, ref: str) -> tuple[str, str, str] | None:
        """A subject (id, kind, label) by id, or by exact label when that label is unique."""
        rows = self.recorder.query("SELECT id, kind, label FROM subjects WHERE id = ?", [ref])
        if not rows:
            rows = self.recorder.query(
                "SELECT id, kind, label FROM subjects WHERE label = ? LIMIT 2", [ref]
            )
            if len(rows) != 1:
                return None
        return (rows[0][0], rows[0][1], rows[0][2])

    def subjects(self, kind: str) -> list[tuple[str, str, int]]:
        """Every subject of a kind: (id, label, position where it began)."""
        rows = self.recorder.query(
            "SELECT id, label, position FROM subjects WHERE kind = ? ORDER BY position", [kind]
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def context_rows(self, until: str | None = None) -> list[int]:
        """Storage rows of the events every question may need (members and their posts, bodies,
        delegations, rule sets, keys, reports), recorded by ``until`` if given."""
        limit = " AND e.recorded_at <= ?" if until else ""
        rows = self.recorder.query(
            f"SELECT e.row FROM events e WHERE e.kind IN ({','.join('?' * len(CONTEXT_KINDS))})"
            + limit,
            [*CONTEXT_KINDS, *([until] if until else [])],
        )
        return [r[0] for r in rows]

    def rows_for(self, subject: str, until: str | None = None) -> list[int]:
        """Storage rows of the events a question about ``subject`` needs: the context (members,
        bodies, delegations, rule sets, keys), every event naming the subject, the events of the
        emergencies and reviews that name it, and the whole-meeting events (calling, notice,
        attendance, closing, minutes) of the meetings that name it; not the other items of those
        meetings, so the cost does not grow with the size of a meeting's agenda."""
        limit = " AND e.recorded_at <= ?" if until else ""
        extra = [until] if until else []
        wanted = set(self.context_rows(until))
        direct = self.recorder.query(
            "SELECT e.row, e.position FROM refs r JOIN events e ON e.position = r.position "
            "WHERE r.subject = ?" + limit,
            [subject, *extra],
        )
        # the subjects those events belong to or name: the opening event of each (a finding
        # names another matter by its title), and the meetings, emergencies and reviews among
        # them (a decision names the meeting that took it, a change the meeting that changed it)
        named = self._query_in(
            "SELECT DISTINCT s.id, s.kind, e.row, d.type FROM refs r "
            "JOIN subjects s ON s.id = r.subject JOIN events e ON e.position = s.position "
            "JOIN events d ON d.position = r.position WHERE r.position IN ({in})" + limit,
            [r[1] for r in direct],
            extra,
        )
        wanted.update(r[0] for r in direct)
        # not the other matters a whole-meeting event lists (an agenda of hundreds of items)
        wanted.update(r[2] for r in named if r[1] != "matter" or r[3] not in WHOLE_MEETING)
        linked = {(r[0], r[1]) for r in named if r[1] in ("meeting", "emergency", "review")}
        for stream, kind in sorted(linked):
            if kind == "meeting":
                rows = self.recorder.query(
                    "SELECT e.row FROM events e WHERE e.stream = ? AND e.type IN "
                    f"({','.join('?' * len(WHOLE_MEETING))})" + limit,
                    [stream, *sorted(WHOLE_MEETING), *extra],
                )
            else:
                rows = self.recorder.query(
                    "SELECT e.row FROM events e WHERE e.stream = ?" + limit, [stream, *extra]
                )
            wanted.update(r[0] for r in rows)
        return sorted(wanted)

    def scope_rows(self, subject: str, until: str | None = None) -> list[int]:
        """Storage rows of everything the rules read to judge ``subject``'s findings: the
        context, **every** event of each stream that has an event naming the subject (the
        subject's own, its meetings', emergencies', reviews'), and the opening event of every
        subject those events name (a meeting's body, an item's title and flags).

        Complete by construction, because each subject's facts are folded from its own stream
        alone (``ledger.projections.facts``) and a rule reads, of a subject other than the one it
        judges, only what its opening says: so the findings on the subject's streams judged from
        these rows are those judged from the whole log (tests/projections/
        test_trace_findings_match.py). A superset of :meth:`rows_for`: the file is what the
        matter's pages show, the scope is what judging it needs."""
        limit = " AND e.recorded_at <= ?" if until else ""
        extra = [until] if until else []
        wanted = set(self.context_rows(until))
        streams = self.recorder.query(
            "SELECT DISTINCT e.stream FROM refs r JOIN events e ON e.position = r.position "
            "WHERE r.subject = ?" + limit,
            [subject, *extra],
        )
        positions: list[int] = []
        for (stream,) in streams:
            for row, position in self.recorder.query(
                "SELECT e.row, e.position FROM events e WHERE e.stream = ?" + limit,
                [stream, *extra],
            ):
                wanted.add(row)
                positions.append(position)
        openings = self._query_in(
            "SELECT DISTINCT e.row FROM refs r JOIN subjects s ON s.id = r.subject "
            "JOIN events e ON e.position = s.position WHERE r.position IN ({in})" + limit,
            positions,
            extra,
        )
        wanted.update(r[0] for r in openings)
        return sorted(wanted)

    def events_of(self, subject: str, until: str | None = None) -> list[IndexedEvent]:
        """Every event naming ``subject`` (its stream's and others that refer to it), in order."""
        limit = " AND e.recorded_at <= ?" if until else ""
        rows = self.recorder.query(
            "SELECT e.* FROM refs r JOIN events e ON e.position = r.position "
            "WHERE r.subject = ?" + limit + " ORDER BY e.position",
            [subject, *([until] if until else [])],
        )
        return [_indexed(r) for r in rows]

    def roles_of(self, person: str, until: str) -> list[HeldRole]:
        """Every part ``person`` held, by the matter it concerns, as recorded by ``until``: in
        the order of the matters' opening, then of the log. A part without items concerns every
        matter whose file holds its event (ledger.projections.trace): its own matter's, the
        matters on its meeting's agenda, the matters its emergency or review is about, and the
        matters the event names."""
        q = self.recorder.query
        rows = q(
            "SELECT r.position, r.ordinal, r.role, r.detail, r.items, e.stream, e.kind, "
            "e.occurred_at, e.actor, e.endorsed FROM roles r "
            "JOIN events e ON e.position = r.position "
            "WHERE r.person = ? AND e.recorded_at <= ? ORDER BY r.position, r.ordinal",
            [person, until],
        )
        matters = {
            r[0]: (r[1], r[2])
            for r in q(
                "SELECT s.id, s.label, s.position FROM subjects s "
                "JOIN events e ON e.position = s.position "
                "WHERE s.kind = 'matter' AND e.recorded_at <= ?",
                [until],
            )
        }
        named = self._matters_named([r[0] for r in rows if r[6] != "meeting"], matters)
        of_stream: dict[str, set[str]] = {}
        held: list[HeldRole] = []
        for r in rows:
            position, _, role, detail, items, stream, kind = r[:7]
            if items is not None:
                files = set(items.split(","))
            elif kind == "matter":
                files = {stream} | named.get(position, set())
            else:
                if stream not in of_stream:
                    of_stream[stream] = self._matters_of_stream(stream, kind, until, matters)
                files = of_stream[stream] | named.get(position, set())
            for matter in files:
                if matter in matters:
                    title, opened = matters[matter]
                    held.append(
                        HeldRole(
                            matter=matter,
                            title=title,
                            opened=opened,
                            role=role,
                            detail=detail,
                            position=position,
                            occurred_at=r[7],
                            signed_by_person=bool(r[9]) and r[8] == person,
                        )
                    )
        held.sort(key=lambda h: (h.opened, h.position))  # stable: parts keep their order
        return held

    def _matters_named(
        self, positions: list[int], matters: dict[str, tuple[str, int]]
    ) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for position, subject in self._query_in(
            "SELECT position, subject FROM refs WHERE position IN ({in})", positions
        ):
            if subject in matters:
                found.setdefault(position, set()).add(subject)
        return found

    def _matters_of_stream(
        self, stream: str, kind: str, until: str, matters: dict[str, tuple[str, int]]
    ) -> set[str]:
        """The matters whose files take in the events of a meeting (every matter its events
        name), an emergency action or a review (the matters its opening names)."""
        opening = (
            ""
            if kind == "meeting"
            else (" AND e.type IN ('emergency.action_taken', 'review.opened')")
        )
        rows = self.recorder.query(
            "SELECT DISTINCT r.subject FROM events e JOIN refs r ON r.position = e.position "
            "WHERE e.stream = ? AND e.recorded_at <= ?" + opening,
            [stream, until],
        )
        return {r[0] for r in rows if r[0] in matters}

    def endorsed(self, positions: Iterable[int]) -> set[int]:
        """Which of these positions carry the actor's own signature."""
        rows = self._query_in(
            "SELECT position FROM events WHERE endorsed = 1 AND position IN ({in})",
            list(positions),
        )
        return {r[0] for r in rows}

    def _query_in(
        self, statement: str, values: Sequence[Any], extra: Sequence[Any] = ()
    ) -> list[Any]:
        """``statement`` with its ``{in}`` list filled by ``values`` a chunk at a time (SQLite
        caps a statement's parameters), then ``extra``; every chunk's rows, in order."""
        rows: list[Any] = []
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += self.recorder.query(statement.replace("{in}", marks), [*chunk, *extra])
        return rows

    def rows_at_positions(self, positions: Sequence[int]) -> list[int]:
        """Storage rows of the events at log ``positions``, in log order."""
        rows = self._query_in(
            "SELECT row, position FROM events WHERE position IN ({in})", list(positions)
        )
        return [r[0] for r in sorted(rows, key=lambda r: r[1])]

    def count(self) -> int:
        """How many events the index holds."""
        return int(self.recorder.query("SELECT COUNT(*) FROM events")[0][0])

    def position_at(self, moment: str) -> int:
        """The last position recorded at or before ``moment`` (canonical time text)."""
        rows = self.recorder.query(
            "SELECT MAX(position) FROM events WHERE recorded_at <= ?", [moment]
        )
        return int(rows[0][0] or 0)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows in a stable order (to compare a rebuild with the live index)."""
        return {
            "events": [tuple(r) for r in self.recorder.query("SELECT * FROM events ORDER BY 1")],
            "refs": [tuple(r) for r in self.recorder.query("SELECT * FROM refs ORDER BY 1, 2")],
            "subjects": [
                tuple(r) for r in self.recorder.query("SELECT * FROM subjects ORDER BY 1")
            ],
            "roles": [tuple(r) for r in self.recorder.query("SELECT * FROM roles ORDER BY 1, 2")],
            "tree_nodes": [
                tuple(r) for r in self.recorder.query("SELECT * FROM tree_nodes ORDER BY 1, 2")
            ],
        }


def _indexed(row: Any) -> IndexedEvent:
    return IndexedEvent(
        position=row["position"],
        row=row["row"],
        recorded_at=row["recorded_at"],
        occurred_at=row["occurred_at"],
        type=row["type"],
        stream=row["stream"],
        actor=row["actor"],
        endorsed=bool(row["endorsed"]),
    )


# A canonical header's keys are sorted (RFC 8785), so its fields can be read without a full
# JSON parse; anything unexpected falls back to json.loads.
_HEADER = re.compile(
    rb'^\{"actor":"([^"\\]*)","format":"[^"\\]*","ledger":"[^"\\]*",'
    rb'"occurred_at":"([^"\\]*)","payload":"[^"\\]*","prev":"[^"\\]*",'
    rb'"recorded_at":"([^"\\]*)","seq":(\d+),"signers":\[((?:"[^"\\]*"(?:,"[^"\\]*")*)?)\],'
    rb'"stream":"([^"\\]*)","type":"([^"\\]*)","version":\d+\}$'
)
_UUID = re.compile(rb'"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


def _header(header_bytes: bytes) -> tuple[str, str, str, int, str, str, bool]:
    """actor, occurred_at, recorded_at, seq, stream, type, and whether the header lists any
    signers (the act is signed by the person, not only recorded by the office)."""
    match = _HEADER.match(header_bytes)
    if match is not None:
        actor, occurred, recorded, seq, signers, stream, kind = match.groups()
        return (
            actor.decode(),
            occurred.decode(),
            recorded.decode(),
            int(seq),
            stream.decode(),
            kind.decode(),
            signers != b"",
        )
    h = json.loads(header_bytes)
    return (
        h["actor"],
        h["occurred_at"],
        h["recorded_at"],
        h["seq"],
        h["stream"],
        h["type"],
        bool(h["signers"]),
    )


@dataclass
class Entries:
    """The index rows of one page of events."""

    events: list[tuple[Any, ...]] = field(default_factory=list)
    refs: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[tuple[str, str, str, int]] = field(default_factory=list)
    roles: list[tuple[int, int, str, str, str, str | None]] = field(default_factory=list)
    leaves: list[bytes] = field(default_factory=list)


def _entries(page: Sequence[StoredRow], known: set[str]) -> Entries:
    out = Entries()
    for row in page:
        header_bytes, _, body_bytes = row.state.split(b"\n")
        out.leaves.append(leaf_hash(header_bytes))
        actor, occurred_at, recorded_at, position, stream, event_type, endorsed = _header(
            header_bytes
        )
        out.events.append(
            (
                position,
                row.row,
                recorded_at,
                occurred_at,
                event_type,
                event_type.split(".", 1)[0],
                stream,
                actor,
                int(endorsed),
            )
        )
        label = LABELS.get(event_type) if stream not in known else None
        if label is not None or event_type in ROLE_TYPES:
            payload = orjson.loads(body_bytes).get("payload")
            if label is not None:
                text = payload.get(label[1], "") if isinstance(payload, dict) else ""
                out.subjects.append((stream, label[0], str(text)[:200], position))
                known.add(stream)
            for ordinal, part in enumerate(parts_of(event_type, payload)):
                if part.person:
                    items = None if part.items is None else ",".join(part.items)
                    out.roles.append(
                        (position, ordinal, part.person, part.role, part.detail, items)
                    )
        named = {stream}
        for found in _UUID.findall(body_bytes):
            ident = found.decode()
            if ident in known:
                named.add(ident)
        out.refs += [(position, subject) for subject in named]
    return out
