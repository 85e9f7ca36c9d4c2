# Tasks of the PyTorch Exercises site. Every target creates or reuses the local virtual
# environment in .venv first, so each is one command on a fresh machine with Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1
# The Chromium the browser tests and benchmarks drive (Debian's by default; `make browser`).
CHROMIUM ?= /usr/bin/chromium
export PTX_CHROMIUM := $(CHROMIUM)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install serve site test quick screenshots lint browser sandbox tools bench lock clean record-gpu

install: $(STAMP)

# Reinstall only when the declared or pinned dependencies change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[docs,test]"
	touch $(STAMP)

## Build the site and serve it on http://127.0.0.1:8000, rebuilding what changes.
serve: install sandbox
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

## Build the static site into site/.
site: install sandbox
	$(BIN)/mkdocs build --strict

## Run every test: lint, unit tests, snippets, code blocks, the built site, the browser.
test: install sandbox browser tools lint
	$(BIN)/python -m pytest --codeblocks -n 2 --dist loadfile --no-loadscope-reorder tests docs README.md

## The quick loop: the unit tests and one chapter's tests (CHAPTER=linear_regression, ...).
CHAPTER ?= fundamentals
quick: install sandbox
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder tests/test_ptx_*.py tests/test_sitegen_*.py tests/test_benchmarks.py tests/test_chapter_$(CHAPTER).py

## Every page in Chromium, desktop and phone, full-page screenshots in test-artifacts/screenshots/.
screenshots: install browser tools
	PTX_SCREENSHOTS=1 $(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder tests/test_browser_chapters.py tests/test_browser_pages.py

lint: install
	$(BIN)/ruff check ptx sitegen snippets tests benchmarks
	$(BIN)/ruff format --check ptx sitegen snippets tests benchmarks
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# axe-core for the accessibility checks and Lighthouse for `make bench`, pinned in tools/ (npm).
tools: tools/node_modules/.package-lock.json

tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --loglevel=error

# Debian's Chromium for the browser tests (Playwright's own download cannot work offline);
# another one with `make CHROMIUM=/path/to/chromium`.
browser:
	@test -x $(CHROMIUM) || { test "$(CHROMIUM)" = /usr/bin/chromium \
		&& apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| { echo "$(CHROMIUM) is missing: install it, or leave CHROMIUM unset for Debian's"; exit 1; }

# Debian's bubblewrap, the sandbox every snippet runs in (AUTHORING.md); where it cannot be
# installed the build says so and runs them unconfined, detecting what they change.
sandbox:
	@command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; } \
		|| echo "bubblewrap (bwrap) is missing and could not be installed: snippets will run unconfined"

## Measure the build, the serve loop, the tests and every page; write benchmarks/latest.json.
bench: install sandbox browser tools
	$(BIN)/python -m benchmarks --lighthouse

## On a machine with an NVIDIA GPU and a CUDA build of torch in .venv (README): run the blocks
## that need one and write recordings/cuda.json, which the build shows under them.
record-gpu: install sandbox
	$(BIN)/python -m sitegen record cuda

## Re-pin every version from the current environment.
lock: install
	head -n 2 constraints.txt > constraints.txt.new
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^ptx' | sed 's/^torch==\(.*\)+cpu$$/torch==\1/' >> constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf site build .pytest_cache test-artifacts
