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

.PHONY: demo test lint model models parsers bench clean venv

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

test: $(TEST_STAMP)
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
