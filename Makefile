# Two commands cover everything: `make lab` to learn, `make test` to check it all.
# Each creates (or reuses) .venv with the exact versions from constraints.txt:
# `make lab` the service and the workshop set, `make test` the dev set as well.
# uv installs them when it can, pip otherwise (workshop/bootstrap.py says how it
# chooses); `make setup INSTALLER=pip` uses pip only.

PYTHON ?= python3
PORT ?= 8000
INSTALLER ?= auto
# The shell of JupyterLab's terminals: not a login shell, which would reset PATH
# and lose the `workshop` command when Lab is not started from a terminal.
LAB_SHELL ?= $(shell command -v bash || command -v sh)
VENV := .venv
BIN := $(VENV)/bin
INSTALL := $(PYTHON) -m workshop.bootstrap $(VENV) --installer $(INSTALLER)

.PHONY: setup lab run test bench mutants lint format clean

setup: $(VENV)/.installed  ## the service's and the workshop's packages

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("The workshop needs Python 3.11 or newer; this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(INSTALL) workshop
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(INSTALL) workshop,dev
	touch $@

# Lab's file browser starts at the repository's root, so solutions/ is a click
# away (the last hint of an exercise points there), with 00-welcome open.
lab: setup  ## open JupyterLab at the first notebook; its terminals find `workshop`
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter lab \
		--ServerApp.root_dir=. \
		--ServerApp.terminado_settings="{'shell_command': ['$(LAB_SHELL)']}" \
		notebooks/00-welcome.ipynb

# From lesson 10 on, Uvicorn logs as Gunicorn does in production: through the app's
# logging configuration (app/observability/logging.py), written to LOG_CONFIG for
# --log-config, and without Uvicorn's own access line, which would show the query
# string (a token sent in a URL, say); the app writes its own, with the route.
LOG_CONFIG ?= var/logging.json
LOGGING := from app.config_check import get_settings; \
	from app.observability.logging import logging_config; \
	print(json.dumps(logging_config(get_settings())))

run: setup  ## migrate the database (SQLite in var/ unless APP_DATABASE_URL says), then serve it at http://127.0.0.1:$(PORT)/docs
	$(BIN)/alembic upgrade head
	@if [ -f app/observability/logging.py ]; then \
		mkdir -p "$(dir $(LOG_CONFIG))" && \
		$(BIN)/python -c 'import json; $(LOGGING)' > "$(LOG_CONFIG)" || exit 1; \
		set -- --log-config "$(LOG_CONFIG)" --no-access-log; \
	fi; \
	echo "$(BIN)/uvicorn app.main:app --reload --host 127.0.0.1 --port $(PORT) $$*"; \
	exec $(BIN)/uvicorn app.main:app --reload --host 127.0.0.1 --port $(PORT) "$$@"

# The stages (workshop/authoring/suite.py): ruff check and format, mypy, workshop
# verify, pytest with coverage, every notebook under nbval; then each stage's
# time, the ten slowest tests, and a failure if the run left a process or a file.
test: $(VENV)/.installed-dev  ## lint, types, drift check, the service's and tooling's tests, every notebook
	$(BIN)/python -m workshop.authoring.suite

bench: $(VENV)/.installed-dev  ## the performance table, as ratios to a bare FastAPI route and to the same work done by hand, under uvicorn and Gunicorn (needs Debian's postgresql and wrk): var/bench/; BENCH_ARGS=--quick for one short round
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

mutants: $(VENV)/.installed-dev  ## every mutant of every exercise: solutions and allow-lists included (see INSTRUCTORS.md)
	$(BIN)/workshop mutants

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV)
