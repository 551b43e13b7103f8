# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make site   builds everything (Markdown, catalogues, site, PDFs)
#   make test   runs the tests
# Both create .venv and install what is missing, pinned, on first use.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lisible-installed

.PHONY: site test lint golden lock clean system-deps

# Reproducible output: dates inside catalogues and PDFs come from the last
# commit unless SOURCE_DATE_EPOCH is already set.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
export SOURCE_DATE_EPOCH

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

site: $(STAMP)
	$(PY) build.py

test: $(STAMP) system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

# Refresh the golden files after a deliberate change; review the diff by eye.
golden: $(STAMP)
	$(PY) -m pytest tests --update-golden -q

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)==' > requirements.lock

clean:
	rm -rf build site .site.staging .site.old
