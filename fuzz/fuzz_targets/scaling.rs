//! Fuzz target for slowness: each stage of `checks::SCALING_STAGES` runs on the input's unit
//! repeated twice and repeated sixteen times (`checks::scaling_texts`); a stage whose CPU time
//! grows far faster than its text is a failure, named with the ratio it showed.
//!
//! Timing on a shared machine is noisy, so a failure has to survive three things: the larger
//! text must take at least [`MIN_LARGE_SECONDS`] of this thread's CPU time (timer resolution
//! and cache effects dominate below that), the ratio must exceed [`MAX_RATIO`] (8 for linear
//! work, 64 for quadratic), and it must do so again on the smallest of [`RETRIES`] fresh
//! measurements of each text (preemption and interrupts only ever add time, so the minimum is
//! the stage's own cost). Thread CPU time, not wall time, leaves out the time other processes
//! take from this one. Gross cases a single input shows are also caught by libFuzzer's own
//! `-timeout`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use nix::time::{clock_gettime, ClockId};

/// A linear stage shows about `SCALING_REPEATS` (8); quadratic work shows 64.
const MAX_RATIO: f64 = 4.0 * checks::SCALING_REPEATS as f64;
/// Below this much CPU time on the larger text a ratio says little.
const MIN_LARGE_SECONDS: f64 = 0.02;
/// Fresh measurements of both texts before a ratio counts as a failure.
const RETRIES: usize = 3;

/// CPU seconds this thread has used.
fn thread_seconds() -> f64 {
    let time = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).expect("a thread CPU clock");
    time.tv_sec() as f64 + time.tv_nsec() as f64 / 1e9
}

fn seconds(stage: fn(&str), text: &str) -> f64 {
    let start = thread_seconds();
    stage(text);
    thread_seconds() - start
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(unit) = checks::scaling_unit(data) else {
        return;
    };
    let (small, large) = checks::scaling_texts(&unit);
    for &(name, stage) in checks::SCALING_STAGES {
        let (mut small_seconds, mut large_seconds) =
            (seconds(stage, &small), seconds(stage, &large));
        let slow = |small: f64, large: f64| {
            large >= MIN_LARGE_SECONDS && large > MAX_RATIO * small.max(1e-9)
        };
        if !slow(small_seconds, large_seconds) {
            continue;
        }
        for _ in 0..RETRIES {
            small_seconds = small_seconds.min(seconds(stage, &small));
            large_seconds = large_seconds.min(seconds(stage, &large));
        }
        assert!(
            !slow(small_seconds, large_seconds),
            "{name}: {} bytes took {large_seconds:.4} s, {} bytes {small_seconds:.4} s: \
             {:.1}x the time for {}x the text",
            large.len(),
            small.len(),
            large_seconds / small_seconds.max(1e-9),
            checks::SCALING_REPEATS,
        );
    }
});
