//! Where something was written: one type for every position the project reports, in policy
//! documents and in scenario files alike.

use serde::Serialize;
use std::fmt;

/// A 1-based line and column (columns count characters, not bytes). `0:0` stands for a
/// position that is not known, such as a document built in code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl Location {
    /// A position that is not known.
    pub const UNKNOWN: Location = Location { line: 0, column: 0 };

    pub const fn new(line: u32, column: u32) -> Location {
        Location { line, column }
    }

    /// The same position, `lines` lines further down (a piece of a file read on its own
    /// reports its positions as they are in the whole file). An unknown position stays one.
    #[must_use]
    pub const fn shifted_down(self, lines: u32) -> Location {
        if self.line == 0 {
            return self;
        }
        Location {
            line: self.line.saturating_add(lines),
            column: self.column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_line_colon_column_and_shifts_only_known_positions() {
        assert_eq!(Location::new(3, 14).to_string(), "3:14");
        assert_eq!(Location::new(3, 14).shifted_down(10), Location::new(13, 14));
        assert_eq!(Location::UNKNOWN.shifted_down(10), Location::UNKNOWN);
    }
}
