//! A small XML writer for response bodies.
//!
//! Every text and attribute value goes through quick-xml's `escape`, so no value a client or a
//! scenario supplies (session names, tag values, policy documents, error messages) can change the
//! document's structure. Output is compact (no indentation): AWS SDK parsers ignore whitespace
//! between elements, and compact output is byte-stable for tests.

use quick_xml::escape::escape;

/// Writes elements in document order; `end` closes the most recently opened element.
#[derive(Debug, Default)]
pub struct XmlWriter {
    /// The document so far; only ever extended with whole UTF-8 strings.
    out: Vec<u8>,
    /// Each open element's name, as the byte range where it was written after `<` in `out`:
    /// closing an element copies its name from there, so no element costs an allocation.
    open: Vec<(usize, usize)>,
}

impl XmlWriter {
    /// Room for a typical response, so most bodies are written without regrowing.
    const INITIAL_CAPACITY: usize = 4096;

    pub fn new() -> XmlWriter {
        XmlWriter {
            out: Vec::with_capacity(Self::INITIAL_CAPACITY),
            open: Vec::with_capacity(16),
        }
    }

    /// A writer whose document starts with `<?xml version="1.0" encoding="UTF-8"?>` and a
    /// newline, as EC2's responses do.
    pub fn with_declaration() -> XmlWriter {
        let mut w = XmlWriter::new();
        w.out
            .extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w
    }

    pub fn start(&mut self, name: &str) {
        self.start_with_attrs(name, &[]);
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
        self.out.push(b'<');
        let at = self.out.len();
        self.out.extend_from_slice(name.as_bytes());
        for (key, value) in attrs {
            self.out.push(b' ');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"=\"");
            self.out
                .extend_from_slice(escape_attribute(value).as_bytes());
            self.out.push(b'"');
        }
        self.out.push(b'>');
        self.open.push((at, name.len()));
    }

    /// Closes the most recently opened element.
    pub fn end(&mut self) {
        if let Some((at, len)) = self.open.pop() {
            self.out.extend_from_slice(b"</");
            self.out.extend_from_within(at..at + len);
            self.out.push(b'>');
        }
    }

    /// Escaped text content.
    pub fn text(&mut self, text: &str) {
        if needs_escaping(text) {
            self.out.extend_from_slice(escape_text(text).as_bytes());
        } else {
            self.out.extend_from_slice(text.as_bytes());
        }
    }

    /// `<name>text</name>`
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end();
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
        let depth = self.open.len();
        self.start(name);
        f(self);
        self.end_to(depth);
    }

    /// Like [`XmlWriter::nest`], with an `xmlns` attribute.
    pub fn nest_with_ns(&mut self, name: &str, ns: &str, f: impl FnOnce(&mut XmlWriter)) {
        let depth = self.open.len();
        self.start_with_ns(name, ns);
        f(self);
        self.end_to(depth);
    }

    /// Writes what `f` writes as a balanced fragment, to be kept and copied into later
    /// documents with [`XmlWriter::fragment`].
    pub fn render(f: impl FnOnce(&mut XmlWriter)) -> Box<str> {
        let mut w = XmlWriter {
            out: Vec::with_capacity(1024),
            open: Vec::with_capacity(8),
        };
        f(&mut w);
        w.into_string().into_boxed_str()
    }

    /// Copies a fragment made by [`XmlWriter::render`]: its text is already escaped and its
    /// elements closed, so it cannot change the structure around it.
    pub fn fragment(&mut self, rendered: &str) {
        self.out.extend_from_slice(rendered.as_bytes());
    }

    fn end_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            self.end();
        }
    }

    /// The document, with every element still open closed.
    pub fn into_string(mut self) -> String {
        self.end_to(0);
        // Only whole `&str`s were ever appended, so this cannot fail.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// True when `text` holds a character that [`escape_text`] would change: most values (ids,
/// names, timestamps) hold none and are copied as they are.
fn needs_escaping(text: &str) -> bool {
    text.bytes().any(|b| {
        matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"' | b'\r' | 0xEF)
            || (b < 0x20 && b != b'\t' && b != b'\n')
    })
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
        let kept = XmlWriter::render(reservation);
        let mut copied = XmlWriter::new();
        copied.nest("reservationSet", |w| w.fragment(&kept));
        assert_eq!(direct.into_string(), copied.into_string());
        assert_eq!(
            &*kept,
            "<item><reservationId>r-0123</reservationId><tagSet><value>a&lt;b &amp; &quot;c&quot;</value></tagSet><unclosed></unclosed></item>"
        );
    }
}
