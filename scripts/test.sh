#!/usr/bin/env bash
# `make test`: everything a change must pass, from a fresh clone. Builds the release,
# sanitizer and fuzz configurations, fetches the real models, then runs the unit tests (also
# under ASan+UBSan), a bounded fuzz run and the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
step() { printf '\n==> %s\n' "$*"; }

step "build: release"
cmake --preset release >/dev/null
cmake --build --preset release

step "build: asan-ubsan"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan

step "build: fuzz (clang + libFuzzer)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

step "models"
inhouse=build/release/inhouse
"$inhouse" pull smollm2 gemma3-270m
model_path() {
  "$inhouse" list --json | python3 -c \
    'import json,sys; print(next(m["path"] for m in json.load(sys.stdin) if m["name"] == sys.argv[1]))' "$1"
}
export INHOUSE_TEST_SMOLLM2=$(model_path smollm2)
export INHOUSE_TEST_GEMMA3=$(model_path gemma3-270m)
export INHOUSE_REQUIRE_MODELS=1

step "unit tests (release)"
ctest --test-dir build/release --output-on-failure -j"$(nproc)"

step "unit tests (asan-ubsan)"
ctest --test-dir build/asan-ubsan --output-on-failure -j"$(nproc)" -L unit

step "fuzz smoke: ${FUZZ_SECONDS}s per harness"
seeds=build/fuzz/seeds/gguf
work=build/fuzz/corpus/gguf
rm -rf "$seeds" && mkdir -p "$seeds" "$work"
build/release/tests/gguf_write_corpus "$seeds"
build/fuzz/tests/fuzz/gguf_fuzz -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
  "$work" "$seeds" 2>&1 | tail -n 15

step "end-to-end tests"
venv=.cache/venv
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/e2e/requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
  cp tests/e2e/requirements.txt "$venv/requirements.txt"
fi
INHOUSE_BIN="$PWD/$inhouse" "$venv/bin/pytest" -q tests/e2e
