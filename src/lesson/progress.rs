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
//! answer ([`crate::lesson::quiz::check`]), so a hand-edited file cannot claim a right answer.
//! Reading is strict about what it is given and lenient about what it knows: anything that is not
//! this app's object of a version it can read is rejected as a whole ([`LoadError`]); unknown
//! chapters and questions (from an older or newer lesson) are dropped one by one.
//!
//! serde_json writes and reads it, through one `#[derive(Serialize, Deserialize)]` struct that is
//! the format's only description.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CHAPTERS;
use crate::lesson::quiz::QUESTIONS;

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
    /// The latest answer to each challenge level (a schedule or a program), as the learner
    /// left it; whether it wins is worked out again by running it.
    pub challenges: BTreeMap<&'static str, ChallengeAnswer>,
}

/// A challenge answer: the text, and whether the program runs inside EVAL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeAnswer {
    /// The schedule or program typed.
    pub text: String,
    /// Placed inside EVAL rather than run as a client.
    #[serde(default)]
    pub eval: bool,
}

/// A longer challenge answer is dropped (the editor takes at most this many characters).
pub const MAX_PROGRAM_CHARS: usize = 4000;

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

impl Progress {
    /// Marks chapter `id` as the current one and as visited. Unknown ids are ignored.
    pub fn open(&mut self, id: &str) {
        let Some(chapter) = CHAPTERS.iter().find(|c| c.id == id) else {
            return;
        };
        self.chapter = Some(chapter.id);
        if !self.visited.contains(&chapter.id) {
            // Kept in lesson order.
            let position = chapter_position(chapter.id);
            let at = self
                .visited
                .iter()
                .position(|v| chapter_position(v) > position)
                .unwrap_or(self.visited.len());
            self.visited.insert(at, chapter.id);
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

    /// Records `answer` to challenge level `id` (cut to [`MAX_PROGRAM_CHARS`]). Unknown ids are
    /// ignored.
    pub fn answer_challenge(&mut self, id: &str, answer: ChallengeAnswer) {
        if let Some(level) = crate::lesson::challenge::level(id) {
            let text: String = answer.text.chars().take(MAX_PROGRAM_CHARS).collect();
            self.challenges
                .insert(level.id, ChallengeAnswer { text, ..answer });
        }
    }

    /// The JSON that [`Progress::from_json`] reads back.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            app: APP.to_owned(),
            version: u64::from(VERSION),
            chapter: self.chapter.map(str::to_owned),
            visited: self.visited.iter().map(|&id| id.to_owned()).collect(),
            answers: self
                .answers
                .iter()
                .map(|(&id, answer)| (id.to_owned(), answer.clone()))
                .collect(),
            classroom: self.classroom,
            challenges: self
                .challenges
                .iter()
                .map(|(&id, answer)| (id.to_owned(), answer.clone()))
                .collect(),
        };
        // Strings, string-keyed maps and a bool: serde_json has no error to report for them.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads progress written by [`Progress::to_json`]. Never panics, whatever `text` holds.
    ///
    /// Read in two steps: as a JSON object first, whose `app` and `version` say whether it is ours
    /// and readable ([`LoadError::Foreign`], [`LoadError::Version`]) whatever its other members
    /// hold; then as [`Stored`], whose types the rest must have ([`LoadError::Damaged`]). A member
    /// repeated in the text counts once, with its last value.
    pub fn from_json(text: &str) -> Result<Progress, LoadError> {
        if text.len() > MAX_BYTES {
            return Err(LoadError::TooLarge);
        }
        let root: Map<String, Value> =
            serde_json::from_str(text).map_err(|_| LoadError::Damaged)?;
        if root.get("app").and_then(Value::as_str) != Some(APP) {
            return Err(LoadError::Foreign);
        }
        // Only an integer is a version: `1.0`, `"1"` and `-1` are damage.
        let version = root
            .get("version")
            .and_then(Value::as_u64)
            .ok_or(LoadError::Damaged)?;
        if version != u64::from(VERSION) {
            return Err(LoadError::Version(version));
        }
        let stored = Stored::deserialize(Value::Object(root)).map_err(|_| LoadError::Damaged)?;
        let mut progress = Progress {
            classroom: stored.classroom,
            ..Progress::default()
        };
        for id in &stored.visited {
            progress.open(id);
        }
        progress.chapter = stored
            .chapter
            .as_deref()
            .and_then(|id| CHAPTERS.iter().find(|c| c.id == id).map(|c| c.id));
        for (id, answer) in &stored.answers {
            if answer.chars().count() <= MAX_ANSWER_CHARS {
                progress.answer(id, answer);
            }
        }
        for (id, answer) in stored.challenges {
            if answer.text.chars().count() <= MAX_PROGRAM_CHARS {
                progress.answer_challenge(&id, answer);
            }
        }
        Ok(progress)
    }
}

/// The stored form, member for member in the order written. Ids are plain strings here: the file
/// may name chapters and questions this lesson does not have, which [`Progress::from_json`] drops.
/// Members other than `app` and `version` may be missing (an older writer); unknown members (a
/// newer one) are ignored.
#[derive(Serialize, Deserialize)]
struct Stored {
    app: String,
    version: u64,
    #[serde(default)]
    chapter: Option<String>,
    #[serde(default)]
    visited: Vec<String>,
    #[serde(default)]
    answers: BTreeMap<String, String>,
    #[serde(default)]
    classroom: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    challenges: BTreeMap<String, ChallengeAnswer>,
}

fn chapter_position(id: &str) -> usize {
    CHAPTERS
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
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
        p.answer_challenge(
            "fix-likes",
            ChallengeAnswer {
                text: "INCR likes".to_owned(),
                eval: false,
            },
        );
        p.answer_challenge("no-such-level", ChallengeAnswer::default());
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
            (r#"{"app":"incr-lab"}"#, LoadError::Damaged),
            (r#"{"app":"incr-lab","version":"1"}"#, LoadError::Damaged),
            (r#"{"app":"incr-lab","version":1.0}"#, LoadError::Damaged),
            (
                r#"{"app":"incr-lab","version":1,"answers":{"views":3}}"#,
                LoadError::Damaged,
            ),
            (
                r#"{"app":"incr-lab","version":1,"classroom":"yes"}"#,
                LoadError::Damaged,
            ),
            (
                r#"{"app":"incr-lab","version":1,"chapter":7}"#,
                LoadError::Damaged,
            ),
            (
                r#"{"app":"incr-lab","version":1,"visited":[1]}"#,
                LoadError::Damaged,
            ),
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
