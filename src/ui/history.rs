//! The console's command history, navigated with ↑ and ↓ as in redis-cli (linenoise).

/// How many lines the history keeps; the oldest go first.
pub const MAX_HISTORY: usize = 200;

/// Lines entered so far, and where ↑/↓ navigation stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// The line ↑/↓ currently shows, or `None` when editing a new line.
    cursor: Option<usize>,
    /// The unfinished line that was being typed when navigation began, restored by ↓ at the end.
    draft: String,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// The remembered lines, oldest first.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Remembers an entered line (not blank ones, nor a repeat of the previous line) and ends any
    /// navigation.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.lines.last().is_some_and(|last| last == line) {
            return;
        }
        if self.lines.len() >= MAX_HISTORY {
            self.lines.remove(0);
        }
        self.lines.push(line.to_owned());
    }

    /// ↑: the previous line, remembering `current` as the draft when navigation begins. `None` when
    /// there is no history.
    pub fn older(&mut self, current: &str) -> Option<String> {
        let index = match self.cursor {
            None => {
                let last = self.lines.len().checked_sub(1)?;
                self.draft = current.to_owned();
                last
            }
            Some(i) => i.saturating_sub(1),
        };
        self.cursor = Some(index);
        self.lines.get(index).cloned()
    }

    /// ↓: the next line, or the draft after the newest line. `None` when not navigating.
    pub fn newer(&mut self) -> Option<String> {
        let index = self.cursor?;
        if index + 1 < self.lines.len() {
            self.cursor = Some(index + 1);
            self.lines.get(index + 1).cloned()
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}
