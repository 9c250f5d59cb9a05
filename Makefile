# Thin wrapper around CMake. `make demo` and `make test` install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build demo test bench clean

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

clean:
	rm -rf $(BUILD)
