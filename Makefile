# Thin wrapper around CMake. `make demo` and `make test` install what is missing first.
#   make test SANITIZE=1      the same, built with ASan and UBSan in build-sanitize/
#   make test-slow            the Catch2 tests tagged [slow] (hidden from ctest by [.])
#   make fuzz FUZZ_SECONDS=N  libFuzzer over the loader and unit parsers (clang, build-fuzz/)
#   make format / format-check  clang-format -i / list the files that differ from .clang-format
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Release
TEST_ENV =

ifeq ($(SANITIZE),1)
BUILD = build-sanitize
CMAKE_FLAGS += -DSVCSIM_SANITIZE=ON
# Stop at the first report: a sanitized run that goes on after one proves nothing.
TEST_ENV = ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1 \
           UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:suppressions=$(CURDIR)/tests/sanitize/ubsan.supp
endif

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FORMAT_FILES = $(shell find src tests bench -name '*.cpp' -o -name '*.hpp' | sort) \
               $(wildcard cmake/*.cpp)

.PHONY: all deps test-deps configure build demo test test-slow bench fuzz format format-check clean

all: build

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps test

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

# CMake's build runs outside this make, so that it prints no "Entering directory" lines.
CMAKE_BUILD = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL cmake --build $(BUILD) -j $(JOBS)

build: configure
	@$(CMAKE_BUILD)

# Builds only the svcsim binary, not the tests and benchmarks, showing its progress.
demo: configure
	@$(CMAKE_BUILD) --target svcsim
	@$(BUILD)/svcsim compare scenarios/user-signup.yaml

# What the tests use comes first: configure registers the Chromium test only when it finds it.
test: test-deps build
	@cd $(BUILD) && $(TEST_ENV) ctest --output-on-failure -j $(JOBS)

# The tests tagged [slow]; ctest never runs them (they are also tagged [.]).
test-slow: test-deps build
	@if $(BUILD)/svcsim_tests '[slow]' --list-test-names-only | grep -q .; then \
	  cd $(BUILD) && $(TEST_ENV) ./svcsim_tests '[slow]' --durations yes; \
	else echo "test-slow: no test is tagged [slow]"; fi

bench: build
	@bench/run $(BUILD)

# Builds tests/fuzz/fuzz_loader with clang and runs it for FUZZ_SECONDS on one core.
fuzz:
	@scripts/install-deps fuzz
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DSVCSIM_FUZZ=ON -DSVCSIM_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_loader
	@tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	@scripts/install-deps format
	@clang-format-14 -i $(FORMAT_FILES)

format-check:
	@scripts/install-deps format
	@out=$$(clang-format-14 --dry-run -Werror $(FORMAT_FILES) 2>&1) && exit 0; \
	  files=$$(echo "$$out" | grep -o '^[^:]*:[0-9]*:[0-9]*: error' | cut -d: -f1 | sort -u); \
	  [ -n "$$files" ] || { echo "$$out" >&2; exit 1; }; \
	  echo "$$files" | sed 's/^/format-check: differs from .clang-format: /' >&2; \
	  echo "format-check: $$(echo "$$files" | wc -l) files; 'make format' rewrites them" >&2; exit 1

clean:
	rm -rf $(BUILD) build-sanitize $(FUZZ_BUILD)
