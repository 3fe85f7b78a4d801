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

/// A value and its 1-based line and column (0 when the reader could not tell).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

impl<T> Spanned<T> {
    /// The line, as problems report it.
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    /// The column, as problems report it.
    pub fn column(&self) -> u64 {
        u64::from(self.column)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let full = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        // The reader keeps lines and columns as u32; the conversions cannot fail.
        let line = u32::try_from(full.referenced.line()).unwrap_or(u32::MAX);
        Ok(Spanned {
            value: full.value,
            // Line 0 is an unknown position, and stays one.
            line: match line {
                0 => 0,
                known => known.saturating_add(LINE_OFFSET.get()),
            },
            column: u32::try_from(full.referenced.column()).unwrap_or(u32::MAX),
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
        assert_eq!(
            (doc.name.line(), doc.name.column()),
            (full.referenced.line(), full.referenced.column())
        );
        assert_eq!((doc.name.line, doc.name.column), (1, 7));
        assert_eq!(doc.name.value, "a");
        let at: Vec<(u32, u32, u32)> = doc
            .list
            .iter()
            .map(|s| (s.value, s.line, s.column))
            .collect();
        assert_eq!(at, vec![(1, 3, 5), (22, 4, 7)]);
    }

    #[test]
    fn a_line_offset_moves_lines_only() {
        let doc: Doc =
            with_line_offset(10, || serde_saphyr::from_str("name: a\nlist: []\n")).unwrap();
        assert_eq!((doc.name.line, doc.name.column), (11, 7));
        let again: Doc = serde_saphyr::from_str("name: a\nlist: []\n").unwrap();
        assert_eq!(again.name.line, 1);
    }
}
