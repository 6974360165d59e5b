//! The policy side's world of the current vintage, read through
//! `attache_store::pledge_inputs` (the same reader the dashboard's climate pages use).

use anyhow::{Context, Result};
use attache_pledges::World;

/// The world of the current vintage in `data`.
pub fn load_world(data: &crate::DataDir) -> Result<World> {
    Ok(load_world_of_vintage(data)?.0)
}

/// The world of the current vintage in `data`, and that vintage's id (vintages are immutable:
/// a sync meanwhile publishes another one and leaves this one whole).
fn load_world_of_vintage(data: &crate::DataDir) -> Result<(World, String)> {
    let store = data.store()?;
    let v = store.require_current()?;
    let world = crate::runtime()?
        .block_on(attache_store::pledge_inputs::pledge_world(&v))
        .with_context(|| format!("reading the climate-policy inputs of vintage {}", v.id))?;
    Ok((world, v.id))
}
