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

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: bootstrap build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: bootstrap
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSIGNOPT_SANITIZE=ON -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_WERROR=$(WERROR)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# libFuzzer on the LIBSVM reader, the IDX reader and the config loader (clang, ASan + UBSan),
# FUZZ_SECONDS each from the seed corpus in fuzz/corpus/; crashes land in $(FUZZ_BUILD)/crashes/.
fuzz:
	@scripts/bootstrap --fuzz
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DSIGNOPT_FUZZ=ON -DSIGNOPT_BUILD_TESTS=OFF -DSIGNOPT_BUILD_BENCH=OFF -DSIGNOPT_WITH_MPI=OFF \
	  -DSIGNOPT_NATIVE=OFF -DSIGNOPT_WERROR=$(WERROR)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target libsvm_fuzz idx_fuzz config_fuzz
	scripts/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The default study (the seed's Mushrooms experiment): results/mushrooms/ and the summary table.
demo: bootstrap build
	$(BUILD)/signopt run configs/mushrooms.toml --out results/mushrooms

bench: bootstrap build
	@for b in $(BUILD)/bench/*_bench; do echo "== $$b"; $$b; done

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
