//! The deployment's one registry of predictors (`attache_store::predictors::registry`, where a
//! new simulator is added with one line), for `brief predict`, `brief models` and `serve`.

use anyhow::Result;
use attache_core::outcome::Registry;

/// Every predictor of a deployment whose data dir is `data`.
pub fn registry(data: &crate::DataDir) -> Result<Registry> {
    Ok(attache_store::predictors::registry(&data.store()?))
}
