//! The emulator's clock: when credentials are issued and expire, and what `aws:CurrentTime`
//! says. It can start at a set time, stand still, and be moved, so a test reaches "one hour
//! later" at once.
//!
//! SigV4's 15-minute skew check does NOT use this clock: clients sign with the wall clock, and
//! their signatures must keep verifying while the virtual clock moves (see ARCHITECTURE.md).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A time the clock cannot show: before the Unix epoch, or past the last nanosecond a
/// 64-bit count of them reaches (2262-04-11T23:47:16Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the clock can show times from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z only",
        )
    }
}

impl std::error::Error for OutOfRange {}

/// `t` as Unix nanoseconds, if the clock can show it.
pub fn in_range(t: OffsetDateTime) -> Result<i64, OutOfRange> {
    i64::try_from(t.unix_timestamp_nanos())
        .ok()
        .filter(|n| *n >= 0)
        .ok_or(OutOfRange)
}

/// Virtual time = wall time + offset, or a fixed instant while frozen. Lock-free: requests only
/// read two atomics.
#[derive(Debug)]
pub struct Clock {
    offset_nanos: AtomicI64,
    frozen: AtomicBool,
    frozen_at_nanos: AtomicI64,
}

impl Clock {
    /// A clock starting at `start` (now when `None`, or when the clock cannot show `start`:
    /// scenarios are checked with [`in_range`]), running unless `frozen`.
    pub fn new(start: Option<OffsetDateTime>, frozen: bool) -> Clock {
        let wall = wall_nanos();
        let start_nanos = start.and_then(|t| in_range(t).ok()).unwrap_or(wall);
        Clock {
            offset_nanos: AtomicI64::new(start_nanos.saturating_sub(wall)),
            frozen: AtomicBool::new(frozen),
            frozen_at_nanos: AtomicI64::new(start_nanos),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        from_nanos(self.virtual_nanos(wall_nanos()))
    }

    /// The wall clock and the virtual time, from one reading of the wall clock: a request
    /// checks its signature's date against the first and acts at the second.
    pub fn wall_and_now(&self) -> (OffsetDateTime, OffsetDateTime) {
        let wall = wall_nanos();
        (from_nanos(wall), from_nanos(self.virtual_nanos(wall)))
    }

    /// Virtual time when the wall clock reads `wall`.
    fn virtual_nanos(&self, wall: i64) -> i64 {
        if self.frozen.load(Ordering::Acquire) {
            self.frozen_at_nanos.load(Ordering::Acquire)
        } else {
            wall.saturating_add(self.offset_nanos.load(Ordering::Acquire))
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::Acquire)
    }

    /// Moves virtual time forward (or back, with a negative amount); refuses, leaving the
    /// clock as it was, a move to a time it cannot show. (A move that wrapped around once made
    /// expired credentials valid again.)
    pub fn advance(&self, seconds: i64) -> Result<(), OutOfRange> {
        let wall = wall_nanos();
        let target = seconds
            .checked_mul(NANOS_PER_SECOND)
            .and_then(|delta| self.virtual_nanos(wall).checked_add(delta))
            .filter(|n| *n >= 0)
            .ok_or(OutOfRange)?;
        self.show(target, wall);
        Ok(())
    }

    /// Sets virtual time to `at`, keeping the frozen/running state; refuses a time the clock
    /// cannot show.
    pub fn set(&self, at: OffsetDateTime) -> Result<(), OutOfRange> {
        self.show(in_range(at)?, wall_nanos());
        Ok(())
    }

    /// Makes the clock read `target` when the wall clock reads `wall`. Both are within
    /// `0..=i64::MAX`, so their difference cannot overflow.
    fn show(&self, target: i64, wall: i64) {
        self.offset_nanos.store(target - wall, Ordering::Release);
        self.frozen_at_nanos.store(target, Ordering::Release);
    }

    /// Freezes at the current virtual time, or lets time run on from it.
    pub fn set_frozen(&self, frozen: bool) {
        let now = nanos_of(self.now());
        self.frozen_at_nanos.store(now, Ordering::Release);
        self.offset_nanos
            .store(now.saturating_sub(wall_nanos()), Ordering::Release);
        self.frozen.store(frozen, Ordering::Release);
    }
}

/// The wall clock in Unix nanoseconds, read without a calendar date in between (every request
/// reads it, and `OffsetDateTime::now_utc` computes the date only for it to be undone here).
fn wall_nanos() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

fn nanos_of(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn from_nanos(n: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(n as i128).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_wall_clock_reads_as_the_time_crate_reads_it() {
        let before = nanos_of(OffsetDateTime::now_utc());
        let read = wall_nanos();
        let after = nanos_of(OffsetDateTime::now_utc());
        assert!(before <= read && read <= after, "{before} {read} {after}");
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let c = Clock::new(Some(datetime!(2026-01-01 0:00 UTC)), true);
        assert_eq!(c.now(), datetime!(2026-01-01 0:00 UTC));
        c.advance(3601).unwrap();
        assert_eq!(c.now(), datetime!(2026-01-01 1:00:01 UTC));
        c.set(datetime!(2027-01-01 0:00 UTC)).unwrap();
        assert_eq!(c.now(), datetime!(2027-01-01 0:00 UTC));
    }

    /// `advance_seconds` of i64::MAX once wrapped the clock round to 1734, making expired
    /// credentials valid again.
    #[test]
    fn moves_outside_the_clocks_range_are_refused_and_change_nothing() {
        for frozen in [true, false] {
            let c = Clock::new(Some(datetime!(2026-01-01 0:00 UTC)), frozen);
            for seconds in [i64::MAX, i64::MIN, 9_300_000_000, -1_800_000_000] {
                assert_eq!(c.advance(seconds), Err(OutOfRange), "{seconds}");
                let now = c.now();
                assert!(
                    now >= datetime!(2026-01-01 0:00 UTC) && now < datetime!(2026-01-02 0:00 UTC),
                    "{seconds} moved the clock to {now}"
                );
            }
            assert_eq!(c.set(datetime!(1969-12-31 23:59:59 UTC)), Err(OutOfRange));
            assert_eq!(c.set(datetime!(2263-01-01 0:00 UTC)), Err(OutOfRange));
            assert!(c.now() < datetime!(2026-01-02 0:00 UTC));
            // The edges themselves are fine.
            c.set(datetime!(1970-01-01 0:00 UTC)).unwrap();
            assert_eq!(c.advance(-1), Err(OutOfRange));
        }
    }

    #[test]
    fn a_running_clock_starts_where_asked() {
        let c = Clock::new(Some(datetime!(2020-01-01 0:00 UTC)), false);
        let now = c.now();
        assert!(now >= datetime!(2020-01-01 0:00 UTC) && now < datetime!(2020-01-01 0:01 UTC));
        c.advance(-60).unwrap();
        assert!(c.now() < datetime!(2020-01-01 0:00 UTC));
    }

    #[test]
    fn one_reading_gives_the_wall_and_the_virtual_time() {
        let c = Clock::new(Some(datetime!(2020-01-01 0:00 UTC)), false);
        c.advance(90).unwrap();
        let before = OffsetDateTime::now_utc();
        let (wall, now) = c.wall_and_now();
        assert!(wall >= before && wall <= OffsetDateTime::now_utc());
        // Running: virtual time is the same reading moved by the offset, to the nanosecond.
        let offset = nanos_of(now) - nanos_of(wall);
        assert_eq!(offset, c.offset_nanos.load(Ordering::Acquire));
        c.set_frozen(true);
        let frozen = c.now();
        assert_eq!(c.wall_and_now().1, frozen);
    }
}
