"""A ledger's home directory: its configuration, SQLite file, keys, checkpoint and content store.

::

    HOME/
      ledger.json         which ledger lives here, its ledger key, its store (docs/home.md)
      ledger.sqlite       the events (unless the store is PostgreSQL)
      keys/<fp>.key       private keys, PKCS#8 PEM, encrypted unless made for a demo
      keys/<fp>.pub       the matching key ids
      checkpoint.txt      the newest signed checkpoint (C2SP tlog-checkpoint)
      checkpoint.tree     the Merkle compact range at that checkpoint, to extend it cheaply
      content/            materials by SHA-256 digest
      index.sqlite        the read index (a cache; `ledger rebuild` makes it again)
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ledger.errors import InputError, KeyFileError, LedgerExistsError, LedgerNotFoundError
from ledger.integrity.keys import SigningKey, fingerprint

CONFIG_FORMAT = "ledger.home/1"


class LedgerConfig(BaseModel):
    """What ``ledger.json`` says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = CONFIG_FORMAT
    ledger_id: str
    name: str
    genesis_key: str
    office_key: str
    checkpoint_key: str
    store: str | None = None
    created_at: datetime


class LedgerHome:
    """The files of one ledger, under one directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def config_path(self) -> Path:
        return self.path / "ledger.json"

    @property
    def sqlite_path(self) -> Path:
        return self.path / "ledger.sqlite"

    @property
    def index_path(self) -> Path:
        return self.path / "index.sqlite"

    @property
    def keys_dir(self) -> Path:
        return self.path / "keys"

    @property
    def checkpoint_path(self) -> Path:
        return self.path / "checkpoint.txt"

    @property
    def tree_path(self) -> Path:
        return self.path / "checkpoint.tree"

    @property
    def content_dir(self) -> Path:
        return self.path / "content"

    def exists(self) -> bool:
        return self.config_path.exists()

    def config(self) -> LedgerConfig:
        """Read ``ledger.json``."""
        try:
            text = self.config_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LedgerNotFoundError(
                f"no ledger in {self.path} (no ledger.json): run 'ledger init' there, "
                "or point --home / LEDGER_HOME at an existing ledger",
                zh=f"{self.path} 中没有台账（没有 ledger.json）：请在该目录运行 'ledger init'，"
                "或用 --home / LEDGER_HOME 指向已有的台账",
            ) from None
        except OSError as e:
            raise InputError(
                f"cannot read {self.config_path}: {e.strerror}",
                zh=f"无法读取 {self.config_path}：{e.strerror}",
            ) from e
        try:
            return LedgerConfig.model_validate_json(text)
        except ValidationError as e:
            raise InputError(
                f"{self.config_path} is not a valid ledger configuration: {e}",
                zh=f"{self.config_path} 不是有效的台账配置：{e}",
            ) from e

    def create(self, config: LedgerConfig) -> None:
        """Write ``ledger.json`` for a new ledger, refusing to replace one."""
        if self.exists():
            raise LedgerExistsError(
                f"a ledger already lives in {self.path}", zh=f"{self.path} 中已有台账"
            )
        self.path.mkdir(parents=True, exist_ok=True)
        self._write_atomic(self.config_path, config.model_dump_json(indent=2) + "\n")

    def save_config(self, config: LedgerConfig) -> None:
        """Replace ``ledger.json`` atomically."""
        self._write_atomic(self.config_path, config.model_dump_json(indent=2) + "\n")

    def key_path(self, key_id: str) -> Path:
        return self.keys_dir / f"{fingerprint(key_id)}.key"

    def save_key(self, key: SigningKey, passphrase: bytes | None) -> Path:
        """Store a private key (and its public id beside it)."""
        path = self.key_path(key.key_id)
        key.save(path, passphrase)
        (self.keys_dir / f"{fingerprint(key.key_id)}.pub").write_text(key.key_id + "\n")
        return path

    def load_key(self, key_id: str, passphrase: bytes | None) -> SigningKey:
        """Load the private key of ``key_id`` from this home."""
        path = self.key_path(key_id)
        if not path.exists():
            raise KeyFileError(
                f"the private key of {key_id} is not in {self.keys_dir}",
                zh=f"{self.keys_dir} 中没有 {key_id} 的私钥",
            )
        key = SigningKey.load(path, passphrase)
        if key.key_id != key_id:
            raise KeyFileError(
                f"{path} holds {key.key_id}, expected {key_id}",
                zh=f"{path} 中的密钥是 {key.key_id}，应为 {key_id}",
            )
        return key

    def key_is_encrypted(self, key_id: str) -> bool:
        path = self.key_path(key_id)
        try:
            return b"ENCRYPTED" in path.read_bytes().split(b"\n", 1)[0]
        except OSError:
            return False

    def read_tree(self) -> tuple[int, int, list[bytes]] | None:
        """The saved Merkle compact range (size, storage row, peaks), if any."""
        try:
            data = json.loads(self.tree_path.read_text())
            return int(data["size"]), int(data["row"]), [bytes.fromhex(p) for p in data["peaks"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_checkpoint(self, text: str, size: int, row: int, peaks: list[bytes]) -> bool:
        """Store a checkpoint and the compact range it was made from, unless the home already
        holds a larger one (two writers finishing out of order must not move it backwards).
        Returns whether it was stored."""
        with open(self.path / ".checkpoint.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            saved = self.read_tree()
            if saved is not None and saved[0] > size and self.checkpoint_path.exists():
                return False
            self._write_atomic(self.checkpoint_path, text)
            tree = {"size": size, "row": row, "peaks": [p.hex() for p in peaks]}
            self._write_atomic(self.tree_path, json.dumps(tree) + "\n")
            return True

    @staticmethod
    def _write_atomic(path: Path, text: str) -> None:
        # A temporary name of this writer's own: writers in two processes (two commands at
        # once) must not rename or overwrite each other's half-written file.
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
