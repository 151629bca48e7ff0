"""Benchmark the book build against a naive baseline (`make bench`).

Measures, in one run and on this machine:
  - cold build time (every notebook executed), no-change rebuild time, nbval time;
  - HTML bytes per chapter page, JavaScript bytes per page (with and without the
    cached plotly.js), bytes per figure beyond its data;
  - time until every figure on a page is drawn in headless Chromium.
The baseline is the same book built with plotly's "notebook" renderer
(PLOTLY_RENDERER=notebook), which inlines plotly.js into the page.

Results go to bench/RESULTS.md and bench/results.json. With --check, a fresh
run is compared with the committed results: sizes must match exactly, times
within a factor of two (noise on a shared 2-core machine).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = REPO / "bench"
TARGETS = {"page_kb": 200, "figure_overhead_bytes": 3000, "draw_seconds": 1.5, "rebuild_seconds": 10}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def copy_tree(dst: Path) -> Path:
    """A clean copy of the tracked files (what a fresh clone has), plus the venv path."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    for rel in filter(None, files.stdout.decode().split("\0")):
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    return dst


def timed(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return time.perf_counter() - start


def build(book: Path, env=None) -> float:
    return timed([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"], book, env)


def page_sizes(html_root: Path) -> dict:
    """Bytes of each chapter page, of its scripts, and per-figure overhead beyond its data."""
    pages = {}
    for page in sorted((html_root / "book").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script[^>]+src="([^"?]+)', text)
        ext_js = {s: (page.parent / s).resolve().stat().st_size for s in scripts
                  if (page.parent / s).resolve().exists()}
        inline_js = sum(len(m.encode()) for m in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S))
        plotly_js = sum(v for k, v in ext_js.items() if "plotly" in k)
        figures = re.findall(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*(\{.*?\})\s*\)',
                             text, re.S)
        overheads = [_figure_overhead(b) for b in _figure_blocks(text)]
        html_bytes = len(text.encode())
        pages[page.stem] = {
            "html_bytes": html_bytes,
            "html_bytes_without_inline_plotly": html_bytes - _inline_plotly_bytes(text),
            "js_bytes": sum(ext_js.values()) + inline_js,
            "js_bytes_without_plotly": sum(ext_js.values()) - plotly_js + inline_js - _inline_plotly_bytes(text),
            "figures": max(len(figures), text.count('class="plotly-graph-div"')),
            "figure_overhead_bytes": max(overheads) if overheads else None,
        }
    return pages


def _inline_plotly_bytes(text: str) -> int:
    """Size of plotly.js pasted into the page itself (the baseline's notebook renderer does it)."""
    return sum(len(m.encode()) for m in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S)
               if len(m) > 1_000_000)


def _figure_blocks(text: str) -> list[str]:
    """From each figure's <div class="plotly-graph-div"> to the end of the script that draws it."""
    blocks = []
    for m in re.finditer(r'<div id="([^"]+)" class="plotly-graph-div"', text):
        call = text.find("Plotly.newPlot(", m.start())
        end = text.find("</script>", call)
        if call > 0 and end > 0:
            blocks.append(text[m.start():end + len("</script>")])
    return blocks


def _figure_overhead(block: str) -> int | None:
    """Bytes a figure carries beyond what it shows: the HTML and script around the plotting
    call, the template and the config. The traces (data) and the figure's own layout (titles,
    axes, annotations, menus) are content, not overhead."""
    m = re.search(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*(\{.*?\})\s*\)', block, re.S)
    if not m:
        return None
    data, layout = m.group(1), m.group(2)
    template = 0
    at = layout.find('"template":')
    if at >= 0:
        start = at + len('"template":')
        while layout[start] == " ":
            start += 1
        _, stop = json.JSONDecoder().raw_decode(layout, start)
        template = len(layout[at:stop].encode())
    own_layout = len(layout.encode()) - template
    return len(block.encode()) - len(data.encode()) - own_layout


def draw_times(html_root: Path, pages: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # the browser closing a page mid-download (BrokenPipe) is not a benchmark error
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html_root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for name in pages:
            runs = []
            for _ in range(3):
                ctx = browser.new_context()
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
                tab = ctx.new_page()
                tab.goto(f"{base}/book/{name}.html", wait_until="commit")
                try:
                    tab.wait_for_function(
                        "() => document.readyState !== 'loading' && "
                        "[...document.querySelectorAll('.plotly-graph-div')].length > 0 && "
                        "[...document.querySelectorAll('.plotly-graph-div')]"
                        ".every(d => d.querySelector('svg.main-svg'))", timeout=15_000, polling=10)
                    runs.append(tab.evaluate("performance.now()") / 1000)
                except Exception:  # figures that never draw offline (the baseline's may not)
                    runs.append(None)
                ctx.close()
                if runs[-1] is None:
                    break
            out[name] = None if None in runs else round(statistics.median(runs), 3)
        browser.close()
    httpd.shutdown()
    return out


def measure(book: Path, env=None, with_nbval=False) -> dict:
    cold = build(book, env)
    rebuild = build(book, env)
    result = {"cold_build_s": round(cold, 1), "rebuild_s": round(rebuild, 1)}
    if with_nbval:
        nbs = sorted(str(p) for p in (book / "book").glob("*.ipynb"))
        result["nbval_s"] = round(timed([str(BIN / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q",
                                         "--nbval", *nbs, "--nbval-sanitize-with",
                                         "tests/nbval_sanitize.cfg"], book, env), 1)
    html = book / "_build" / "html"
    result["pages"] = page_sizes(html)
    with_figs = [k for k, v in result["pages"].items() if v["figures"]]
    result["draw_s"] = draw_times(html, with_figs)
    return result


def summary(ours: dict, base: dict) -> list[tuple]:
    def agg(res, key, fn=max):
        vals = [v[key] for k, v in res["pages"].items() if re.match(r"\d\d-", k) and v[key] is not None]
        return fn(vals) if vals else None

    rows = [
        ("Cold build, all notebooks executed (s)", ours["cold_build_s"], base["cold_build_s"], None),
        ("No-change rebuild (s)", ours["rebuild_s"], base["rebuild_s"], TARGETS["rebuild_seconds"]),
        ("nbval on every notebook (s)", ours.get("nbval_s"), base.get("nbval_s"), None),
        ("Largest chapter page, HTML (kB)", agg(ours, "html_bytes") / 1000, agg(base, "html_bytes") / 1000, None),
        ("Largest chapter page without plotly.js (kB)", agg(ours, "html_bytes_without_inline_plotly") / 1000,
         agg(base, "html_bytes_without_inline_plotly") / 1000, TARGETS["page_kb"]),
        ("Largest JS per chapter page, all (kB)", agg(ours, "js_bytes") / 1000, agg(base, "js_bytes") / 1000, None),
        ("Largest JS per chapter page without plotly.js (kB)", agg(ours, "js_bytes_without_plotly") / 1000,
         agg(base, "js_bytes_without_plotly") / 1000, None),
        ("Largest per-figure overhead beyond its data (bytes)", agg(ours, "figure_overhead_bytes"),
         agg(base, "figure_overhead_bytes"), TARGETS["figure_overhead_bytes"]),
        ("Slowest page, all figures drawn (s)", _max(ours["draw_s"].values()), _max(base["draw_s"].values()),
         TARGETS["draw_seconds"]),
        ("Pages whose figures never drew offline", sum(v is None for v in ours["draw_s"].values()),
         sum(v is None for v in base["draw_s"].values()), 0),
    ]
    return rows


def _max(values):
    vals = [v for v in values if v is not None]
    return max(vals) if vals else None


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), "?")
    return (f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def markdown(rows, info) -> str:
    lines = ["# Benchmark results\n", f"Machine: {info}  ",
             "Baseline: the same book built with plotly's `notebook` renderer (`PLOTLY_RENDERER=notebook`).  ",
             "Measured by `make bench` (scripts/bench.py). Times are one run (draw times: median of three).\n",
             "| Measure | This book | Baseline | Ratio (book / baseline) | Target | Met |",
             "|---|---:|---:|---:|---:|:---:|"]
    for name, ours, base, target in rows:
        ratio = f"{ours / base:.3f}" if ours is not None and base else "–"
        met = "–" if target is None or ours is None else ("yes" if ours <= target else "no")
        fmt = lambda v: "–" if v is None else (f"{v:,.1f}" if isinstance(v, float) else f"{v:,}")
        lines.append(f"| {name} | {fmt(ours)} | {fmt(base)} | {ratio} | {fmt(target) if target is not None else '–'} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="compare a fresh run with bench/results.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours_dir = copy_tree(Path(tmp) / "book")
        base_dir = copy_tree(Path(tmp) / "baseline")
        print("building this book (cold, then cached) ...", flush=True)
        ours = measure(ours_dir, with_nbval=True)
        print("building the baseline (plotly notebook renderer) ...", flush=True)
        env = dict(os.environ, PLOTLY_RENDERER="notebook")
        base = measure(base_dir, env=env)
    rows = summary(ours, base)
    info = machine()
    table = markdown(rows, info)
    print(table)
    fresh = {"machine": info, "book": ours, "baseline": base, "rows": rows}
    if args.check:
        old = json.loads((OUT / "results.json").read_text())
        problems = []
        for (name, a, _, _), (_, b, _, _) in zip(fresh["rows"], old["rows"]):
            if a is None or b is None:
                continue
            if "(s)" in name:
                if not (b / 2 <= a <= b * 2):
                    problems.append(f"{name}: {a} now, {b} committed")
            elif abs(a - b) > 1e-9 * max(1, abs(b)):
                problems.append(f"{name}: {a} now, {b} committed")
        print("committed results match a fresh run within noise" if not problems else
              "differences from the committed results:\n  " + "\n  ".join(problems))
        return 1 if problems else 0
    OUT.mkdir(exist_ok=True)
    (OUT / "RESULTS.md").write_text(table)
    (OUT / "results.json").write_text(json.dumps(fresh, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
