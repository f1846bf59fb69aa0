//! The lesson's small JSON reader (`incr_lab::lesson::json`) against serde_json: the same texts
//! are accepted and refused, and accepted ones mean the same thing; progress files written by the
//! lesson are valid JSON for any answer a learner can type.

use std::collections::BTreeMap;

use incr_lab::lesson::json::{parse, write_str, Json};
use incr_lab::lesson::progress::Progress;
use proptest::prelude::*;
use serde_json::Value;

/// A comparable form: numbers by value, objects as maps where the last repeated key wins (as
/// serde_json's `Value` keeps them).
#[derive(Debug, PartialEq)]
enum Shape {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Shape>),
    Object(BTreeMap<String, Shape>),
}

fn number(lexeme: &str) -> String {
    serde_json::from_str::<Value>(lexeme).map_or_else(|e| format!("error {e}"), |v| v.to_string())
}

fn ours(j: &Json) -> Shape {
    match j {
        Json::Null => Shape::Null,
        Json::Bool(b) => Shape::Bool(*b),
        Json::Number(n) => Shape::Number(number(n)),
        Json::String(s) => Shape::String(s.clone()),
        Json::Array(items) => Shape::Array(items.iter().map(ours).collect()),
        Json::Object(members) => {
            Shape::Object(members.iter().map(|(k, v)| (k.clone(), ours(v))).collect())
        }
    }
}

fn theirs(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Number(n) => Shape::Number(n.to_string()),
        Value::String(s) => Shape::String(s.clone()),
        Value::Array(items) => Shape::Array(items.iter().map(theirs).collect()),
        Value::Object(members) => Shape::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), theirs(v)))
                .collect(),
        ),
    }
}

fn agree(text: &str) {
    let mine = parse(text);
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let mine = mine.unwrap_or_else(|| panic!("serde_json accepts, we refuse: {text:?}"));
            assert_eq!(ours(&mine), theirs(&value), "{text:?}");
        }
        // serde_json refuses numbers beyond f64 and deep nesting (128); we keep the lexeme and
        // refuse beyond 64. Elsewhere, both must refuse.
        Err(e) if e.to_string().contains("out of range") || e.to_string().contains("recursion") => {
        }
        Err(e) => assert!(
            mine.is_none(),
            "we accept, serde_json refuses ({e}): {text:?}"
        ),
    }
}

#[test]
fn hand_picked_texts_agree() {
    for text in [
        "null",
        "true",
        " [ ] ",
        "{}",
        "0",
        "-0",
        "1.5e-3",
        "1E+2",
        "01",
        "1.",
        "-",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"\u{7f}\"",
        "\"\u{1f}\"",
        "[1,]",
        "{\"a\":1,\"a\":2}",
        "{\"a\":[{\"b\":null}]}",
        "\t\n\r 1 \n",
        "[1 2]",
        "\"\\/\"",
        "tru",
        "\u{feff}1",
    ] {
        agree(text);
    }
}

fn json_ish() -> impl Strategy<Value = String> {
    // Short texts over JSON's own alphabet, where structure and mistakes are both likely.
    proptest::collection::vec(
        prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("\"k\"".to_owned()),
            Just("\\u".to_owned()),
            Just("d83d".to_owned()),
            Just("00e9".to_owned()),
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("-".to_owned()),
            Just("0".to_owned()),
            Just("12".to_owned()),
            Just(".".to_owned()),
            Just("e".to_owned()),
            Just(" ".to_owned()),
            Just("n".to_owned()),
            Just("é".to_owned()),
            Just("\u{1}".to_owned()),
        ],
        0..14,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn random_texts_agree(text in json_ish()) {
        agree(&text);
    }

    #[test]
    fn any_string_is_written_as_json_that_reads_back(text in any::<String>()) {
        let mut out = String::new();
        write_str(&mut out, &text);
        prop_assert_eq!(serde_json::from_str::<String>(&out).ok(), Some(text.clone()));
        prop_assert_eq!(parse(&out), Some(Json::String(text)));
    }

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
}
