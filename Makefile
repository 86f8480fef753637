# sdgraph: `make run` to use it, `make test` to test it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export SDGRAPH_STORE ?= $(CURDIR)/var/store

.PHONY: run test install install-test system-deps lint messages bench bench-quick bench-reference bench-baseline bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## run: install, build the embedded store from the bundled data and, once, the national
##      reference graph whenever a sources folder is found (SDGRAPH_SOURCES, else
##      ../shared/data/sources), serve on http://$(HOST):$(PORT)
run: install
	$(BIN)/sdgraph init
	$(BIN)/sdgraph reference build --if-missing --if-sources
	$(BIN)/sdgraph serve --host $(HOST) --port $(PORT)

## test: install with test extras and system packages, lint, run the whole suite
test: install-test system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -ra

## system-deps: Java (HermiT reasoner), Debian chromium (browser tests), Virtuoso 7
##              (remote backend tests), Pango, cairo, a font and poppler-utils (the foto
##              dossier and its tests), when missing
system-deps:
	@bash scripts/system-deps.sh

lint: install-test
	$(BIN)/ruff check .

## messages: find the texts to translate (babel.cfg: _(), N_(), ngettext() in code and templates),
##           update sdgraph/locale/*/LC_MESSAGES/messages.po (new texts get an empty msgstr to
##           fill in, changed ones a fuzzy guess to check), and count what is translated
LOCALES := sdgraph/locale
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -o $(LOCALES)/messages.pot --no-location --sort-output \
	  --no-wrap --project=sdgraph --copyright-holder="sdgraph contributors" .
	$(BIN)/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-wrap --ignore-obsolete \
	  --ignore-pot-creation-date
	@for po in $(LOCALES)/*/LC_MESSAGES/messages.po; do \
	  $(BIN)/pybabel compile -i $$po -o /dev/null --statistics 2>&1 | grep translated; done

## bench: reference build, load, every named query and view on embedded, rdflib and two real
##        SPARQL servers (Oxigraph, Virtuoso 7), validation, scenarios, at ~1M and ~5M triples
##        (needs SDGRAPH_SOURCES or ../shared; long); BENCH_ARGS=--write-docs writes the tables into docs/performance.md
bench: install-test
	$(BIN)/python bench/bench_store.py --scale 1m --scale 5m $(BENCH_ARGS)

## bench-quick: the same at a small scale on the bundled example (no ../shared), under a minute
bench-quick: install-test
	$(BIN)/python bench/bench_store.py --scale quick $(BENCH_ARGS)

## bench-reference: time the national reference build (needs SDGRAPH_SOURCES or ../shared)
bench-reference: install-test
	$(BIN)/python bench/bench_reference.py $(if $(SDGRAPH_SOURCES),--sources $(SDGRAPH_SOURCES))

## bench-baseline: time the baseline derivation for every gemeente, its load and queries
##                 (needs SDGRAPH_SOURCES or ../shared)
bench-baseline: install-test
	$(BIN)/python bench/bench_baseline.py $(if $(SDGRAPH_SOURCES),--sources $(SDGRAPH_SOURCES))

## bench-load: the production server under light clients and 10 hostile clients (runaway queries)
bench-load: install-test
	$(BIN)/python bench/load_test.py --seconds 30 --clients 6 --heavy 10

clean:
	rm -rf $(VENV) var build dist *.egg-info .pytest_cache .ruff_cache
