# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-quick install install-run messages system-packages lint format check-migrations clean

# Two stamps: `make run` installs only what the site needs (requirements.txt); `make test`, `lint` and
# the rest add the test and lint tools (requirements-dev.txt). Each is redone when its pins change.
$(BIN)/.installed-run: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("xmpolicy needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed: $(BIN)/.installed-run requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install-run: $(BIN)/.installed-run

# Everything the tests need (CI's .ci/run installs this).
install: $(BIN)/.installed

# The interface translations: each locale/<lang>/LC_MESSAGES/django.po and djangojs.po (the admin's
# JavaScript; committed) is compiled to its .mo (git-ignored) whenever it changes. Babel is pure Python,
# so no GNU gettext is needed to build.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale/*/LC_MESSAGES/djangojs.po))

messages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed-run
	$(BIN)/pybabel --quiet compile --domain django --locale $* --input-file $< --output-file $@

locale/%/LC_MESSAGES/djangojs.mo: locale/%/LC_MESSAGES/djangojs.po $(BIN)/.installed-run
	$(BIN)/pybabel --quiet compile --domain djangojs --locale $* --input-file $< --output-file $@

# axe-core and pa11y for the browser tests (tests/browser/; pa11y drives Debian's Chromium) and the Nu HTML
# Checker (vnu-jar, run on Debian's Java by tests/test_html_validity.py), reinstalled when the lock file
# changes. No install scripts: vnu-jar's would download a Java runtime, and puppeteer's (under pa11y) a
# Chrome, from outside the package registries; PUPPETEER_SKIP_DOWNLOAD says so to puppeteer as well.
node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Debian's Chromium and a CJK font for the browser tests, Java for the HTML checker; installs only what
# is missing (needs root then).
system-packages:
	@bash scripts/install-system-packages

run: install-run messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_policy
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving xmpolicy at http://$(HOST)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver --noreload $(HOST)

# On every core (pytest-xdist; each worker has its own test database). Work stealing: a worker that runs
# out of tests takes some of another's (the default scheduler left one worker alone with the slow ones for
# a minute). A worker more than the cores was tried in CI: SQLite 179 s instead of 186 s, PostgreSQL 261 s
# instead of 239 s (its server needs a core). Bytecode is kept between runs even where the environment
# says PYTHONDONTWRITEBYTECODE: otherwise each worker rewrites every test module's asserts every time (4 s).
# PYTEST_ARGS="-n 0 tests/test_x.py" runs one module.
PYTEST_ARGS ?= -n auto --dist worksteal

test: install messages system-packages node_modules/.installed
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_ARGS)

# While working: the whole suite but its slow families (the markers in pyproject.toml: browser, Nu HTML
# checker, Schemathesis, fuzzers, property tests), on SQLite whatever DATABASE_URL says, on every core.
# It needs neither Chromium, Java nor npm; `make test` runs everything, as CI does on both databases.
# The browser folder is not even collected: each worker would import Playwright for nothing.
QUICK_TESTS ?= not (browser or validator or contract or fuzz or property)

test-quick: install messages
	DATABASE_URL= PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal -m "$(QUICK_TESTS)" \
		--ignore=tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var node_modules
	rm -f $(MO_FILES)
