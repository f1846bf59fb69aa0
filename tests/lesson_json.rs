//! The progress file as JSON: whatever a learner types as an answer is written as valid JSON that
//! reads back to the same progress, and no input at all can make the reader panic. (The lesson
//! once had its own JSON reader, checked here against serde_json; serde_json now reads and writes
//! the file itself, and `src/lesson/progress.rs` tests what it accepts and refuses.)

use incr_lab::lesson::progress::{LoadError, Progress};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn deep_nesting_is_damage_not_a_crash() {
    for depth in [64, 200, 30_000] {
        let deep = format!(
            r#"{{"app":"incr-lab","version":1,"added-later":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let read = Progress::from_json(&deep);
        if depth <= 64 {
            assert_eq!(read, Ok(Progress::default()), "depth {depth}");
        } else {
            assert_eq!(read, Err(LoadError::Damaged), "depth {depth}");
        }
    }
}

fn json_ish() -> impl Strategy<Value = String> {
    // Short texts over JSON's own alphabet, where structure and mistakes are both likely, after a
    // prefix that makes them ours more often than not.
    let part = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("\""),
        Just("\\"),
        Just("\"visited\""),
        Just("\"answers\""),
        Just("\"views\""),
        Just("\"race\""),
        Just("\\u"),
        Just("d83d"),
        Just("null"),
        Just("true"),
        Just("-"),
        Just("1"),
        Just("."),
        Just("e"),
        Just(" "),
        Just("é"),
        Just("\u{1}"),
    ];
    (
        prop_oneof![Just(""), Just(r#"{"app":"incr-lab","version":1,"#)],
        proptest::collection::vec(part, 0..14),
    )
        .prop_map(|(prefix, parts)| format!("{prefix}{}", parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn progress_with_any_typed_answer_is_valid_json_and_round_trips(answer in any::<String>()) {
        let mut progress = Progress::default();
        progress.open("race");
        progress.answer("views", &answer);
        let json = progress.to_json();
        prop_assert!(serde_json::from_str::<Value>(&json).is_ok(), "{}", json);
        prop_assert_eq!(Progress::from_json(&json), Ok(progress));
    }

    #[test]
    fn no_input_panics_the_progress_reader(text in any::<String>()) {
        let _ = Progress::from_json(&text);
    }

    #[test]
    fn no_json_like_input_panics_the_progress_reader(text in json_ish()) {
        let _ = Progress::from_json(&text);
    }
}
