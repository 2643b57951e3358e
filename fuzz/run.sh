#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60): installs cargo-fuzz
# when it is missing, seeds the corpora (seed.sh), builds the targets,
# replays the reproducers kept in fuzz/regressions/<target>/, then fuzzes
# the targets one after the other. Exits 1 when a reproducer still fails,
# or a target finds a crash, a hang (an input taking over 10 s) or an
# out-of-memory (over 512 MB); the input is then in
# fuzz/artifacts/<target>/ (README.md: minimize it and keep it under
# fuzz/regressions/<target>/).
#
#   fuzz/run.sh [SECONDS]
#
# Environment: FUZZ_TARGETS (space-separated; default all), FUZZ_NICE
# (niceness, default 19), FUZZ_JOBS (cargo build jobs, default 1),
# FUZZ_KEEP_CORPUS=1 (start from what earlier runs found, not the seeds
# alone: a grown corpus can take a whole short run just to replay).
set -euo pipefail
cd "$(dirname "$0")"
fuzz=$PWD
seconds=${1:-60}
case "$seconds" in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS]" >&2; exit 2 ;;
esac
targets=(${FUZZ_TARGETS:-yaml manifest cfn snapshot config workspace})
nice_level=${FUZZ_NICE:-19}

export CARGO_TARGET_DIR=$fuzz/target
export CARGO_BUILD_JOBS=${FUZZ_JOBS:-1}
export CARGO_TERM_COLOR=never
# libFuzzer needs a nightly compiler; the project's own toolchain is stable
toolchain=+nightly
run() { nice -n "$nice_level" "$@"; }

if ! cargo $toolchain fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  run cargo install cargo-fuzz --locked
fi
cargo $toolchain fuzz --version

echo "==> seeding fuzz/corpus"
if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then ./seed.sh --keep; else ./seed.sh; fi

# The crate has no unsafe code: AddressSanitizer would halve the speed and
# find nothing the panics and libFuzzer's own limits do not. Debug
# assertions and overflow checks stay on (cargo-fuzz's default).
build_flags=(--sanitizer none)

echo "==> building every target"
start=$SECONDS
run cargo $toolchain fuzz build "${build_flags[@]}"
echo "built in $((SECONDS - start)) s"

mkdir -p "$fuzz/target/fuzz-logs"
failed=()
summary=()
for t in "${targets[@]}"; do
  echo "==> fuzzing $t for $seconds s"
  log=$fuzz/target/fuzz-logs/$t.log
  mkdir -p "$fuzz/artifacts/$t"
  # reproducers kept from earlier findings must not fail any more
  kept_result=""
  mapfile -t kept < <(find "$fuzz/regressions/$t" -type f 2>/dev/null | LC_ALL=C sort)
  if [ "${#kept[@]}" -gt 0 ]; then
    echo "replaying ${#kept[@]} reproducer(s) in fuzz/regressions/$t"
    kept_log=$fuzz/target/fuzz-logs/$t.regressions.log
    : > "$kept_log"
    # one process per file: libFuzzer stops at the first that fails
    for k in "${kept[@]}"; do
      if ! run cargo $toolchain fuzz run "${build_flags[@]}" "$t" "$k" -- \
        -rss_limit_mb=512 -timeout=10 >> "$kept_log" 2>&1; then
        kept_result+=" regressions/$t/${k##*/} still fails;"
      fi
    done
    [ -z "$kept_result" ] || grep -E -A2 'panicked at' "$kept_log" | head -6 || true
  fi
  before=$(find "$fuzz/artifacts/$t" -type f | wc -l)
  extra=()
  case "$t" in
    yaml | manifest | cfn | workspace) extra+=(-dict="$fuzz/dicts/copilot.dict") ;;
  esac
  start=$SECONDS
  set +e
  run cargo $toolchain fuzz run "${build_flags[@]}" "$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 \
    -print_final_stats=1 "${extra[@]}" > "$log" 2>&1
  code=$?
  set -e
  took=$((SECONDS - start))
  after=$(find "$fuzz/artifacts/$t" -type f | wc -l)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$code" -ne 0 ] || [ "$after" -gt "$before" ]; then
    result="FOUND (exit $code, fuzz/artifacts/$t/)"
    grep -E '^(==[0-9]+== ERROR|SUMMARY|thread .* panicked|panicked at|ALARM|.*out-of-memory)' "$log" | head -5 || true
    grep -E 'Test unit written to|artifact_prefix' "$log" | tail -2 || true
    echo "(full log: $log)"
  else
    result=ok
  fi
  if [ -n "$kept_result" ]; then
    [ "$result" = ok ] && result="fuzzing ok, but"
    result+="${kept_result%;}"
  fi
  [ "$result" = ok ] || failed+=("$t")
  summary+=("$(printf '%-10s %4ss  %10s execs  cov %6s  %s' "$t" "$took" "${execs:-?}" "${cov:-?}" "$result")")
done

echo "==> fuzz summary"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failing: ${failed[*]} (a reproducer kept in fuzz/regressions/, or a new finding in fuzz/artifacts/)" >&2
  exit 1
fi
