//! A streaming walk over an XML response, enough to read AWS's query-protocol answers without
//! building a tree: the caller sees every element's path when it opens and, when it closes,
//! its text (entity references resolved).
//!
//! Paths start at the document element, so in
//! `<DescribeVpcsResponse><vpcSet><item>…` the item opens at
//! `["DescribeVpcsResponse", "vpcSet", "item"]`. Counting list entries is then a comparison of
//! paths, and the same walk reads scalar members such as `nextToken`.

use quick_xml::events::Event;

/// Calls `visit(path, None)` as each element opens and `visit(path, Some(text))` as it closes
/// with non-blank text of its own. Fails on malformed XML.
pub(crate) fn walk(
    xml: &str,
    mut visit: impl FnMut(&[String], Option<&str>),
) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    // Each iteration consumes input, and the input is finite: the loop ends at Eof or an error.
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => {
                path.push(start.local_name().as_ref().to_string());
                text.clear();
                visit(&path, None);
            }
            Event::Empty(start) => {
                path.push(start.local_name().as_ref().to_string());
                visit(&path, None);
                path.pop();
                text.clear();
            }
            // Text arrives without entity references; those come as their own events.
            Event::Text(t) => text.push_str(&t.into_inner()),
            Event::CData(t) => text.push_str(&t.into_inner()),
            Event::GeneralRef(reference) => {
                let entity = format!("&{};", reference.into_inner());
                let resolved = quick_xml::escape::unescape(&entity).map_err(|e| e.to_string())?;
                text.push_str(&resolved);
            }
            Event::End(_) => {
                let trimmed = text.trim();
                if !trimmed.is_empty() {
                    visit(&path, Some(trimmed));
                }
                text.clear();
                if path.pop().is_none() {
                    return Err("unbalanced end tag".into());
                }
            }
            Event::Eof => {
                return if path.is_empty() {
                    Ok(())
                } else {
                    Err("the document ends inside an element".into())
                };
            }
            _ => {}
        }
    }
}

/// The text of the first element whose path ends with `suffix`.
pub(crate) fn first_text(xml: &str, suffix: &[&str]) -> Option<String> {
    let mut found = None;
    let _ = walk(xml, |path, text| {
        if found.is_none() {
            if let Some(text) = text {
                if ends_with(path, suffix) {
                    found = Some(text.to_string());
                }
            }
        }
    });
    found
}

/// Whether `path` ends with the names in `suffix`.
pub(crate) fn ends_with(path: &[String], suffix: &[&str]) -> bool {
    path.len() >= suffix.len()
        && path[path.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_text() {
        let doc =
            "<R xmlns=\"n\"><set><item><id>a&amp;b</id></item><item/></set><next>t</next></R>";
        let mut opened = Vec::new();
        let mut texts = Vec::new();
        walk(doc, |p, t| match t {
            None => opened.push(p.join("/")),
            Some(t) => texts.push((p.join("/"), t.to_string())),
        })
        .unwrap();
        assert_eq!(
            opened,
            [
                "R",
                "R/set",
                "R/set/item",
                "R/set/item/id",
                "R/set/item",
                "R/next"
            ]
        );
        assert_eq!(
            texts,
            [
                ("R/set/item/id".into(), "a&b".into()),
                ("R/next".into(), "t".into())
            ]
        );
        assert_eq!(first_text(doc, &["next"]).as_deref(), Some("t"));
        assert!(walk("<a><b></a>", |_, _| {}).is_err());
    }
}
