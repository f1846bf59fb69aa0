//! The lesson's quiz rendered as HTML for the page: options in their state, the typed answer's
//! form, the verdict.
#![cfg(target_arch = "wasm32")]

use incr_lab::lesson::quiz::{check, question};
use incr_lab::ui::lesson::quiz_html::{answer_html, feedback_html, question_html};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn quiz_questions_render_with_their_state() {
    let stock = question("stock-zero").expect("question");
    let fresh = answer_html(stock, None, false);
    assert_eq!(fresh.matches("data-answer=\"stock-zero:").count(), 4);
    assert!(!fresh.contains("aria-pressed=\"true\"") && !fresh.contains('✓'));
    let wrong = answer_html(stock, Some("1"), true);
    assert!(wrong.contains("aria-pressed=\"true\" data-answer=\"stock-zero:1\"><span>(integer) 0</span><span class=\"option-mark\">✗ your answer"));
    assert!(wrong.contains("data-answer=\"stock-zero:0\"><span>(integer) -1</span><span class=\"option-mark\">✓ right answer"));
    assert!(question_html(5, stock).starts_with("<h3>Question 5 · Flash sale"));

    let views = question("views").expect("question");
    let form = answer_html(views, Some("INCR \"<x>\""), false);
    assert!(
        form.contains("data-question=\"views\"")
            && form.contains("value=\"INCR &quot;&lt;x&gt;&quot;\"")
    );
    let right = feedback_html(views, &check(views, "incrby video:views 1"));
    assert!(
        right.starts_with("<p class=\"verdict right\">✓ Right.</p>"),
        "{right}"
    );
    assert!(!right.contains("One right answer"));
    assert!(right.contains("data-try=\"views\""));
    let wrong = feedback_html(views, &check(views, "SET video:views 42"));
    assert!(
        wrong.contains(
            "✗ Not quite. Starting from an empty database, your command leaves \
             <code>GET video:views</code> answering <code>&quot;42&quot;</code>"
        ),
        "{wrong}"
    );
    assert!(wrong.contains("Redis answered: <code>OK</code>"));
    assert!(wrong.contains("One right answer: <code>INCR video:views</code>"));
}
