#!/usr/bin/env bash
# A short fuzz run of every target (a few seconds each) for .ci/run. Installs
# cargo-fuzz into a cache folder when it is missing; skips with a message when it
# cannot be installed. Usage: fuzz/smoke.sh [seconds-per-target]   (default 5)
# Long runs: fuzz/run.sh.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-5}"
root="${COPYDESK_TOOLS:-$HOME/.cache/copydesk-tools}"
export PATH="$root/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz into $root"
  if ! cargo install cargo-fuzz --locked --root "$root" >"${TMPDIR:-/tmp}/cargo-fuzz-install.log" 2>&1; then
    echo "fuzz smoke: SKIPPED: cargo-fuzz could not be installed (see ${TMPDIR:-/tmp}/cargo-fuzz-install.log)"
    exit 0
  fi
fi
export RUSTC_BOOTSTRAP=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in analyze positions edits; do
  mkdir -p "$work/$t"
  echo "== fuzz smoke: $t (${secs}s)"
  # new inputs go to the scratch folder; the checked-in corpus is read only
  status=0
  cargo fuzz run --sanitizer none "$t" "$work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -max_len=4096 -print_final_stats=1 >"$work/$t.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done )' "$work/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$work/$t.log"
    echo "fuzz smoke: $t FAILED (exit $status; the input is in fuzz/artifacts/$t)"
    exit 1
  fi
done
echo "fuzz smoke: all targets ran without a finding"
