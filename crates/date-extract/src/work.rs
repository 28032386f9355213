//! A count of the work the tagger does, for the test that checks it grows linearly with the
//! text: bytes given to regular expressions and read around matches, and steps of the overlap
//! and anaphor bookkeeping. Counting is deterministic where timing on a shared machine is not;
//! outside tests it compiles to nothing.

#[cfg(test)]
thread_local! {
    static WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `units` of work (bytes scanned or bookkeeping steps).
#[inline]
pub fn add(units: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + units as u64));
    #[cfg(not(test))]
    let _ = units;
}

/// The work counted on this thread so far.
#[cfg(test)]
pub fn total() -> u64 {
    WORK.with(|w| w.get())
}
