# Entry points. Each one installs the Debian packages it needs first (scripts/install-deps).
#   make demo   the main job: a full sync against the sandbox with the embedded SQLite store
#   make demo-serve  tajo serve against the sandbox: webhooks registered, HubSpot changes reach Brevo
#   make test   build with AddressSanitizer + UBSan and run every test (ctest)
#   make bench  Release build, run the benchmarks
#   make build  Release build of tajo and tajo-sandbox into build/release

JOBS ?= $(shell nproc)
CMAKE ?= cmake

.PHONY: deps build test bench demo demo-serve clean

deps:
	@./scripts/install-deps

build/release/CMakeCache.txt: | deps
	$(CMAKE) -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTAJO_BUILD_TESTS=OFF

build: deps build/release/CMakeCache.txt
	$(CMAKE) --build build/release -j $(JOBS)

build/test/CMakeCache.txt: | deps
	$(CMAKE) -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DTAJO_SANITIZE=ON -DTAJO_BUILD_BENCH=OFF

test: deps build/test/CMakeCache.txt
	$(CMAKE) --build build/test -j $(JOBS)
	cd build/test && ctest --output-on-failure -j $(JOBS) --timeout 300

bench: build
	./scripts/bench

demo: build
	./scripts/demo

demo-serve: build
	./scripts/demo-serve

clean:
	rm -rf build
