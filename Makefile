# Set-up is part of each target: a fresh clone needs only `make selfcheck` or
# `make test`. Virtual environments are rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
ORACLE := .venv-oracle

.PHONY: main selfcheck test lint tf-min bench bench-smoke clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# TF1's own cells (kept in tf-keras) for the live-oracle tests. tf-keras must
# never be installed next to the shim, so the oracle has its own environment.
$(ORACLE)/.installed:
	$(PYTHON) -m venv $(ORACLE)
	$(ORACLE)/bin/python -m pip install --quiet --upgrade pip
	$(ORACLE)/bin/python -m pip install --quiet tensorflow tf-keras numpy
	touch $@

# The main job on the bundled notebooks: run each legacy notebook unchanged on
# the TF1 kernel, convert it into migrated/, run that on a plain kernel with
# the same seed, compare cell by cell; reports/verification.html.
main: $(VENV)/.installed
	$(VENV)/bin/tf1compat migrate legacy_notebooks -o migrated --report-dir reports

selfcheck: $(VENV)/.installed
	$(VENV)/bin/tf1compat selfcheck

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check compat tests benchmarks tools
	$(VENV)/bin/ruff format --check compat tests benchmarks tools
	$(VENV)/bin/mypy

# The unit and integration tests, then every notebook cell against its golden
# (migrated notebooks against their legacy originals' goldens).
test: lint $(ORACLE)/.installed
	TF1COMPAT_ORACLE_PYTHON=$(CURDIR)/$(ORACLE)/bin/python TF1COMPAT_REQUIRE_ORACLE=1 \
		$(VENV)/bin/python -m pytest -n auto
	$(VENV)/bin/python -m pytest -n auto --dist loadfile -p no:cacheprovider \
		--compat-golden legacy_notebooks migrated

# The oldest TensorFlow the project supports, against the committed fixtures.
.venv-tf-min/.installed: pyproject.toml
	$(PYTHON) -m venv .venv-tf-min
	.venv-tf-min/bin/python -m pip install --quiet 'tensorflow==2.16.*' -e '.[test]'
	touch $@

tf-min: .venv-tf-min/.installed
	.venv-tf-min/bin/python -m pytest -n auto -m "tf and not oracle" tests/rnn

# Speed, side by side with TF1's own dynamic_rnn and Keras 3 (see README).
bench: $(VENV)/.installed $(ORACLE)/.installed
	TF1COMPAT_ORACLE_PYTHON=$(CURDIR)/$(ORACLE)/bin/python \
		$(VENV)/bin/python benchmarks/rnn_speed.py --sizes tiny,medium,large
	$(VENV)/bin/python benchmarks/convert_speed.py
	$(VENV)/bin/python benchmarks/import_overhead.py

# A few seconds of each benchmark path, so they keep working (not a timing).
bench-smoke: $(VENV)/.installed $(ORACLE)/.installed
	TF1COMPAT_ORACLE_PYTHON=$(CURDIR)/$(ORACLE)/bin/python \
		$(VENV)/bin/python benchmarks/rnn_speed.py --smoke
	$(VENV)/bin/python benchmarks/convert_speed.py --repeats 3

clean:
	rm -rf $(VENV) $(ORACLE) .venv-tf-min .pytest_cache .mypy_cache .ruff_cache \
		.hypothesis *.egg-info
