//! The guided lesson as data: its chapters, their text in a tiny inline markup, the quiz's
//! questions and how answers are checked ([`quiz`]), and the learner's saved progress
//! ([`progress`]). Pure Rust: the web page renders it (`ui::lesson`), native tests
//! check that every command it offers runs and every link it makes leads somewhere.
//!
//! Text is content, not code: a chapter is a list of [`Block`]s whose strings use four inline
//! marks (see [`inline`]), rendered to HTML text by [`html`], so adding a paragraph costs bytes of
//! text, not a new component.
//!
//! The same HTML is in the built page itself ([`static_page`], put there by Trunk after each
//! build), so the text shows before the app's WebAssembly has arrived, and without JavaScript.

pub mod challenge;
mod content;
pub mod html;
pub mod progress;
pub mod quiz;
pub mod static_page;

pub use content::CHAPTERS;

use crate::simulation::scenarios::LabId;

/// The site's name, atop the page (the app's header and the static lesson's).
pub const SITE_TITLE: &str = "incr-lab";

/// The line under it.
pub const SITE_TAGLINE: &str =
    "Redis counters, hands-on: a Redis 7.0 engine running in your browser.";

/// The race demo's parameters in the page address (`?clients=1000&seed=1&…`, in the order
/// `ui::race` writes them): an address with them and no chapter is the demo's share link, and
/// opens the race chapter.
pub const RACE_PARAMS: [&str; 8] = [
    "clients", "seed", "strategy", "vs", "spread", "speed", "likes", "pipeline",
];

/// A chapter of the lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Stable id: the page address (`?chapter=race`), saved progress and quiz questions use it.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// What it is made of, in reading order.
    pub blocks: &'static [Block],
}

/// A piece of a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph of inline markup.
    Para(&'static str),
    /// A sub-heading.
    Heading(&'static str),
    /// Commands to click, each one runs in the console.
    Run(&'static [&'static str]),
    /// A bulleted list; each item is inline markup.
    List(&'static [&'static str]),
    /// Where the article is too quick: a boxed correction that links can point to.
    Caveat(Caveat),
    /// A live part of the page: the race demo, a lab, the summary table, the quiz.
    Demo(Demo),
}

/// A correction of the article, boxed in the text and reachable as `chapter#id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caveat {
    /// The element id (anchor) of the box.
    pub id: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its text, in inline markup.
    pub text: &'static str,
}

/// The live parts a chapter can embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demo {
    /// The race demo (two clients by hand, then the flood).
    Race,
    /// One of the scenario labs.
    Lab(LabId),
    /// The "which command for which use" table.
    Summary,
    /// The quiz.
    Quiz,
    /// The challenges (break-it and fix-it levels).
    Challenges,
    /// One hot key against sharded counter keys on a small Redis Cluster. The page mounts it
    /// only as a chapter's second live part (see [`html::chapter_parts`]).
    HotKey,
}

/// A run of inline markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inline<'a> {
    /// Plain text.
    Text(&'a str),
    /// `` `code` ``: code that is not meant to be run.
    Code(&'a str),
    /// `**strong**`.
    Strong(&'a str),
    /// `[label](target)`: a link to a chapter (`race`), a place in one (`race#sql`, `#sql` for this
    /// chapter), or an outside page (`https://…`).
    Link {
        /// What the reader sees.
        label: &'a str,
        /// Where it leads, unresolved.
        target: &'a str,
    },
    /// `{INCR likes}`: a command that runs in the console when clicked.
    Run(&'a str),
}

/// Splits a string of inline markup into runs. Marks that are not closed are plain text, so no
/// input is an error.
///
/// ```
/// use incr_lab::lesson::{inline, Inline::*};
/// assert_eq!(
///     inline("Run {INCR likes}, see [the race](race#sql) and `GET`."),
///     [Text("Run "), Run("INCR likes"), Text(", see "), Link { label: "the race", target: "race#sql" },
///      Text(" and "), Code("GET"), Text(".")]
/// );
/// assert_eq!(inline("2 * 3 [not a link"), [Text("2 * 3 [not a link")]);
/// ```
pub fn inline(text: &str) -> Vec<Inline<'_>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find(['`', '*', '[', '{']) {
        let start = at + found;
        match mark_at(&text[start..]) {
            Some((run, len)) => {
                if plain_from < start {
                    out.push(Inline::Text(&text[plain_from..start]));
                }
                out.push(run);
                at = start + len;
                plain_from = at;
            }
            // Every mark is one ASCII byte: the next search starts on a char boundary.
            None => at = start + 1,
        }
    }
    if plain_from < text.len() {
        out.push(Inline::Text(&text[plain_from..]));
    }
    out
}

/// The mark that `s` starts with, and how many bytes it spans, if it is complete.
fn mark_at(s: &str) -> Option<(Inline<'_>, usize)> {
    let closed = |open: &str, close: &str| {
        let body = s.strip_prefix(open)?;
        let end = body.find(close).filter(|&end| end > 0)?;
        Some((&body[..end], open.len() + end + close.len()))
    };
    if let Some((body, len)) = closed("`", "`") {
        return Some((Inline::Code(body), len));
    }
    if let Some((body, len)) = closed("**", "**") {
        return Some((Inline::Strong(body), len));
    }
    if let Some((body, len)) = closed("{", "}") {
        return Some((Inline::Run(body), len));
    }
    let (label, label_len) = closed("[", "](")?;
    let (target, target_len) = closed_after(&s[label_len..], ")")?;
    Some((Inline::Link { label, target }, label_len + target_len))
}

/// `s` up to (not including) `close`, and the length including it; `None` if empty or unclosed.
fn closed_after<'a>(s: &'a str, close: &str) -> Option<(&'a str, usize)> {
    let end = s.find(close).filter(|&end| end > 0)?;
    Some((&s[..end], end + close.len()))
}

/// Where a link leads, once resolved against the chapters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A chapter (index into [`CHAPTERS`]), optionally a place in it (an element id).
    Chapter {
        /// The chapter's index.
        index: usize,
        /// The element id to scroll to.
        anchor: Option<&'a str>,
    },
    /// A page outside incr-lab.
    External(&'a str),
}

/// Resolves a link `target` written in chapter `from`; `None` if it names no chapter.
///
/// ```
/// use incr_lab::lesson::{resolve, chapter_index, Target};
/// let race = chapter_index("race").unwrap();
/// assert_eq!(resolve("race", 0), Some(Target::Chapter { index: race, anchor: None }));
/// assert_eq!(resolve("#x", race), Some(Target::Chapter { index: race, anchor: Some("x") }));
/// assert_eq!(resolve("nowhere", 0), None);
/// ```
pub fn resolve(target: &str, from: usize) -> Option<Target<'_>> {
    if target.starts_with("https://") {
        return Some(Target::External(target));
    }
    let (chapter, anchor) = match target.split_once('#') {
        Some((chapter, anchor)) => (chapter, Some(anchor).filter(|a| !a.is_empty())),
        None => (target, None),
    };
    let index = if chapter.is_empty() {
        (from < CHAPTERS.len()).then_some(from)?
    } else {
        chapter_index(chapter)?
    };
    Some(Target::Chapter { index, anchor })
}

/// The index of the chapter with this id.
pub fn chapter_index(id: &str) -> Option<usize> {
    CHAPTERS.iter().position(|c| c.id == id)
}

/// Every command a chapter offers to run: its [`Block::Run`] lists and its inline `{…}` runs.
pub fn runnable(chapter: &Chapter) -> Vec<&'static str> {
    let mut out = Vec::new();
    for block in chapter.blocks {
        match *block {
            Block::Para(text) => runs_in(text, &mut out),
            Block::List(items) => items.iter().for_each(|item| runs_in(item, &mut out)),
            Block::Caveat(caveat) => runs_in(caveat.text, &mut out),
            Block::Run(commands) => out.extend_from_slice(commands),
            Block::Heading(_) | Block::Demo(_) => {}
        }
    }
    out
}

fn runs_in(text: &'static str, out: &mut Vec<&'static str>) {
    out.extend(inline(text).into_iter().filter_map(|run| match run {
        Inline::Run(command) => Some(command),
        _ => None,
    }));
}
