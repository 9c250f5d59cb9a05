# Thin wrapper around CMake. `make demo` and `make test` install what is missing first.
#   make fuzz FUZZ_SECONDS=N  libFuzzer over the loader and unit parsers (clang, build-fuzz/)
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build demo test bench fuzz clean

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Builds only the svcsim binary, not the tests and benchmarks.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target svcsim >/dev/null
	@$(BUILD)/svcsim compare scenarios/user-signup.yaml

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/run $(BUILD)

# Builds tests/fuzz/fuzz_loader with clang and runs it for FUZZ_SECONDS on one core.
fuzz:
	@scripts/install-deps fuzz
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DSVCSIM_FUZZ=ON -DSVCSIM_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_loader
	@tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
