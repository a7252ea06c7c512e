# Two commands: `make run` (the app on the built-in data) and `make test` (the whole test suite).
# Both create .venv and install what they need. Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Offline here and in CI: read the pinned upstream boundary files from ../shared when that folder exists.
# Elsewhere the app downloads the same files once (verified by sha256) and caches them.
SHARED_BOUNDARIES := $(abspath ../shared/data/boundaries/cahyadsn__wilayah_boundaries)
ifneq ($(wildcard $(SHARED_BOUNDARIES)/db),)
export PETA_MPP_BOUNDARIES ?= $(SHARED_BOUNDARIES)
endif

.PHONY: run test bench

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

run: $(BIN)/.runtime
	$(BIN)/streamlit run app.py

test: $(BIN)/.dev
	$(BIN)/python -m pytest -q

bench: $(BIN)/.dev
	$(BIN)/python bench/bench_boundaries.py
