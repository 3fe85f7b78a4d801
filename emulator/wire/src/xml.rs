//! A small XML writer for response bodies.
//!
//! Every text and attribute value goes through quick-xml's `escape`, so no value a client or a
//! scenario supplies (session names, tag values, policy documents, error messages) can change the
//! document's structure. Output is compact (no indentation): AWS SDK parsers ignore whitespace
//! between elements, and compact output is byte-stable for tests.

use quick_xml::escape::escape;
use std::cell::Cell;

/// Writes elements in document order; `end` closes the most recently opened element.
#[derive(Debug, Default)]
pub struct XmlWriter {
    /// The document so far.
    out: String,
    /// The names of the open elements, one after another: closing an element copies its name
    /// from here, so no element costs an allocation.
    names: String,
    /// Where each open element's name starts in `names`.
    open: Vec<usize>,
}

impl XmlWriter {
    /// Room for a typical response (GetCallerIdentity writes about 370 bytes, AssumeRole about
    /// 800), so most bodies are written without regrowing; a caller that knows its answer is
    /// larger asks for the room. No more than 1 KiB, so that the allocator serves it from its
    /// per-thread cache of small blocks: a larger block goes through its general path, and
    /// with glibc's malloc, on every answer, through a merge of its free small blocks.
    const INITIAL_CAPACITY: usize = 1024;

    pub fn new() -> XmlWriter {
        XmlWriter::with_room(0)
    }

    fn with_room(bytes: usize) -> XmlWriter {
        let (names, open) = SPARE_NAMES
            .take()
            .unwrap_or_else(|| (String::with_capacity(256), Vec::with_capacity(16)));
        XmlWriter {
            out: String::with_capacity(bytes.max(Self::INITIAL_CAPACITY)),
            names,
            open,
        }
    }

    /// A writer whose document starts with `<?xml version="1.0" encoding="UTF-8"?>` and a
    /// newline, as EC2's responses do.
    pub fn with_declaration() -> XmlWriter {
        XmlWriter::with_declaration_and_room(0)
    }

    /// The same, with room for at least `bytes` from the start, for a caller that knows how
    /// large its answer will be: a large answer is then written into one buffer, never grown
    /// and copied on the way.
    pub fn with_declaration_and_room(bytes: usize) -> XmlWriter {
        let mut w = XmlWriter::with_room(bytes);
        w.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w
    }

    pub fn start(&mut self, name: &str) {
        self.start_named(&[name], &[]);
    }

    /// Opens `name` with an `xmlns` attribute; an empty namespace writes none.
    pub fn start_with_ns(&mut self, name: &str, ns: &str) {
        if ns.is_empty() {
            self.start(name);
        } else {
            self.start_with_attrs(name, &[("xmlns", ns)]);
        }
    }

    /// Opens `name` with attributes, each value escaped.
    pub fn start_with_attrs(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_named(&[name], attrs);
    }

    /// Opens an element whose name is `parts` joined (`{Action}Response`), with attributes.
    fn start_named(&mut self, parts: &[&str], attrs: &[(&str, &str)]) {
        self.open.push(self.names.len());
        self.out.push('<');
        for part in parts {
            self.out.push_str(part);
            self.names.push_str(part);
        }
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            if needs_attribute_escaping(value) {
                self.out.push_str(&escape_attribute(value));
            } else {
                self.out.push_str(value);
            }
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Closes the most recently opened element.
    pub fn end(&mut self) {
        if let Some(at) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(&self.names[at..]);
            self.out.push('>');
            self.names.truncate(at);
        }
    }

    /// Escaped text content.
    pub fn text(&mut self, text: &str) {
        if needs_escaping(text) {
            self.out.push_str(&escape_text(text));
        } else {
            self.out.push_str(text);
        }
    }

    /// `<name>text</name>`
    pub fn element(&mut self, name: &str, text: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>text</name>` when there is a text, nothing otherwise.
    pub fn optional(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.element(name, text);
        }
    }

    /// `<name>…</name>` around what `f` writes; whatever `f` leaves open is closed first, so the
    /// element always ends in the right place.
    pub fn nest(&mut self, name: &str, f: impl FnOnce(&mut XmlWriter)) {
        self.nest_named(&[name], &[], f);
    }

    /// Like [`XmlWriter::nest`], with an `xmlns` attribute.
    pub fn nest_with_ns(&mut self, name: &str, ns: &str, f: impl FnOnce(&mut XmlWriter)) {
        self.nest_named_with_ns(&[name], ns, f);
    }

    /// Like [`XmlWriter::nest_with_ns`], for a name made of parts (`{Action}Response`), which
    /// are written as they are instead of being joined into a new string first.
    pub fn nest_named_with_ns(&mut self, parts: &[&str], ns: &str, f: impl FnOnce(&mut XmlWriter)) {
        if ns.is_empty() {
            self.nest_named(parts, &[], f);
        } else {
            self.nest_named(parts, &[("xmlns", ns)], f);
        }
    }

    /// Like [`XmlWriter::nest`], for a name made of parts.
    pub fn nest_named(
        &mut self,
        parts: &[&str],
        attrs: &[(&str, &str)],
        f: impl FnOnce(&mut XmlWriter),
    ) {
        let depth = self.open.len();
        self.start_named(parts, attrs);
        f(self);
        self.end_to(depth);
    }

    /// Where the next byte will be written; with [`XmlWriter::written_since`], the text of a
    /// balanced piece just written, to be kept and copied into later documents with
    /// [`XmlWriter::fragment`].
    pub fn position(&self) -> usize {
        self.out.len()
    }

    /// What was written from `position` on.
    pub fn written_since(&self, position: usize) -> &str {
        &self.out[position..]
    }

    /// Copies a piece kept from [`XmlWriter::written_since`]: its text is already escaped and
    /// its elements closed, so it cannot change the structure around it.
    pub fn fragment(&mut self, kept: &str) {
        self.out.push_str(kept);
    }

    fn end_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            self.end();
        }
    }

    /// The document, with every element still open closed.
    pub fn into_string(mut self) -> String {
        self.end_to(0);
        std::mem::take(&mut self.out)
    }
}

thread_local! {
    /// A finished writer's buffers of open names, for the thread's next writer: every answer
    /// needs them only while it is written, so each thread keeps one pair rather than
    /// allocating and freeing two buffers per answer.
    static SPARE_NAMES: Cell<Option<(String, Vec<usize>)>> = const { Cell::new(None) };
}

impl Drop for XmlWriter {
    fn drop(&mut self) {
        // A pair grown by an unusually deep document is let go rather than kept, and an empty
        // one (a writer that had none) does not displace one that is there.
        let kept = 1..=4096;
        if kept.contains(&self.names.capacity()) && self.open.capacity() <= 256 {
            self.names.clear();
            self.open.clear();
            let spare = (
                std::mem::take(&mut self.names),
                std::mem::take(&mut self.open),
            );
            SPARE_NAMES.set(Some(spare));
        }
    }
}

/// The bytes [`needs_escaping`] stops at: `<>&'"`, `\r`, C0 controls other than tab and
/// newline, and 0xEF, the first byte of U+FFFE and U+FFFF.
const ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'&' as usize] = true;
    table[b'\'' as usize] = true;
    table[b'"' as usize] = true;
    table[0xEF] = true;
    table
};

/// True when `text` holds a character that [`escape_text`] would change: most values (ids,
/// names, timestamps) hold none and are copied as they are. (A table lookup per byte: texts
/// are most of a response's bytes.)
fn needs_escaping(text: &str) -> bool {
    // Eight bytes at a time without a branch per byte; most texts are a chunk or two.
    let mut chunks = text.as_bytes().chunks_exact(8);
    let flagged = |bytes: &[u8]| bytes.iter().fold(false, |f, &b| f | ESCAPE[usize::from(b)]);
    chunks.any(flagged) || flagged(chunks.remainder())
}

/// True when [`escape_attribute`] would change `value`.
fn needs_attribute_escaping(value: &str) -> bool {
    value
        .bytes()
        .any(|b| ESCAPE[usize::from(b)] || b == b'\t' || b == b'\n')
}

/// Escapes text content: `<>&"'` and `\r` become references, and characters XML 1.0 forbids
/// even as references (C0 controls other than tab, newline, carriage return) become U+FFFD so a
/// client parser never rejects the whole response.
pub fn escape_text(text: &str) -> String {
    escape(replace_forbidden(text)).into_owned()
}

/// Escapes an attribute value; like [`escape_text`], plus tab and newline, which attribute-value
/// normalisation would otherwise turn into spaces.
pub fn escape_attribute(value: &str) -> String {
    escape_text(value)
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

fn replace_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_forbidden) {
        text.chars()
            .map(|c| if is_forbidden(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Characters outside the XML 1.0 `Char` production.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reservation(w: &mut XmlWriter) {
        w.nest("item", |w| {
            w.element("reservationId", "r-0123");
            w.nest("tagSet", |w| w.element("value", "a<b & \"c\""));
            w.start("unclosed");
        });
    }

    #[test]
    fn a_kept_fragment_writes_the_same_bytes_as_writing_in_place() {
        let mut direct = XmlWriter::new();
        direct.nest("reservationSet", reservation);
        let mut first = XmlWriter::new();
        let at = first.position();
        reservation(&mut first);
        let kept = first.written_since(at).to_string();
        let mut copied = XmlWriter::new();
        copied.nest("reservationSet", |w| w.fragment(&kept));
        assert_eq!(direct.into_string(), copied.into_string());
        assert_eq!(
            kept,
            "<item><reservationId>r-0123</reservationId><tagSet><value>a&lt;b &amp; &quot;c&quot;</value></tagSet><unclosed></unclosed></item>"
        );
    }

    /// The definition the table and the chunked scan implement.
    fn needs_escaping_reference(text: &str) -> bool {
        text.bytes().any(|b| {
            matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"' | b'\r' | 0xEF)
                || (b < 0x20 && b != b'\t' && b != b'\n')
        })
    }

    #[test]
    fn every_byte_is_found_wherever_it_stands() {
        for c in (0u32..0x80).chain([0xE9, 0xFFFE, 0xFFFF, 0x1F600]) {
            let Some(c) = char::from_u32(c) else { continue };
            for len in 0..20 {
                for at in 0..=len {
                    let mut text: String = "a".repeat(len);
                    text.insert(at, c);
                    assert_eq!(
                        needs_escaping(&text),
                        needs_escaping_reference(&text),
                        "{c:?} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn elements_and_attributes_are_escaped_only_when_needed() {
        let mut w = XmlWriter::with_declaration();
        w.nest_named_with_ns(&["Get", "Response"], "urn:a&b", |w| {
            w.element("plain", "i-0123456789abcdef0");
            w.element("escaped", "a<b & 'c'\r");
            w.nest("open", |w| w.start("left-open"));
        });
        assert_eq!(
            w.into_string(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GetResponse xmlns=\"urn:a&amp;b\">\
             <plain>i-0123456789abcdef0</plain><escaped>a&lt;b &amp; &apos;c&apos;&#13;</escaped>\
             <open><left-open></left-open></open></GetResponse>"
        );
    }

    #[test]
    fn every_element_closes_with_its_own_name_however_long() {
        let long = "L".repeat(300);
        for name in ["a", "ActionResponse", &long[..128], &long[..129], &long] {
            let mut w = XmlWriter::new();
            w.nest_named(&[name, "Ü"], &[("k", "v")], |w| w.element(name, "x"));
            assert_eq!(
                w.into_string(),
                format!("<{name}Ü k=\"v\"><{name}>x</{name}></{name}Ü>")
            );
        }
    }

    #[test]
    fn writers_after_and_inside_one_another_share_no_open_names() {
        let doc = |outer: &str, inner: &str| {
            let mut w = XmlWriter::new();
            w.start(outer);
            w.nest("Mid", |w| {
                // A second writer while the first is open starts with no names of its own.
                let mut inside = XmlWriter::new();
                inside.start(inner);
                w.element("Inner", &inside.into_string());
            });
            w.into_string()
        };
        assert_eq!(
            doc("A", "B"),
            "<A><Mid><Inner>&lt;B&gt;&lt;/B&gt;</Inner></Mid></A>"
        );
        // The next writer on this thread reuses a finished one's buffers, emptied.
        assert!(SPARE_NAMES
            .take()
            .is_some_and(|(names, open)| names.is_empty() && open.is_empty()));
        assert_eq!(
            doc("LongerOuterName", "C"),
            "<LongerOuterName><Mid><Inner>&lt;C&gt;&lt;/C&gt;</Inner></Mid></LongerOuterName>"
        );
    }
}
