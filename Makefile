# newstrace: `make demo` sets everything up and runs the main job; `make test` runs every test,
# the slow ones (Spark, PostgreSQL, browser, export digests, the eval gate) included;
# `make test-fast` leaves the slow ones out.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo.db

.PHONY: demo test test-fast test-slow eval eval-quick bench serve spark-demo clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newstrace ingest --db $(DEMO_DB) examples/
	$(BIN)/newstrace stats --db $(DEMO_DB)
	@echo
	@echo "Next: $(BIN)/newstrace list --db $(DEMO_DB)"
	@echo "      $(BIN)/newstrace search --db $(DEMO_DB) 'strike AND Rotterdam'"
	@echo "      $(BIN)/newstrace show --db $(DEMO_DB) ID"
	@echo "      $(BIN)/newstrace export --db $(DEMO_DB) --format json -o corpus.json"
	@echo "Serve the web UI: $(BIN)/newstrace serve --db $(DEMO_DB)   then open http://127.0.0.1:8000/"

serve: $(STAMP)
	$(BIN)/newstrace serve --db $(DEMO_DB)

spark-demo: $(STAMP)
	rm -rf spark-out spark-demo.db spark-demo.db-wal spark-demo.db-shm
	$(BIN)/newstrace spark examples/ --out spark-out --master 'local[2]'
	$(BIN)/newstrace import spark-out --db spark-demo.db
	$(BIN)/newstrace stats --db spark-demo.db

test: $(STAMP)
	$(BIN)/python -m pytest --slow

test-fast: $(STAMP)
	$(BIN)/python -m pytest

test-slow: test

# The eval gate: five evals on fixed subsets against eval/floors.json; fails when a figure drops.
# `make test` runs it too (tests/test_eval_gate.py).
eval-quick: $(STAMP)
	$(BIN)/python eval/quick.py

eval: $(STAMP)
	for script in eval/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache spark-out spark-demo.db*
