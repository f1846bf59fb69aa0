//! The lesson as a static page, for when the app is not there: the seconds before its
//! WebAssembly has arrived, a browser with JavaScript off, a search engine. Rendered at build time
//! (`examples/static_lesson.rs`, which Trunk runs after every build) into the built `index.html`
//! from the same chapters and the same HTML ([`super::html`]) the app shows, in the app's own
//! elements and classes, so that when the app replaces it (`src/main.rs`, in the task that mounts
//! the app) nothing on screen moves.
//!
//! Every chapter is on the page. A small script in the page's head, which runs before the body is
//! parsed, shows only the chapter the app will open (the address's `?chapter=`, else the one in
//! saved progress, else the first: the rule of `ui::lesson::state`) and applies saved classroom
//! mode. With JavaScript off every chapter shows, one after the other, and chapter links lead to
//! their place on the page. What only the app can do — the console, the keyspace, the demos, the
//! quiz — has a placeholder that says it is on its way, or that it needs JavaScript.

use super::html::{
    chapter_parts, contents_html, escape, escape_into, pager_html, ChapterParts, CHAPTER_PARAM,
};
use super::progress::{APP, STORAGE_KEY, VERSION};
use super::quiz::QUESTIONS;
use super::{Demo, CHAPTERS, RACE_PARAMS, SITE_TAGLINE, SITE_TITLE};
use crate::console_lite::SLOT_ID;

/// The id of the element that holds the static page; the app removes it when it mounts.
pub const STATIC_PAGE_ID: &str = "static-page";

/// Where in `index.html` the static page's body goes.
pub const BODY_MARKER: &str = "<!-- static-lesson -->";

/// The static page: a script and style for the page's head, and the page itself for its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticPage {
    /// Goes at the end of `<head>`.
    pub head: String,
    /// Goes in place of [`BODY_MARKER`].
    pub body: String,
}

impl StaticPage {
    /// `document` (an `index.html`) with the static page in it; `None` if it has no `</head>` or
    /// no [`BODY_MARKER`].
    pub fn into_document(&self, document: &str) -> Option<String> {
        let head_end = document.find("</head>")?;
        let marker = document.find(BODY_MARKER)?;
        if marker < head_end {
            return None;
        }
        Some(format!(
            "{}{}{}{}{}",
            &document[..head_end],
            self.head,
            &document[head_end..marker],
            self.body,
            &document[marker + BODY_MARKER.len()..]
        ))
    }
}

/// Renders the static page.
pub fn render() -> StaticPage {
    StaticPage {
        head: head(),
        body: body(),
    }
}

/// The element id of chapter `id` on the static page (also the fragment its links carry).
fn chapter_anchor(id: &str) -> String {
    format!("chapter-{id}")
}

/// The head's script: which chapter to show, classroom mode. It runs before the body exists, so it
/// only sets attributes on `<html>` and adds a style rule; it reads what the app will read, and
/// is as strict about saved progress as [`super::progress::Progress::from_json`] is about its
/// shape, so that both open the same chapter.
fn head() -> String {
    let list = |items: &mut dyn Iterator<Item = &str>| {
        items
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let ids = list(&mut CHAPTERS.iter().map(|c| c.id));
    let race = list(&mut RACE_PARAMS.iter().copied());
    format!(
        r##"<script>
(function () {{
  var ids = [{ids}], race = [{race}], root = document.documentElement;
  var query = new URLSearchParams(location.search), saved = null;
  try {{ saved = JSON.parse(localStorage.getItem("{STORAGE_KEY}")); }} catch (e) {{}}
  var strings = function (v) {{ return v.every(function (s) {{ return typeof s === "string"; }}); }};
  var ours = saved && typeof saved === "object" && saved.app === "{APP}" && saved.version === {VERSION}
    && (saved.chapter == null || typeof saved.chapter === "string")
    && (saved.visited == null || Array.isArray(saved.visited) && strings(saved.visited))
    && (saved.answers == null || typeof saved.answers === "object" && !Array.isArray(saved.answers)
        && strings(Object.keys(saved.answers).map(function (k) {{ return saved.answers[k]; }})))
    && (saved.classroom == null || typeof saved.classroom === "boolean");
  var id = query.get("{CHAPTER_PARAM}");
  if (id === null && race.some(function (k) {{ return query.has(k); }})) id = "race";
  if (ids.indexOf(id) < 0) id = ours && ids.indexOf(saved.chapter) >= 0 ? saved.chapter : ids[0];
  if (ours && saved.classroom) root.setAttribute("data-classroom", "");
  if (!document.fullscreenEnabled) root.setAttribute("data-no-fullscreen", "");
  var style = document.createElement("style");
  style.textContent = "#{STATIC_PAGE_ID} [data-for]:not([data-for=\"" + id + "\"]) {{ display: none; }}";
  document.head.appendChild(style);
}})();
</script>
<noscript><style>#{STATIC_PAGE_ID} .static-js {{ display: none; }}</style></noscript>
"##
    )
}

fn body() -> String {
    let mut out = format!(
        "<div id=\"{STATIC_PAGE_ID}\" class=\"static-page\">\
         <header class=\"site-header\"><h1>{}</h1><p class=\"tagline\">{}</p></header>\
         <main class=\"layout\"><div class=\"lesson\">",
        escape(SITE_TITLE),
        escape(SITE_TAGLINE)
    );
    lesson_bar(&mut out);
    for index in 0..CHAPTERS.len() {
        chapter(&mut out, index);
    }
    // The console-lite (src/bin/console-lite.rs) puts its console in this section.
    out.push_str(&format!(
        "</div><div class=\"column workbench\">\
         <section id=\"{SLOT_ID}\" class=\"pane\" aria-labelledby=\"static-console-title\">\
         <h2 id=\"static-console-title\">Console and keyspace</h2>"
    ));
    placeholder(
        &mut out,
        "Redis is starting in your browser…",
        "The console",
    );
    out.push_str("</section></div></main>");
    clock_bar(&mut out);
    out.push_str("</div>");
    out
}

/// An invisible stand-in of the app's clock bar, which stays at the bottom of the window: it makes
/// the page as tall as the app's, so that a link to a place near the end scrolls as far.
fn clock_bar(out: &mut String) {
    out.push_str(
        "<footer class=\"site-footer static-js static-standin\" aria-hidden=\"true\">\
         <div class=\"clock-bar\"><p class=\"clock-readout\"><span class=\"clock-caption\">Virtual time</span> \
         <span class=\"clock-time\">00:00:00.0</span></p><div class=\"clock-controls\">\
         <button type=\"button\" tabindex=\"-1\">Pause</button>\
         <button type=\"button\" tabindex=\"-1\">+1 s</button>\
         <button type=\"button\" tabindex=\"-1\">+10 s</button>\
         <button type=\"button\" tabindex=\"-1\">+60 s</button>\
         <label class=\"clock-speed\">Speed <select tabindex=\"-1\"><option>60×</option></select></label>\
         </div></div></footer>",
    );
}

/// The bar above the chapter: the table of contents, and stand-ins of the app's progress line and
/// classroom buttons that take the same room (invisible: they do nothing yet).
fn lesson_bar(out: &mut String) {
    out.push_str(
        "<div class=\"lesson-bar\"><details class=\"contents\"><summary>Contents</summary>\
         <nav aria-label=\"Chapters\">",
    );
    out.push_str(&on_this_page(&contents_html(usize::MAX, |_| false)));
    out.push_str("</nav></details><div class=\"lesson-progress static-js\">");
    for (index, chapter) in CHAPTERS.iter().enumerate() {
        out.push_str(&format!(
            "<span class=\"where\" data-for=\"{}\">Chapter {} of {}</span>",
            chapter.id,
            index + 1,
            CHAPTERS.len()
        ));
    }
    out.push_str(&format!(
        "<progress class=\"static-standin\" aria-hidden=\"true\" max=\"1\" value=\"0\"></progress>\
         <span class=\"quiz-tally static-standin\" aria-hidden=\"true\">Quiz 0/{}</span></div>\
         <div class=\"classroom-controls static-js static-standin\" aria-hidden=\"true\">\
         <button type=\"button\" tabindex=\"-1\">Classroom mode</button>\
         <button type=\"button\" tabindex=\"-1\" class=\"static-fullscreen\">Full screen</button>\
         <button type=\"button\" tabindex=\"-1\">Copy link</button>\
         <button type=\"button\" tabindex=\"-1\" class=\"static-classroom\">Reset everything…</button>\
         </div></div>",
        QUESTIONS.len()
    ));
}

/// Chapter `index` as the app's chapter view shows it, its live part as a placeholder.
fn chapter(out: &mut String, index: usize) {
    let Some(chapter) = CHAPTERS.get(index) else {
        return;
    };
    let anchor = chapter_anchor(chapter.id);
    out.push_str(&format!(
        "<article class=\"chapter\" id=\"{anchor}\" data-for=\"{}\" aria-labelledby=\"{anchor}-title\">\
         <h2 id=\"{anchor}-title\"><span class=\"chapter-number\">{}. </span>",
        chapter.id,
        index + 1
    ));
    escape_into(out, chapter.title);
    out.push_str("</h2>");
    let ChapterParts {
        before,
        demo,
        after,
        second,
        rest,
    } = chapter_parts(index);
    for (text, demo) in [(before, demo), (after, second)] {
        out.push_str("<div class=\"chapter-text\">");
        out.push_str(&on_this_page(&text));
        out.push_str("</div>");
        if let Some(demo) = demo {
            out.push_str("<div class=\"demo\">");
            placeholder(out, "It is on its way…", demo_name(demo));
            out.push_str("</div>");
        }
    }
    out.push_str("<div class=\"chapter-text\">");
    out.push_str(&on_this_page(&rest));
    out.push_str("</div>");
    out.push_str(&format!(
        "<nav class=\"pager\" aria-label=\"Previous and next chapter, from chapter {}\">",
        index + 1
    ));
    out.push_str(&on_this_page(&pager_html(index)));
    out.push_str("</nav></article>");
}

/// What a live part is called in its placeholder.
fn demo_name(demo: Demo) -> &'static str {
    match demo {
        Demo::Race => "The race demo",
        Demo::Lab(_) => "This lab",
        Demo::Summary => "The summary table",
        Demo::Quiz => "The quiz",
        Demo::Challenges => "The challenges",
        Demo::HotKey => "The hot-key demo",
    }
}

/// A placeholder for what the app brings: `waiting` while JavaScript runs, and with it off, that
/// `what` needs it.
fn placeholder(out: &mut String, waiting: &str, what: &str) {
    out.push_str("<p class=\"placeholder static-js\">");
    escape_into(out, waiting);
    out.push_str("</p><noscript><p class=\"placeholder\">");
    escape_into(out, what);
    out.push_str(
        " runs Redis in your browser with WebAssembly: it needs JavaScript, which is off.</p></noscript>",
    );
}

/// `html` with each link to a whole chapter (`?chapter=race`) also pointing at its place on this
/// page (`?chapter=race#chapter-race`): with JavaScript off every chapter is on the page, and the
/// link scrolls to it. Links to a place in a chapter already carry their own fragment.
fn on_this_page(html: &str) -> String {
    let mut out = html.to_owned();
    for chapter in CHAPTERS {
        let plain = format!("href=\"?{CHAPTER_PARAM}={}\"", chapter.id);
        let placed = format!(
            "href=\"?{CHAPTER_PARAM}={}#{}\"",
            chapter.id,
            chapter_anchor(chapter.id)
        );
        out = out.replace(&plain, &placed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_is_on_the_page_once_with_its_text() {
        let page = render();
        for (index, chapter) in CHAPTERS.iter().enumerate() {
            let anchor = chapter_anchor(chapter.id);
            assert_eq!(page.body.matches(&format!("id=\"{anchor}\"")).count(), 1);
            let title = format!("{}. </span>{}</h2>", index + 1, escape(chapter.title));
            assert!(page.body.contains(&title), "{title}");
            let before = on_this_page(&chapter_parts(index).before);
            assert!(page.body.contains(&before), "chapter {} text", chapter.id);
        }
    }

    #[test]
    fn ids_are_unique_and_chapter_links_stay_on_the_page() {
        let page = render();
        let mut ids: Vec<&str> = page
            .body
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate ids");
        for href in page.body.split("href=\"").skip(1) {
            let href = href.split('"').next().unwrap_or_default();
            if let Some(rest) = href.strip_prefix("?chapter=") {
                let (_, fragment) = rest.split_once('#').expect("a place on the page");
                assert!(ids.contains(&fragment), "{href}: no element {fragment}");
            } else {
                assert!(href.starts_with("https://"), "{href}");
            }
        }
    }

    #[test]
    fn it_goes_into_the_document_at_its_places() {
        let page = StaticPage {
            head: "<script>h</script>".to_owned(),
            body: "<div>b</div>".to_owned(),
        };
        let doc = format!("<html><head><title>t</title></head><body>{BODY_MARKER}<p>x</p></body>");
        assert_eq!(
            page.into_document(&doc).as_deref(),
            Some(
                "<html><head><title>t</title><script>h</script></head><body><div>b</div><p>x</p></body>"
            )
        );
        assert_eq!(page.into_document("<html><head></head><body>"), None);
    }
}
