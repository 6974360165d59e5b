//! Fuzz target `inform_regions`: the body is `fuzz_common::targets::inform_regions` (`src/targets.rs`),
//! which `crates/cli/tests/fuzz_replay.rs` also replays on stable Rust.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_common::targets::inform_regions(data));
