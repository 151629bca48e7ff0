# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11:
#   make book   build the HTML book into _build/html
#   make test   build it, then run every test (nbval, data, essay fidelity, browser)
# and, while working:
#   make test-fast   data, essay, house style and unit tests: no build, browser or kernel
#   make lock        regenerate requirements.txt (the lock) from requirements.in
#   make linkcheck   check the external links of the built book and the data (needs the internet)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
JB     := $(BIN)/jupyter-book

.PHONY: book test test-fast venv execute data clean bench bench-check lab lock linkcheck

venv: $(STAMP)

# The environment is the lock, requirements.txt: every package at an exact version, and the
# book's own package (kbook, book/kbook) installed editable from pyproject.toml.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Regenerate the lock from the direct list. Versions already in the lock are kept unless
# requirements.in asks for others; `make lock UPGRADE=1` moves every package to its newest release
# (the weekly lock-refresh workflow does that, and proposes the result only if `.ci/run` passes).
lock: $(STAMP)
	@$(BIN)/uv pip compile requirements.in --python $(BIN)/python --custom-compile-command "make lock" \
	    --quiet $(if $(UPGRADE),--upgrade) -o requirements.txt \
	  || { echo "make lock: could not resolve requirements.in against PyPI (is the network up?); requirements.txt is unchanged" >&2; exit 1; }
	@echo "requirements.txt regenerated: review the diff, then make test"

# Browser-side packages pinned in package-lock.json: the plotly.js partial bundle the book
# serves, axe-core (accessibility tests) and Lighthouse (make bench).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

# Build the book. -W turns every warning into an error; --keep-going reports them all.
# (AXE is defined above: make expands a rule's prerequisites where the rule is read.)
# The plotly.js bundle the pages load comes from node_modules (npm ci, pinned in package-lock.json).
book: $(STAMP) $(AXE)
	$(JB) build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"
	@echo "Preview it with: $(BIN)/python -m http.server --directory _build/html 8000"

# Every test: data package, derivation from ../shared/sources, bad input, essay
# fidelity, house style, nbval on every notebook, the offline browser and accessibility
# checks, reproducible builds, explorers in a kernel, JupyterLab, and a fresh Binder-style env.
test: book $(AXE)
	$(BIN)/python -m pytest -p no:cacheprovider --nbval book/*.ipynb tests \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -q -rs

# The fast tier: every test not marked `slow` (pyproject.toml). Slow tests are the ones that need
# the built book, a browser, a kernel, JupyterLab, a second build or a fresh environment; the
# notebooks' nbval run is left out too. It builds nothing.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider tests -m "not slow" -q -rs

# External links of the built book and every source URL in data/. It needs the internet: without
# it, it says so and stops cleanly. Not part of `make test` (see .github/workflows/linkcheck.yml).
linkcheck: $(STAMP)
	$(BIN)/python scripts/linkcheck.py --html _build/html

# JupyterLab on this computer, at the repository root: the book's "JupyterLab (this computer)"
# buttons open http://localhost:8888/lab/tree/book/<chapter>.ipynb. It stops with an error if
# port 8888 is taken, instead of moving to a port where those buttons would not find it.
LAB_PORT := 8888
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 --ServerApp.root_dir=$(CURDIR)

# Re-execute the chapter notebooks in place to refresh their committed outputs.
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

# Re-derive the curated tables in data/ from ../shared/sources.
data: $(STAMP)
	$(BIN)/python scripts/derive_data.py

clean:
	rm -rf _build

# What a reader on a phone waits for: Lighthouse (mobile preset, pages served with gzip) on every
# page of this book and of the design before issue #15, in one run; writes bench/RESULTS.md.
# `make bench-check` measures this book only and fails if a page misses a target.
bench: book
	$(BIN)/python scripts/bench.py

bench-check: book
	$(BIN)/python scripts/bench.py --check
