//! Reading on past a key the scenario language does not have, so `rolecall check` reports
//! every problem at once: the YAML reader stops at the first unknown key, and every other
//! problem used to appear only once that one was fixed.
//!
//! The entry of an unknown key (the key and its whole value) is blanked out, every character
//! replaced by a space and every line kept, so the text reads as if the entry were not there
//! while every other position stays where it was. The loader then reads the text again.

use rolecall_engine::Location;

/// The text with the mapping entry whose key starts at `at` blanked out; None when no entry
/// is found there (the loader then stops at that problem).
pub(crate) fn blank_entry(text: &str, at: Location) -> Option<String> {
    let line_index = usize::try_from(at.line).ok()?.checked_sub(1)?;
    let column = usize::try_from(at.column).ok()?.checked_sub(1)?;
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let line = lines.get(line_index)?;
    let start = line.char_indices().nth(column).map(|(i, _)| i)?;
    let before = line[..start].trim_end();
    if before.ends_with('{') || before.ends_with(',') {
        blank_flow_entry(&mut lines, line_index, start)?;
    } else if before.trim_start_matches([' ', '-']).is_empty() {
        blank_block_entry(&mut lines, line_index, start, column);
    } else {
        return None;
    }
    Some(lines.concat())
}

/// Spaces in place of `line[from..to]`, the line end kept.
fn blank(line: &mut String, from: usize, to: usize) {
    let blanked: String = line[from..to]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    line.replace_range(from..to, &blanked);
}

/// A block entry: the rest of its line, then every line of its value (more indented than the
/// key, or a `- ` item at the key's own indentation, or blank or a comment).
fn blank_block_entry(lines: &mut [String], index: usize, start: usize, column: usize) {
    let len = lines[index].len();
    blank(&mut lines[index], start, len);
    for line in lines.iter_mut().skip(index + 1) {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        let part_of_value = rest.is_empty()
            || rest.starts_with('#')
            || indent > column
            || (indent == column && (rest == "-" || rest.starts_with("- ")));
        if !part_of_value {
            break;
        }
        let len = line.len();
        blank(line, 0, len);
    }
}

/// A flow entry (`{ a: 1, key: value, b: 2 }`): from the key to the comma after its value,
/// or, for the last entry, from the comma before it to the closing brace.
fn blank_flow_entry(lines: &mut [String], index: usize, start: usize) -> Option<()> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut at = (index, start);
    loop {
        let line = &lines[at.0];
        let mut found = None;
        for (offset, c) in line[at.1..].char_indices() {
            let position = at.1 + offset;
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']') => depth = depth.checked_sub(1)?,
                (None, '}') if depth == 0 => {
                    found = Some((position, false));
                    break;
                }
                (None, '}') => depth -= 1,
                (None, ',') if depth == 0 => {
                    found = Some((position + 1, true));
                    break;
                }
                _ => {}
            }
        }
        match found {
            Some((end, comma_after)) => {
                let (first, from) = (index, start);
                if at.0 == first {
                    blank(&mut lines[first], from, end);
                } else {
                    let len = lines[first].len();
                    blank(&mut lines[first], from, len);
                    for line in &mut lines[first + 1..at.0] {
                        let len = line.len();
                        blank(line, 0, len);
                    }
                    blank(&mut lines[at.0], 0, end);
                }
                if !comma_after {
                    blank_comma_before(lines, first, from);
                }
                return Some(());
            }
            None => {
                at = (at.0 + 1, 0);
                if at.0 >= lines.len() {
                    return None;
                }
            }
        }
    }
}

/// Blanks the comma before a flow mapping's last entry, which would otherwise dangle.
fn blank_comma_before(lines: &mut [String], index: usize, start: usize) {
    for i in (0..=index).rev() {
        let end = if i == index { start } else { lines[i].len() };
        let found = lines[i][..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_whitespace());
        match found {
            Some((comma, ',')) => {
                blank(&mut lines[i], comma, comma + 1);
                return;
            }
            Some(_) => return,
            None => continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::blank_entry;
    use rolecall_engine::Location;

    fn blanked(text: &str, line: u32, column: u32) -> String {
        blank_entry(text, Location::new(line, column)).unwrap()
    }

    #[test]
    fn a_block_entry_goes_with_its_whole_value_and_lines_stay() {
        let text = "accounts:\n  - id: \"1\"\n    userz:\n      - name: a\n    roles: []\n";
        let out = blanked(text, 3, 5);
        assert_eq!(
            out,
            "accounts:\n  - id: \"1\"\n          \n               \n    roles: []\n"
        );
        // A list value written at the key's own indentation goes with it too.
        let text = "top:\n  userz:\n  - a\n  - b\n  next: 1\n";
        assert_eq!(
            blanked(text, 2, 3),
            "top:\n        \n     \n     \n  next: 1\n"
        );
        // The first key of a list item: the item's other keys stay.
        let text = "- nmae: typo\n  id: \"2\"\n";
        assert_eq!(blanked(text, 1, 3), "-           \n  id: \"2\"\n");
    }

    #[test]
    fn a_flow_entry_goes_with_its_comma() {
        assert_eq!(
            blanked("{ a: 1, nmae: x, b: 2 }", 1, 9),
            "{ a: 1,          b: 2 }"
        );
        assert_eq!(
            blanked("{ a: 1, nmae: [1, {c: 2}] }", 1, 9),
            "{ a: 1                    }"
        );
        assert_eq!(
            blanked("{ nmae: \"x,}\", b: 2 }", 1, 3),
            "{              b: 2 }"
        );
        assert_eq!(
            blanked("- { id: i-1, typ: t3 }\n", 1, 14),
            "- { id: i-1          }\n"
        );
    }

    #[test]
    fn a_position_inside_a_value_is_not_an_entry() {
        assert_eq!(blank_entry("a: b c\n", Location::new(1, 6)), None);
        assert_eq!(blank_entry("a: 1\n", Location::new(9, 1)), None);
    }
}
