# gansig — every target creates the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# PROFILE=paper|quick|smoke overrides each paper's default profile.
PROFILE_ARG = $(if $(PROFILE),--profile $(PROFILE))
# SEEDS=0,1,2 runs the profile once per seed and writes their aggregate (mean, spread, every seed's value).
SEEDS_ARG = $(if $(SEEDS),--seeds $(SEEDS))
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONUNBUFFERED = 1

.PHONY: help install system-deps data test test-fast test-kernels lint clean report models reproduce-all reproduce-5g reproduce-sine

help:  ## list the targets
	@grep -E '^[a-z0-9%-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install gansig with its test extras

system-deps:  ## install the Debian packages for corpora and reference codecs (needs root)
	bash scripts/system-deps.sh

data: system-deps $(STAMP)  ## build the embedded corpora into GANSIG_DATA_DIR (default ~/.cache/gansig)
	$(PY) -m gansig.data build

test: lint  ## lint, then the whole suite (installs the Debian packages and the test browser first where it can: root or sudo)
	@bash scripts/system-deps.sh --with-browser || echo "make test: the tests that need these packages will be skipped"
	$(PY) -m pytest

# The tests whose numbers depend on TensorFlow's float kernels (golden tables, .bpg bytes,
# resumption), with oneDNN off: different kernels on the same machine, as another CPU's
# instruction set would give. The golden tolerances (tests/helpers.py) must hold for both.
KERNEL_TESTS = tests/test_golden.py tests/test_resume.py tests/test_distribute.py \
  "tests/test_papers.py::test_smoke_reproduction_writes_the_table_and_keeps_its_numbers"

test-kernels: $(STAMP)  ## the float-kernel-dependent tests again with oneDNN off (how another CPU computes)
	@bash scripts/system-deps.sh || echo "make test-kernels: the tests that need these packages will be skipped"
	TF_ENABLE_ONEDNN_OPTS=0 $(PY) -m pytest $(KERNEL_TESTS)

test-fast: $(STAMP)  ## unit tests only (skips the slow smoke reproductions and notebooks)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)  ## ruff (pycodestyle, pyflakes, isort, bugbear, pyupgrade, simplify)
	$(PY) -m ruff check gansig tests benchmarks scripts

# One rule for every paper: `make reproduce-NAME` builds the corpora it reads (if any), then runs it.
reproduce-%: $(STAMP)  ## reproduce the paper NAME at its default profile (PROFILE=... to change); see python -m gansig list
	@corpora="$$($(PY) -m gansig corpora $*)" && if [ -n "$$corpora" ]; then \
	  bash scripts/system-deps.sh && $(PY) -m gansig.data build $$corpora; fi
	$(PY) -m gansig reproduce $* $(PROFILE_ARG) $(SEEDS_ARG)

reproduce-5g: reproduce-mimo5g  ## paper 1: Table II of the 5G MIMO denoiser (quick profile)
reproduce-sine: reproduce-sinedenoise  ## paper 5: the 1-D sine denoiser versus a low-pass filter (paper profile)

reproduce-all: reproduce-mimo5g reproduce-sinedenoise reproduce-bpgan reproduce-film reproduce-specgan  ## every paper at its default profile

models: reproduce-all  ## retrain every shipped model (the default profiles' runs, seed 0) and rewrite gansig/models/ with their cards
	$(PY) -m gansig models ship
	$(PY) -m gansig models verify

report: $(STAMP)  ## write results/report/: one static HTML site of every local run (tables, figures, listening panels)
	$(PY) -m gansig report

clean:  ## remove build artefacts and results (keeps .venv)
	rm -rf build *.egg-info .pytest_cache .ruff_cache results
	find . -name __pycache__ -prune -exec rm -rf {} +
