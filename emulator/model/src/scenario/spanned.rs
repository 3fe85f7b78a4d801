//! A scenario value with the line and column it was written at.
//!
//! The YAML reader's own `serde_saphyr::Spanned<T>` keeps two full locations (where the value
//! is used and where it is defined, each with a character span and a source id): about 100
//! bytes besides the value. The scenario reports problems at the use-site line and column
//! only, and a generated scenario holds hundreds of thousands of spanned values, each moved
//! several times while the file is read, so this keeps just those two numbers.
//!
//! Reading delegates to `serde_saphyr::Spanned<T>`, so positions are exactly the ones it
//! reports. Equality and hashing cover the value and the position, as the reader's type does;
//! the reader refuses duplicate mapping keys, so the value alone already tells keys apart.
//!
//! A piece of a file read on its own (see `super::split`) adds the lines before it here.

use rolecall_engine::Location;
use serde::{Deserialize, Deserializer};
use std::cell::Cell;

thread_local! {
    /// Lines before the text being read (see [`with_line_offset`]).
    static LINE_OFFSET: Cell<u32> = const { Cell::new(0) };
}

/// Runs `read` with `offset` added to every line this thread reads: a piece of a file, read
/// on its own, reports its positions as they are in the whole file.
pub(crate) fn with_line_offset<R>(offset: u32, read: impl FnOnce() -> R) -> R {
    struct Restore(u32);
    impl Drop for Restore {
        fn drop(&mut self) {
            LINE_OFFSET.set(self.0);
        }
    }
    let _restore = Restore(LINE_OFFSET.replace(offset));
    read()
}

/// A position the YAML reader reports, as the project's location type. The reader keeps
/// lines and columns as u32, so the conversions cannot fail.
pub(crate) fn location(at: &serde_saphyr::Location) -> Location {
    Location::new(
        u32::try_from(at.line()).unwrap_or(u32::MAX),
        u32::try_from(at.column()).unwrap_or(u32::MAX),
    )
}

/// A value and where it was written (0:0 when the reader could not tell).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub at: Location,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let full = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            value: full.value,
            at: location(&full.referenced).shifted_down(LINE_OFFSET.get()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        name: Spanned<String>,
        list: Vec<Spanned<u32>>,
    }

    #[test]
    fn keeps_the_readers_positions() {
        let text = "name: a\nlist:\n  - 1\n  -   22\n";
        let doc: Doc = serde_saphyr::from_str(text).unwrap();
        let full: serde_saphyr::Spanned<String> = serde_saphyr::from_str::<
            std::collections::HashMap<String, serde_saphyr::Spanned<String>>,
        >("name: a\n")
        .unwrap()
        .remove("name")
        .unwrap();
        assert_eq!(doc.name.at, location(&full.referenced));
        assert_eq!(doc.name.at, Location::new(1, 7));
        assert_eq!(doc.name.value, "a");
        let at: Vec<(u32, Location)> = doc.list.iter().map(|s| (s.value, s.at)).collect();
        assert_eq!(
            at,
            vec![(1, Location::new(3, 5)), (22, Location::new(4, 7))]
        );
    }

    #[test]
    fn a_line_offset_moves_lines_only() {
        let doc: Doc =
            with_line_offset(10, || serde_saphyr::from_str("name: a\nlist: []\n")).unwrap();
        assert_eq!(doc.name.at, Location::new(11, 7));
        let again: Doc = serde_saphyr::from_str("name: a\nlist: []\n").unwrap();
        assert_eq!(again.name.at.line, 1);
    }
}
