# gansig — every target creates the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# PROFILE=paper|quick|smoke overrides each paper's default profile.
PROFILE_ARG = $(if $(PROFILE),--profile $(PROFILE))
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONUNBUFFERED = 1

.PHONY: help install system-deps data test test-fast lint clean reproduce-all reproduce-5g reproduce-sine reproduce-bpgan

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install gansig with its test extras

system-deps:  ## install the Debian packages for corpora and reference codecs (needs root)
	bash scripts/system-deps.sh

data: system-deps $(STAMP)  ## build the embedded corpora into $$GANSIG_DATA_DIR (default ~/.cache/gansig)
	$(PY) -m gansig.data build

test: $(STAMP)  ## run the whole test suite (unit, smoke reproductions, notebooks)
	$(PY) -m pytest

test-fast: $(STAMP)  ## unit tests only (skips the slow smoke reproductions and notebooks)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)  ## ruff
	$(PY) -m ruff check gansig tests benchmarks scripts

reproduce-5g: $(STAMP)  ## paper 1: Table II of the 5G MIMO denoiser (quick profile; PROFILE=... to change)
	$(PY) -m gansig reproduce mimo5g $(PROFILE_ARG)

reproduce-sine: $(STAMP)  ## paper 5: the 1-D sine denoiser versus a low-pass filter (paper profile)
	$(PY) -m gansig reproduce sinedenoise $(PROFILE_ARG)

reproduce-bpgan: data  ## paper 2: BPGAN codec, Table 3 against Opus/Speex/AMR-WB/Codec2 (quick profile; time: python -m gansig list)
	$(PY) -m gansig reproduce bpgan $(PROFILE_ARG)

reproduce-all: reproduce-5g reproduce-sine reproduce-bpgan  ## every paper at its default profile

clean:  ## remove build artefacts and results (keeps .venv)
	rm -rf build *.egg-info .pytest_cache .ruff_cache results
	find . -name __pycache__ -prune -exec rm -rf {} +
