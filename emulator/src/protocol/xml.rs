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
    out: String,
    open: Vec<String>,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> XmlWriter {
        XmlWriter::default()
    }

    /// A document that starts with the XML declaration and a newline, as EC2 responses do.
    pub fn with_declaration() -> XmlWriter {
        XmlWriter {
            out: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_string(),
            open: Vec::new(),
        }
    }

    /// Opens `<name>`.
    pub fn start(&mut self, name: &str) {
        self.start_with_attrs(name, &[]);
    }

    /// Opens `<name xmlns="ns">`, or plain `<name>` when `ns` is empty.
    pub fn start_with_ns(&mut self, name: &str, ns: &str) {
        if ns.is_empty() {
            self.start(name);
        } else {
            self.start_with_attrs(name, &[("xmlns", ns)]);
        }
    }

    /// Opens `<name a="v" …>` with every value escaped.
    pub fn start_with_attrs(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attribute(value));
            self.out.push('"');
        }
        self.out.push('>');
        self.open.push(name.to_string());
    }

    /// Closes the most recently opened element; does nothing when none is open.
    pub fn end(&mut self) {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push('>');
        }
    }

    /// Escaped text inside the current element.
    pub fn text(&mut self, text: &str) {
        self.out.push_str(&escape_text(text));
    }

    /// `<name>text</name>`; an empty `text` gives `<name></name>`, which every SDK reads as "".
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end();
    }

    /// `<name>text</name>` when `text` is present, nothing otherwise. AWS omits unset members.
    pub fn optional(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.element(name, text);
        }
    }

    /// `<name>…</name>` with the children written by `f`; anything `f` left open is closed
    /// first, so the element always ends where it should.
    pub fn nest(&mut self, name: &str, f: impl FnOnce(&mut XmlWriter)) {
        let depth = self.open.len();
        self.start(name);
        f(self);
        self.end_to(depth);
    }

    /// `<name xmlns="ns">…</name>` with the children written by `f`.
    pub fn nest_with_ns(&mut self, name: &str, ns: &str, f: impl FnOnce(&mut XmlWriter)) {
        let depth = self.open.len();
        self.start_with_ns(name, ns);
        f(self);
        self.end_to(depth);
    }

    /// Closes elements until `depth` remain open.
    fn end_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            self.end();
        }
    }

    /// The document, with any still-open elements closed.
    pub fn into_string(mut self) -> String {
        self.end_to(0);
        self.out
    }
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
