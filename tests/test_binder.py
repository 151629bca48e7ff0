"""Binder on first click: a fresh environment built from the repository's Binder files alone
(requirements.txt, runtime.txt) runs every notebook top to bottom, with no build step."""
from __future__ import annotations

import os
import subprocess
import sys
import venv

import pytest

from conftest import REPO, copy_tracked

pytestmark = pytest.mark.slow   # test tier: left out of `make test-fast`

RUNNER = r"""
import sys, pathlib, nbformat
from nbclient import NotebookClient
failed = []
for nb_path in sorted(pathlib.Path("book").glob("*.ipynb")):
    nb = nbformat.read(nb_path, 4)
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(nb_path.parent)}}).execute()
        print("ok", nb_path.name, flush=True)
    except Exception as exc:
        failed.append(f"{nb_path.name}: {str(exc)[-400:]}")
print("FAILED" if failed else "ALL OK", *failed, sep="\n")
sys.exit(1 if failed else 0)
"""


def test_fresh_environment_from_binder_files_runs_every_notebook(tmp_path):
    runtime = (REPO / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}", (
        f"runtime.txt says {runtime}; tests run on Python {sys.version_info.major}.{sys.version_info.minor}")
    work = copy_tracked(tmp_path / "repo")
    env_dir = tmp_path / "binder-env"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                             cwd=work, capture_output=True, text=True)
    assert install.returncode == 0, f"pip install -r requirements.txt failed: {install.stderr[-2000:]}"
    # a clean kernel: no PYTHONPATH from the test runner, the new environment's own python3 kernel
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}:{env['PATH']}"
    env["JUPYTER_PATH"] = str(env_dir / "share" / "jupyter")
    run = subprocess.run([str(py), "-c", RUNNER], cwd=work, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "ALL OK" in run.stdout
