//! The lesson's static parts as HTML text: chapter text, the table of contents, the pager.
//!
//! Why strings and not components: a Leptos view costs compiled code for every distinct shape,
//! while this text costs only its bytes, and the page's budget is counted in kilobytes (chapter
//! text rendered as views instead: +2.6 KB gzip, measured in issue 17). The page
//! puts these strings in place with `inner_html` and handles their clicks in one delegated
//! listener, keyed on two attributes:
//!
//! - `data-run="INCR likes"` on a snippet button: run it in the console (the look and behaviour
//!   of the shell's `Snippet`: class `snippet`, title "Run in the console");
//! - `data-chapter="3"` (and `data-anchor`) on a link: open that chapter without a reload. The
//!   `href` is a real address, so "open in a new tab" works too.
//!
//! The quiz's questions are content too ([`super::quiz`]), but how they are answered is the page's
//! business: the UI renders them (`ui::lesson::quiz_html`) with [`escape_into`] and [`inline_html`].
//!
//! Every piece of text is escaped; the tests check that no markup of the lesson leaks.

use super::{inline, resolve, Block, Caveat, Chapter, Demo, Inline, Target, CHAPTERS};

/// The query parameter naming the open chapter in the page address.
pub const CHAPTER_PARAM: &str = "chapter";

/// Appends `text` to `out` with `& < > " '` escaped: safe in element content and in attributes.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text`, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// The relative address of chapter `index` (and element `anchor` in it): `?chapter=race#sql`.
/// Relative, so it works under any sub-path.
pub fn chapter_href(index: usize, anchor: Option<&str>) -> String {
    let id = CHAPTERS.get(index).map_or("", |c| c.id);
    match anchor {
        Some(anchor) => format!("?{CHAPTER_PARAM}={id}#{anchor}"),
        None => format!("?{CHAPTER_PARAM}={id}"),
    }
}

/// Appends a link to chapter `index` (handled in place by the page, see the module docs).
fn chapter_link(out: &mut String, index: usize, anchor: Option<&str>, attrs: &str, label: &str) {
    out.push_str("<a href=\"");
    escape_into(out, &chapter_href(index, anchor));
    out.push_str(&format!("\" data-chapter=\"{index}\""));
    if let Some(anchor) = anchor {
        out.push_str(" data-anchor=\"");
        escape_into(out, anchor);
        out.push('"');
    }
    out.push_str(attrs);
    out.push('>');
    escape_into(out, label);
    out.push_str("</a>");
}

/// Appends a snippet button that runs `command` in the console when clicked.
fn snippet(out: &mut String, command: &str) {
    out.push_str(
        "<button type=\"button\" class=\"snippet\" title=\"Run in the console\" data-run=\"",
    );
    escape_into(out, command);
    out.push_str("\">");
    escape_into(out, command);
    out.push_str("</button>");
}

/// Appends inline markup `text`, written in chapter `from`, as HTML.
pub fn inline_into(out: &mut String, text: &str, from: usize) {
    for run in inline(text) {
        match run {
            Inline::Text(text) => escape_into(out, text),
            Inline::Code(code) => {
                out.push_str("<code>");
                escape_into(out, code);
                out.push_str("</code>");
            }
            Inline::Strong(text) => {
                out.push_str("<strong>");
                escape_into(out, text);
                out.push_str("</strong>");
            }
            Inline::Run(command) => snippet(out, command),
            Inline::Link { label, target } => match resolve(target, from) {
                Some(Target::Chapter { index, anchor }) => {
                    chapter_link(out, index, anchor, "", label)
                }
                Some(Target::External(url)) => {
                    out.push_str("<a href=\"");
                    escape_into(out, url);
                    out.push_str("\" target=\"_blank\" rel=\"noopener\">");
                    escape_into(out, label);
                    out.push_str(
                        "<span class=\"visually-hidden\"> (opens in a new tab)</span></a>",
                    );
                }
                None => escape_into(out, label),
            },
        }
    }
}

/// Inline markup `text` as HTML (for text outside a chapter, e.g. quiz questions).
pub fn inline_html(text: &str) -> String {
    let mut out = String::new();
    inline_into(&mut out, text, usize::MAX);
    out
}

fn caveat_into(out: &mut String, caveat: &Caveat, from: usize) {
    let id = escape(caveat.id);
    out.push_str(&format!(
        "<aside class=\"caveat\" id=\"{id}\" tabindex=\"-1\" aria-labelledby=\"{id}-title\">\
         <h3 id=\"{id}-title\"><span class=\"caveat-mark\" aria-hidden=\"true\">⚠ </span>"
    ));
    escape_into(out, caveat.title);
    out.push_str("</h3><p>");
    inline_into(out, caveat.text, from);
    out.push_str("</p></aside>");
}

/// The HTML of `blocks` of chapter `from` (a [`Block::Demo`] renders nothing: the page mounts it).
pub fn blocks_html(blocks: &[Block], from: usize) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Para(text) => {
                out.push_str("<p>");
                inline_into(&mut out, text, from);
                out.push_str("</p>");
            }
            Block::Heading(text) => {
                out.push_str("<h3>");
                inline_into(&mut out, text, from);
                out.push_str("</h3>");
            }
            Block::Run(commands) => {
                out.push_str("<div class=\"run-list\"><ul class=\"snippets\" aria-label=\"Examples to run\">");
                for command in *commands {
                    out.push_str("<li>");
                    snippet(&mut out, command);
                    out.push_str("</li>");
                }
                out.push_str("</ul><p class=\"run-result\" aria-live=\"polite\"></p></div>");
            }
            Block::List(items) => {
                out.push_str("<ul class=\"points\">");
                for item in *items {
                    out.push_str("<li>");
                    inline_into(&mut out, item, from);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
            Block::Caveat(caveat) => caveat_into(&mut out, caveat, from),
            Block::Demo(_) => {}
        }
    }
    out
}

/// A chapter cut around its live parts (see [`chapter_parts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChapterParts {
    /// The HTML of the blocks before the first live part (all of them when there is none).
    pub before: String,
    /// The first live part, which the page mounts after `before`, if the chapter has one.
    pub demo: Option<Demo>,
    /// The HTML of the blocks after the first live part (up to the second, if any).
    pub after: String,
    /// The second live part, mounted after `after` (only [`Demo::HotKey`] sits there).
    pub second: Option<Demo>,
    /// The HTML of the blocks after the second live part.
    pub rest: String,
}

/// Chapter `index` cut around its live parts (at most two): the HTML before the first, the demo,
/// the HTML up to the second, that demo, the HTML after it. Empty for an index past the last
/// chapter.
pub fn chapter_parts(index: usize) -> ChapterParts {
    let Some(chapter) = CHAPTERS.get(index) else {
        return ChapterParts::default();
    };
    let mut pieces = chapter.blocks.split(|b| matches!(b, Block::Demo(_)));
    let mut demos = chapter.blocks.iter().filter_map(|b| match b {
        Block::Demo(demo) => Some(*demo),
        _ => None,
    });
    let mut html = || blocks_html(pieces.next().unwrap_or_default(), index);
    ChapterParts {
        before: html(),
        demo: demos.next(),
        after: html(),
        second: demos.next(),
        rest: html(),
    }
}

/// The table of contents: every chapter as a link, the open one marked as the current page,
/// visited ones ticked (with words for screen readers).
pub fn contents_html(current: usize, visited: impl Fn(&Chapter) -> bool) -> String {
    let mut out = String::from("<ol>");
    for (index, chapter) in CHAPTERS.iter().enumerate() {
        out.push_str(if visited(chapter) {
            "<li class=\"visited\">"
        } else {
            "<li>"
        });
        let attrs = if index == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        chapter_link(
            &mut out,
            index,
            None,
            attrs,
            &format!("{}. {}", index + 1, chapter.title),
        );
        if visited(chapter) {
            out.push_str(
                "<span class=\"tick\" aria-hidden=\"true\"> ✓</span><span class=\"visually-hidden\"> (visited)</span>",
            );
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// Links to the chapters before and after `index`, with where the reader is in between.
pub fn pager_html(index: usize) -> String {
    let mut out = String::new();
    if let Some(before) = index.checked_sub(1) {
        if let Some(c) = CHAPTERS.get(before) {
            chapter_link(
                &mut out,
                before,
                None,
                " class=\"pager-prev\" rel=\"prev\"",
                &format!("← Previous: {}", c.title),
            );
        }
    }
    out.push_str(&format!(
        "<span class=\"pager-where\">Chapter {} of {}</span>",
        index.saturating_add(1),
        CHAPTERS.len()
    ));
    if let Some(c) = CHAPTERS.get(index.saturating_add(1)) {
        chapter_link(
            &mut out,
            index + 1,
            None,
            " class=\"pager-next\" rel=\"next\"",
            &format!("Next: {} →", c.title),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        assert_eq!(
            escape("<img src=x onerror='a&b'>\""),
            "&lt;img src=x onerror=&#39;a&amp;b&#39;&gt;&quot;"
        );
        let mut out = String::new();
        inline_into(&mut out, "a < b {SET k \"<b>\"} `<i>` **&** [x<y](race)", 0);
        assert_eq!(
            out,
            "a &lt; b <button type=\"button\" class=\"snippet\" title=\"Run in the console\" \
             data-run=\"SET k &quot;&lt;b&gt;&quot;\">SET k &quot;&lt;b&gt;&quot;</button> \
             <code>&lt;i&gt;</code> <strong>&amp;</strong> \
             <a href=\"?chapter=race\" data-chapter=\"2\">x&lt;y</a>"
        );
    }

    #[test]
    fn links_carry_their_chapter_and_anchor_and_outside_links_say_so() {
        let html =
            inline_html("[box](rate-limit#incr-expire) [docs](https://redis.io/x) [gone](nowhere)");
        assert!(html.contains(
            "<a href=\"?chapter=rate-limit#incr-expire\" data-chapter=\"5\" data-anchor=\"incr-expire\">box</a>"
        ), "{html}");
        assert!(html.contains("target=\"_blank\" rel=\"noopener\">docs<span class=\"visually-hidden\"> (opens in a new tab)"));
        assert!(
            html.ends_with(" gone"),
            "an unknown target is plain text: {html}"
        );
    }

    #[test]
    fn every_chapter_renders_around_at_most_two_demos() {
        for (index, chapter) in CHAPTERS.iter().enumerate() {
            let ChapterParts {
                before,
                demo,
                after,
                second,
                rest,
            } = chapter_parts(index);
            let demos = chapter
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Demo(_)))
                .count();
            assert!(demos <= 2);
            assert_eq!(demo.is_some(), demos >= 1);
            assert_eq!(second.is_some(), demos == 2);
            // The page mounts the hot-key demo in the second place only, and nothing else there.
            assert_eq!(second.is_some(), second == Some(Demo::HotKey));
            assert_ne!(demo, Some(Demo::HotKey));
            for html in [&before, &after, &rest] {
                assert_eq!(
                    html.matches('<').count(),
                    html.matches('>').count(),
                    "{html}"
                );
                // Code may hold braces (a hash tag); no other text may.
                let outside_code: String = html
                    .split("<code>")
                    .map(|part| part.split_once("</code>").map_or(part, |(_, rest)| rest))
                    .collect();
                for leftover in ["`", "**", "{", "}", "]("] {
                    assert!(!outside_code.contains(leftover), "{leftover} in {html}");
                }
            }
            assert!(!before.is_empty());
        }
        assert_eq!(chapter_parts(999), ChapterParts::default());
    }

    #[test]
    fn contents_and_pager_link_every_chapter_in_order() {
        let html = contents_html(2, |c| c.id == "atomic");
        assert_eq!(html.matches("<li").count(), CHAPTERS.len());
        assert_eq!(html.matches("aria-current=\"page\"").count(), 1);
        assert!(html.contains("data-chapter=\"2\" aria-current=\"page\">3. The race, live</a>"));
        assert_eq!(html.matches("(visited)").count(), 1);
        let first = pager_html(0);
        assert!(!first.contains("pager-prev") && first.contains("Next: The core commands →"));
        let last = pager_html(CHAPTERS.len() - 1);
        assert!(last.contains("pager-prev") && !last.contains("pager-next"));
        assert!(last.contains(&format!("Chapter {} of {}", CHAPTERS.len(), CHAPTERS.len())));
    }
}
