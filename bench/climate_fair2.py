"""The fair 2.2.5 side of bench/climate_fair2.sh (see the header there for the comparison).

usage: python climate_fair2.py N SPECIES RCMIP_CSV ANCIL_DIR > quantiles.csv
  N        ensemble members (one central run is added, as `attache climate warming` does)
  SPECIES  `same`: the species our emulator runs (FaIR 1.6.4's 31 greenhouse gases, the
           short-lived precursors, aviation NOx, solar and volcanic, and the forcing agents
           computed from them); `all`: fair 2.2.5's default AR6 species list (49 greenhouse
           gases, the 18 extra halogenated gases included)
  RCMIP_CSV RCMIP v5.1.0 SSP emissions (the file FaIR 1.6.4 ships; fair 2's own
           fill_from_rcmip downloads the same v5.1.0 data, which is not possible offline)
  ANCIL_DIR the directory holding cmip6_solar.csv and cmip6_volcanic.csv (FaIR 1.6.4's
           CMIP6 solar and volcanic ERF, the series our emulator uses)

Prints to stdout the same CSV as `attache climate warming --ensemble N --format csv --to 2500`
(year, central temperature, central CO2, 5/17/50/83/95% temperature quantiles, 1850-2500, vs
1850-1900) and to stderr the time of each phase.
"""

import sys
import time

T0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from fair import FAIR, __version__  # noqa: E402
from fair.interface import fill, initialise  # noqa: E402
from fair.io import read_properties  # noqa: E402
from fair.structure.units import (  # noqa: E402
    compound_convert,
    desired_emissions_units,
    prefix_convert,
    time_convert,
)

T_IMPORT = time.perf_counter()

n = int(sys.argv[1])
species_set = sys.argv[2]
rcmip_csv = sys.argv[3]
ancil_dir = sys.argv[4]
scenario = "ssp245"
first, last = 1765, 2500  # the years our emulator runs for ssp245 (RCMIP from 1765, as FaIR 1.6.4)

# FaIR 1.6.4's 28 minor greenhouse gases, in fair 2's names.
MINOR28 = [
    "CF4", "C2F6", "C6F14", "HFC-23", "HFC-32", "HFC-4310mee", "HFC-125", "HFC-134a",
    "HFC-143a", "HFC-227ea", "HFC-245fa", "SF6", "CFC-11", "CFC-12", "CFC-113", "CFC-114",
    "CFC-115", "CCl4", "CH3CCl3", "HCFC-22", "HCFC-141b", "HCFC-142b", "Halon-1211",
    "Halon-1202", "Halon-1301", "Halon-2402", "CH3Br", "CH3Cl",
]  # fmt: skip
SAME = set(
    ["CO2 FFI", "CO2 AFOLU", "CO2", "CH4", "N2O"]
    + MINOR28
    + ["Sulfur", "BC", "OC", "NH3", "NOx", "VOC", "CO", "NOx aviation", "Solar", "Volcanic"]
    + [
        "Aerosol-radiation interactions",
        "Aerosol-cloud interactions",
        "Ozone",
        "Contrails",
        "Light absorbing particles on snow and ice",
        "Stratospheric water vapour",
        "Land use",
        "Equivalent effective stratospheric chlorine",  # fair 2's ozone needs it
    ]
)

species, properties = read_properties()
if species_set == "same":
    species = [s for s in species if s in SAME]
    properties = {s: properties[s] for s in species}
elif species_set != "all":
    sys.exit(f"SPECIES must be `same` or `all`, not {species_set}")

f = FAIR()  # meinshausen2020 GHG forcing, leach2021 CH4 lifetime, 4 gas boxes, 3 layers
f.define_time(first, last + 1, 1)  # time points (emission years) 1765.5..2500.5: 736 steps
f.define_scenarios([scenario])
f.define_configs(list(range(n + 1)))  # config 0: the central run; 1..n: the members
f.define_species(species, properties)
f.allocate()
f.fill_species_configs()

# Emissions: the RCMIP rows of the scenario, as fair 2's fill_from_rcmip reads them
# (same names, same gap interpolation, same unit conversion), one year per time point.
to_rcmip = {s: s.replace("-", "") for s in species}
to_rcmip["CO2 FFI"] = "CO2|MAGICC Fossil and Industrial"
to_rcmip["CO2 AFOLU"] = "CO2|MAGICC AFOLU"
to_rcmip["NOx aviation"] = "NOx|MAGICC Fossil and Industrial|Aircraft"
df = pd.read_csv(rcmip_csv)
df = df[(df["Scenario"] == scenario) & (df["Region"] == "World")].reset_index(drop=True)
block = df.loc[:, "1750":"2500"].astype(float).interpolate(axis=1)  # once, not per species
block = block.loc[:, str(first) : str(last)].to_numpy()
for s in species:
    if properties[s]["input_mode"] != "emissions":
        continue
    hit = np.flatnonzero(df["Variable"].str.endswith("|" + to_rcmip[s]))
    if len(hit) != 1:
        sys.exit(f"{s}: {len(hit)} RCMIP rows")
    values = block[hit[0]]
    unit, want = df["Unit"][hit[0]].split(), desired_emissions_units[s].split()
    factor = (
        prefix_convert[unit[0]][want[0]]
        * compound_convert[unit[1].split("/")[0]][want[1].split("/")[0]]
        * time_convert[unit[1].split("/")[1]][want[1].split("/")[1]]
    )
    fill(f.emissions, values[:, None] * factor, specie=s, scenario=scenario)


def ancil(name):
    rows = []
    for line in open(f"{ancil_dir}/{name}"):
        cells = [c.strip() for c in line.split(",") if c.strip()]
        try:
            rows.append([float(c) for c in cells])
        except ValueError:
            continue
    a = np.array([r for r in rows if len(r) == 2])
    v = dict(zip(a[:, 0].astype(int), a[:, 1]))
    return np.array([v.get(y, 0.0) for y in range(first, last + 2)])  # time bounds


fill(f.forcing, ancil("cmip6_solar.csv")[:, None], specie="Solar", scenario=scenario)
fill(f.forcing, ancil("cmip6_volcanic.csv")[:, None], specie="Volcanic", scenario=scenario)

initialise(f.concentration, f.species_configs["baseline_concentration"])
initialise(f.forcing, 0)
initialise(f.temperature, 0)
initialise(f.cumulative_emissions, 0)
initialise(f.airborne_emissions, 0)

# Parameters: our `three-layer` set and our ensemble spreads (crates/climate/src/ensemble.rs,
# Spread::default), drawn with numpy: ln κ1 with the ECS sd, ln ε sd 0.15 (correlated 0.8),
# carbon-cycle r0 / uptake / temperature feedbacks and the forcing scales as factors.
Z95 = 1.6449
ln_ecs, rho, ln_eff = np.log(5.0 / 2.0) / (2 * Z95), 0.8, 0.15
sd_r0, sd_rc, sd_rt = 0.13 / Z95, 0.5 / Z95, 0.5 / Z95
sd_co2, sd_aer, sd_other = 0.12 / Z95, 0.54 / Z95, 0.2 / Z95
rng = np.random.default_rng(1)


def draw(sd):
    x = np.maximum(1.0 + sd * rng.standard_normal(n + 1), 0.0)
    x[0] = 1.0  # the central run
    return x


z1, z2 = rng.standard_normal(n + 1), rng.standard_normal(n + 1)
z1[0] = z2[0] = 0.0
z_ecs = rho * z1 + np.sqrt(1 - rho * rho) * z2
kappa1 = 1.263 * np.exp(-ln_ecs * z_ecs)
efficacy = 2.138 * np.exp(ln_eff * z1)
fill(f.climate_configs["ocean_heat_capacity"], np.tile([3.62, 9.47, 98.66], (n + 1, 1)))
fill(
    f.climate_configs["ocean_heat_transfer"],
    np.column_stack([kappa1, np.full(n + 1, 2.39), np.full(n + 1, 0.63)]),
)
fill(f.climate_configs["deep_ocean_efficacy"], efficacy)
fill(f.climate_configs["gamma_autocorrelation"], 1.73)
fill(f.climate_configs["forcing_4co2"], 2 * 3.71)
fill(f.climate_configs["stochastic_run"], False)

sc = f.species_configs
r0, rc, rt = draw(sd_r0), draw(sd_rc), draw(sd_rt)
# fair 2's uptake and airborne feedbacks together play FaIR 1.6's rc: one factor for both.
for key, factor in [("iirf_0", r0), ("iirf_uptake", rc), ("iirf_airborne", rc), ("iirf_temperature", rt)]:
    sc[key].loc[dict(specie="CO2")] = sc[key].sel(specie="CO2").values * factor
scale = sc["forcing_scale"]
scale.loc[dict(specie="CO2")] = draw(sd_co2)
aer = draw(sd_aer)
for s in ["Aerosol-radiation interactions", "Aerosol-cloud interactions"]:
    scale.loc[dict(specie=s)] = aer
halogens = [
    s
    for s in species
    if properties[s]["greenhouse_gas"] and s not in ("CO2", "CH4", "N2O")
]
minor = draw(sd_other)
for s in halogens:
    scale.loc[dict(specie=s)] = minor
for s in [
    "CH4",
    "N2O",
    "Ozone",
    "Stratospheric water vapour",
    "Contrails",
    "Light absorbing particles on snow and ice",
    "Land use",
]:
    scale.loc[dict(specie=s)] = draw(sd_other)

T_SETUP = time.perf_counter()
f.run(progress=False)
T_RUN = time.perf_counter()

# Output: as `attache climate warming --ensemble N --format csv --to 2500`.
temp = f.temperature.sel(scenario=scenario, layer=0).values  # (time bounds, configs)
co2 = f.concentration.sel(scenario=scenario, specie="CO2").values[:, 0]
bounds = f.timebounds.astype(int)
base = (bounds >= 1850) & (bounds <= 1900)
temp = temp - temp[base].mean(axis=0)
rows = (bounds >= 1850) & (bounds <= last)
q = np.percentile(temp[rows, 1:], [5, 17, 50, 83, 95], axis=1).T
out = ["year,temperature_c,co2_ppm,temperature_p05,temperature_p17,temperature_p50,temperature_p83,temperature_p95"]
for y, t, c, qs in zip(bounds[rows], temp[rows, 0], co2[rows], q):
    out.append(f"{y},{t:.4f},{c:.3f}," + ",".join(f"{v:.4f}" for v in qs))
sys.stdout.write("\n".join(out) + "\n")
T_END = time.perf_counter()
print(
    f"fair {__version__}, {len(species)} species, {n} members + central: import {T_IMPORT - T0:.2f} s, "
    f"setup {T_SETUP - T_IMPORT:.2f} s, run {T_RUN - T_SETUP:.2f} s, output {T_END - T_RUN:.2f} s",
    file=sys.stderr,
)
