"""The archive file: a ZIP of stored (uncompressed) members in one canonical layout, its member
names, its limits, and the writer (docs/archive-format.md, sections 1 and 2).

Every header field of the layout is fixed or follows from the members, so a reader can check
every byte of the file: each one is a fixed header value, a member name from the list below, a
size, offset or CRC-32 it recomputes, or member content (CRC-32, then hashes and signatures).
A single changed byte anywhere is therefore caught, where compression (deflate's unused bits)
and free header fields (times, attributes, comments) would let some through. Members are
stored, not deflated: an auditor may compress the file to send it.

The layout (all integers little-endian; PKWARE APPNOTE 6.3.10 sections 4.3.7, 4.3.12, 4.3.16):
for each member in order a local file header then its bytes, then the central directory, then
the end of central directory record; nothing before, between or after; no ZIP64, no data
descriptors, no extra fields, no comments.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Final

from ledger.errors import InputError

ARCHIVE_FORMAT: Final = "ledger.archive/1"
PROOFS_FORMAT: Final = "ledger.proofs/1"
KEYS_FORMAT: Final = "ledger.keys/1"
TRUST_FORMAT: Final = "ledger.trust/1"
TLOG_PROOF_HEADER: Final = "c2sp.org/tlog-proof@v1"  # https://c2sp.org/tlog-proof

MANIFEST: Final = "manifest.json"
RECORDS: Final = "records.txt"
CHECKPOINT: Final = "checkpoint.txt"
PROOFS: Final = "proofs.json"
KEYS: Final = "keys.json"
TRUST: Final = "trust.json"
VERIFIER: Final = "verify_archive.py"
README: Final = "README.txt"
FIXED_NAMES: Final = frozenset(
    {MANIFEST, RECORDS, CHECKPOINT, PROOFS, KEYS, TRUST, VERIFIER, README}
)
REQUIRED_NAMES: Final = (MANIFEST, RECORDS, CHECKPOINT, KEYS, TRUST)
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
HTML_NAME: Final = re.compile(rf"html/(index|{_UUID})\.(zh|en)\.html\Z")
DECISION_PROOF_NAME: Final = re.compile(rf"proofs/({_UUID})-([1-9][0-9]{{0,15}})\.tlog-proof\Z")

# --- limits: an archive may come from hostile hands ------------------------------------------
MAX_ARCHIVE_BYTES: Final = 0xFFFF_FFFF  # offsets and sizes are 32 bits (no ZIP64)
MAX_MEMBERS: Final = 50_000
MAX_RECORDS_BYTES: Final = MAX_ARCHIVE_BYTES
MAX_PROOFS_BYTES: Final = 1 << 30  # 1 GiB
MAX_MEMBER_BYTES: Final = 64 << 20  # 64 MiB: every other member
MAX_LINE_BYTES: Final = 16 << 20  # one line of records.txt

# --- the fixed header values --------------------------------------------------------------
LOCAL_SIGNATURE: Final = 0x04034B50
CENTRAL_SIGNATURE: Final = 0x02014B50
END_SIGNATURE: Final = 0x06054B50
VERSION: Final = 20  # 2.0: the version needed to extract a stored member
MADE_BY: Final = (3 << 8) | VERSION  # upper byte 3: UNIX, so the attributes are a mode
FLAGS: Final = 0  # no encryption, no data descriptor; names are ASCII
STORED: Final = 0
DOS_TIME: Final = 0
DOS_DATE: Final = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest DOS date
EXTERNAL_ATTRIBUTES: Final = 0o100644 << 16  # a regular file, rw-r--r--
LOCAL = struct.Struct("<IHHHHHIIIHH")  # 30 bytes, then the name
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # 46 bytes, then the name
END = struct.Struct("<IHHHHIIH")  # 22 bytes


class ArchiveTooLargeError(InputError):
    """The export would not fit the archive's limits; export one matter or one period."""


def member_limit(name: str) -> int:
    """The most bytes a member of this name may hold."""
    if name == RECORDS:
        return MAX_RECORDS_BYTES
    if name == PROOFS:
        return MAX_PROOFS_BYTES
    return MAX_MEMBER_BYTES


def is_member_name(name: str) -> bool:
    """Whether ``name`` is one of the names an archive may hold."""
    return (
        name in FIXED_NAMES
        or HTML_NAME.match(name) is not None
        or DECISION_PROOF_NAME.match(name) is not None
    )


def local_header(name: bytes, crc: int, size: int) -> bytes:
    """The local file header of a stored member."""
    return (
        LOCAL.pack(
            LOCAL_SIGNATURE,
            VERSION,
            FLAGS,
            STORED,
            DOS_TIME,
            DOS_DATE,
            crc,
            size,
            size,
            len(name),
            0,
        )
        + name
    )


def central_header(name: bytes, crc: int, size: int, offset: int) -> bytes:
    """The central directory header of a stored member at ``offset``."""
    return (
        CENTRAL.pack(
            CENTRAL_SIGNATURE,
            MADE_BY,
            VERSION,
            FLAGS,
            STORED,
            DOS_TIME,
            DOS_DATE,
            crc,
            size,
            size,
            len(name),
            0,  # extra field length
            0,  # comment length
            0,  # disk number start
            0,  # internal attributes
            EXTERNAL_ATTRIBUTES,
            offset,
        )
        + name
    )


def end_record(count: int, directory_size: int, directory_offset: int) -> bytes:
    """The end of central directory record (no comment)."""
    return END.pack(END_SIGNATURE, 0, 0, count, count, directory_size, directory_offset, 0)


@dataclass(frozen=True, slots=True)
class _Entry:
    name: bytes
    crc: int
    size: int
    offset: int


class ArchiveWriter:
    """Writes members in the canonical layout to a seekable binary file, in the order added."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._entries: list[_Entry] = []
        self._names: set[str] = set()

    @property
    def count(self) -> int:
        """How many members were written."""
        return len(self._entries)

    @property
    def last_size(self) -> int:
        """The size of the member written last."""
        return self._entries[-1].size if self._entries else 0

    def add(self, name: str, data: bytes) -> None:
        """Add a member holding ``data``."""
        with self.stream(name) as write:
            write(data)

    @contextmanager
    def stream(self, name: str) -> Iterator[_Sink]:
        """Add a member written piece by piece: its header is completed once it is done."""
        if not is_member_name(name) or name in self._names:
            raise ValueError(f"not a member name, or one already written: {name!r}")
        if len(self._entries) >= MAX_MEMBERS:
            raise ArchiveTooLargeError(
                f"an archive holds at most {MAX_MEMBERS} members; export one matter or a period",
                zh=f"一个档案至多容纳 {MAX_MEMBERS} 个成员；请只导出一个议题或一个期间",
            )
        self._names.add(name)
        encoded = name.encode("ascii")
        offset = self._out.tell()
        self._out.write(local_header(encoded, 0, 0))
        sink = _Sink(self._out, member_limit(name), name)
        yield sink
        end = self._out.tell()
        self._out.seek(offset)
        self._out.write(local_header(encoded, sink.crc, sink.size))
        self._out.seek(end)
        self._entries.append(_Entry(encoded, sink.crc, sink.size, offset))
        if end > MAX_ARCHIVE_BYTES:
            raise ArchiveTooLargeError(
                f"the archive would exceed {MAX_ARCHIVE_BYTES} bytes; "
                "export one matter or a period",
                zh=f"档案将超过 {MAX_ARCHIVE_BYTES} 字节；请只导出一个议题或一个期间",
            )

    def close(self) -> int:
        """Write the central directory and the end record; returns the file's size."""
        start = self._out.tell()
        for entry in self._entries:
            self._out.write(central_header(entry.name, entry.crc, entry.size, entry.offset))
        size = self._out.tell() - start
        self._out.write(end_record(len(self._entries), size, start))
        total = self._out.tell()
        if total > MAX_ARCHIVE_BYTES:
            raise ArchiveTooLargeError(
                f"the archive would exceed {MAX_ARCHIVE_BYTES} bytes; "
                "export one matter or a period",
                zh=f"档案将超过 {MAX_ARCHIVE_BYTES} 字节；请只导出一个议题或一个期间",
            )
        return total


class _Sink:
    """Writes a member's bytes, keeping its CRC-32 and size."""

    def __init__(self, out: BinaryIO, limit: int, name: str) -> None:
        self._out = out
        self._limit = limit
        self._name = name
        self.crc = 0
        self.size = 0

    def __call__(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            raise ArchiveTooLargeError(
                f"{self._name} would exceed {self._limit} bytes; export one matter or a period",
                zh=f"{self._name} 将超过 {self._limit} 字节；请只导出一个议题或一个期间",
            )
        self.crc = zlib.crc32(data, self.crc)
        self._out.write(data)
