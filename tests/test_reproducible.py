"""Two clean builds of the same commit produce byte-identical HTML, page for page."""
from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow   # test tier: left out of `make test-fast`


def _build(out: Path) -> Path:
    jb = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run([str(jb), "build", str(REPO), "--path-output", str(out), "-W", "-n",
                          "--keep-going"], capture_output=True, text=True)
    assert run.returncode == 0, f"clean build into {out} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return out / "_build" / "html"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_two_clean_builds_are_byte_identical(tmp_path):
    first, second = _build(tmp_path / "one"), _build(tmp_path / "two")
    a, b = _files(first), _files(second)
    assert a == b, f"different files: {sorted(a ^ b)[:10]}"
    differ = [f for f in sorted(a) if not filecmp.cmp(first / f, second / f, shallow=False)]
    assert not differ, f"{len(differ)} files differ between two clean builds, e.g. {differ[:10]}"
    assert any(f.endswith(".html") for f in a)
