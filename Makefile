# newsarchive: `make html` builds the site, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
SITEURL ?=

.PHONY: html test lint serve devserver publish github clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

html: $(STAMP)  ## import sources/ into content/, then build output/
	$(BIN)/newsarchive build

test: $(STAMP)  ## lint, format check, type check, tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

serve: $(STAMP)  ## serve output/ at http://localhost:8000
	$(BIN)/pelican --listen --port $(PORT) -s pelicanconf.py -o output

devserver: $(STAMP)  ## rebuild on change and serve at http://localhost:8000
	$(BIN)/newsarchive build
	$(BIN)/pelican --autoreload --listen --port $(PORT) -s pelicanconf.py -o output content

publish: $(STAMP)  ## production build with publishconf.py (SITEURL, CNAME from the environment)
	SITEURL="$(SITEURL)" $(BIN)/newsarchive build --settings publishconf.py
	if [ -n "$$CNAME" ]; then printf '%s\n' "$$CNAME" > output/CNAME; fi

github: publish  ## push output/ to the gh-pages branch
	$(BIN)/python -m pip install --quiet ghp-import
	touch output/.nojekyll
	$(BIN)/ghp-import -n -p -f output

clean:  ## remove the built site and caches (content/ and sources/ are kept)
	rm -rf output __pycache__ .pytest_cache .mypy_cache .ruff_cache
