#!/usr/bin/env bash
# Benchmark: our three-layer climate ensemble against fair 2.2.5 on the same scenario, years,
# species and ensemble size, each as a whole process (issue 20: target >= 100x).
#
# Both sides, per member: an emissions-driven multigas run of SSP2-4.5 (RCMIP v5.1.0
# emissions), emission years 1765-2500 (736 annual steps, time step 1 yr), with
#   - a carbon cycle: four boxes whose time constants are scaled each year so that the
#     100-yr integrated impulse response follows cumulative uptake and temperature;
#   - gas cycles for the same 31 greenhouse gases: CO2 (fossil + AFOLU), CH4, N2O and the
#     28 halogenated gases of FaIR 1.6.4 (CF4, C2F6, C6F14, HFC-23/32/43-10/125/134a/143a/
#     227ea/245fa, SF6, CFC-11/12/113/114/115, CCl4, CH3CCl3, HCFC-22/141b/142b,
#     Halon-1211/1202/1301/2402, CH3Br, CH3Cl);
#   - effective radiative forcing from concentrations and emissions: CO2, CH4, N2O, the
#     halogens, ozone (with temperature feedback), stratospheric water vapour from CH4,
#     aerosol-radiation and aerosol-cloud interactions (SO2, BC, OC, NH3, ...), contrails
#     (aviation NOx), black carbon on snow, land-use albedo; CMIP6 solar and volcanic ERF
#     prescribed (FaIR 1.6.4's series, crates/climate/data);
#   - the three-layer energy balance (Cummins et al. 2020; heat capacities 3.62/9.47/98.66,
#     κ2 2.39, κ3 0.63, γ 1.73; κ1 1.263 and ε 2.138, our `three-layer` set) stepped by the
#     exact one-year discretisation (matrix exponential once per member);
#   - members: 1000 draws of the same spreads (ours: crates/climate/src/ensemble.rs
#     Spread::default; fair 2: the same distributions drawn with numpy in
#     bench/climate_fair2.py): ln κ1 (sd 0.28) and ln ε (sd 0.15) correlated 0.8; the
#     carbon-cycle r0 (±13%), uptake (±50%) and temperature (±50%) feedbacks; forcing
#     scales of CO2 (±12%), aerosols (±54%) and each other agent (±20%); plus one central run.
#   Output, both: temperature rebased to 1850-1900, per-year 5/17/50/83/95% quantiles over
#   the members and the central run's temperature and CO2, 1850-2500, as CSV on stdout.
#
#   ours:  `attache climate warming --scenario ssp245 --params three-layer --ensemble N
#          --to 2500 --format csv` (release build; members on both cores): FaIR 1.6.4's
#          forcing and carbon cycle (Etminan GHG forcing; alpha solved by Newton's method
#          every year) with the three-layer EBM in place of the two-box response.
#   fair:  fair 2.2.5's FAIR class (meinshausen2020 GHG forcing, leach2021 CH4 lifetime,
#          closed-form alpha for every gas; one Python process, import included; numpy
#          vectorised over the members, one Python loop over the years) with the 51 species
#          above (its default species list without the 18 halogenated gases FaIR 1.6 lacks),
#          the default AR6 species configs it ships, emissions read from the RCMIP v5.1.0
#          file FaIR 1.6.4 ships (/work/shared/data/rcp-fair or ATTACHE_RCMIP_CSV) the way
#          its fill_from_rcmip does (which downloads that data and cannot run offline), and
#          N + 1 configs built in the script. fair 2's usual calibrated constrained configs
#          come from Zenodo and are not used.
#   Not equal: fair 2 scales the lifetimes of all 31 gases each year (ours: CO2 only), ours
#   solves for alpha iteratively (fair 2: closed form), fair 2 also computes the TOA
#   imbalance and ocean heat content after the run. Both agree on SSP2-4.5 (2100 central
#   2.74 K / 598 ppm ours, 2.68 K / 598 ppm fair 2; 5-95% 1.95-3.60 K vs 1.91-3.46 K).
#   Also reported, once: fair 2 with its full default list (64 species, 49 gases).
#
# Reports the wall time of each run (and user+sys CPU), the best and the median of RUNS,
# fair 2's own phases (import / setup / run / output), and the ratio on the best and on the
# median. Notes `uptime` before each side: the machine has 2 cores and is often shared.
#
# Usage: bench/climate_fair2.sh [N] [RUNS]     (defaults: 1000, 3)
# Env:   ATTACHE_BIN   use this binary instead of `cargo build --release`
#        ATTACHE_FAIR2_VENV  venv for fair==2.2.5 (default /tmp/attache-bench-fair2, made here)
#        ATTACHE_RCMIP_CSV   the RCMIP v5.1.0 SSP emissions CSV
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${2:-3}
VENV=${ATTACHE_FAIR2_VENV:-/tmp/attache-bench-fair2}
RCMIP=${ATTACHE_RCMIP_CSV:-/work/shared/data/rcp-fair/rcmip-emissions-annual-means-5-1-0-ssp-only.csv}
ANCIL=crates/climate/data

if [ -n "${ATTACHE_BIN:-}" ]; then
  BIN=$ATTACHE_BIN
else
  cargo build --release -p attache >/dev/null
  BIN=target/release/attache
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import fair; assert fair.__version__ == "2.2.5"' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "fair==2.2.5"
fi
[ -f "$RCMIP" ] || { echo "no RCMIP emissions at $RCMIP (set ATTACHE_RCMIP_CSV)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timed NAME command...: appends "wall user+sys" of one whole-process run to $tmp/NAME.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/one" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/one" >>"$tmp/$name"
}

echo "uptime before ours: $(uptime)"
for _ in $(seq "$RUNS"); do
  timed ours "$BIN" climate warming --scenario ssp245 --params three-layer --ensemble "$N" --to 2500 --format csv
done
echo "uptime before fair 2: $(uptime)"
for _ in $(seq "$RUNS"); do
  timed fair "$VENV/bin/python" bench/climate_fair2.py "$N" same "$RCMIP" "$ANCIL"
  cat "$tmp/fair.err" >>"$tmp/fair.phases"
done
echo "uptime before fair 2 (all species, once): $(uptime)"
timed fairall "$VENV/bin/python" bench/climate_fair2.py "$N" all "$RCMIP" "$ANCIL"
cat "$tmp/fairall.err" >>"$tmp/fairall.phases"
echo "uptime after: $(uptime)"

grep -h '^2100,' "$tmp/ours.out" | awk -F, '{printf "attache 2100: central %s K, CO2 %s ppm, quantiles [%s %s %s %s %s]\n", $2, $3, $4, $5, $6, $7, $8}'
grep -h '^2100,' "$tmp/fair.out" | awk -F, '{printf "fair 2  2100: central %s K, CO2 %s ppm, quantiles [%s %s %s %s %s]\n", $2, $3, $4, $5, $6, $7, $8}'
echo "fair 2 phases (same species):"
sed 's/^/  /' "$tmp/fair.phases"
echo "fair 2 phases (all species):"
sed 's/^/  /' "$tmp/fairall.phases"
python3 - "$N" "$tmp/ours" "$tmp/fair" "$tmp/fairall" "$tmp/fair.phases" <<'PY'
import re, statistics, sys
n = int(sys.argv[1])
def load(p):
    rows = [tuple(map(float, l.split())) for l in open(p)]
    return [r[0] for r in rows], [r[1] for r in rows]
ow, oc = load(sys.argv[2]); fw, fc = load(sys.argv[3]); aw, ac = load(sys.argv[4])
runs = [float(m) for m in re.findall(r"run ([0-9.]+) s", open(sys.argv[5]).read())]
fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)
print(f"ensemble of {n} + central, SSP2-4.5, emission years 1765-2500, whole process:")
print(f"  attache wall {fmt(ow)} s (cpu {fmt(oc)}); best {min(ow):.3f}, median {statistics.median(ow):.3f}")
print(f"  fair 2  wall {fmt(fw)} s (cpu {fmt(fc)}); best {min(fw):.2f}, median {statistics.median(fw):.2f}")
print(f"  fair 2 (all 64 species) wall {fmt(aw)} s (cpu {fmt(ac)})")
print(f"  ratio, wall: best/best {min(fw) / min(ow):.0f}x, median/median {statistics.median(fw) / statistics.median(ow):.0f}x (target >= 100x)")
print(f"  ratio, cpu: best/best {min(fc) / min(oc):.0f}x (ours uses both cores, fair one)")
print(f"  fair 2's run() alone (no import, setup, output): best {min(runs):.2f} s, {min(runs) / min(ow):.0f}x our whole process")
PY
