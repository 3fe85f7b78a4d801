#!/usr/bin/env bash
# CPU instructions per signed request in `rolecall serve`, counted by callgrind: a figure that,
# unlike requests per second, does not move with the load of a shared machine.
#
#   emulator/benches/instructions.sh [REQUESTS] [OUT_DIR]
#
# For GetCallerIdentity, AssumeRole and DescribeInstances (with AssumeRole credentials, as in
# load.sh) it warms the server up, zeroes the counters, sends REQUESTS identical signed requests
# one after another on one keep-alive connection, dumps the counters and divides. The dumps stay
# in OUT_DIR for `callgrind_annotate`. Everything listens on and sends to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-2000}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
for tool in valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "instructions.sh needs $tool" >&2; exit 1; }
done

# Line tables only: symbols for callgrind_annotate, the same optimised code as a release build.
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build -q --release -p rolecall --bin rolecall --example bench_tools
bin=target/release/rolecall
tools=target/release/examples/bench_tools

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT
rm -f "$out/server.out" # a reused OUT_DIR must not answer for this run
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.%p" \
  "$bin" serve --listen 127.0.0.1:0 --quiet >"$out/server.out" 2>"$out/valgrind.err" &
pid=$!
for _ in $(seq 600); do
  grep -q 'listening on' "$out/server.out" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -m1 'listening on' "$out/server.out" | awk '{print $NF}')
[ -n "$url" ] || { echo "rolecall did not start under valgrind" >&2; exit 1; }

read -r akid secret token < <("$tools" assume --endpoint "$url")
declare -A args=(
  [GetCallerIdentity]="--service sts --action GetCallerIdentity"
  [AssumeRole]="--service sts --action AssumeRole --param RoleArn=arn:aws:iam::333333333333:role/OrganizationAccountAccessRole --param RoleSessionName=load"
  [DescribeInstances]="--service ec2 --action DescribeInstances --key $akid --secret $secret --token $token"
)
# valgrind's CPU has no SHA extensions, so SHA-256 runs in software under it, where the real
# CPU hashes in hardware; the last column leaves that software hashing out.
printf '%-20s %14s %22s\n' "signed request" "instr/request" "without SHA-256 (soft)"
for name in GetCallerIdentity AssumeRole DescribeInstances; do
  # shellcheck disable=SC2086
  "$tools" hammer --requests 200 --endpoint "$url" ${args[$name]} >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  # shellcheck disable=SC2086
  "$tools" hammer --requests "$requests" --endpoint "$url" ${args[$name]} >/dev/null
  callgrind_control -d "$name" "$pid" >/dev/null 2>&1
  dump=$(ls -t "$out"/callgrind."$pid".* | head -1)
  mv "$dump" "$out/$name.callgrind"
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$name.callgrind")
  sha=$(callgrind_annotate --inclusive=yes "$out/$name.callgrind" 2>/dev/null |
    awk '!found && /sha2::sha256::soft::compress \[/ {gsub(",", "", $1); print $1; found = 1}')
  printf '%-20s %14.0f %22.0f\n' "$name" \
    "$(awk -v t="$total" -v n="$requests" 'BEGIN {print t / n}')" \
    "$(awk -v t="$total" -v s="${sha:-0}" -v n="$requests" 'BEGIN {print (t - s) / n}')"
done
echo "callgrind dumps in $out"
