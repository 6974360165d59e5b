//! World Bank World Development Indicators, one indicator per file in the long layout
//! `Country Name,Country Code,Year,Value` (DataHub's packaging of the WDI bulk files).
//!
//! Country codes are ISO alpha-3 plus the World Bank's own aggregate codes (WLD, SSF, HIC, ...);
//! aggregates are kept with `iso3` null (the code stays in `entity`) and counted in the
//! lockfile. Any other unknown code fails the sync.

use attache_core::Scheme;

use crate::delimited::{Delimited, Layout};
use crate::error::{Result, SourceError};
use crate::table::{CellAt, ColType, DEFAULT_NULLS, FileStats, TableBuilder, Value, parse_cell};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

/// The long `indicators` table shared by every indicator source.
pub fn indicators_builder() -> TableBuilder {
    TableBuilder::new(
        "indicators",
        &[
            ("iso3".into(), ColType::Text),
            ("entity".into(), ColType::Text),
            ("year".into(), ColType::Int),
            ("indicator".into(), ColType::Text),
            ("value".into(), ColType::Float),
            ("source".into(), ColType::Text),
        ],
    )
}

/// World Bank aggregate and non-ISO codes (regions, income groups, lending groups).
pub const WB_AGGREGATES: &[&str] = &[
    "AFE", "AFW", "ARB", "CEB", "CHI", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU",
    "FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC", "LIC",
    "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS",
    "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
];

/// (mirror path, WDI indicator code)
pub const FILES: &[(&str, &str)] = &[
    ("worldbank/gdp.csv", "NY.GDP.MKTP.CD"),
    ("worldbank/population.csv", "SP.POP.TOTL"),
    ("worldbank/wdi/dt.oda.odat.cd.csv", "DT.ODA.ODAT.CD"),
    ("worldbank/wdi/eg.elc.accs.zs.csv", "EG.ELC.ACCS.ZS"),
    ("worldbank/wdi/eg.fec.rnew.zs.csv", "EG.FEC.RNEW.ZS"),
    ("worldbank/wdi/en.atm.co2e.kt.csv", "EN.ATM.CO2E.KT"),
    ("worldbank/wdi/en.atm.co2e.pc.csv", "EN.ATM.CO2E.PC"),
    ("worldbank/wdi/en.atm.ghgt.kt.ce.csv", "EN.ATM.GHGT.KT.CE"),
    ("worldbank/wdi/fp.cpi.totl.zg.csv", "FP.CPI.TOTL.ZG"),
    ("worldbank/wdi/is.air.dprt.csv", "IS.AIR.DPRT"),
    ("worldbank/wdi/ms.mil.xpnd.gd.zs.csv", "MS.MIL.XPND.GD.ZS"),
    ("worldbank/wdi/ne.exp.gnfs.zs.csv", "NE.EXP.GNFS.ZS"),
    ("worldbank/wdi/ne.imp.gnfs.zs.csv", "NE.IMP.GNFS.ZS"),
    ("worldbank/wdi/ny.gdp.mktp.kd.zg.csv", "NY.GDP.MKTP.KD.ZG"),
    ("worldbank/wdi/ny.gdp.pcap.cd.csv", "NY.GDP.PCAP.CD"),
    ("worldbank/wdi/ny.gdp.pcap.pp.cd.csv", "NY.GDP.PCAP.PP.CD"),
    ("worldbank/wdi/ny.gdp.totl.rt.zs.csv", "NY.GDP.TOTL.RT.ZS"),
    ("worldbank/wdi/sh.dyn.mort.csv", "SH.DYN.MORT"),
    ("worldbank/wdi/sh.med.beds.zs.csv", "SH.MED.BEDS.ZS"),
    ("worldbank/wdi/si.pov.dday.csv", "SI.POV.DDAY"),
    ("worldbank/wdi/si.pov.gini.csv", "SI.POV.GINI"),
    ("worldbank/wdi/sl.uem.totl.zs.csv", "SL.UEM.TOTL.ZS"),
    ("worldbank/wdi/sm.pop.netm.csv", "SM.POP.NETM"),
    ("worldbank/wdi/sm.pop.refg.csv", "SM.POP.REFG"),
    ("worldbank/wdi/sm.pop.refg.or.csv", "SM.POP.REFG.OR"),
    ("worldbank/wdi/sn.itk.defc.zs.csv", "SN.ITK.DEFC.ZS"),
    ("worldbank/wdi/sp.dyn.imrt.in.csv", "SP.DYN.IMRT.IN"),
    ("worldbank/wdi/sp.dyn.le00.in.csv", "SP.DYN.LE00.IN"),
    ("worldbank/wdi/sp.pop.0014.to.zs.csv", "SP.POP.0014.TO.ZS"),
    ("worldbank/wdi/sp.pop.grow.csv", "SP.POP.GROW"),
    ("worldbank/wdi/sp.urb.totl.in.zs.csv", "SP.URB.TOTL.IN.ZS"),
    ("worldbank/wdi/tg.val.totl.gd.zs.csv", "TG.VAL.TOTL.GD.ZS"),
    ("worldbank/wdi/tx.val.fuel.zs.un.csv", "TX.VAL.FUEL.ZS.UN"),
];

pub struct WorldBank(SourceMeta);

impl WorldBank {
    pub fn new() -> WorldBank {
        let files = FILES
            .iter()
            .map(|(p, _)| {
                let url: &'static str = match *p {
                    "worldbank/gdp.csv" => "https://raw.githubusercontent.com/datasets/gdp/main/data/gdp.csv",
                    "worldbank/population.csv" => "https://raw.githubusercontent.com/datasets/population/main/data/population.csv",
                    other => Box::leak(
                        format!(
                            "https://raw.githubusercontent.com/datasets/world-development-indicators/main/indicators/{}/data.csv",
                            other.trim_start_matches("worldbank/wdi/").trim_end_matches(".csv")
                        )
                        .into_boxed_str(),
                    ),
                };
                // Every WDI series covers ~217 economies over decades; the smallest mirrored one
                // (Gini) has 2,430 rows.
                FileSpec::new(p, url).optional().at_least(2000).via("DataHub core datasets (datasets/* on GitHub), a conversion of the World Bank's WDI")
            })
            .collect();
        WorldBank(SourceMeta {
            id: attache_core::SourceId::WORLDBANK_WDI,
            title: "World Development Indicators",
            publisher: "The World Bank",
            licence: "CC BY 4.0",
            citation: "World Bank (2024) World Development Indicators. Washington, DC: The World Bank. https://datacatalog.worldbank.org/dataset/world-development-indicators",
            homepage: "https://datacatalog.worldbank.org/dataset/world-development-indicators",
            lag: Lag::AfterYear { months: 7 },
            files,
            tables: &["indicators"],
        })
    }
}

impl Source for WorldBank {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        for (path, code) in FILES {
            let Some(inp) = input(inputs, path) else {
                continue;
            };
            let d = Delimited::parse(&inp.name, &inp.bytes, &Layout::csv())?;
            let (ic, iy, iv) = (
                d.column("Country Code")?,
                d.column("Year")?,
                d.column("Value")?,
            );
            let mut tb = indicators_builder();
            let mut stats = FileStats::default();
            for rec in &d.records {
                stats.rows_read += 1;
                let at = |c| CellAt {
                    file: &d.file,
                    line: rec.line,
                    column: c,
                };
                let entity = rec.fields.get(ic).unwrap_or("").trim();
                let iso = if WB_AGGREGATES.contains(&entity) {
                    stats.adjust("World Bank aggregate kept with iso3 null");
                    Value::Null
                } else {
                    let c = super::cw().lookup(Scheme::Iso3, entity).map_err(|e| {
                        SourceError::Country {
                            file: d.file.clone(),
                            line: rec.line,
                            column: "Country Code".into(),
                            error: e,
                        }
                    })?;
                    Value::text(&c.iso3)
                };
                tb.push(vec![
                    iso,
                    Value::text(entity),
                    parse_cell(
                        rec.fields.get(iy).unwrap_or(""),
                        ColType::Int,
                        &[],
                        at("Year"),
                    )?,
                    Value::text(*code),
                    parse_cell(
                        rec.fields.get(iv).unwrap_or(""),
                        ColType::Float,
                        DEFAULT_NULLS,
                        at("Value"),
                    )?,
                    Value::text("worldbank-wdi"),
                ])?;
                stats.rows_loaded += 1;
            }
            out.add("indicators", tb.finish()?);
            out.file(&inp.name, stats);
        }
        Ok(out)
    }
}
