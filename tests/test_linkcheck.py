"""scripts/linkcheck.py (make linkcheck): it collects every source address in the data package,
and without the internet it says so and exits 0 at once. No test sends traffic off this machine:
the offline path points the connectivity probe at a closed port on 127.0.0.1."""
from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
import time

from conftest import REPO

SCRIPT = REPO / "scripts" / "linkcheck.py"


def _collected(*args: str) -> set[str]:
    out = subprocess.run([sys.executable, str(SCRIPT), "--list", *args], cwd=REPO,
                         capture_output=True, text=True, check=True, timeout=60)
    return set(out.stdout.split())


def _closed_port() -> int:
    with socket.socket() as s:   # a port nothing listens on: bind, read the number, close
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_data_source_url_is_collected(tmp_path):
    """Read independently from the package: each resource's sources and every value of the
    columns its schema names as addresses."""
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = set()
    for res in package["resources"]:
        expected |= {s["path"] for s in res.get("sources", []) if s.get("path", "").startswith("http")}
        columns = [f["name"] for f in res["schema"]["fields"] if f["name"] == "url" or f["name"].endswith("_url")]
        with (REPO / "data" / res["path"]).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for c in columns:   # a cell holds one address, or several separated by " | "
                    expected |= {u.strip() for u in (row[c] or "").split("|") if u.strip()}
    assert expected, "the data package names no source address at all"
    collected = _collected("--html", str(tmp_path / "no-build"))
    missing = sorted(expected - collected)
    assert not missing, f"{len(missing)} data addresses not collected, e.g. {missing[:5]}"


def test_built_pages_outbound_links_are_collected(tmp_path):
    page = tmp_path / "html" / "book" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a class="reference external" href="https://example.org/a?x=1&amp;y=2">x</a>'
                    '<a href="http://localhost:8888/lab/tree/book/x.ipynb">lab</a>', encoding="utf-8")
    collected = _collected("--html", str(tmp_path / "html"))
    assert "https://example.org/a?x=1&y=2" in collected
    assert not any(u.startswith("http://localhost") for u in collected)


def test_offline_it_says_so_and_exits_0_quickly():
    probe = f"http://127.0.0.1:{_closed_port()}/"
    start = time.monotonic()
    out = subprocess.run([sys.executable, str(SCRIPT), "--probe", probe], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "needs the internet" in out.stdout, out.stdout
    assert time.monotonic() - start < 15
