# CCHC: `make run` starts the system with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install install-dev lint format messages demo clean worker

$(BIN)/python:
	@bash scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

run: demo
	@HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

# Production: gunicorn (gunicorn.conf.py) and CCHC_TASK_WORKERS task workers (2).
serve: install
	@bash scripts/serve.sh

worker: install
	$(BIN)/python manage.py worker

test: install-dev
	@bash scripts/ensure-chromium.sh
	@bash scripts/test.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-dev
	@bash scripts/messages.sh

clean:
	rm -rf var/cchc.sqlite3* var/media test-output
