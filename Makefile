# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11:
#   make book   build the HTML book into _build/html
#   make test   build it, then run every test (nbval, data, essay fidelity, browser)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
JB     := $(BIN)/jupyter-book

.PHONY: book test venv execute data clean bench bench-check lab

venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Build the book. -W turns every warning into an error; --keep-going reports them all.
# The plotly.js bundle the pages load comes from node_modules (npm ci, pinned in package-lock.json).
book: $(STAMP) $(AXE)
	$(JB) build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"
	@echo "Preview it with: $(BIN)/python -m http.server --directory _build/html 8000"

# Browser-side packages pinned in package-lock.json: the plotly.js partial bundle the book
# serves, axe-core (accessibility tests) and Lighthouse (make bench).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

# Every test: data package, derivation from ../shared/sources, bad input, essay
# fidelity, house style, nbval on every notebook, the offline browser and accessibility
# checks, reproducible builds, explorers in a kernel, JupyterLab, and a fresh Binder-style env.
test: book $(AXE)
	$(BIN)/python -m pytest -p no:cacheprovider --nbval book/*.ipynb tests \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -q -rs

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
