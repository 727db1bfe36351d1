# Passage: `make run` serves the app with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-pg install translations messages migrate bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogues (.mo) are build output, not kept in git.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d app/translations --statistics 2>&1 | grep -v '^compiling' || true

# Re-extract the strings and merge them into the fr and es catalogues. Babel skips folders
# named _* by default, which would drop templates/_macros/: hence --ignore-dirs.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output --project Passage --ignore-dirs=".* __pycache__ instance node_modules" .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

migrate: $(VENV)/.installed
	$(BIN)/flask db upgrade

run: install translations migrate
	$(BIN)/flask content sync
	$(BIN)/flask demo load
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
