# Two entry points for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: setup demo test check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline ingest src/storyline/examples/demo --db $(DEMO_DB)
	$(BIN)/storyline docs --db $(DEMO_DB)
	$(BIN)/storyline stories --db $(DEMO_DB)
	$(BIN)/storyline timeline --db $(DEMO_DB)
	$(BIN)/storyline conflicts --db $(DEMO_DB)
	$(BIN)/storyline brief --db $(DEMO_DB)
	$(BIN)/storyline report --db $(DEMO_DB) -o demo.html

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

# the fast lane: every test not marked slow (a developer's loop; CI runs `make test`)
check: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow"

lint: setup
	$(BIN)/ruff check src
	$(BIN)/mypy src

bench: setup
	$(BIN)/python bench/real.py --check
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) $(DEMO_DB) demo.html test-output
