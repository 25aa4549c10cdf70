# Helix developer commands. `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2
export HELIX_VAR_DIR ?= $(CURDIR)/var
# The demo, tests and benchmarks run on this machine: development settings and a secret key generated in
# var/. A server is production by default and refuses to start without its own key (docs/settings.md).
export HELIX_ENV ?= development

.PHONY: demo install test test-postgres lint bench bench-quick lock messages clean

$(STAMP): requirements/bootstrap.txt requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bootstrap.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# compile the levelling's numba functions once into their disk cache (about 10 s)
	$(BIN)/python -c "from helix.core.roadmaps.levelling import warm_ga; warm_ga(wait=True)"
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate SQLite under var/, load the demo ecosystem, serve on http://127.0.0.1:8000
## (another port: make demo DEMO_PORT=8080)
DEMO_PORT ?= 8000
demo: install
	$(BIN)/helix manage migrate --noinput -v 0
	$(BIN)/helix demo load --port $(DEMO_PORT)
	$(BIN)/helix serve --port $(DEMO_PORT)

## make test: every test, on SQLite (or on DATABASE_URL when set)
test: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

## make test-postgres: the same suite on the local PostgreSQL (database `test`, trust auth)
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## make bench: benchmarks under bench/ (figures and ratios to a baseline measured in the same run)
bench: install
	$(BIN)/python -m bench

## make bench-quick: the same at a small scale, to check the benchmarks run
bench-quick: install
	$(BIN)/python -m bench --quick

## make lock: re-pin every dependency with hashes after editing pyproject.toml or requirements/dev.in
lock:
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install pip-tools
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o requirements/dev.txt requirements/dev.in

## make messages: refresh the translation catalogues (nl, fr, de) and compile them (needs GNU gettext)
messages: install
	cd src/helix && ../../$(BIN)/helix manage makemessages -l nl -l fr -l de --no-obsolete --ignore 'core/*'
	cd src/helix && ../../$(BIN)/helix manage compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
