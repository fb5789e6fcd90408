# Two commands on a fresh machine (python3 and make are all they assume):
#   make demo   set up, then build and verify a demo ledger on the embedded default (SQLite)
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean browser

demo: $(STAMP)
	$(BIN)/ledger demo --dir demo-ledger

test: $(STAMP) browser
	$(BIN)/pytest

# The HTML pages are checked in a real headless browser (Debian's chromium, with Noto CJK fonts
# so Chinese renders); where they cannot be installed the browser tests skip and say why.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get install -y -q chromium fonts-noto-cjk >/dev/null 2>&1; } \
		|| echo "note: chromium or CJK fonts not installed; browser tests will skip or show boxes"

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) demo-ledger .pytest_cache .mypy_cache .ruff_cache
