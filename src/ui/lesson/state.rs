//! The lesson's reactive state: which chapter is open, the learner's [`Progress`], the quiz
//! verdicts, and a notice to show. It lives in Leptos context; it reads and writes the page
//! address (`?chapter=…`, alongside the race demo's own parameters) and localStorage.

use leptos::prelude::*;

use crate::lesson::html::CHAPTER_PARAM;
use crate::lesson::progress::{Progress, STORAGE_KEY};
use crate::lesson::quiz::{check, Verdict, QUESTIONS};
use crate::lesson::{chapter_index, CHAPTERS};
use crate::ui::address::{self, query_value, Entry, Fragment};
use crate::ui::race::params::KEYS as RACE_KEYS;

/// Lesson state shared through context (`expect_context::<LessonState>()`). `Copy`: every field
/// is an arena handle.
#[derive(Clone, Copy, Debug)]
pub struct LessonState {
    /// Index into [`CHAPTERS`] of the open chapter.
    pub current: RwSignal<usize>,
    /// What the learner has done; saved to localStorage on every change.
    pub progress: RwSignal<Progress>,
    /// The verdict on each question's saved answer, in [`QUESTIONS`] order.
    pub verdicts: Memo<Vec<Option<Verdict>>>,
    /// A message for the learner (damaged storage, a failed import…), until dismissed.
    pub notice: RwSignal<Option<String>>,
    /// Where to move focus after the next render: an element id.
    pub focus_target: RwSignal<Option<String>>,
}

impl LessonState {
    /// Loads progress from localStorage (a notice says so if it was unusable) and opens the
    /// chapter the address names, else the one the learner was reading, else the first.
    pub fn new() -> Self {
        let notice = RwSignal::new(None);
        let progress = match load_stored() {
            Ok(progress) => progress,
            Err(why) => {
                notice.set(Some(why));
                Progress::default()
            }
        };
        let from_address = address_chapter();
        let current = from_address
            .or_else(|| progress.chapter.and_then(chapter_index))
            .unwrap_or(0);
        if let Some(text) = unknown_chapter_text(current) {
            notice.update(|n| *n = Some(join(n.take(), text)));
        }
        let progress = RwSignal::new(progress);
        let answers = Memo::new(move |_| progress.with(|p| p.answers.clone()));
        let verdicts = Memo::new(move |_| {
            answers.with(|answers| {
                QUESTIONS
                    .iter()
                    .map(|q| answers.get(q.id).map(|a| check(q, a)))
                    .collect()
            })
        });
        let state = Self {
            current: RwSignal::new(current),
            progress,
            verdicts,
            notice,
            focus_target: RwSignal::new(None),
        };
        state.mark_open(current);
        if from_address != Some(current) {
            write_address(current, None, Entry::Replace);
        }
        state
    }

    /// Opens chapter `index` (and scrolls to element `anchor` in it), as a new history entry.
    /// Out-of-range indices are ignored.
    pub fn go(&self, index: usize, anchor: Option<&str>) {
        if index >= CHAPTERS.len() {
            return;
        }
        write_address(index, anchor, Entry::Push);
        self.show(index);
        let target = anchor.map_or_else(|| "chapter-title".to_owned(), str::to_owned);
        self.focus_target.set(Some(target));
    }

    /// Opens chapter `index` without touching the address (back/forward, or a reset).
    pub fn show(&self, index: usize) {
        if index < CHAPTERS.len() && index != self.current.get_untracked() {
            self.current.set(index);
        }
        self.mark_open(index);
    }

    /// The next chapter, if there is one.
    pub fn next(&self) {
        self.go(self.current.get_untracked().saturating_add(1), None);
    }

    /// The previous chapter, if there is one.
    pub fn previous(&self) {
        if let Some(index) = self.current.get_untracked().checked_sub(1) {
            self.go(index, None);
        }
    }

    /// Follows the page address after back/forward; an address naming no chapter is said in
    /// the notice and replaced by the open chapter's.
    pub fn follow_address(&self) {
        let current = self.current.get_untracked();
        if let Some(text) = unknown_chapter_text(current) {
            self.notice.set(Some(text));
            write_address(current, None, Entry::Replace);
        } else if let Some(index) = address_chapter() {
            self.show(index);
        }
    }

    /// Replaces progress (an import, a reset) and opens its chapter.
    pub fn replace(&self, progress: Progress) {
        let index = progress.chapter.and_then(chapter_index).unwrap_or(0);
        self.progress.set(progress);
        write_address(index, None, Entry::Replace);
        self.show(index);
        self.focus_target.set(Some("chapter-title".to_owned()));
    }

    fn mark_open(&self, index: usize) {
        if let Some(chapter) = CHAPTERS.get(index) {
            let already = self
                .progress
                .with_untracked(|p| p.chapter == Some(chapter.id));
            if !already {
                self.progress.update(|p| p.open(chapter.id));
            }
        }
    }
}

impl Default for LessonState {
    fn default() -> Self {
        Self::new()
    }
}

/// Saves `progress` to localStorage. A browser that refuses (private mode, quota) only loses the
/// saving; the page goes on.
pub fn save(progress: &Progress) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, &progress.to_json());
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored progress, nothing stored being a fresh start; `Err` is the notice to show.
fn load_stored() -> Result<Progress, String> {
    let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Ok(Progress::default());
    };
    Progress::from_json(&text).map_err(|why| {
        format!(
            "Saved progress in this browser was ignored because {why}. The lesson starts from \
             the beginning; your next step saves over it."
        )
    })
}

/// The chapter the page address names, if it names one. An address with the race demo's
/// parameters and no chapter (the demo's own share link) names the race chapter.
fn address_chapter() -> Option<usize> {
    match query_value(CHAPTER_PARAM) {
        Some(id) => chapter_index(&id),
        None if RACE_KEYS.iter().any(|k| query_value(k).is_some()) => chapter_index("race"),
        None => None,
    }
}

/// What to tell a learner whose address names a chapter that does not exist, when chapter
/// `shown` opens instead: "No chapter “nonsense” — here is chapter 3, …".
fn unknown_chapter_text(shown: usize) -> Option<String> {
    let asked = query_value(CHAPTER_PARAM).filter(|id| chapter_index(id).is_none())?;
    let chapter = CHAPTERS.get(shown)?;
    // An address is anybody's to write: show a bounded piece of it (as text, never markup).
    let mut asked: String = asked.trim().chars().take(40).collect();
    if asked.chars().count() == 40 {
        asked.push('…');
    }
    let what = if asked.is_empty() {
        "The address names no chapter".to_owned()
    } else {
        format!("No chapter “{asked}”")
    };
    Some(format!(
        "{what} — here is chapter {}, “{}”. The contents list every chapter.",
        shown + 1,
        chapter.title
    ))
}

/// Two notices in one, either possibly absent.
fn join(first: Option<String>, second: String) -> String {
    match first {
        Some(first) => format!("{first} {second}"),
        None => second,
    }
}

/// Puts chapter `index` (and element `anchor` in it) into the page address, beside the race
/// demo's run; pushes a history entry or replaces the current.
fn write_address(index: usize, anchor: Option<&str>, entry: Entry) {
    if let Some(chapter) = CHAPTERS.get(index) {
        address::write_address(&[(CHAPTER_PARAM, chapter.id)], Fragment::Set(anchor), entry);
    }
}
