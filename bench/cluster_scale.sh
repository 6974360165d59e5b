#!/usr/bin/env bash
# Scaling benchmark of the store's SQL, one machine embedded vs. a local Ballista cluster
# (issue 13): one heavy aggregate (group by country x event code over a synthetic GDELT-like
# event table: count, sum of Goldstein scores, mean mentions, distinct actors) at 1M, 10M and
# 100M rows. The table is generated with DataFusion's own `COPY ... TO` (Parquet, 8 files) so no
# peer tool is needed. The cluster is one scheduler and two executors (CONCURRENT tasks each) on
# loopback, all on the same 2 cores as the embedded run: the comparison shows the cluster's
# overhead and how both grow with rows, not a speed-up (that needs more machines).
#
# Prints a table: rows, embedded s, cluster s, cluster/embedded, and each engine's growth per
# 10x rows. Median of REPEAT runs (default 3).
#
# Usage: bench/cluster_scale.sh [MIRROR_DIR] [ROWS...]   (defaults: ../shared/data, 1000000 10000000 100000000)
# PROFILE=debug measures the debug build (dependencies at opt-level 1) instead of release.
set -euo pipefail
cd "$(dirname "$0")/.."
MIRROR=$(cd "${1:-../shared/data}" && pwd)
shift || true
ROWS=("$@"); [ ${#ROWS[@]} -gt 0 ] || ROWS=(1000000 10000000 100000000)
REPEAT=${REPEAT:-3}
CONCURRENT=${CONCURRENT:-2}
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then cargo build --release -p attache >/dev/null; else cargo build -p attache >/dev/null; fi
BIN=$PWD/target/$PROFILE/attache
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# `attache sql` needs a published vintage: the smallest source will do.
"$BIN" sync --mirror "$MIRROR" --only countrygroups --data-dir "$work/data" >/dev/null

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
sp=$(port)
"$BIN" cluster scheduler --bind-host 127.0.0.1 --bind-port "$sp" --external-host 127.0.0.1 >/dev/null 2>&1 &
pids+=($!); wait_port "$sp"
for i in 1 2; do
  fp=$(port); gp=$(port); mkdir -p "$work/exec$i"
  "$BIN" cluster executor --bind-host 127.0.0.1 --external-host 127.0.0.1 --bind-port "$fp" --bind-grpc-port "$gp" \
    --scheduler-host 127.0.0.1 --scheduler-port "$sp" --concurrent-tasks "$CONCURRENT" --work-dir "$work/exec$i" >/dev/null 2>&1 &
  pids+=($!); wait_port "$fp"
done
CLUSTER=df://127.0.0.1:$sp
for _ in $(seq 120); do "$BIN" sql "select 1" --data-dir "$work/data" --cluster "$CLUSTER" >/dev/null 2>&1 && break; sleep 0.5; done

q() { "$BIN" sql "$1" --data-dir "$work/data" --format csv "${@:2}"; }
secs() { local t0 t1; t0=$(date +%s.%N); q "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%12s  %12s  %12s  %8s  %s\n' rows embedded_s cluster_s ratio "check"
prev_e=""; prev_c=""
for n in "${ROWS[@]}"; do
  dir="$work/events_$n"
  mkdir -p "$dir"
  # Eight files, so both engines have partitions to spread.
  per=$(( n / 8 ))
  for f in 0 1 2 3 4 5 6 7; do
    q "COPY (SELECT (value % 200) AS country, ((value * 7) % 300) AS event_code,
                 CAST(((value * 13) % 201) - 100 AS DOUBLE) / 10.0 AS goldstein,
                 CAST(value % 50 AS INT) AS mentions, (value * 31) % 5000 AS actor
          FROM range($(( f * per )), $(( (f + 1) * per )))) TO '$dir/part-$f.parquet' STORED AS PARQUET" >/dev/null
  done
  sql="SELECT country, event_code, count(*) AS n, round(sum(goldstein), 6) AS g, round(avg(mentions), 6) AS m, count(DISTINCT actor) AS actors
       FROM '$dir' GROUP BY country, event_code ORDER BY n DESC, country, event_code LIMIT 3"
  # Both engines must give the same answer before either is timed (sums of doubles rounded:
  # partitions add in another order).
  a=$(q "$sql"); b=$(q "$sql" --cluster "$CLUSTER")
  [ "$a" = "$b" ] || { echo "the engines disagree at $n rows:"; echo "$a"; echo "$b"; exit 1; }
  es=(); cs=()
  for _ in $(seq "$REPEAT"); do es+=("$(secs "$sql")"); cs+=("$(secs "$sql" --cluster "$CLUSTER")"); done
  e=$(median "${es[@]}"); c=$(median "${cs[@]}")
  growth=""
  [ -n "$prev_e" ] && growth=$(printf 'x%.1f embedded, x%.1f cluster per 10x rows' "$(echo "$e / $prev_e" | bc -l)" "$(echo "$c / $prev_c" | bc -l)")
  total=$(q "SELECT count(*) AS n FROM '$dir'" | sed -n 2p)
  [ "$total" = "$n" ] || { echo "the table at $n rows holds $total"; exit 1; }
  printf '%12d  %12.2f  %12.2f  %8.2f  %s\n' "$n" "$e" "$c" "$(echo "$c / $e" | bc -l)" "same answer, $total rows${growth:+; $growth}"
  prev_e=$e; prev_c=$c
  rm -rf "$dir"
done
echo "(profile $PROFILE; one scheduler + 2 executors x $CONCURRENT tasks on loopback, same 2 cores; times include process start)"
