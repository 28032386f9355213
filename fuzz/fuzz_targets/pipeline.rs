//! Fuzz target: see `checks::pipeline` for what the input bytes mean and what is checked.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::pipeline(data));
