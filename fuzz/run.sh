#!/usr/bin/env bash
# Long fuzz runs, one target at a time, niced: fuzz/run.sh [seconds-per-target] [targets...]
# New inputs accumulate in fuzz/target/corpus-work/<target> (not checked in); crashes go
# to fuzz/artifacts/<target>. Logs: fuzz/target/logs/<target>.log (final stats at the end).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"; shift || true
targets=("${@:-analyze positions edits}")
root="${COPYDESK_TOOLS:-$HOME/.cache/copydesk-tools}"
export PATH="$root/bin:$PATH" RUSTC_BOOTSTRAP=1
mkdir -p target/logs
for t in ${targets[*]}; do
  mkdir -p "target/corpus-work/$t"
  nice cargo fuzz run --sanitizer none "$t" "target/corpus-work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -max_len=4096 -print_final_stats=1 -timeout=30 \
    >"target/logs/$t.log" 2>&1 || echo "$t: FINDING, see target/logs/$t.log"
  grep -E 'stat::number_of_executed_units|stat::new_units_added' "target/logs/$t.log" | sed "s/^/$t: /"
done
