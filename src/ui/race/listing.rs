//! What each strategy's client program looks like on screen, line by line, for the step-by-step
//! view. Each line starts with the command word it runs, so the line of a client's next command is
//! found from that command's first word.

use crate::simulation::StrategyKind;

/// One line of a program: the command word it runs and the text shown.
pub type Line = (&'static str, &'static str);

/// The program every client of `kind` runs, as shown to the learner.
pub fn listing(kind: StrategyKind) -> &'static [Line] {
    match kind {
        StrategyKind::Naive => &[
            ("GET", "GET likes            → v"),
            ("SET", "SET likes v+1"),
        ],
        StrategyKind::Atomic => &[("INCR", "INCR likes")],
        StrategyKind::Optimistic => &[
            ("WATCH", "WATCH likes"),
            ("GET", "GET likes            → v"),
            ("MULTI", "MULTI"),
            ("SET", "SET likes v+1"),
            ("EXEC", "EXEC   (nil: retry from WATCH)"),
        ],
        StrategyKind::LuaScript => &[
            ("EVAL", "EVAL <script> 1 likes   → v   (one round trip)"),
            (
                "",
                "  local v = tonumber(redis.call('GET', KEYS[1]) or 0) + 1",
            ),
            ("", "  redis.call('SET', KEYS[1], v)"),
            (
                "",
                "  return v   -- inside Redis: nothing runs between GET and SET",
            ),
        ],
        StrategyKind::SqlReadModifyWrite => &[
            ("SELECT", "SELECT likes FROM posts WHERE id = 99   → v"),
            ("UPDATE", "UPDATE posts SET likes = v+1 WHERE id = 99"),
        ],
        StrategyKind::SqlAtomicUpdate => {
            &[("UPDATE", "UPDATE posts SET likes = likes + 1 WHERE id = 99")]
        }
    }
}

/// The index in `listing(kind)` of the line that runs `next` (a command as sent).
pub fn current_line(kind: StrategyKind, next: &str) -> Option<usize> {
    let word = next.split_whitespace().next()?;
    listing(kind)
        .iter()
        .position(|(w, _)| w.eq_ignore_ascii_case(word))
}
