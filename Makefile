# Two entry points (see README): `make run` checks the bundled samples, `make test` runs the suite.
# Both build .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-bases fuzz lint bench checklists samples clean
CHECKLIST_DATE := 2026-11-26

$(STAMP): pyproject.toml setup.py
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 introuvable ($(PYTHON)) : make PYTHON=python3.12"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@for d in samples/*/ samples/*.yaml; do \
	  case "$$d" in samples/referentiel/|samples/sources/) continue;; esac; \
	  echo "=== $$d"; \
	  $(BIN)/acv check "$$d" --date 2026-11-26 --referentiel samples/referentiel || true; \
	done

# The suite in TEST_JOBS processes, whole modules to each so that a module's server, browser and database are
# started once. 3 on the usual 2 cores: the tests wait on servers, browsers and databases, and a third process keeps
# both cores busy meanwhile (quiet machine, 2026-12-03: 12 min 51 s against 14 min 9 s with 2). TEST_JOBS=0 runs
# it in one process.
TEST_JOBS ?= 3
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile

# The same with every service module on SQLite and PostgreSQL (make test: both only for the modules marked
# deux_bases, whose subject depends on the base; the others on PostgreSQL, or SQLite where it cannot start).
test-bases: $(STAMP)
	ACV_TOUTES_BASES=1 $(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile

# The fuzzing suite (tests/fuzz, marker fuzz; make test runs it with a small fixed budget): a large
# hypothesis budget, random seeds, failures kept in .pytest_cache/hypothesis and replayed first.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m fuzz tests/fuzz $(FUZZ_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checklists: $(STAMP)
	$(BIN)/acv checklist --partenaire programme --tous checklists --date $(CHECKLIST_DATE)

samples: $(STAMP)
	$(BIN)/python -m instruct.samples.render_pieces samples

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

# The instruction queue with 10 000 dossiers on a throwaway PostgreSQL (or ACV_DATABASE_URL): p95 < 200 ms.
.PHONY: bench-file
bench-file: $(STAMP)
	$(BIN)/python benchmarks/file_instruction.py

clean:
	rm -rf $(VENV)

# The vendored front-end files (DSFR, Swagger UI, axe-core, the map's Leaflet): pinned npm tarballs,
# integrity checked, only the files used copied (scripts/vendor.py; --check compares instead).
.PHONY: vendor
vendor: $(STAMP)
	$(BIN)/python scripts/vendor.py

# The guided form's pages as PNG at 1280 and 375 px (tests/test_formulaire_web.py), in screenshots/.
.PHONY: screenshots
screenshots: $(STAMP)
	ACV_SCREENSHOTS=screenshots $(BIN)/python -m pytest tests/test_formulaire_web.py
