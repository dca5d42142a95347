"""Results kept for download: one folder per result, named by an unguessable token, on disk.

On disk (not in memory) so several worker processes behind one reverse proxy serve each
other's downloads; each folder lives ``ttl`` seconds and is removed by the next request
after that. Uploaded inputs are never stored here — only the outputs made from them.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def default_root() -> Path:
    """``$CATALOG_TOOLS_WEB_STATE`` or a private folder under the system temp dir."""
    env = os.environ.get("CATALOG_TOOLS_WEB_STATE")
    return Path(env) if env else Path(tempfile.gettempdir()) / f"catalog-tools-web-{os.getuid()}"


class ResultStore:
    def __init__(self, root: Path | None = None, ttl: float = 3600.0) -> None:
        self.root = root or default_root()
        self.ttl = ttl
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def new(self) -> tuple[str, Path]:
        """A fresh token and its (empty, private) folder."""
        self.purge()
        token = secrets.token_urlsafe(24)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        return token, folder

    def folder(self, token: str) -> Path | None:
        """The folder of ``token``, or None when the token is malformed, unknown or expired."""
        if not _TOKEN.match(token):
            return None
        folder = self.root / token
        try:
            age = time.time() - folder.stat().st_mtime
        except OSError:
            return None
        return folder if age <= self.ttl else None

    def write_meta(self, token: str, meta: dict[str, Any]) -> None:
        """Replace the result's ``meta.json`` atomically (status polling reads it from any worker)."""
        folder = self.root / token
        tmp = folder / f".meta.{secrets.token_hex(4)}"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / "meta.json")

    def read_meta(self, token: str) -> dict[str, Any] | None:
        folder = self.folder(token)
        if folder is None:
            return None
        try:
            return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def purge(self) -> None:
        """Remove result folders older than the time to live."""
        now = time.time()
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return
        for entry in entries:
            try:
                if now - entry.stat().st_mtime > self.ttl:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                continue
