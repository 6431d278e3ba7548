# pantau — two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO_DB ?= var/demo.db
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# storage tests run on SQLite and on the local PostgreSQL (as in CI); override to point elsewhere
export PANTAU_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test lint model models parsers bench clean venv assets serve browsers i18n

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB)
	$(BIN)/pantau --db sqlite:///$(DEMO_DB) ingest pantau/samples
	$(BIN)/pantau --db sqlite:///$(DEMO_DB) demo-summary

test: $(TEST_STAMP) browsers
	$(BIN)/ruff check pantau tests
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check pantau tests

model: $(STAMP)
	$(BIN)/pantau train ner --out pantau/nlp/ner/models/id

# All shipped models: the tagger + dependency parser of each language (from ../shared/data/ud,
# configs pantau/lang/<code>/parser.cfg, seed 0; one language at a time) and the NER.
models: parsers model

parsers: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/pantau train parser --language id
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/pantau train parser --language en

bench: $(STAMP)
	$(BIN)/pantau bench extract

clean:
	rm -rf $(VENV) var build *.egg-info

# Browser assets: pinned npm packages (package.json + package-lock.json) copied into the package.
# The copies are committed, so `pip install` and CI work offline and without npm.
VENDOR := pantau/web/workspace/static/vendor
assets:
	npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/chart.js/dist/chart.umd.js $(VENDOR)/
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-110m.json $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/

# Interface translations: compile the gettext catalogs (the .mo files are committed too).
# `make i18n` after changing interface strings: extract, merge into id/messages.po (translate the
# new entries there), compile. The .po and .mo files are committed.
WS := pantau/web/workspace
i18n: $(STAMP)
	cd $(WS) && ../../../$(BIN)/pybabel extract -F babel.cfg -k _ --no-location -o locale/messages.pot .
	$(BIN)/pybabel update -i $(WS)/locale/messages.pot -d $(WS)/locale -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(WS)/locale -D messages

# Debian's Chromium and poppler-utils for the browser tests (never `playwright install`), and the
# Pango libraries WeasyPrint (PDF reports) needs.
BROWSER_PKGS := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0
browsers:
	@{ command -v chromium && command -v pdftotext && ldconfig -p | grep -q libpangoft2-1.0; } >/dev/null || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PKGS); \
	    else sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PKGS); fi; }

# The web workspace on the demo store (run `make demo` first).
serve: $(STAMP)
	$(BIN)/pantau --db sqlite:///$(DEMO_DB) web demo-user
	$(BIN)/pantau --db sqlite:///$(DEMO_DB) serve
