#!/usr/bin/env bash
# Benchmark (issue 17): a 220-subpopulation stochastic SEIR ensemble, 1,000 runs x 365 days, on
# both cores (`crates/epidemic/examples/ensemble.rs` describes the network). Target: under 10 s
# wall on the project's 2-core machine.
#
# Built for the CPU it runs on (`-C target-cpu=native`), as a ministry building Attaché from
# source on its own machine does; the draws are the same as a generic x86-64 build's (Rust does
# not fuse or reorder floating-point operations for a target CPU), which the script checks by
# comparing the summary lines of both builds. Prints wall and CPU seconds of each repeat and the
# medians, for the native and the generic build side by side.
#
# Usage: bench/epidemic_ensemble.sh [REPEATS=3] [RUNS=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-3}
RUNS=${2:-1000}
for v in "REPEATS=$REPEATS" "RUNS=$RUNS"; do
    case ${v#*=} in
        '' | *[!0-9]* | 0) echo "bench/epidemic_ensemble.sh: ${v%%=*} must be a positive whole number, got '${v#*=}'" >&2; exit 2 ;;
    esac
done
GENERIC_DIR=${CARGO_TARGET_DIR:-$PWD/target}
NATIVE_DIR=$GENERIC_DIR/bench-native
cargo build -q --release -p attache-epidemic --example ensemble
CARGO_TARGET_DIR=$NATIVE_DIR RUSTFLAGS="-C target-cpu=native" \
    cargo build -q --release -p attache-epidemic --example ensemble
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for build in native generic; do
    if [ "$build" = native ]; then bin=$NATIVE_DIR/release/examples/ensemble; else bin=$GENERIC_DIR/release/examples/ensemble; fi
    for r in $(seq "$REPEATS"); do
        /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" "$RUNS" >"$work/$build.out"
        read -r wall user sys <"$work/time"
        echo "$build $wall $(echo "$user + $sys" | bc)" >>"$work/times"
        echo "$build run $r: wall ${wall} s, CPU $(echo "$user + $sys" | bc) s (load $(cut -d' ' -f1 /proc/loadavg))"
    done
    grep -v '^ensemble:' "$work/$build.out" >"$work/$build.summary"
done
if ! cmp -s "$work/native.summary" "$work/generic.summary"; then
    echo "the native and generic builds disagree:" >&2
    diff "$work/native.summary" "$work/generic.summary" >&2
    exit 1
fi
cat "$work/native.summary"
for build in native generic; do
    wall=$(grep "^$build " "$work/times" | cut -d' ' -f2 | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    cpu=$(grep "^$build " "$work/times" | cut -d' ' -f3 | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    echo "$build: median wall $wall s, median CPU $cpu s of $REPEATS (target < 10 s wall)"
done
