# smallgrants — `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := $(VENV)/.stamps
HOST   ?= 127.0.0.1
PORT   ?= 5000
# pytest-xdist workers: `make test PYTEST_WORKERS=0` runs serially
PYTEST_WORKERS ?= auto
TRANSLATIONS := smallgrants/translations
POT    := $(TRANSLATIONS)/messages.pot
MO     := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

export FLASK_APP := smallgrants

.PHONY: run test lint format translations extract-messages install install-dev db demo clean help

help:
	@echo "make run    - install, migrate the SQLite database in instance/, load demo accounts, serve http://$(HOST):$(PORT)"
	@echo "make test   - install dev dependencies and run the whole suite on every core (TEST_DATABASE_URL=... for PostgreSQL, PYTEST_WORKERS=0 serially)"
	@echo "make lint   - ruff, and the import contracts of pyproject.toml (lint-imports)"
	@echo "make extract-messages - refresh messages.pot and the kk/ru catalogues after changing texts"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMPS)/install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/dev: pyproject.toml $(STAMPS)/install
	$(BIN)/pip install --quiet -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/install
install-dev: $(STAMPS)/dev

%.mo: %.po | $(STAMPS)/install
	$(BIN)/pybabel compile -i $< -o $@

translations: $(MO)

db: install translations
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo load

run: demo
	@echo "Serving http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-dev translations
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	    --project smallgrants --copyright-holder "smallgrants developers" -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(TRANSLATIONS)/*/LC_MESSAGES/*.mo
