"""Where received files are kept: every file, forever, under its content hash.

The local folder is the default; anything with ``keep``/``path_of`` (a bucket) can replace it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path
from typing import Protocol


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bytes_hash(data: bytes) -> str:
    """``content_hash`` of a file whose bytes are already read."""
    return hashlib.sha256(data).hexdigest()


class FileStore(Protocol):
    """Where received files are kept. ``keep`` is called from several threads at once (a
    collection pass writes the store while it reads the next files)."""

    def keep(self, path: Path, file_hash: str, data: bytes | None = None) -> str: ...
    def path_of(self, stored: str) -> Path: ...


class LocalStore:
    """Content-addressed folder: ``<root>/ab/abcdef….xlsx``. Writing twice is harmless."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # what each folder holds, listed once: a pass keeping 100,000 files asks the file
        # system nothing per file but to write it (a stale listing only rewrites a file)
        self._listed: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def keep(self, path: Path, file_hash: str, data: bytes | None = None) -> str:
        """Keep the file; ``data``, when given, is its content, read already (the file is
        then not read again)."""
        relative = f"{file_hash[:2]}/{file_hash}{path.suffix.lower()}"
        target = self.root / relative
        if not self._claim(file_hash[:2], target.name):
            return relative  # kept already, or being kept by another thread
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            if data is None:
                shutil.copyfile(path, tmp)
            else:
                tmp.write_bytes(data)
            os.replace(tmp, target)
        except BaseException:
            with self._lock:
                self._listed[file_hash[:2]].discard(target.name)
            raise
        return relative

    def _claim(self, folder: str, name: str) -> bool:
        """Whether this call is to write ``name`` (it is neither kept nor being kept)."""
        with self._lock:
            if folder not in self._listed:
                try:
                    self._listed[folder] = set(os.listdir(self.root / folder))
                except FileNotFoundError:
                    self._listed[folder] = set()
            if name in self._listed[folder]:
                return False
            self._listed[folder].add(name)
            return True

    def path_of(self, stored: str) -> Path:
        return self.root / stored
