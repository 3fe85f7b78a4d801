#!/usr/bin/env bash
# One large scenario file, end to end: how long `rolecall check` and `rolecall serve` take to
# read an organization of ACCOUNTS accounts with INSTANCES instances each (with a type, key
# pair, launch time and two tags, as `generate_scenario --detailed` writes them), how much
# memory that takes, and whether the memory comes back after reloads.
#
#   emulator/benches/scale.sh [ACCOUNTS] [INSTANCES] [RELOADS]
#
# The defaults are a million instances (1,000 accounts of 1,000), about 160 MB of YAML; it
# reports seconds and bytes per million instances. Everything listens on 127.0.0.1; each wait
# is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
accounts=${1:-1000}
instances=${2:-1000}
reloads=${3:-3}

cargo build -q --release -p rolecall --bin rolecall --example generate_scenario
bin=target/release/rolecall
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

file="$work/scale.yaml"
target/release/examples/generate_scenario --accounts "$accounts" --regions 1 \
  --instances "$instances" --detailed >"$file"
total=$((accounts * instances))
mb() { awk -v kb="$1" 'BEGIN {printf "%.0f MB", kb / 1024}'; }
per_million() { awk -v x="$1" -v n="$total" 'BEGIN {printf "%.2f", x * 1e6 / n}'; }
printf 'scenario: %d instances, %s of YAML\n' "$total" "$(mb $(($(stat -c %s "$file") / 1024)))"

# check: wall seconds and peak memory, from GNU time when present.
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f '%e %M' -o "$work/check.time" "$bin" check "$file" >/dev/null
  read -r secs peak_kb <"$work/check.time"
  printf 'check: %.2f s (%s s per million instances), peak %s\n' "$secs" \
    "$(per_million "$secs")" "$(mb "$peak_kb")"
else
  start=$(date +%s.%N)
  "$bin" check "$file" >/dev/null
  printf 'check: %.2f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
fi

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
start=$(date +%s.%N)
"$bin" serve --scenario "$file" --listen 127.0.0.1:0 --quiet >"$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 1200); do
  grep -q 'listening on' "$work/serve.out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.out" >&2; exit 1; }
  sleep 0.05
done
ready=$(echo "$(date +%s.%N) - $start" | bc)
url=$(grep -m1 'listening on' "$work/serve.out" | awk '{print $NF}')
loaded=$(rss_kb)
printf 'serve: ready in %.2f s (%s s per million), resident %s (%s bytes per instance)\n' \
  "$ready" "$(per_million "$ready")" "$(mb "$loaded")" $((loaded * 1024 / total))

# Each reload builds a second world beside the first; once it is swapped in, the old one's
# memory should go back to the system, not pile up.
for n in $(seq "$reloads"); do
  curl -sf -X POST -H 'content-type: application/json' -d '{}' "$url/_rolecall/reload" >/dev/null
  # Wait (bounded) for the allocator to return the old world's pages.
  for _ in $(seq 30); do
    [ "$(rss_kb)" -le $((loaded * 12 / 10)) ] && break
    sleep 1
  done
  printf 'after reload %d: resident %s\n' "$n" "$(mb "$(rss_kb)")"
done
