# actlab — the two commands: `make run` and `make test` (README.md).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run tour test bench golden format layout clean fuzz sanitize

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: `actlab lab` on the wine data (UCI, shipped by Debian's python3-sklearn) — which activation,
# with which initialisation, for an 8-layer MLP, and why (docs/lab.md). A fresh run each time; the report is
# $(BUILD)/lab-wine/report.html.
LAB_FLAGS ?= --data wine --depth 8 --width 32 --candidates menu --trials 100 --seeds 10 --epochs 100 --lr 0.01 \
             --seed 0 --threads $(JOBS)
run: build
	@rm -rf $(BUILD)/lab-wine
	@OPENBLAS_NUM_THREADS=1 $(BUILD)/actlab lab $(LAB_FLAGS) --out $(BUILD)/lab-wine

# The command tour of docs/tour.md.
tour: build
	@ACTLAB=$(BUILD)/actlab scripts/tour.sh

test: build layout
	@cd $(BUILD) && OPENBLAS_NUM_THREADS=1 ctest --output-on-failure -j $(JOBS)

layout:
	@scripts/check_layout.sh

# libFuzzer harnesses (tests/fuzz, docs/fuzzing.md), built with clang, ASan and UBSan in their own directory;
# each runs FUZZ_SECONDS from its seed corpus. A crash input is left in $(FUZZ_BUILD)/fuzz/.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DACTLAB_TESTS=OFF -DACTLAB_BENCH=OFF -DACTLAB_PYTHON=OFF \
	  -DACTLAB_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	@scripts/run_fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The input-parsing and CLI tests under ASan and UBSan (scripts/sanitize.sh; .ci/run runs it).
sanitize: deps
	@scripts/sanitize.sh

bench: build
	@bench/run_kernel_bench.sh

# Regenerate the golden files from their reference implementations (needs python3-torch, scipy).
golden:
	@scripts/install-deps.sh --tools
	/usr/bin/python3 tools/gen_torch_golden.py tests/golden/torch_activations.json
	/usr/bin/python3 tools/gen_polygamma_reference.py tests/activations/special_functions_test.cpp
	/usr/bin/python3 tools/gen_torch_optim_golden.py tests/golden/torch_optim.json
	/usr/bin/python3 tools/gen_torch_train_golden.py tests/golden/torch_training.json

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
