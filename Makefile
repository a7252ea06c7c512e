# Two commands: `make run` (the app on the built-in data) and `make test` (the whole test suite).
# Both create .venv and install what they need. Needs Python 3.11+, Node.js/npm (map assets) and, for the
# browser tests, Debian's chromium (installed with apt-get when missing and run as root, as in CI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Offline here and in CI, the app reads the pinned upstream files from ../shared when that folder exists (geo.sources);
# elsewhere it downloads the same files once (verified by sha256) and caches them.

.PHONY: run test test-quick bench serve system-packages chromium messages

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

# Debian packages the browser and deployment tests need: chromium (what a person sees) and nginx (several app
# processes behind a proxy). Installed when missing and run as root, as in CI.
system-packages:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$$missing nginx-light"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "note: missing Debian packages:$$missing; browser and deployment tests will be skipped (sudo apt-get install$$missing)"; fi; fi

chromium: system-packages

run: $(BIN)/.runtime node_modules/.installed
	$(BIN)/python deploy/app_process.py

test: $(BIN)/.dev node_modules/.installed system-packages
	$(BIN)/python -m pytest -q

# About a minute: everything but the browser, load and slow tests (CI runs all of them with `make test`).
test-quick: $(BIN)/.dev node_modules/.installed
	$(BIN)/python -m pytest -q -m "not browser and not load and not slow"

# N app processes behind nginx on PORT (saved datasets shared through PETA_MPP_DATABASE_URL, e.g. PostgreSQL).
N ?= 2
PORT ?= 8080
serve: $(BIN)/.runtime node_modules/.installed system-packages
	$(BIN)/python deploy/serve.py --processes $(N) --port $(PORT)

bench: $(BIN)/.dev node_modules/.installed
	$(BIN)/python bench/bench_boundaries.py
	$(BIN)/python bench/bench_maps.py
	$(BIN)/python bench/bench_exports.py
	$(BIN)/python bench/bench_hostile.py
	$(BIN)/python bench/bench_capacity.py --proxy 1

# The message catalogs: extract the texts marked in the code (_, N_, gettext) into geo/locale/messages.pot and add
# new ones to each language's .po (then translate the empty msgstr; tests/test_i18n.py lists any left).
messages: $(BIN)/.dev
	$(BIN)/pybabel extract --no-default-keywords -k _ -k N_ -k gettext:2 -F babel.cfg --project "Peta MPP" \
	  --no-location --sort-output -o geo/locale/messages.pot .
	$(BIN)/pybabel update -i geo/locale/messages.pot -d geo/locale -l id --width 120 \
	  --ignore-obsolete --no-fuzzy-matching
