//! Reading a large scenario's accounts on several threads.
//!
//! The YAML reader is sequential, and in a large generated scenario (a thousand accounts,
//! hundreds of instances each) reading is half of the load. The accounts, nearly all of the
//! text, are one block sequence under the top-level `accounts:` key, and each item can be read
//! on its own: [`read_in_parallel`] cuts the sequence at its item lines (the lines at the
//! sequence's indentation that start with `- `), reads the pieces on every core, each thread
//! building the inventories of the accounts it read, and reads the rest of the file with the
//! accounts replaced by `[]` and as many empty lines as were taken out.
//!
//! Positions stay exact: every piece is read with its first line's offset added to the lines
//! it reports ([`spanned::with_line_offset`]), and the rest keeps its lines where they were.
//! Anything unusual (no such sequence, a piece that does not read, such as one using an anchor
//! defined in another piece, or a YAML error anywhere) gives up and leaves the whole file to
//! the sequential reader, which reports errors exactly as it always has.
//!
//! The reader's caps on hostile input count over the whole file, so each part is read under
//! its share of them ([`share_of`]): if every part passes, the file would have passed read
//! whole. Pieces allow no anchors, aliases or merge keys at all (those are left to the
//! sequential reader), so the caps and checks on aliases see exactly what they would.

use super::pipeline::{prebuild, Prebuilt};
use super::spanned;
use super::spec::{AccountSpec, ScenarioSpec};
use serde_saphyr::{Budget, DuplicateKeyPolicy, MergeKeyPolicy};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Pieces per thread: small enough that threads finish together.
const PIECES_PER_THREAD: usize = 8;

/// Reads the scenario on `threads` threads (this one included); `None` when the file has to
/// be read sequentially instead.
pub(crate) fn read_in_parallel(
    text: &str,
    threads: usize,
    whole: &Budget,
) -> Option<(ScenarioSpec, Vec<Option<Prebuilt>>)> {
    let layout = Layout::of(text)?;
    let pieces = layout.pieces(threads.max(1) * PIECES_PER_THREAD);
    let in_pieces: usize = pieces.iter().map(|p| p.bytes.len()).sum();
    let piece_options = |piece: &Piece| {
        let mut budget = share_of(whole, piece.bytes.len(), text.len());
        budget.max_aliases = 0;
        budget.max_anchors = 0;
        budget.max_merge_keys = 0;
        // A piece's nodes are one level less deep than in the file (below its root mapping).
        budget.max_depth = whole.max_depth.saturating_sub(1);
        // Repeated keys are passed on instead of checked against a set per mapping, and the
        // maps refuse them (`super::unique`); merge keys fail the piece like anchors.
        serde_saphyr::options! {
            budget: Some(budget),
            duplicate_keys: DuplicateKeyPolicy::PassThrough,
            merge_keys: MergeKeyPolicy::Error,
        }
    };
    let skeleton_options = || {
        let budget = share_of(whole, text.len().saturating_sub(in_pieces), text.len());
        serde_saphyr::options! { budget: Some(budget) }
    };
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else {
                break;
            };
            match read_piece(text, piece, piece_options(piece)) {
                Some(read) => done.push((index, read)),
                None => failed.store(true, Ordering::Relaxed),
            }
        }
        done
    };
    let (skeleton, mut done) = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let skeleton = serde_saphyr::from_str_with_options::<ScenarioSpec>(
            &layout.skeleton(text),
            skeleton_options(),
        );
        let mut done = work();
        for helper in helpers {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        (skeleton, done)
    });
    let mut spec = skeleton.ok()?;
    if failed.into_inner() || done.len() != pieces.len() || !spec.accounts.is_empty() {
        return None;
    }
    done.sort_unstable_by_key(|(index, _)| *index);
    let mut prebuilt = Vec::new();
    for (_, (accounts, built)) in done {
        spec.accounts.extend(accounts);
        prebuilt.extend(built.into_iter().map(Some));
    }
    Some((spec, prebuilt))
}

/// The caps for reading `share` of the `len` bytes of a text on their own: the whole's caps on
/// totals, in proportion. Everything else (nesting, key lengths, alias rules) applies as is.
fn share_of(whole: &Budget, share: usize, len: usize) -> Budget {
    let part = |cap: usize| {
        let part = cap as u128 * share as u128 / len.max(1) as u128;
        usize::try_from(part).unwrap_or(cap)
    };
    let mut budget = whole.clone();
    budget.max_events = part(whole.max_events);
    budget.max_nodes = part(whole.max_nodes);
    budget.max_total_scalar_bytes = part(whole.max_total_scalar_bytes);
    budget
}

/// Reads one piece of the accounts sequence and builds the inventories of its accounts. Their
/// EC2 sections are freed here, on the thread that made them.
fn read_piece(
    text: &str,
    piece: &Piece,
    options: serde_saphyr::Options,
) -> Option<(Vec<AccountSpec>, Vec<Prebuilt>)> {
    let mut accounts = spanned::with_line_offset(piece.line_offset, || {
        serde_saphyr::from_str_with_options::<Vec<AccountSpec>>(&text[piece.bytes.clone()], options)
    })
    .ok()?;
    let built = accounts
        .iter_mut()
        .map(|account| {
            let ec2 = std::mem::take(&mut account.ec2);
            prebuild(&account.id.value, &ec2, &account.opt_in_regions)
        })
        .collect();
    Some((accounts, built))
}

/// Where the accounts sequence is.
#[derive(Debug, PartialEq)]
struct Layout {
    /// Where the `accounts:` line starts.
    key: usize,
    /// Where each item starts, and its 1-based line.
    items: Vec<(usize, u32)>,
    /// Where the sequence ends (the next line at its indentation or less, or the end).
    end: usize,
}

/// The lines of a text with where each starts, the newline included.
struct Lines<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Iterator for Lines<'t> {
    type Item = (usize, &'t [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.at;
        if start >= self.bytes.len() {
            return None;
        }
        self.at = next_newline(self.bytes, start).map_or(self.bytes.len(), |at| at + 1);
        Some((start, &self.bytes[start..self.at]))
    }
}

/// Where the next `\n` at or after `from` is. A large file has hundreds of thousands of
/// lines, so this looks at eight bytes at a time: a byte of `word` is zero where the text
/// has a newline, and the lowest zero byte is found exactly (SWAR "has zero byte").
fn next_newline(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ (ONES * 0x0a);
        let zeros = word.wrapping_sub(ONES) & !word & HIGHS;
        if zeros != 0 {
            return Some(at + zeros.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter().position(|&b| b == b'\n').map(|i| at + i)
}

/// Consecutive items of the sequence, and the lines before the first.
#[derive(Debug, PartialEq)]
struct Piece {
    bytes: Range<usize>,
    line_offset: u32,
}

impl Layout {
    /// Finds a top-level `accounts:` key followed by a block sequence; `None` otherwise.
    fn of(text: &str) -> Option<Layout> {
        let mut lines = Lines {
            bytes: text.as_bytes(),
            at: 0,
        }
        .zip(1u32..);
        let ((key, _), _) = lines
            .by_ref()
            .find(|((_, line), _)| line.trim_ascii_end() == b"accounts:")?;
        let mut indent = None;
        let mut items = Vec::new();
        let mut end = text.len();
        for ((start, line), number) in lines {
            let depth = line.iter().take_while(|&&b| b == b' ').count();
            let content = &line[depth..];
            let body = content.trim_ascii_end();
            if content.starts_with(b"\t") {
                return None;
            }
            if body.is_empty() || body.starts_with(b"#") {
                continue;
            }
            let is_item = body == b"-" || content.starts_with(b"- ");
            let at = *indent.get_or_insert(depth);
            if depth == at && is_item {
                items.push((start, number));
            } else if depth <= at {
                end = start;
                break;
            }
        }
        // A first line that is not an item means this is not a block sequence.
        if items.is_empty() {
            return None;
        }
        Some(Layout { key, items, end })
    }

    /// The items cut into about `wanted` pieces of similar size.
    fn pieces(&self, wanted: usize) -> Vec<Piece> {
        let first = self.items[0].0;
        let target = (self.end - first) / wanted.max(1) + 1;
        let mut pieces = Vec::new();
        let mut from = 0;
        for next in 1..=self.items.len() {
            let until = self.items.get(next).map_or(self.end, |(start, _)| *start);
            let (start, line) = self.items[from];
            if next == self.items.len() || until - start >= target {
                pieces.push(Piece {
                    bytes: start..until,
                    line_offset: line - 1,
                });
                from = next;
            }
        }
        pieces
    }

    /// The file without its accounts: `accounts: []`, then an empty line for each line taken
    /// out, so everything after keeps its line.
    fn skeleton(&self, text: &str) -> String {
        let mut removed = 0;
        let mut at = self.key;
        while let Some(newline) = next_newline(text.as_bytes(), at).filter(|&n| n < self.end) {
            removed += 1;
            at = newline + 1;
        }
        let mut out = String::with_capacity(self.key + removed + 16 + text.len() - self.end);
        out.push_str(&text[..self.key]);
        out.push_str("accounts: []");
        out.extend(std::iter::repeat_n('\n', removed));
        out.push_str(&text[self.end..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions;

    /// Reads `text` in pieces and whole, and compares what both give, inventories included.
    fn same_as_sequential(text: &str) {
        let (pieces, prebuilt) =
            read_in_parallel(text, 2, &super::super::budget(text)).expect("reads in pieces");
        let mut whole: ScenarioSpec = serde_saphyr::from_str(text).expect("reads whole");
        assert_eq!(pieces.accounts.len(), whole.accounts.len());
        assert_eq!(prebuilt.len(), whole.accounts.len());
        for (account, built) in whole.accounts.iter_mut().zip(&prebuilt) {
            let ec2 = std::mem::take(&mut account.ec2);
            let (inventory, _) = prebuild(&account.id.value, &ec2, &account.opt_in_regions);
            let (built, _) = built.as_ref().expect("built while reading");
            for region in regions::all_regions() {
                assert_eq!(
                    format!("{:?}", inventory.region(region)),
                    format!("{:?}", built.region(region))
                );
            }
        }
        assert_eq!(format!("{whole:?}"), format!("{pieces:?}"));
    }

    #[test]
    fn every_shipped_scenario_reads_the_same_in_pieces() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                same_as_sequential(&std::fs::read_to_string(&path).unwrap());
                count += 1;
            }
        }
        assert!(count > 5);
    }

    // Pieces pass repeated keys on to the readers of the scenario's types, which refuse them,
    // and refuse merge keys; the file is then read whole, where the YAML reader reports the
    // key at its place (or merges).
    #[test]
    fn a_repeated_key_in_a_piece_sends_the_file_to_the_whole_read() {
        let file = |member: &str| {
            format!("accounts:\n  - id: \"111111111111\"\n  - id: \"222222222222\"\n{member}")
        };
        let good = file("    name: b\n");
        assert!(read_in_parallel(&good, 2, &super::super::budget(&good)).is_some());
        for member in [
            "    name: a\n    name: b\n",
            "    users:\n      - name: u\n        tags: {a: '1', a: '2'}\n",
            "    ec2:\n      us-east-1: {}\n      us-east-1: {}\n",
            "    roles:\n      - name: r\n        trust_policy: {Version: '2012-10-17', Version: '2012-10-17', Statement: []}\n",
            "    users:\n      - <<: {name: u}\n",
        ] {
            let text = file(member);
            assert!(
                read_in_parallel(&text, 2, &super::super::budget(&text)).is_none(),
                "{member}"
            );
            // The whole read reports the repeated key, and merges the merge key.
            let whole = serde_saphyr::from_str::<ScenarioSpec>(&text);
            match whole {
                Err(e) => assert!(e.to_string().contains("duplicate"), "{e}"),
                Ok(_) => assert!(member.contains("<<"), "{member}"),
            }
        }
    }

    const TEXT: &str = "description: x\naccounts:\n  # members\n  - id: \"1\"\n    name: a\n\n  - id: \"2\"\n  - id: \"3\"\norganization: {}\n";

    #[test]
    fn finds_the_items_and_keeps_lines_in_the_skeleton() {
        let layout = Layout::of(TEXT).unwrap();
        let lines: Vec<u32> = layout.items.iter().map(|(_, line)| *line).collect();
        assert_eq!(lines, vec![4, 7, 8]);
        assert_eq!(&TEXT[layout.end..], "organization: {}\n");
        let skeleton = layout.skeleton(TEXT);
        assert_eq!(
            skeleton,
            "description: x\naccounts: []\n\n\n\n\n\n\norganization: {}\n"
        );
        assert_eq!(skeleton.lines().count(), TEXT.lines().count());
        let pieces = layout.pieces(2);
        assert_eq!(pieces.len(), 2);
        assert_eq!(
            &TEXT[pieces[0].bytes.clone()],
            "  - id: \"1\"\n    name: a\n\n"
        );
        assert_eq!(pieces[0].line_offset, 3);
        assert_eq!(
            &TEXT[pieces[1].bytes.clone()],
            "  - id: \"2\"\n  - id: \"3\"\n"
        );
        assert_eq!(pieces[1].line_offset, 6);
    }

    #[test]
    fn anchors_and_aliases_are_left_to_the_sequential_reader() {
        let text = concat!(
            "accounts:\n",
            "  - id: \"111111111111\"\n",
            "    name: &name one\n",
            "    email: *name\n",
            "  - id: \"222222222222\"\n",
        );
        assert!(read_in_parallel(text, 2, &super::super::budget(text)).is_none());
        let without = text.replace("&name ", "").replace("*name", "two");
        assert!(read_in_parallel(&without, 2, &super::super::budget(&without)).is_some());
    }

    #[test]
    fn newlines_are_found_wherever_they_are() {
        let text = b"a\nbcdefghijk\n\n0123456789abcdef\nxy\x8a\n\xff\x0b\x09z";
        let mut expected = Vec::new();
        let mut found = Vec::new();
        for from in 0..text.len() {
            expected.push(
                text[from..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|i| from + i),
            );
            found.push(next_newline(text, from));
        }
        assert_eq!(found, expected);
    }

    #[test]
    fn anything_but_a_block_sequence_is_left_to_the_sequential_reader() {
        assert!(Layout::of("accounts: []\n").is_none());
        assert!(Layout::of("accounts:\n  id: x\n").is_none());
        assert!(Layout::of("accounts:\n\t- id: x\n").is_none());
        assert!(Layout::of("description: x\n").is_none());
    }

    #[test]
    fn sequences_at_the_keys_indentation_end_at_the_next_key() {
        let text = "accounts:\n- id: \"1\"\n- id: \"2\"\nclock: {}\n";
        let layout = Layout::of(text).unwrap();
        assert_eq!(layout.items.len(), 2);
        assert_eq!(&text[layout.end..], "clock: {}\n");
    }
}
