"""The content store: materials kept beside the ledger by their SHA-256 digest, so the record
proves which text was before a meeting (home/content/<first 2 hex>/<rest of hex>)."""

from __future__ import annotations

import os
from pathlib import Path

from ledger.errors import InputError
from ledger.integrity.digest import Digest, digest_bytes, is_digest, sha256

MAX_MATERIAL_BYTES = 256 * 1024 * 1024


class ContentStore:
    """Materials by digest, in a directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, digest: str) -> Path:
        hex_ = digest_bytes(digest).hex()
        return self.root / hex_[:2] / hex_[2:]

    def put(self, data: bytes) -> Digest:
        """Keep ``data``; return its digest (idempotent)."""
        digest = sha256(data)
        path = self.path_of(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return digest

    def get(self, digest: str) -> bytes | None:
        """The material with ``digest``, if kept here and intact."""
        try:
            data = self.path_of(digest).read_bytes()
        except OSError:
            return None
        return data if sha256(data) == digest else None

    def stage(self, material: str, base: Path | None) -> tuple[Digest, bytes | None]:
        """A material given as a digest (kept as is), or as a file path: hashed, with its bytes
        returned to be kept (by :meth:`put`) once the act that names it has landed."""
        if material.startswith("sha256:"):
            if not is_digest(material):
                raise InputError(
                    f"{material!r} is not a sha256 digest (64 lowercase hex digits)",
                    zh=f"{material!r} 不是 sha256 摘要（应为 64 位小写十六进制数字）",
                )
            return Digest(material), None
        path = Path(material)
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            size = path.stat().st_size
            if size > MAX_MATERIAL_BYTES:
                raise InputError(
                    f"material {path} is larger than {MAX_MATERIAL_BYTES} bytes",
                    zh=f"材料 {path} 超过 {MAX_MATERIAL_BYTES} 字节",
                )
            data = path.read_bytes()
        except OSError as e:
            raise InputError(
                f"material file {path} cannot be read: {e.strerror}",
                zh=f"无法读取材料文件 {path}：{e.strerror}",
            ) from e
        return sha256(data), data
