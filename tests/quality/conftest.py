"""Fixtures for the content-quality tests: the corpus as files and behind a real local server."""
from __future__ import annotations

from pathlib import Path

import pytest

from .corpus import CORPUS, zip_bomb_xlsx
from .server import CorpusServer


@pytest.fixture(scope="session")
def corpus_files() -> dict[str, bytes]:
    files = {name: make() for name, (make, _fmt) in CORPUS.items()}
    files["visitors-bomb.xlsx"] = zip_bomb_xlsx(300 * 2**20)
    return files


@pytest.fixture(scope="module")
def corpus_server(corpus_files: dict[str, bytes]):
    with CorpusServer(corpus_files) as server:
        yield server


@pytest.fixture
def corpus_dir(tmp_path: Path, corpus_files: dict[str, bytes]) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, body in corpus_files.items():
        (folder / name).write_bytes(body)
    return folder
