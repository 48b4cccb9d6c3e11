# The two commands a newcomer runs: `make run` and `make test`.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := dialog
# make run: the demo's own address, and localhost trusted too, so either one gets the site
RUN_ENV := DIALOG_STAFF_MFA=0 DIALOG_BASE_URL=http://127.0.0.1:5000 DIALOG_TRUSTED_HOSTS=localhost

.PHONY: run test lint unit unit-sqlite unit-postgres browser catalogs translations bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations >/dev/null

## make run: install, migrate, load the demo municipality, serve on http://127.0.0.1:5000
run: $(VENV)/.installed catalogs
	$(RUN_ENV) $(BIN)/flask db upgrade
	$(RUN_ENV) $(BIN)/flask demo load
	$(RUN_ENV) $(BIN)/flask run --host 127.0.0.1 --port 5000

## make test: lint, unit and integration on SQLite and PostgreSQL, browser tests
test: $(VENV)/.installed-dev catalogs lint unit-sqlite unit-postgres browser

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

unit-sqlite: $(VENV)/.installed-dev catalogs
	$(BIN)/pytest -m "not browser" -p no:cacheprovider

unit-postgres: $(VENV)/.installed-dev catalogs
	DIALOG_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -p no:cacheprovider

browser: $(VENV)/.installed-dev catalogs
	$(BIN)/pytest -m browser -p no:cacheprovider

## make translations: extract messages and update both catalogs
translations: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _ --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations
	$(BIN)/python translations/copy_english.py

## make bench: requests/s of the public pages against a bare Flask app
bench: $(VENV)/.installed-dev catalogs
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
