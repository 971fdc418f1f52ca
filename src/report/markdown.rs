//! Rule docs (markdown, written by whoever writes the rules) as HTML for
//! the report, made safe to put in a self-contained page: raw HTML is shown
//! as text, an image becomes its description (the page loads nothing from
//! elsewhere), and a link keeps its target only when it is `http:`,
//! `https:`, `mailto:` or a fragment (`#…`); any other link is its text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Renders `markdown` as safe HTML (see the module docs).
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Links dropped (their text kept), by nesting depth.
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let safe = safe(dest_url);
            dropped.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) => {
            let drop = dropped.pop().unwrap_or(false);
            (!drop).then_some(event)
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// True for a link target the report may keep.
pub fn safe(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_is_rendered_and_made_safe() {
        assert_eq!(
            to_html(
                "## Waarom\nArt. *4.1.7* lid 1, zie [wetten](https://wetten.overheid.nl/BWBR0035733)."
            ),
            "<h2>Waarom</h2>\n<p>Art. <em>4.1.7</em> lid 1, zie <a href=\"https://wetten.overheid.nl/BWBR0035733\">wetten</a>.</p>\n"
        );
        let hostile = to_html(
            "<script>alert(1)</script>\n\n<b>vet</b> ![logo](https://example.org/x.png) \
             [klik](javascript:alert(1)) [lokaal](file:///etc/passwd)",
        );
        assert!(!hostile.contains("<script"), "{hostile}");
        assert!(!hostile.contains("<b>"), "{hostile}");
        assert!(!hostile.contains("<img"), "{hostile}");
        assert!(!hostile.contains("javascript:"), "{hostile}");
        assert!(!hostile.contains("file:"), "{hostile}");
        assert!(hostile.contains("&lt;script&gt;"), "{hostile}");
        assert!(hostile.contains("logo"), "{hostile}");
        assert!(hostile.contains("klik"), "{hostile}");
    }
}
