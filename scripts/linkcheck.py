"""External link check: the built book's outbound links and every source URL in data/.

    .venv/bin/python scripts/linkcheck.py [--html _build/html] [--summary FILE] [--json FILE]
    make linkcheck

It needs the internet. It first tries one quick connection (3 s) to a well-known host; if that
fails it prints that the link check needs the internet and exits 0, so it never hangs offline.
Each address is checked once (HEAD, then GET where HEAD is refused), with a short timeout, a
bounded number of requests at a time and a bound on the total time; addresses left when time
runs out are listed as not checked. The report (Markdown) goes to stdout and, with --summary, to
a file (GitHub Actions: $GITHUB_STEP_SUMMARY). It exits 0 whatever it finds, unless
--fail-on-dead is given: the check reports, it does not block anything.
"""
from __future__ import annotations

import argparse
import concurrent.futures as futures
import csv
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
PROBE = os.environ.get("KBOOK_LINKCHECK_PROBE", "https://pypi.org/")
URL = re.compile(r"https?://[^\s\"'<>]+")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) kbook-linkcheck/1.0 (+scripts/linkcheck.py)"


def is_url_column(name: str) -> bool:
    """The data package's convention for source address columns: `url`, `source_url`, `source_1_url`."""
    return name == "url" or name.endswith("_url")


def data_urls(data_dir: Path = DATA) -> dict[str, set[str]]:
    """Every http(s) address in the data package: in datapackage.json (sources, licences,
    homepages) and in the CSVs (the URL columns its schemas declare, and any cell that is an
    address). Returns {url: {where it is cited}}."""
    found: dict[str, set[str]] = {}

    def add(url: str, where: str) -> None:
        url = url.strip()
        if URL.fullmatch(url) and (urlparse(url).hostname or "") not in LOCAL_HOSTS:
            found.setdefault(url, set()).add(where)

    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))

    def walk(node, where):
        if isinstance(node, dict):
            for v in node.values():
                walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)
        elif isinstance(node, str):
            for url in URL.findall(node):
                add(url.rstrip(".,;)"), where)

    walk({k: v for k, v in package.items() if k != "resources"}, "datapackage.json")
    for res in package.get("resources", []):
        walk({k: v for k, v in res.items() if k != "schema"}, f"datapackage.json ({res['name']})")
        path = data_dir / res["path"]
        if not path.exists() or path.suffix != ".csv":
            continue
        url_columns = {f["name"] for f in res.get("schema", {}).get("fields", []) if is_url_column(f["name"])}
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for column, value in row.items():
                    value = (value or "").strip()
                    if column in url_columns:   # one address, or several separated by " | "
                        for token in re.split(r"[\s|]+", value):
                            add(token, f"data/{path.name} ({column})")
                    elif URL.fullmatch(value):
                        add(value, f"data/{path.name} ({column})")
    return found


def html_urls(html_dir: Path) -> dict[str, set[str]]:
    """The outbound links (<a href="http...">) of the built pages, theme folders (_static, ...)
    left out. Links to this computer (the launch menu's JupyterLab) are not external."""
    found: dict[str, set[str]] = {}
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0].startswith("_"):
            continue
        for url in re.findall(r'<a [^>]*href="(https?://[^"]*)"', page.read_text(encoding="utf-8")):
            url = url.replace("&amp;", "&")
            if (urlparse(url).hostname or "") not in LOCAL_HOSTS:
                found.setdefault(url, set()).add(rel.as_posix())
    return found


def online(probe: str = PROBE, timeout: float = 3.0) -> bool:
    """One quick TCP connection to a well-known host: is there an internet connection?"""
    parts = urlparse(probe)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def check(url: str, timeout: float) -> tuple[str, str]:
    """(status, detail): ok, dead (404/410 or no such host), blocked (401/403/429: the site
    refuses robots; look by hand), error (anything else)."""
    last = ""
    for method in ("HEAD", "GET"):
        req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return "ok", str(resp.status)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if method == "HEAD" and exc.code in (400, 403, 405, 406, 429, 500, 501, 503):
                continue   # many servers answer HEAD badly; ask again with GET
            if exc.code in (404, 410):
                return "dead", last
            if exc.code in (401, 403, 429):
                return "blocked", last
            return "error", last
        except urllib.error.URLError as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, socket.gaierror):
                return "dead", f"no such host ({reason})"
            return "error", str(reason)[:120]
        except (TimeoutError, socket.timeout):
            return "error", f"no answer within {timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - a report line, never a crash
            return "error", f"{type(exc).__name__}: {str(exc)[:120]}"
    if last in ("HTTP 401", "HTTP 403", "HTTP 429"):
        return "blocked", last
    return "error", last


def run_checks(urls: list[str], timeout: float, workers: int, budget: float) -> dict[str, tuple[str, str]]:
    results: dict[str, tuple[str, str]] = {}
    deadline = time.monotonic() + budget
    pool = futures.ThreadPoolExecutor(max_workers=workers)
    pending = {pool.submit(check, u, timeout): u for u in urls}
    try:
        for fut in futures.as_completed(pending, timeout=max(budget, 0.1)):
            results[pending[fut]] = fut.result()
            if time.monotonic() > deadline:
                break
    except futures.TimeoutError:
        pass
    pool.shutdown(wait=False, cancel_futures=True)
    for u in urls:
        results.setdefault(u, ("unchecked", f"time limit of {budget:g} s reached"))
    return results


def report(results: dict[str, tuple[str, str]], where: dict[str, set[str]]) -> str:
    counts = {}
    for status, _ in results.values():
        counts[status] = counts.get(status, 0) + 1
    lines = ["# External link check", "",
             f"{len(results)} addresses: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), ""]
    for status, title in (("dead", "Dead (404/410 or no such host)"), ("error", "Errors (timeouts, server errors)"),
                          ("blocked", "Refused to a robot (check by hand)"), ("unchecked", "Not checked")):
        rows = sorted(u for u, (s, _) in results.items() if s == status)
        if rows:
            lines += [f"## {title}: {len(rows)}", "", "| address | result | cited in |", "|---|---|---|"]
            lines += [f"| {u} | {results[u][1]} | {'; '.join(sorted(where.get(u, ())))[:200]} |" for u in rows]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", type=Path, default=REPO / "_build" / "html", help="the built book (skipped if absent)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--probe", default=PROBE, help="address of the connectivity probe (env KBOOK_LINKCHECK_PROBE)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    ap.add_argument("--workers", type=int, default=8, help="requests at a time")
    ap.add_argument("--budget", type=float, default=900.0, help="seconds for the whole check")
    ap.add_argument("--summary", type=Path, help="also write the Markdown report here")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--list", action="store_true", help="only list the addresses that would be checked")
    ap.add_argument("--fail-on-dead", action="store_true", help="exit 1 if any address is dead")
    args = ap.parse_args(argv)

    where = data_urls(args.data)
    if args.html.is_dir():
        for url, pages in html_urls(args.html).items():
            where.setdefault(url, set()).update(pages)
    else:
        print(f"linkcheck: no built book at {args.html}; checking the data's addresses only", file=sys.stderr)
    urls = sorted(where)
    if args.list:
        print("\n".join(urls))
        return 0
    if not online(args.probe):
        print(f"linkcheck: the link check needs the internet, and {args.probe} cannot be reached "
              f"from here; {len(urls)} addresses were not checked.")
        return 0
    results = run_checks(urls, args.timeout, args.workers, args.budget)
    text = report(results, where)
    print(text)
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    if args.json:
        args.json.write_text(json.dumps({u: {"status": s, "detail": d, "cited_in": sorted(where[u])}
                                         for u, (s, d) in sorted(results.items())}, indent=1), encoding="utf-8")
    dead = sum(1 for s, _ in results.values() if s == "dead")
    return 1 if (dead and args.fail_on_dead) else 0


if __name__ == "__main__":
    raise SystemExit(main())
