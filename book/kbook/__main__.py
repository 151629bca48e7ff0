"""Small maintenance commands for the book, run from the repository root:

    .venv/bin/python -m kbook refresh-hashes   # after editing a CSV in data/: update the
                                               # hashes and byte counts in datapackage.json
"""
from __future__ import annotations

import argparse

from .data import refresh_hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("refresh-hashes", help="update the hashes and sizes in data/datapackage.json")
    args = parser.parse_args(argv)
    if args.command == "refresh-hashes":
        refresh_hashes()
        print("data/datapackage.json: hashes refreshed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
