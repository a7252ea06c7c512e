# Two commands: `make run` (the app on the built-in data) and `make test` (the whole test suite).
# Both create .venv and install what they need. Needs Python 3.11+, Node.js/npm (map assets) and, for the
# browser tests, Debian's chromium (installed with apt-get when missing and run as root, as in CI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Offline here and in CI: read the pinned upstream boundary files from ../shared when that folder exists.
# Elsewhere the app downloads the same files once (verified by sha256) and caches them.
SHARED_BOUNDARIES := $(abspath ../shared/data/boundaries/cahyadsn__wilayah_boundaries)
ifneq ($(wildcard $(SHARED_BOUNDARIES)/db),)
export PETA_MPP_BOUNDARIES ?= $(SHARED_BOUNDARIES)
endif

.PHONY: run test bench chromium

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# Leaflet and its plugins come from npm (package.json), are served by the app and inlined in standalone maps.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: Debian's chromium is missing; browser tests will be skipped (sudo apt-get install chromium)"; fi; }

run: $(BIN)/.runtime node_modules/.installed
	$(BIN)/streamlit run app.py

test: $(BIN)/.dev node_modules/.installed chromium
	$(BIN)/python -m pytest -q

bench: $(BIN)/.dev node_modules/.installed
	$(BIN)/python bench/bench_boundaries.py
	$(BIN)/python bench/bench_maps.py
	$(BIN)/python bench/bench_exports.py
