# The two commands of the quick start: `make serve` and `make test`. Everything they need
# (Debian packages, the build, the models) is set up on the way.
.PHONY: serve test build deps models asan fuzz clean

INHOUSE := build/release/inhouse
DEFAULT_MODEL := smollm2

serve: build
	@$(INHOUSE) pull $(DEFAULT_MODEL)
	$(INHOUSE) serve -m $(DEFAULT_MODEL)

test: deps
	scripts/test.sh

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

models: build
	$(INHOUSE) pull smollm2 gemma3-270m

asan: deps
	cmake --preset asan-ubsan >/dev/null && cmake --build --preset asan-ubsan
	ctest --test-dir build/asan-ubsan --output-on-failure -L unit

fuzz: deps
	cmake --preset fuzz >/dev/null && cmake --build --preset fuzz

clean:
	rm -rf build
