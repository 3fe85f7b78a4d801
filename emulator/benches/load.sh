#!/usr/bin/env bash
# Throughput of `rolecall serve` against a bare hyper "200 OK" server built from the same crate,
# for signed GetCallerIdentity, AssumeRole and DescribeInstances, with wrk on loopback, and each
# server's own CPU time per request (user and kernel); then the time from start to the first
# signed answer and the server's memory. A third server from the same crate, the protocol
# server, does only what any AWS-protocol answer takes (read the body, make a request id, answer
# as many bytes of XML as rolecall answers that case); it is sent the same requests as rolecall,
# so "vs protocol" is rolecall's own work and the protocol server's distance from the bare one
# is hyper's and the kernel's.
#
# Each case is measured twice, with wrk scheduled two ways, because wrk shares the machine's
# cores with the server it measures:
# - "batch": wrk runs as a SCHED_BATCH task, so its wake-ups do not preempt the server. This is
#   the server's throughput: wrk's own CPU time per request stays what it is against the bare
#   server (about 9 µs here), whichever server it drives.
# - "default": wrk runs as an ordinary task. Each answer wakes wrk, which preempts the server,
#   handles that one answer and sleeps again; the slower the server, the more often that
#   happens, so wrk's CPU time per request rises with the server's (from about 9 to 20 µs for
#   AssumeRole here) and the ratio falls faster than the server's own cost rises. This is what a
#   client on the same small machine sees.
# The "wrk µs" column shows the difference.
#
#   emulator/benches/load.sh [SECONDS] [CONNECTIONS] [ROUNDS]
#
# Everything listens on and sends to 127.0.0.1; each run is bounded by SECONDS, and there are
# 2 x 3 x ROUNDS runs per case.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-5}
conns=${2:-32}
rounds=${3:-3}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null
  else
    echo "load.sh needs wrk (e.g. apt-get install wrk)" >&2
    exit 1
  fi
fi

cargo build -q --release -p rolecall --bin rolecall --example bench_tools
bin=target/release/rolecall
tools=target/release/examples/bench_tools
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start() { # name command…: starts a server in the background and waits for its ready line
  local out="$work/$1.out"; shift
  "$@" >"$out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q 'listening on' "$out" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "server $1 did not start" >&2; exit 1
}
url_of() { grep -m1 'listening on' "$work/$1.out" | awk '{print $NF}'; }

start rolecall "$bin" serve --listen 127.0.0.1:0 --quiet
rolecall_pid=${pids[0]}
start bare "$tools" bare-server 127.0.0.1:0
bare_pid=${pids[1]}
rolecall=$(url_of rolecall)
bare=$(url_of bare)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
hz=$(getconf CLK_TCK)

# How wrk is started in each scheduling mode (see the top of this file).
declare -A launch=([batch]="chrt --batch 0" [default]="")
modes="batch default"
if ! command -v chrt >/dev/null; then
  echo "load.sh: chrt (util-linux) not found, so wrk runs only as an ordinary task" >&2
  modes="default"
fi

# mode url script pid → "requests/sec µs-of-server-CPU-per-request µs-of-wrk-CPU-per-request"
# (answers that are not 2xx or 3xx are reported on stderr). The CPU figures include kernel time.
rps() {
  local before after
  before=$(cpu_ticks "$4")
  local TIMEFORMAT='%3U %3S' # what bash's `time` reports: wrk's user and system seconds
  # shellcheck disable=SC2086
  { time ${launch[$1]} wrk -t2 -c"$conns" -d"${secs}s" -s "$3" "$2" >"$work/last.txt" 2>&1; } \
    2>"$work/wrk.time"
  after=$(cpu_ticks "$4")
  grep 'Non-2xx' "$work/last.txt" >&2 || true
  read -r wrk_user wrk_sys <"$work/wrk.time"
  awk -v ticks=$((after - before)) -v hz="$hz" -v wrk="$wrk_user $wrk_sys" '
    /requests in/ {n = $1}
    /Requests\/sec/ {rate = $2}
    END {split(wrk, w, " "); printf "%s %.1f %.1f\n", rate, ticks / hz * 1e6 / n, (w[1] + w[2]) * 1e6 / n}' \
    "$work/last.txt"
}

read -r akid secret token < <("$tools" assume --endpoint "$rolecall")
declare -A requests=(
  [gci]="--service sts --action GetCallerIdentity"
  [ar]="--service sts --action AssumeRole --param RoleArn=arn:aws:iam::333333333333:role/OrganizationAccountAccessRole --param RoleSessionName=load"
  [di]="--service ec2 --action DescribeInstances --key $akid --secret $secret --token $token"
)
for file in "${!requests[@]}"; do
  # shellcheck disable=SC2086
  "$tools" wrk-script --endpoint "$rolecall" ${requests[$file]} >"$work/$file.lua"
done

# Each case runs right after its own bare and protocol runs, ROUNDS times, and the median ratio
# is reported: on a shared machine the background load drifts between runs, and a ratio taken
# from adjacent runs cancels most of it.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
column() { awk "{print $1}" "$2" | median; } # awk expression over a case's runs → its median
printf '%-28s %-8s %8s %10s %8s %11s %10s %8s %11s %8s\n' "signed request (c=$conns, ${secs}s)" \
  "wrk" "req/s" "bare req/s" "vs bare" "vs protocol" "µs CPU/req" "bare µs" "protocol µs" "wrk µs"
for case in "GetCallerIdentity:gci" "AssumeRole:ar" "DescribeInstances (ASIA):di"; do
  name=${case%%:*}; file=${case##*:}
  # A protocol server answering as many bytes as rolecall answers this request.
  # shellcheck disable=SC2086
  bytes=$("$tools" hammer --requests 1 --endpoint "$rolecall" ${requests[$file]} | awk '{print $(NF - 1)}')
  start "protocol-$file" "$tools" protocol-server 127.0.0.1:0 "$bytes"
  protocol_pid=${pids[-1]}
  protocol=$(url_of "protocol-$file")
  for mode in $modes; do
    runs="$work/$file.$mode.runs"
    : >"$runs"
    for _ in $(seq "$rounds"); do
      b=$(rps "$mode" "$bare" "$work/gci.lua" "$bare_pid")
      p=$(rps "$mode" "$protocol" "$work/$file.lua" "$protocol_pid")
      r=$(rps "$mode" "$rolecall" "$work/$file.lua" "$rolecall_pid")
      echo "$r $b $p" >>"$runs" # each server's rate, its CPU and wrk's CPU per request
    done
    printf '%-28s %-8s %8.0f %10.0f %7.0f%% %10.0f%% %10.1f %8.1f %11.1f %8.1f\n' "$name" "$mode" \
      "$(column '$1' "$runs")" "$(column '$4' "$runs")" \
      "$(column '$1 * 100 / $4' "$runs")" "$(column '$1 * 100 / $7' "$runs")" \
      "$(column '$2' "$runs")" "$(column '$5' "$runs")" "$(column '$8' "$runs")" \
      "$(column '$3' "$runs")"
  done
  kill "$protocol_pid"
done
awk '/VmHWM/ {printf "rolecall peak RSS under load: %.1f MB\n", $2 / 1024}' "/proc/$rolecall_pid/status"
"$tools" startup "$bin" 20
