#!/usr/bin/env bash
# Load benchmark of simulations on request (issue 12, "bounded work"): 128 connections of
# distinct anonymous climate-explorer queries (every request a new slider position and seed, so
# no cache or single flight helps) for DURATION seconds, while a second client times the home
# page. Reports the answers by status (a 5xx other than 503, or a 503 without Retry-After, is a
# failure), the home page's p50/p99 under that load, and the server's RSS and threads when idle,
# at the end of the load, and a minute later.
#
# Targets: no 5xx but 503 + Retry-After; `/` p99 < 100 ms; RSS a minute after within 20% of idle.
#
# Usage: bench/climate_load.sh [MIRROR_DIR] [DURATION_S] [CONNECTIONS]   (defaults: ../shared/data, 60, 128)
# PROFILE=debug measures the debug build instead of release (slower pages; same limits).
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
DUR=${2:-60}
CONN=${3:-128}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk >/dev/null; }
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then cargo build --release -p attache >/dev/null; else cargo build -p attache >/dev/null; fi
BIN=target/$PROFILE/attache
data=$(mktemp -d)
log=$(mktemp)
lua=$(mktemp --suffix .lua)
trap 'kill $pid 2>/dev/null || true; rm -rf "$data" "$log" "$lua"' EXIT
"$BIN" sync --mirror "$MIRROR" --data-dir "$data" >/dev/null
"$BIN" forecast run --data-dir "$data" >/dev/null
"$BIN" serve --addr 127.0.0.1:0 --data-dir "$data" >"$log" &
pid=$!
for _ in $(seq 300); do grep -q listening "$log" && break; sleep 0.1; done
base=$(sed -n 's|.*\(http://[^/]*\)/.*|\1|p' "$log" | head -1)
mem() { awk '/VmRSS/ {r=$2} /Threads/ {t=$2} END {printf "%d MiB, %d threads", r/1024, t}' "/proc/$pid/status"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# Warm what every page reads once (policy world, map), so "idle" is a serving server.
curl -fsS -o /dev/null "$base/"; curl -fsS -o /dev/null "$base/climate"
sleep 2
idle=$(rss_kib)
echo "idle: $(mem)"

cat >"$lua" <<'LUA'
-- Every request a new explorer position (USA's 2030 level, China's net-zero year, the EU's 2030
-- level), so no two requests share a cache entry or a single flight.
-- Globals, not locals: the main thread reads each thread's counts with thread:get().
counter = 0
statuses = {}
no_retry_after = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  no_retry_after = 0
end
function request()
  counter = counter + 1
  local n = id * 1000000 + counter
  local path = string.format("/climate?usa_2030=%d&chn_nz=%d&eu_2030=%d&ensemble=100",
    20 + n % 150, 2035 + math.floor(n / 150) % 41, 50 + math.floor(n / 6150) % 100)
  return wrk.format("GET", path)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    no_retry_after = no_retry_after + 1
  end
end
function done(summary, latency, requests)
  local total = {}
  local missing = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
    missing = missing + t:get("no_retry_after")
  end
  local keys = {}
  for k in pairs(total) do table.insert(keys, k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. ": " .. total[k]) end
  io.write("climate answers by status: " .. table.concat(parts, ", ") .. "; 503 without Retry-After: " .. missing .. "\n")
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA

home=$(mktemp)
wrk -t1 -c2 -d"$((DUR - 5))s" --latency "$base/" >"$home" &
home_pid=$!
sleep 2
wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 40s -s "$lua" "$base" | grep -E "climate answers|socket errors|Requests/sec"
wait $home_pid
p50=$(awk '$1=="50%" {print $2}' "$home"); p99=$(awk '$1=="99%" {print $2}' "$home")
echo "home page under load: p50 $p50, p99 $p99 (target p99 < 100ms)"
rm -f "$home"
echo "end of load: $(mem)"
sleep 60
after=$(rss_kib)
echo "a minute later: $(mem); $(awk -v a="$after" -v i="$idle" 'BEGIN {printf "%+.0f%% of idle (target within 20%%)", (a - i) * 100 / i}')"
echo "(wrk -t2 -c$CONN -d${DUR}s on a 2-core machine: client and server share the cores)"
