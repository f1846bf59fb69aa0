//! The learner's progress, as saved in the browser's localStorage and exported to a file: where
//! they are, which chapters they have opened, what they answered in the quiz, and whether the page
//! is in classroom mode.
//!
//! The stored form is a small, versioned JSON object:
//!
//! ```json
//! {"app":"incr-lab","version":1,"chapter":"race","visited":["atomic","race"],
//!  "answers":{"views":"incr video:views","stock-zero":"0"},"classroom":false}
//! ```
//!
//! Only answers are stored, never verdicts: a verdict is worked out again on load by running the
//! answer ([`crate::simulation::quiz::check`]), so a hand-edited file cannot claim a right answer.
//! Reading is strict about what it is given and lenient about what it knows: anything that is not
//! this app's object of a version it can read is rejected as a whole ([`LoadError`]); unknown
//! chapters and questions (from an older or newer lesson) are dropped one by one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::CHAPTERS;
use crate::simulation::quiz::QUESTIONS;

/// The `app` field that marks our data.
pub const APP: &str = "incr-lab";
/// The format version written, and the only one read.
pub const VERSION: u32 = 1;
/// The localStorage key progress is saved under.
pub const STORAGE_KEY: &str = "incr-lab.progress";
/// Longer input is refused unread: real progress is well under 4 KB.
pub const MAX_BYTES: usize = 64 * 1024;
/// A longer saved answer is dropped (the quiz input takes at most this many characters).
pub const MAX_ANSWER_CHARS: usize = 200;

/// Progress through the lesson. Ids are the lesson's own (`&'static str` from [`CHAPTERS`] and
/// [`QUESTIONS`]), so a loaded value can only name chapters and questions that exist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// The chapter the learner was reading.
    pub chapter: Option<&'static str>,
    /// Chapters opened at least once, in lesson order.
    pub visited: Vec<&'static str>,
    /// The latest answer to each question: an option's index for choices, the command typed.
    pub answers: BTreeMap<&'static str, String>,
    /// Classroom (presenter) mode.
    pub classroom: bool,
}

/// Why stored or imported data was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// More than [`MAX_BYTES`].
    TooLarge,
    /// Not JSON, or JSON of the wrong shape.
    Damaged,
    /// JSON, but not ours (no `"app": "incr-lab"`).
    Foreign,
    /// Ours, but a version this page cannot read.
    Version(u64),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::TooLarge => write!(f, "it is far too large to be incr-lab progress"),
            LoadError::Damaged => write!(f, "it is damaged (not the JSON incr-lab writes)"),
            LoadError::Foreign => write!(f, "it is not incr-lab progress"),
            LoadError::Version(v) => write!(
                f,
                "it is format version {v}, and this page reads version {VERSION}"
            ),
        }
    }
}

/// The JSON shape. Every field has a default so that a missing one is caught by the checks below
/// (wrong `app`, wrong `version`) rather than as an opaque parse error.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Stored {
    app: String,
    version: u64,
    chapter: Option<String>,
    visited: Vec<String>,
    answers: BTreeMap<String, String>,
    classroom: bool,
}

impl Progress {
    /// Marks chapter `id` as the current one and as visited. Unknown ids are ignored.
    pub fn open(&mut self, id: &str) {
        let Some(chapter) = CHAPTERS.iter().find(|c| c.id == id) else {
            return;
        };
        self.chapter = Some(chapter.id);
        if !self.visited.contains(&chapter.id) {
            self.visited.push(chapter.id);
            self.visited.sort_by_key(|v| chapter_position(v));
        }
    }

    /// Whether chapter `id` has been opened.
    pub fn has_visited(&self, id: &str) -> bool {
        self.visited.contains(&id)
    }

    /// Records `answer` to question `id` (cut to [`MAX_ANSWER_CHARS`]). Unknown ids are ignored.
    pub fn answer(&mut self, id: &str, answer: &str) {
        if let Some(question) = QUESTIONS.iter().find(|q| q.id == id) {
            let answer: String = answer.chars().take(MAX_ANSWER_CHARS).collect();
            self.answers.insert(question.id, answer);
        }
    }

    /// The JSON that [`Progress::from_json`] reads back.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            app: APP.to_owned(),
            version: u64::from(VERSION),
            chapter: self.chapter.map(str::to_owned),
            visited: self.visited.iter().map(|&v| v.to_owned()).collect(),
            answers: self
                .answers
                .iter()
                .map(|(&q, a)| (q.to_owned(), a.clone()))
                .collect(),
            classroom: self.classroom,
        };
        // Strings and maps of strings always serialise.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads progress written by [`Progress::to_json`]. Never panics, whatever `text` holds.
    pub fn from_json(text: &str) -> Result<Progress, LoadError> {
        if text.len() > MAX_BYTES {
            return Err(LoadError::TooLarge);
        }
        let stored: Stored = match serde_json::from_str(text) {
            Ok(stored) => stored,
            // A JSON object of someone else's shape is foreign rather than damaged.
            Err(_) if looks_foreign(text) => return Err(LoadError::Foreign),
            Err(_) => return Err(LoadError::Damaged),
        };
        if stored.app != APP {
            return Err(LoadError::Foreign);
        }
        if stored.version != u64::from(VERSION) {
            return Err(LoadError::Version(stored.version));
        }
        let mut progress = Progress {
            classroom: stored.classroom,
            ..Progress::default()
        };
        for id in &stored.visited {
            progress.open(id);
        }
        progress.chapter = stored
            .chapter
            .and_then(|id| CHAPTERS.iter().find(|c| c.id == id))
            .map(|c| c.id);
        for (id, answer) in &stored.answers {
            if answer.chars().count() <= MAX_ANSWER_CHARS {
                progress.answer(id, answer);
            }
        }
        Ok(progress)
    }
}

fn chapter_position(id: &str) -> usize {
    CHAPTERS
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
}

/// A JSON object that does not say it is ours (no `"app":"incr-lab"` anywhere in it).
fn looks_foreign(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
        && !text.contains(&format!("\"{APP}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.open("atomic");
        p.open("race");
        p.open("core-commands");
        p.answer("views", "incr video:views");
        p.answer("stock-zero", "0");
        p.classroom = true;
        p
    }

    #[test]
    fn progress_survives_a_round_trip() {
        let p = sample();
        assert_eq!(
            p.visited,
            ["atomic", "core-commands", "race"],
            "lesson order"
        );
        assert_eq!(p.chapter, Some("core-commands"));
        let json = p.to_json();
        assert!(
            json.starts_with(r#"{"app":"incr-lab","version":1,"#),
            "{json}"
        );
        assert_eq!(Progress::from_json(&json), Ok(p));
        assert_eq!(
            Progress::from_json(&Progress::default().to_json()),
            Ok(Progress::default())
        );
    }

    #[test]
    fn damaged_foreign_and_future_data_is_rejected_whole() {
        let cases: &[(&str, LoadError)] = &[
            ("", LoadError::Damaged),
            ("{\"app\":\"incr-lab\",\"version\":1", LoadError::Damaged),
            ("not json at all", LoadError::Damaged),
            ("[1,2,3]", LoadError::Damaged),
            ("null", LoadError::Damaged),
            ("\u{0}\u{ffff}", LoadError::Damaged),
            (
                r#"{"app":"incr-lab","version":1,"visited":"atomic"}"#,
                LoadError::Damaged,
            ),
            (r#"{"theme":"dark","volume":11}"#, LoadError::Foreign),
            (r#"{"app":"other-app","version":1}"#, LoadError::Foreign),
            (r#"{"visited":{"a":[1]}}"#, LoadError::Foreign),
            (r#"{"app":"incr-lab","version":2}"#, LoadError::Version(2)),
            (r#"{"app":"incr-lab"}"#, LoadError::Version(0)),
        ];
        for (text, want) in cases {
            assert_eq!(Progress::from_json(text).as_ref(), Err(want), "{text}");
        }
        let huge = format!(
            r#"{{"app":"incr-lab","version":1,"visited":["{}"]}}"#,
            "x".repeat(MAX_BYTES)
        );
        assert_eq!(Progress::from_json(&huge), Err(LoadError::TooLarge));
        for error in [
            LoadError::TooLarge,
            LoadError::Damaged,
            LoadError::Foreign,
            LoadError::Version(9),
        ] {
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn unknown_chapters_questions_and_oversized_answers_are_dropped_one_by_one() {
        let long = "x".repeat(MAX_ANSWER_CHARS + 1);
        let json = format!(
            r#"{{"app":"incr-lab","version":1,"chapter":"gone","visited":["race","gone","race","atomic"],
               "answers":{{"views":"INCR video:views","no-such":"1","reward":"{long}"}},
               "classroom":true,"added-later":[1,2]}}"#
        );
        let p = Progress::from_json(&json).expect("ours, version 1");
        assert_eq!(p.chapter, None);
        assert_eq!(p.visited, ["atomic", "race"]);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(
            p.answers.get("views").map(String::as_str),
            Some("INCR video:views")
        );
        assert!(p.classroom);
    }

    #[test]
    fn answers_are_capped_and_unknown_ids_ignored_when_recorded() {
        let mut p = Progress::default();
        p.answer("views", &"é".repeat(MAX_ANSWER_CHARS * 2));
        p.answer("nope", "1");
        p.open("nowhere");
        assert_eq!(p.answers["views"].chars().count(), MAX_ANSWER_CHARS);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.chapter, None);
        assert!(p.visited.is_empty());
        assert_eq!(Progress::from_json(&p.to_json()), Ok(p));
    }
}
