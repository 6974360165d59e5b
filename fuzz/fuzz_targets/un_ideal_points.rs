//! Fuzz target `un_ideal_points`: the body is `fuzz_common::targets::un_ideal_points` (`src/targets.rs`), which
//! `crates/cli/tests/fuzz_replay.rs` also replays on stable Rust.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_common::targets::un_ideal_points(data));
