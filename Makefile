# signopt — the two commands for a fresh machine are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
WERROR     ?= OFF
JOBS       ?= $(shell nproc)
CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIGNOPT_WERROR=$(WERROR)

.PHONY: all bootstrap build test test-asan fuzz demo bench format clean

all: build

bootstrap:
	@scripts/bootstrap

# A build directory that `make demo` configured without tests, benchmarks and the Python
# package is reconfigured with them by `make build` / `make test`.
build:
	@if [ ! -f $(BUILD)/build.ninja ] || grep -qE '^SIGNOPT_BUILD_(TESTS|BENCH|PYTHON):BOOL=OFF' $(BUILD)/CMakeCache.txt; then \
	  echo cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DSIGNOPT_BUILD_TESTS=ON -DSIGNOPT_BUILD_BENCH=ON -DSIGNOPT_BUILD_PYTHON=ON; \
	  cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DSIGNOPT_BUILD_TESTS=ON -DSIGNOPT_BUILD_BENCH=ON -DSIGNOPT_BUILD_PYTHON=ON; \
	fi
	cmake --build $(BUILD) -j $(JOBS)

test: bootstrap build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: bootstrap
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSIGNOPT_SANITIZE=ON -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_BUILD_PYTHON=OFF -DSIGNOPT_WERROR=$(WERROR)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# libFuzzer on the LIBSVM reader, the IDX reader and the config loader (clang, ASan + UBSan),
# FUZZ_SECONDS each from the seed corpus in fuzz/corpus/; crashes land in $(FUZZ_BUILD)/crashes/.
fuzz:
	@scripts/bootstrap --fuzz
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DSIGNOPT_FUZZ=ON -DSIGNOPT_BUILD_TESTS=OFF -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_BUILD_PYTHON=OFF -DSIGNOPT_WITH_MPI=OFF \
	  -DSIGNOPT_NATIVE=OFF -DSIGNOPT_WERROR=$(WERROR)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target libsvm_fuzz idx_fuzz config_fuzz
	scripts/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The default study (the seed's Mushrooms experiment): results/mushrooms/ and the summary table.
# Installs and builds only what it needs (the library and the CLI, not the tests, benchmarks and
# the Python package):
# a build directory it creates is configured without them; an existing one is kept as it is.
demo:
	@scripts/bootstrap --demo
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  echo cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DSIGNOPT_BUILD_TESTS=OFF -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_BUILD_PYTHON=OFF; \
	  cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DSIGNOPT_BUILD_TESTS=OFF -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_BUILD_PYTHON=OFF; \
	fi
	cmake --build $(BUILD) -j $(JOBS) --target signopt_cli
	$(BUILD)/signopt run configs/mushrooms.toml --out results/mushrooms

bench: bootstrap build
	@for b in $(BUILD)/bench/*_bench; do echo "== $$b"; $$b; done

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
