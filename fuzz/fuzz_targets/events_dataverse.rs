//! Fuzz target `events_dataverse`: the body is `fuzz_common::targets::events_dataverse`
//! (`src/targets.rs`), which `crates/cli/tests/fuzz_replay.rs` also replays on stable Rust.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_common::targets::events_dataverse(data));
