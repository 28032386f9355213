//! Time spent in each stage, for `--stats`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::Stage;

/// Time spent in each stage, summed over threads, for `--stats`: wall time, and the thread's
/// own CPU time, which a busy machine does not inflate (a stage waiting for a core counts in
/// the first, not in the second).
#[derive(Default)]
pub struct StageTiming {
    wall: [AtomicU64; SLOTS],
    cpu: [AtomicU64; SLOTS],
}

/// Slot of the parse time in [`StageTiming`], after the stages': parsing items on the workers
/// (JSON objects, and extracting HTML pages).
const PARSE: usize = Stage::ALL.len();
const SLOTS: usize = PARSE + 1;

/// When a stage began on this thread, by both clocks.
#[derive(Clone, Copy)]
pub struct StageClock {
    wall: Instant,
    cpu: u64,
}

impl StageClock {
    /// Now, by both clocks.
    pub fn start() -> StageClock {
        StageClock {
            wall: Instant::now(),
            cpu: thread_cpu_nanos(),
        }
    }
}

/// This thread's CPU time so far, in nanoseconds (0 where the platform has no such clock).
#[cfg(unix)]
fn thread_cpu_nanos() -> u64 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let seconds = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(now.tv_nsec).unwrap_or(0);
    seconds.saturating_mul(1_000_000_000).saturating_add(nanos)
}

#[cfg(not(unix))]
fn thread_cpu_nanos() -> u64 {
    0
}

impl StageTiming {
    fn add(&self, slot: usize, since: StageClock) {
        let wall = u64::try_from(since.wall.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.wall[slot].fetch_add(wall, Ordering::Relaxed);
        let cpu = thread_cpu_nanos().saturating_sub(since.cpu);
        self.cpu[slot].fetch_add(cpu, Ordering::Relaxed);
    }

    /// Adds the time since `since` to a stage.
    pub fn record(&self, stage: Stage, since: StageClock) {
        self.add(stage as usize, since);
    }

    /// Adds the time since `since` to the parse slot.
    pub fn record_parse(&self, since: StageClock) {
        self.add(PARSE, since);
    }

    /// Wall seconds and CPU seconds of the parse slot.
    pub fn parse_seconds(&self) -> (f64, f64) {
        self.read(PARSE)
    }

    /// Wall seconds and CPU seconds of a stage.
    pub fn seconds(&self, stage: Stage) -> (f64, f64) {
        self.read(stage as usize)
    }

    fn read(&self, slot: usize) -> (f64, f64) {
        (
            self.wall[slot].load(Ordering::Relaxed) as f64 / 1e9,
            self.cpu[slot].load(Ordering::Relaxed) as f64 / 1e9,
        )
    }
}
