# Two commands matter: `make serve` (build and preview with live reload) and
# `make test` (every test). Both create .venv and install pinned versions first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
HOST ?= 127.0.0.1
PORT ?= 8000

# The Nu Html Checker (the W3C validator), for the test that the site is valid
# HTML: a pinned release from the npm registry, run with the machine's Java.
VNU_VERSION := 26.9.27
VNU := .cache/vnu-$(VNU_VERSION)/package/build/dist/vnu.jar

# TimelineJS, for the test that data/timelinejs.json loads in it (Chromium): a pinned
# release from the npm registry. It is never part of the published site.
TIMELINEJS_VERSION := 3.9.11
TIMELINEJS := .cache/timelinejs-$(TIMELINEJS_VERSION)/package/dist

.PHONY: serve build validate test lint format lock clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c requirements.lock -e '.[test,dev]'
	touch $@

serve: $(VENV)/.installed
	$(PY) build.py serve --host $(HOST) --port $(PORT)

build: $(VENV)/.installed
	$(PY) build.py build

validate: $(VENV)/.installed
	$(PY) build.py validate

$(VNU):
	mkdir -p .cache/vnu-$(VNU_VERSION)
	cd .cache/vnu-$(VNU_VERSION) && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && tar xzf vnu-jar-$(VNU_VERSION).tgz

$(TIMELINEJS)/js/timeline.js:
	mkdir -p .cache/timelinejs-$(TIMELINEJS_VERSION)
	cd .cache/timelinejs-$(TIMELINEJS_VERSION) && npm pack --silent @knight-lab/timelinejs@$(TIMELINEJS_VERSION) >/dev/null \
		&& tar xzf knight-lab-timelinejs-$(TIMELINEJS_VERSION).tgz

test: $(VENV)/.installed $(VNU) $(TIMELINEJS)/js/timeline.js
	VNU_JAR=$(VNU) TIMELINEJS=$(TIMELINEJS) $(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check chronicle tests bench build.py
	$(PY) -m ruff format --check chronicle tests bench build.py
	$(PY) -m mypy

format: $(VENV)/.installed
	$(PY) -m ruff format chronicle tests bench build.py
	$(PY) -m ruff check --fix chronicle tests bench build.py

# Re-pin every dependency to the newest versions allowed by pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip --disable-pip-version-check --quiet install '.[test,dev]'
	.lock-venv/bin/python -m pip freeze --exclude chronicle-timelines > requirements.lock
	rm -rf .lock-venv build *.egg-info

clean:
	rm -rf output $(VENV) .cache .pytest_cache .ruff_cache .mypy_cache test-artifacts
