"""What a reader on a phone waits for: Lighthouse on every page, this book against the
design before issue #15, in one run (`make bench`).

Both builds are served the way a static host serves them (gzip, by a small server on
127.0.0.1 in this script) and measured with Lighthouse from npm (pinned in package-lock.json)
driving Debian's Chromium, mobile preset (simulated slow 4G, slowed CPU; the timings are
simulated from the trace, so they are steady on a shared machine). Per page: performance
score, first contentful paint, largest contentful paint, total blocking time, transfer size,
accessibility score. Results: bench/RESULTS.md and bench/results.json.

  make bench                                   # every page (slow: ~35 pages x 2 designs)
  .venv/bin/python scripts/bench.py --pages book/01-status-quo.html book/timeline.html
  .venv/bin/python scripts/bench.py --check    # exit 1 if a page of this book misses a target

This book is read from _build/html (`make book` first; `make bench` does). The baseline is
BASELINE_COMMIT, checked out with `git worktree add --detach` into a temporary directory and
built there with this venv (or --baseline-html DIR to reuse a build). Speed is asserted only
here, never in the tests.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = REPO / "bench"
OURS = REPO / "_build" / "html"
BASELINE_COMMIT = "272c3fc"   # main before issue #15 (same design as d8a33ee)
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
TARGETS = {"score": 95, "fcp_s": 1.8, "lcp_s": 2.5, "tbt_ms": 200, "chapter_kb": 600, "a11y": 100}
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".csv")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as GitHub Pages and most hosts do)."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (not path.endswith(COMPRESSIBLE) or not os.path.isfile(path)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(root: Path):
    handler = functools.partial(GzipHandler, directory=str(root))
    handler.func.cache = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def pages_of(root: Path) -> list[str]:
    """Every reader-facing page; the root index.html is only a redirect to book/index.html."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not p.relative_to(root).parts[0].startswith("_") and p != root / "index.html")


def lighthouse(url: str) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
           "--only-categories=performance,accessibility",
           "--chrome-flags=--headless --no-sandbox --disable-gpu"]
    run = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=CHROME),
                         timeout=300)
    if run.returncode != 0:
        return {"error": run.stderr.strip()[-500:]}
    lhr = json.loads(run.stdout)
    audit = lambda name: lhr["audits"][name].get("numericValue")
    cat = lambda name: lhr["categories"][name]["score"]
    return {
        "score": None if cat("performance") is None else round(cat("performance") * 100),
        "fcp_s": round(audit("first-contentful-paint") / 1000, 2),
        "lcp_s": round(audit("largest-contentful-paint") / 1000, 2),
        "tbt_ms": round(audit("total-blocking-time")),
        "cls": round(audit("cumulative-layout-shift"), 3),
        "transfer_kb": round(audit("total-byte-weight") / 1000, 1),
        "a11y": None if cat("accessibility") is None else round(cat("accessibility") * 100),
        "lighthouse": lhr.get("lighthouseVersion"),
    }


def measure(root: Path, pages: list[str], label: str) -> dict:
    httpd, base = serve(root)
    out = {}
    try:
        for i, page in enumerate(pages, 1):
            if not (root / page).exists():
                continue
            out[page] = lighthouse(f"{base}/{page}")
            print(f"[{label} {i}/{len(pages)}] {page}: {out[page]}", flush=True)
    finally:
        httpd.shutdown()
    return out


def build_baseline(tmp: Path, commit: str) -> Path:
    tree = tmp / "baseline"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=REPO, check=True,
                   capture_output=True)
    print(f"building the baseline ({commit}) in {tree} ...", flush=True)
    run = subprocess.run([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"],
                         cwd=tree, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"baseline build failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return tree / "_build" / "html"


def is_chapter(page: str) -> bool:
    return page.startswith("book/") and page.split("/")[-1][:2].isdigit()


def misses(page: str, r: dict) -> list[str]:
    if "error" in r:
        return ["Lighthouse failed"]
    out = []
    if r["score"] is None or r["score"] < TARGETS["score"]:
        out.append(f"score {r['score']}")
    if r["fcp_s"] > TARGETS["fcp_s"]:
        out.append(f"FCP {r['fcp_s']} s")
    if r["lcp_s"] > TARGETS["lcp_s"]:
        out.append(f"LCP {r['lcp_s']} s")
    if r["tbt_ms"] > TARGETS["tbt_ms"]:
        out.append(f"TBT {r['tbt_ms']} ms")
    if is_chapter(page) and r["transfer_kb"] > TARGETS["chapter_kb"]:
        out.append(f"transfer {r['transfer_kb']} kB")
    if r["a11y"] != TARGETS["a11y"]:
        out.append(f"accessibility {r['a11y']}")
    return out


def worst(res: dict) -> tuple[str, dict] | None:
    ok = {k: v for k, v in res.items() if "error" not in v}
    return min(ok.items(), key=lambda kv: (kv[1]["score"] or 0, -kv[1]["lcp_s"])) if ok else None


def markdown(ours: dict, base: dict, info: str, subset: bool, baseline_note: str = "") -> str:
    fmt = lambda r, k: "–" if r is None or "error" in r or r.get(k) is None else f"{r[k]:,}"
    t = TARGETS
    lines = [
        "# What a reader on a phone waits for\n",
        f"Machine: {info}  ",
        f"Lighthouse {next((r['lighthouse'] for r in ours.values() if 'lighthouse' in r), '?')} "
        "(npm, pinned), Debian Chromium, mobile preset (simulated slow 4G, slowed CPU); both builds "
        "served with gzip from 127.0.0.1 by scripts/bench.py.  ",
        f"Baseline: the design before issue #15 (commit {BASELINE_COMMIT}){baseline_note}.  ",
        f"Targets: performance ≥ {t['score']}, FCP ≤ {t['fcp_s']} s, LCP ≤ {t['lcp_s']} s, "
        f"TBT ≤ {t['tbt_ms']} ms, chapter transfer ≤ {t['chapter_kb']} kB, accessibility {t['a11y']}.  ",
    ]
    if subset:
        lines.append("**Subset run** (not every page): the full run is `make bench`.  ")
    lines += ["", "| Page | Score | FCP (s) | LCP (s) | TBT (ms) | Transfer (kB) | Access. | "
              "Baseline score | FCP | LCP | TBT | Transfer | Access. | Targets missed |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    keys = ("score", "fcp_s", "lcp_s", "tbt_ms", "transfer_kb", "a11y")
    for page in sorted(set(ours) | set(base)):
        o, b = ours.get(page), base.get(page)
        missed = ", ".join(misses(page, o)) if o else "not in this build"
        lines.append(f"| {page} | " + " | ".join(fmt(o, k) for k in keys) + " | "
                     + " | ".join(fmt(b, k) for k in keys) + f" | {missed or 'none'} |")
    lines.append("")
    for label, res in (("This book", ours), ("Baseline", base)):
        w = worst(res)
        if w:
            lines.append(f"- {label}, worst page: {w[0]} (score {w[1]['score']}, FCP {w[1]['fcp_s']} s, "
                         f"LCP {w[1]['lcp_s']} s, TBT {w[1]['tbt_ms']} ms, {w[1]['transfer_kb']} kB)")
    failing = [p for p, r in ours.items() if misses(p, r)]
    lines.append(f"- Pages of this book missing a target: {len(failing)} of {len(ours)}"
                 + (f" ({', '.join(failing)})" if failing else ""))
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="*", help="pages relative to _build/html (default: every page)")
    parser.add_argument("--baseline-html", type=Path, help="a built baseline to reuse")
    parser.add_argument("--baseline-commit", default=BASELINE_COMMIT)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help="measure this book only; exit 1 if a page misses a target")
    parser.add_argument("--render", action="store_true", help="rewrite RESULTS.md from results.json")
    args = parser.parse_args()
    if args.render:
        res = json.loads((OUT / "results.json").read_text())
        (OUT / "RESULTS.md").write_text(markdown(res["book"], res["baseline"], res["machine"], res["subset"],
                                                 res.get("baseline_note", "")))
        return 0
    if not (OURS / "index.html").exists():
        raise SystemExit("the book is not built: run `make book` first")
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci`")
    pages = args.pages or pages_of(OURS)
    ours = measure(OURS, pages, "book")
    if args.check:
        failing = {p: misses(p, r) for p, r in ours.items() if misses(p, r)}
        print(json.dumps(failing, indent=2) if failing else "every page meets the targets")
        return 1 if failing else 0
    base: dict = {}
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                root = args.baseline_html or build_baseline(Path(tmp), args.baseline_commit)
                base = measure(root, pages, "baseline")
            finally:
                if not args.baseline_html:
                    subprocess.run(["git", "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                                   cwd=REPO, capture_output=True)
    info = machine()
    note = (", built in this run in a temporary `git worktree`" if not args.baseline_html else
            f", built from that commit with `git worktree add --detach` and this venv, read from {args.baseline_html}")
    table = markdown(ours, base, info, subset=bool(args.pages), baseline_note=note)
    print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "RESULTS.md").write_text(table)
    (OUT / "results.json").write_text(json.dumps(
        {"machine": info, "targets": TARGETS, "baseline_commit": args.baseline_commit,
         "subset": bool(args.pages), "baseline_note": note, "book": ours, "baseline": base}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
