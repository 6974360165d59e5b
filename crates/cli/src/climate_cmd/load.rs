//! The policy side's world of the current vintage, read through
//! `attache_store::pledge_inputs` (the same reader the dashboard's climate pages use).

use anyhow::{Context, Result};
use attache_pledges::World;

/// The world of the current vintage in `data`.
pub fn load_world(data: &crate::DataDir) -> Result<World> {
    let store = data.store()?;
    let v = store.require_current()?;
    crate::runtime()?
        .block_on(attache_store::pledge_inputs::pledge_world(&v))
        .with_context(|| format!("reading the climate-policy inputs of vintage {}", v.id))
}
