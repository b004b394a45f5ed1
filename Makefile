# The two commands of the README, and the pieces they are made of.
#   make demo   install what is missing, build, render and validate examples/ offline
#   make test   install what is missing, build (warnings as errors), run every test, then the sanitizer build
BUILD ?= build
SANITIZE_BUILD ?= build-asan
JOBS ?= $(shell nproc)
export CCACHE_DIR ?= $(HOME)/.cache/mlserve-test/ccache

.PHONY: deps build harness demo test test-fast test-sanitize fuzz bench clean

deps:
	@bash packaging/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DMLSERVE_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The test cluster's server (official kube-apiserver, Go): built once, cached under ~/.cache/mlserve-test/.
harness: deps
	@bash tests/harness/cluster build >/dev/null

demo: build
	@bash packaging/demo.sh $(BUILD)/cli/kubectl-mlserve

test-fast: build harness
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps
	@cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMLSERVE_WERROR=ON -DMLSERVE_SANITIZE=ON >/dev/null
	@cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	@cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE slow

test: test-fast test-sanitize

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
