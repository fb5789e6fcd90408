"""Reading an archive that may come from hostile hands: nothing is extracted, nothing is run.

:func:`open_archive` checks the whole file against the canonical layout (docs/archive-format.md
section 2) before any member is read: the end record at the very end and no comment; at most
:data:`~ledger.archive.layout.MAX_MEMBERS` members, each named exactly as the format allows
(no path traversal, no absolute path, no backslash, no duplicate), stored, a regular file, under
its size limit; every local header equal to its central directory entry; the members packed
from offset 0 to the central directory without gap or overlap. Then it reads every member once
to check its CRC-32. Members are then read by name only, bounded by their declared size; text
must be UTF-8 and JSON must hold no duplicate key, no float and no ``NaN``.

Every refusal is an :class:`ArchiveFormatError` (bad input: exit 2) with one line saying what is
wrong, in English and in Chinese; the integrity of the content (hashes, signatures, proofs) is
for the verifier.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ledger.archive import layout
from ledger.errors import InputError

CHUNK = 1 << 20


class ArchiveFormatError(InputError):
    """The file is not a ledger archive in the canonical layout, or breaks one of its limits."""


@dataclass(frozen=True, slots=True)
class Member:
    """Where a member's bytes are in the file."""

    name: str
    data_offset: int
    size: int
    crc: int


class Archive:
    """An open archive whose layout and CRCs were checked (:func:`open_archive`)."""

    def __init__(self, path: Path, f: BinaryIO, members: dict[str, Member], size: int) -> None:
        self.path = path
        self._f = f
        self.members = members
        self.size = size

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._f.close()

    @property
    def names(self) -> list[str]:
        """The member names, in the file's order."""
        return list(self.members)

    def has(self, name: str) -> bool:
        return name in self.members

    def _member(self, name: str) -> Member:
        member = self.members.get(name)
        if member is None:
            raise ArchiveFormatError(f"the archive has no {name}", zh=f"档案中没有 {name}")
        return member

    def chunks(self, name: str) -> Iterator[bytes]:
        """A member's bytes, a piece at a time, never past its declared size."""
        member = self._member(name)
        left = member.size
        position = member.data_offset
        while left:
            self._f.seek(position)
            piece = self._f.read(min(CHUNK, left))
            if not piece:
                raise ArchiveFormatError(
                    f"{name} is cut short: the file ends inside it",
                    zh=f"{name} 不完整：文件在它中间就结束了",
                )
            left -= len(piece)
            position += len(piece)
            yield piece

    def read(self, name: str) -> bytes:
        """A member's bytes (its size was checked against its limit when opened)."""
        return b"".join(self.chunks(name))

    def text(self, name: str) -> str:
        """A member as UTF-8 text."""
        try:
            return self.read(name).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ArchiveFormatError(
                f"{name} is not UTF-8 text: {e.reason} at byte {e.start}",
                zh=f"{name} 不是 UTF-8 文本：第 {e.start} 字节处 {e.reason}",
            ) from e

    def json(self, name: str) -> Any:
        """A member as JSON: no duplicate keys, no floats, no NaN or Infinity."""
        return parse_strict_json(self.text(name), name)

    def sha256(self, name: str) -> str:
        """``sha256:<hex>`` of a member's bytes."""
        digest = hashlib.sha256()
        for piece in self.chunks(name):
            digest.update(piece)
        return "sha256:" + digest.hexdigest()

    def lines(self, name: str) -> Iterator[bytes]:
        """A member's lines (each ending in 0x0A, which is removed), read a piece at a time; a
        line longer than :data:`~ledger.archive.layout.MAX_LINE_BYTES` or a last line without
        its 0x0A is refused."""
        pending = b""
        for piece in self.chunks(name):
            pending += piece
            *complete, pending = pending.split(b"\n")
            yield from complete
            if len(pending) > layout.MAX_LINE_BYTES:
                raise ArchiveFormatError(
                    f"{name} has a line longer than {layout.MAX_LINE_BYTES} bytes",
                    zh=f"{name} 中有一行超过 {layout.MAX_LINE_BYTES} 字节",
                )
        if pending:
            raise ArchiveFormatError(
                f"{name} does not end with a line feed", zh=f"{name} 不以换行符结尾"
            )


def parse_strict_json(text: str, name: str) -> Any:
    """JSON without duplicate keys, floats or non-finite numbers (they have no place in an
    archive and would make two readers disagree)."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_constant=_no_float,
        )
    except (ValueError, RecursionError) as e:
        raise ArchiveFormatError(
            f"{name} is not valid JSON for an archive: {e}",
            zh=f"{name} 不是档案可用的有效 JSON：{e}",
        ) from e


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _no_float(text: str) -> Any:
    raise ValueError(f"number {text} is not an integer")


def open_archive(path: Path) -> Archive:
    """Open ``path`` and check its whole layout and every member's CRC-32 (module docstring)."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - the Archive owns it and closes it
    except OSError as e:
        reason = e.strerror or e
        raise ArchiveFormatError(
            f"cannot read {path}: {reason}", zh=f"无法读取 {path}：{reason}"
        ) from e
    try:
        mode = os.fstat(f.fileno())
        if not stat.S_ISREG(mode.st_mode):
            raise ArchiveFormatError(f"{path} is not a regular file", zh=f"{path} 不是普通文件")
        members = _check_layout(f, mode.st_size)
        archive = Archive(path, f, members, mode.st_size)
        for member in members.values():
            crc = 0
            for piece in archive.chunks(member.name):
                crc = zlib.crc32(piece, crc)
            if crc != member.crc:
                raise ArchiveFormatError(
                    f"{member.name} is damaged: its CRC-32 is {crc:08x}, the archive says "
                    f"{member.crc:08x}",
                    zh=f"{member.name} 已损坏：其 CRC-32 为 {crc:08x}，档案中记为 {member.crc:08x}",
                )
        for name in layout.REQUIRED_NAMES:
            if name not in members:
                raise ArchiveFormatError(
                    f"not a ledger archive: it has no {name}",
                    zh=f"不是台账档案：其中没有 {name}",
                )
    except BaseException:
        f.close()
        raise
    return archive


def _check_layout(f: BinaryIO, size: int) -> dict[str, Member]:
    # 1. The end record: exactly the last 22 bytes (no comment), one disk.
    if size == 0:
        raise ArchiveFormatError(
            "not a ledger archive: the file is empty", zh="不是台账档案：文件是空的"
        )
    if size < layout.END.size:
        raise ArchiveFormatError(
            f"not a ledger archive: {size} bytes is too short for a ZIP",
            zh=f"不是台账档案：{size} 字节太短，不可能是 ZIP 文件",
        )
    if size > layout.MAX_ARCHIVE_BYTES:
        raise ArchiveFormatError(
            f"the file has {size} bytes, above the limit of {layout.MAX_ARCHIVE_BYTES}",
            zh=f"文件有 {size} 字节，超过上限 {layout.MAX_ARCHIVE_BYTES}",
        )
    f.seek(size - layout.END.size)
    signature, disk, directory_disk, here, count, directory_size, directory_offset, comment = (
        layout.END.unpack(f.read(layout.END.size))
    )
    if signature != layout.END_SIGNATURE:
        raise ArchiveFormatError(
            "not a ledger archive: no ZIP end record in its last 22 bytes (not a ZIP, or a ZIP "
            "with a comment or data after it)",
            zh="不是台账档案：最后 22 字节中没有 ZIP 结尾记录（不是 ZIP 文件，或 ZIP 带有注释，"
            "或其后还有数据）",
        )
    if disk or directory_disk or here != count or comment:
        raise ArchiveFormatError(
            "not a ledger archive: a multi-disk ZIP, or one with a comment",
            zh="不是台账档案：这是分卷 ZIP，或带有注释的 ZIP",
        )
    if count == 0:
        raise ArchiveFormatError(
            "not a ledger archive: the ZIP is empty", zh="不是台账档案：ZIP 文件是空的"
        )
    if count > layout.MAX_MEMBERS:
        raise ArchiveFormatError(
            f"the archive has {count} members, above the limit of {layout.MAX_MEMBERS}",
            zh=f"档案有 {count} 个成员，超过上限 {layout.MAX_MEMBERS}",
        )
    if directory_offset + directory_size != size - layout.END.size:
        raise ArchiveFormatError(
            "the ZIP central directory does not end where the end record begins",
            zh="ZIP 中央目录的结束处不是结尾记录的开始处",
        )
    # 2. The central directory: fixed fields, allowed names, limits, members packed from 0.
    f.seek(directory_offset)
    directory = f.read(directory_size)
    members: dict[str, Member] = {}
    at = 0
    expected_offset = 0
    for _ in range(count):
        entry = directory[at : at + layout.CENTRAL.size]
        if len(entry) < layout.CENTRAL.size:
            raise ArchiveFormatError(
                "the ZIP central directory is cut short", zh="ZIP 中央目录不完整"
            )
        fields = layout.CENTRAL.unpack(entry)
        name_length = fields[10]
        raw = directory[at + layout.CENTRAL.size : at + layout.CENTRAL.size + name_length]
        name = _member_name(raw, name_length)
        at += layout.CENTRAL.size + name_length
        crc, size_stored, size_plain, offset = fields[7], fields[8], fields[9], fields[16]
        _check_entry(name, fields)
        if name in members:
            raise ArchiveFormatError(
                f"member {name!r} appears twice", zh=f"成员 {name!r} 出现了两次"
            )
        if size_stored != size_plain:
            raise ArchiveFormatError(
                f"member {name!r}: stored and plain sizes differ",
                zh=f"成员 {name!r}：存储大小与原始大小不同",
            )
        limit = layout.member_limit(name)
        if size_plain > limit:
            raise ArchiveFormatError(
                f"member {name!r} declares {size_plain} bytes, above the limit of {limit}",
                zh=f"成员 {name!r} 声明有 {size_plain} 字节，超过上限 {limit}",
            )
        if offset != expected_offset:
            raise ArchiveFormatError(
                f"member {name!r} starts at byte {offset}, expected {expected_offset} (members "
                "are packed one after another, without gap or overlap)",
                zh=f"成员 {name!r} 从第 {offset} 字节开始，应为第 {expected_offset} 字节"
                "（成员应一个接一个紧密排列，既无间隙也不重叠）",
            )
        data_offset = offset + layout.LOCAL.size + len(raw)
        expected_offset = data_offset + size_plain
        if expected_offset > directory_offset:
            raise ArchiveFormatError(
                f"member {name!r} runs into the central directory",
                zh=f"成员 {name!r} 延伸进了中央目录",
            )
        members[name] = Member(name, data_offset, size_plain, crc)
    if at != directory_size or expected_offset != directory_offset:
        raise ArchiveFormatError(
            "the ZIP central directory does not account for the whole file",
            zh="ZIP 中央目录与整个文件对不上（有未列入的字节）",
        )
    # 3. Each local header repeats its central directory entry exactly.
    for member in members.values():
        raw_name = member.name.encode("ascii")
        start = member.data_offset - layout.LOCAL.size - len(raw_name)
        f.seek(start)
        found = f.read(layout.LOCAL.size + len(raw_name))
        if found != layout.local_header(raw_name, member.crc, member.size):
            raise ArchiveFormatError(
                f"the local header of {member.name!r} differs from its central directory entry "
                "or from the canonical layout",
                zh=f"{member.name!r} 的本地文件头与其中央目录条目不同，或不符合规范布局",
            )
    return members


def _member_name(raw: bytes, length: int) -> str:
    if len(raw) != length:
        raise ArchiveFormatError("the ZIP central directory is cut short", zh="ZIP 中央目录不完整")
    try:
        name = raw.decode("ascii")
    except UnicodeDecodeError:
        raise ArchiveFormatError(
            f"member name {raw!r} is not ASCII", zh=f"成员名 {raw!r} 不是 ASCII"
        ) from None
    if "\\" in name:
        raise ArchiveFormatError(
            f"member name {name!r} holds a backslash", zh=f"成员名 {name!r} 含有反斜杠"
        )
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ArchiveFormatError(
            f"member name {name!r} is an absolute path", zh=f"成员名 {name!r} 是绝对路径"
        )
    if ".." in name.split("/") or "\x00" in name:
        raise ArchiveFormatError(
            f"member name {name!r} climbs out of the archive (path traversal)",
            zh=f"成员名 {name!r} 指向档案之外（路径穿越）",
        )
    if not layout.is_member_name(name):
        raise ArchiveFormatError(
            f"unexpected member {name!r}: not a name a ledger archive holds",
            zh=f"意外的成员 {name!r}：台账档案中不会有这个名称",
        )
    return name


def _check_entry(name: str, fields: tuple[int, ...]) -> None:
    signature, made_by, version, flags, method, time, date = fields[:7]
    extra, comment, disk, internal, external = fields[11:16]
    if signature != layout.CENTRAL_SIGNATURE:
        raise ArchiveFormatError(
            "the ZIP central directory is damaged: an entry's signature",
            zh="ZIP 中央目录已损坏：某条目的签名字段有误",
        )
    kind = stat.S_IFMT(external >> 16)
    if kind == stat.S_IFLNK:
        raise ArchiveFormatError(
            f"member {name!r} is a symbolic link", zh=f"成员 {name!r} 是符号链接"
        )
    if kind == stat.S_IFDIR:
        raise ArchiveFormatError(f"member {name!r} is a directory", zh=f"成员 {name!r} 是目录")
    if flags & 0x1:
        raise ArchiveFormatError(f"member {name!r} is encrypted", zh=f"成员 {name!r} 已加密")
    if method != layout.STORED:
        raise ArchiveFormatError(
            f"member {name!r} is compressed (method {method}); a ledger archive stores its "
            "members uncompressed",
            zh=f"成员 {name!r} 经过压缩（方法 {method}）；台账档案的成员以不压缩的方式存储",
        )
    expected = (
        layout.MADE_BY,
        layout.VERSION,
        layout.FLAGS,
        layout.DOS_TIME,
        layout.DOS_DATE,
        0,
        0,
        0,
        0,
        layout.EXTERNAL_ATTRIBUTES,
    )
    found = (made_by, version, flags, time, date, extra, comment, disk, internal, external)
    if found != expected:
        raise ArchiveFormatError(
            f"member {name!r}: its ZIP header fields are not those of the canonical layout",
            zh=f"成员 {name!r}：其 ZIP 头字段不符合规范布局",
        )
