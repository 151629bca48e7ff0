"""Re-execute the book's notebooks in place, refreshing their committed outputs (`make execute`).

nbval compares a fresh run against these outputs, so run this after changing
code or data, then review the diff before committing.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

BOOK = Path(__file__).resolve().parents[1] / "book"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def main(paths: list[str]) -> int:
    # the data catalogue lists, for every table, the pages whose committed outputs declare it:
    # it runs last, so that it reads the outputs this run has just written
    notebooks = [Path(p).resolve() for p in paths] or sorted(
        BOOK.glob("*.ipynb"), key=lambda p: (p.stem == "data-catalogue", p.name))
    for nb_path in notebooks:
        nb = nbformat.read(nb_path, as_version=4)
        client = NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(nb_path.parent)}})
        client.execute()
        nb.metadata.pop("widgets", None)  # live widget state is not needed in the committed file
        for c, cell in enumerate(nb.cells):  # run timestamps would make every re-execution a diff
            cell.metadata.pop("execution", None)
            for o, out in enumerate(cell.get("outputs", [])):
                # random widget ids likewise; the widget state they pointed to is not kept anyway
                view = out.get("data", {}).get(WIDGET_VIEW)
                if view and "model_id" in view:
                    view["model_id"] = hashlib.sha1(f"{nb_path.name}:{c}:{o}".encode()).hexdigest()[:32]
        nbformat.write(nb, nb_path)
        print(f"executed {nb_path.relative_to(BOOK.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
