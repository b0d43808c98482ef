# Compagnon numérique — the two commands of the README, and the pieces they are made of.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app companion

.PHONY: lock run test test-sqlite test-postgresql test-browser install install-test install-bench browser lint migrate demo content-check translations translations-update translations-check a11y-tools office-tools bench deploy-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

## Installs come from the lock files (exact versions, with their hashes): a new release of a
## dependency changes nothing here until `make lock` is run and its result committed.
LOCK_RUN  := requirements/run.lock
LOCK_TEST := requirements/test.lock

$(VENV)/.installed: $(LOCK_RUN) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK_RUN)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK_TEST)
	$(BIN)/python -m pip check
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make lock: resolve pyproject.toml's dependencies again (newest allowed releases, from PyPI)
## into the two lock files, with hashes. Commit them with the change that needed it.
LOCK_VENV := .venv-lock
PIP_COMPILE = PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	--index-url https://pypi.org/simple --upgrade
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet "pip-tools>=7.4,<8"; }
	mkdir -p requirements
	$(PIP_COMPILE) --extra prod -o $(LOCK_RUN) pyproject.toml
	$(PIP_COMPILE) --extra prod --extra test --extra bench -o $(LOCK_TEST) pyproject.toml

## make run: install, migrate the SQLite database in instance/, load the demo, serve on PORT.
run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Compagnon numérique: http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

content-check: install
	$(FLASK) content check

## Compile the catalogues (French is the source language and needs none).
translations: install
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d translations -D messages; fi

## Extract the interface text and update every catalogue. The catalogues are sorted by text,
## without source locations and with a fixed creation date, so that two branches adding texts
## merge without conflicts (translations-check extracts its own POT, with the locations).
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k plural_forms:1,2 --no-location --sort-output \
		--project "Compagnon numérique" -o translations/messages.pot .
	sed -i 's/^"POT-Creation-Date: .*/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' \
		translations/messages.pot
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update --ignore-pot-creation-date \
			-i translations/messages.pot -d translations; fi

## Check the catalogues and content translations: placeholders, HTML, missing texts.
## I18N_CHECK=--lenient lets texts not yet extracted into a catalogue only warn.
translations-check: install
	@tmp=$$(mktemp --suffix=.pot) && \
	$(BIN)/pybabel extract -F babel.cfg -k _l -k plural_forms:1,2 -o $$tmp . >/dev/null 2>&1 && \
	$(BIN)/python -c "import sys; from companion.i18n_check import main; sys.exit(main(sys.argv[1:]))" \
		$$tmp $(I18N_CHECK); status=$$?; rm -f $$tmp; exit $$status

## axe-core and the Nu HTML Checker for the accessibility crawl (npm, no browser download;
## vnu.jar runs on the system Java).
A11Y := .a11y
a11y-tools: $(A11Y)/node_modules/vnu-jar/build/dist/vnu.jar
$(A11Y)/node_modules/vnu-jar/build/dist/vnu.jar:
	@missing=""; command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "a11y-tools: installing$$missing"; apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "a11y-tools: please install$$missing (the accessibility checks need them)" >&2; exit 1; fi; \
	fi
	mkdir -p $(A11Y)
	npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
		--prefix $(A11Y) "axe-core@^4.14" "vnu-jar@^26"

## Real clients for the reports and the attestation: LibreOffice Calc (headless) opens the
## exports in tests/web/test_reports.py, poppler's pdftoppm draws the attestation PDFs;
## installed from Debian's packages when run as root.
office-tools:
	@missing=""; command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "office-tools: installing$$missing"; apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else echo "office-tools: please install$$missing (the report and PDF checks need them)" >&2; exit 1; fi; \
	fi

## A Chromium for the browser tests: $$CHROMIUM, else Debian's headless shell, else the system
## Chromium, else the headless shell installed from Debian's packages (as root).
browser: install-test
	@if [ -n "$$CHROMIUM" ] && [ -x "$$CHROMIUM" ]; then echo "browser: $$CHROMIUM"; \
	elif command -v chromium-headless-shell >/dev/null 2>&1; then echo "browser: $$(command -v chromium-headless-shell)"; \
	elif command -v chromium >/dev/null 2>&1; then echo "browser: $$(command -v chromium)"; \
	elif command -v chromium-browser >/dev/null 2>&1; then echo "browser: $$(command -v chromium-browser)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "browser: installing Debian's chromium-headless-shell"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; \
	else echo "browser: installing Playwright's Chromium"; $(BIN)/python -m playwright install chromium; fi

lint: install-test
	$(BIN)/ruff check companion tests
	$(BIN)/ruff format --check companion tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m tests.tools.check_css static/css

## make test: lint and type checks, the suite on SQLite and on PostgreSQL (when one answers at
## 127.0.0.1:5432; always on CI, where its absence is a failure), and the browser tests, all
## at the same time. The browser tests (journeys, accessibility crawl, layout) do not depend
## on the engine: they run once, on SQLite, on BROWSER_WORKERS processes (pytest-xdist), as
## they spend much of their time waiting for the browser; everything else runs on both
## engines, but the unit tests that reach no database (see test-postgresql). The runs
## share nothing (own database, own server ports); each one's output is printed whole when
## it ends (make -O). TEST_WORKERS=N spreads each engine's run over N
## pytest-xdist processes (0: in pytest's own process). On this 2-core machine fewer
## processes did the same work with less CPU (docs/performance.md, "4 December, evening"): each
## engine's run in its own process, the browser tests on 2.
BROWSER_WORKERS ?= 2
TEST_WORKERS ?= 0
test: browser translations translations-check a11y-tools office-tools
	$(FLASK) content check
	@if $(PG_READY); then \
		$(MAKE) --no-print-directory -j4 --output-sync=target lint test-sqlite test-postgresql test-browser; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL does not answer at 127.0.0.1:5432 on CI." >&2; exit 1; \
	else echo "PostgreSQL does not answer at 127.0.0.1:5432: its run was left out."; \
		$(MAKE) --no-print-directory -j3 --output-sync=target lint test-sqlite test-browser; fi

PG_READY := $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null

## The worker-crash and PIN-race tests (tests/resilience) need PostgreSQL whatever the engine:
## they run in the PostgreSQL run only.
test-sqlite: install-test
	@echo "== the suite on SQLite (the browser tests apart: make test-browser), TEST_WORKERS=$(TEST_WORKERS)"
	TEST_DATABASE=sqlite $(BIN)/pytest -p no:cacheprovider --durations=25 \
		-n $(TEST_WORKERS) --dist worksteal --ignore=tests/resilience --ignore=tests/browser

## A fresh database companion_test_<pid> per process on 127.0.0.1:5432, dropped at the end.
## The unit tests that reach no database run in the SQLite run only (tests/conftest.py,
## engine_free): they would run exactly the same here.
test-postgresql: install-test
	@echo "== the suite on PostgreSQL (the browser tests apart: make test-browser), TEST_WORKERS=$(TEST_WORKERS)"
	TEST_DATABASE=postgresql $(BIN)/pytest -p no:cacheprovider --durations=25 \
		-n $(TEST_WORKERS) --dist worksteal --ignore=tests/browser

## Each worker has its own live server, database copy and browser; tests go to whichever
## worker is free (worksteal).
test-browser: install-test
	@echo "== the browser tests, on SQLite, on $(BROWSER_WORKERS) processes"
	TEST_DATABASE=sqlite $(BIN)/pytest -p no:cacheprovider --durations=25 \
		-n $(BROWSER_WORKERS) --dist worksteal tests/browser

## make screenshots: the browser tests, taking the pictures of their journeys for people to
## look at, into test-artifacts/ (make test does not take them: they check nothing).
.PHONY: screenshots
screenshots: browser translations a11y-tools
	SCREENSHOTS=1 $(MAKE) --no-print-directory test-browser

## The test lock holds the bench's packages too.
install-bench: $(VENV)/.installed-test

## make bench: gunicorn on seed-scale data, loaded by wrk from another process (bench/README.md).
## ENGINE=sqlite|postgresql DURATION=10 CONNECTIONS=50 PREPARE=1 (build the database first).
ENGINE ?= sqlite
DURATION ?= 10
CONNECTIONS ?= 50
bench: install-bench translations
	$(BIN)/python bench/bench.py --engine $(ENGINE) --duration $(DURATION) \
		--connections $(CONNECTIONS) $(if $(PREPARE),--prepare,)

## make bench-profile: where each hot path's time goes, cProfile in-process (bench/README.md).
.PHONY: bench-profile
bench-profile: install-bench translations
	$(BIN)/python bench/profile_paths.py

## make deploy-check: the documented deployment for real, on loopback (docs/deployment.md):
## nginx with deploy/nginx.conf over TLS in front of two gunicorn app servers, on PostgreSQL
## (127.0.0.1:5432) and Redis (127.0.0.1:6379). Not part of `make test`.
NGINX_BIN := $(shell command -v nginx 2>/dev/null || ls /usr/sbin/nginx 2>/dev/null)
deploy-check: install-test translations
	@if [ -z "$(NGINX_BIN)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "deploy-check: installing nginx"; apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else echo "deploy-check: please install nginx (Debian: apt-get install nginx)" >&2; exit 1; fi; \
	fi
	$(BIN)/python -m tests.deploy.deploy_check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
