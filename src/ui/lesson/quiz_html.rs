//! The quiz's questions as HTML text, the way the lesson's chapter text is
//! ([`crate::lesson::html`]): strings put in place with `inner_html`, whose clicks and submits the
//! lesson's one delegated listener handles ([`super::Lesson`]), keyed on three attributes:
//!
//! - `data-answer="views:2"` on an option: pick option 2 of question `views`;
//! - `data-question="views"` on a typed answer's form: check what its input holds;
//! - `data-try="views"` on a "Try it" button: run the question's commands in the console.
//!
//! Size: strings rather than views, as the chapter text: the quiz drawn with views instead costs
//! +1.7 KB gzip (measured in issue 17). The questions themselves, and how answers are checked,
//! are lesson content ([`crate::lesson::quiz`]). Every piece of text is escaped.

use crate::lesson::html::{escape, escape_into, inline_html};
use crate::lesson::progress::MAX_ANSWER_CHARS;
use crate::lesson::quiz::{display_order, Answer, Question, Verdict};
use crate::lesson::CHAPTERS;

/// A quiz question's heading and prompt. The prompt's id (`q-<id>-prompt`) names the options.
pub fn question_html(number: usize, question: &Question) -> String {
    let chapter = CHAPTERS
        .iter()
        .find(|c| c.id == question.chapter)
        .map_or("", |c| c.title);
    let mut out = format!("<h3>Question {number} · ");
    escape_into(&mut out, chapter);
    out.push_str(&format!(
        "</h3><p class=\"prompt-text\" id=\"q-{}-prompt\">",
        escape(question.id)
    ));
    out.push_str(&inline_html(question.prompt));
    out.push_str("</p>");
    out
}

/// How a question is answered: its options as buttons (in the question's fixed shuffle, the one
/// picked pressed, and once answered the right one and a wrong pick marked in words), or a form
/// with a command input holding `saved`.
pub fn answer_html(question: &Question, saved: Option<&str>, answered: bool) -> String {
    let id = escape(question.id);
    match question.answer {
        Answer::Choice { options, correct } => {
            let mut out = format!(
                "<div role=\"group\" aria-labelledby=\"q-{id}-prompt\"><ul class=\"options\">"
            );
            for i in display_order(question) {
                let Some(option) = options.get(i) else {
                    continue;
                };
                let picked = saved == Some(i.to_string().as_str());
                let mark = match (answered, i == correct, picked) {
                    (true, true, _) => "✓ right answer",
                    (true, false, true) => "✗ your answer",
                    _ => "",
                };
                out.push_str(&format!(
                    "<li><button type=\"button\" class=\"option\" aria-pressed=\"{picked}\" data-answer=\"{id}:{i}\"><span>"
                ));
                out.push_str(&inline_html(option));
                out.push_str(&format!(
                    "</span><span class=\"option-mark\">{mark}</span></button></li>"
                ));
            }
            out.push_str("</ul></div>");
            out
        }
        Answer::Command { .. } => {
            let mut out = format!(
                "<form class=\"typed-answer\" data-question=\"{id}\"><label for=\"q-{id}-input\">Your answer</label>\
                 <input id=\"q-{id}-input\" type=\"text\" autocomplete=\"off\" autocapitalize=\"off\" \
                 spellcheck=\"false\" maxlength=\"{MAX_ANSWER_CHARS}\" value=\""
            );
            escape_into(&mut out, saved.unwrap_or(""));
            out.push_str("\"><button type=\"submit\">Check</button></form>");
            out
        }
    }
}

/// Appends `text` with its parts between backticks as `<code>`, everything escaped; no other
/// mark is read (a verdict's reason quotes what the learner typed and what Redis answered).
fn code_marks_into(out: &mut String, text: &str) {
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            escape_into(out, part);
            out.push_str("</code>");
        } else {
            escape_into(out, part);
        }
    }
}

/// The verdict on an answer: right or not and why, what Redis answered to a typed command, one
/// right command after a wrong one, the explanation, and a "Try it" button.
pub fn feedback_html(question: &Question, verdict: &Verdict) -> String {
    let mut out = String::from(if verdict.correct {
        "<p class=\"verdict right\">✓ Right."
    } else {
        "<p class=\"verdict wrong\">✗ Not quite."
    });
    if !verdict.reason.is_empty() {
        out.push(' ');
        code_marks_into(&mut out, &verdict.reason);
    }
    out.push_str("</p>");
    if !verdict.output.is_empty() {
        out.push_str("<p class=\"verdict-output\">Redis answered: <code>");
        escape_into(&mut out, &verdict.output.join(" "));
        out.push_str("</code></p>");
    }
    if let (false, Answer::Command { model, .. }) = (verdict.correct, question.answer) {
        out.push_str("<p class=\"verdict-output\">One right answer: <code>");
        escape_into(&mut out, model);
        out.push_str("</code></p>");
    }
    out.push_str("<p class=\"explanation\">");
    out.push_str(&inline_html(question.explanation));
    out.push_str("</p>");
    if !question.try_it.is_empty() {
        out.push_str(&format!(
            "<button type=\"button\" class=\"try-it\" data-try=\"{}\" aria-label=\"",
            escape(question.id)
        ));
        escape_into(
            &mut out,
            &format!("Try it in the console: {}", question.try_it.join(", ")),
        );
        out.push_str("\">Try it in the console</button>");
    }
    out
}
