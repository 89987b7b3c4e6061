# vnplan: `make run` sets everything up on a fresh machine and runs the main job over
# corpus/ into out/ (with a review site in out/site/); `make test` runs the test suite;
# `make bench` prints throughput.

VENV ?= .venv
# The system's Python where it is 3.11 or newer, else python3 on PATH. Distributions build
# theirs with profile-guided and link-time optimisation; a default pyenv build has neither, and
# Debian's 3.11 runs the text path in 8-12 % less CPU than pyenv's 3.11.7 (bench/text_path.py).
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys; print(sys.executable if sys.version_info >= (3, 11) else "")' 2>/dev/null | grep . || echo python3)
BIN := $(VENV)/bin
SYSTEM_PACKAGES := python3-venv tesseract-ocr tesseract-ocr-vie fonts-dejavu-core chromium libreoffice-writer-nogui
GOLD ?= ../shared/corpus/gold
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench corpus system clean

run: system $(VENV)/.installed
	$(BIN)/vnplan extract corpus --out out
	@if [ -d $(GOLD) ]; then $(BIN)/vnplan eval $(GOLD) out/records.jsonl; fi
	$(BIN)/vnplan report --store out --html out/site

test: system $(VENV)/.installed
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/text_path.py
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/batch.py

corpus: $(VENV)/.installed
	$(BIN)/python scripts/make_corpus.py

# System packages are installed only when missing, so repeated runs stay fast.
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	# The package's bytecode, as pip writes it for a regular install: an editable install
	# leaves it to the first import, and where PYTHONDONTWRITEBYTECODE is set that never
	# writes it, so every process compiled the sources again (0.35 s of the workers' server).
	$(BIN)/python -m compileall -q pipeline
	touch $@

clean:
	rm -rf out bench/work
