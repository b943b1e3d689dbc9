"""Where received files are kept: every file, forever, under its content hash.

The local folder is the default; anything with ``keep``/``path_of`` (a bucket) can replace it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Protocol


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class FileStore(Protocol):
    def keep(self, path: Path, file_hash: str) -> str: ...
    def path_of(self, stored: str) -> Path: ...


class LocalStore:
    """Content-addressed folder: ``<root>/ab/abcdef….xlsx``. Writing twice is harmless."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def keep(self, path: Path, file_hash: str) -> str:
        relative = f"{file_hash[:2]}/{file_hash}{path.suffix.lower()}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        return relative

    def path_of(self, stored: str) -> Path:
        return self.root / stored
