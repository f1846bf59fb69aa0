//! Challenge mode's panel: pick a level, write a schedule or a program, check it, and replay the
//! run that breaks it step by step (with step back). Answers are saved in the learner's progress.

use leptos::prelude::*;

use crate::lesson::challenge::{
    attempt, base64url, begin_attempt, read_shared, share_params, Attempt, Kind, Level, Pending,
    CODE_PARAM, EVAL_PARAM, LEVELS, LEVEL_PARAM,
};
use crate::lesson::html::{escape, inline_html};
use crate::lesson::progress::{ChallengeAnswer, MAX_PROGRAM_CHARS};
use crate::simulation::checker::{Placement, Trace};

use crate::ui::address::{query_value, write_address, Entry, Fragment};

use super::state::LessonState;

/// Whether the saved answer to `level` wins it (worked out by running it).
fn saved_wins(state: LessonState, level: &Level) -> bool {
    state.progress.with_untracked(|p| {
        p.challenges.get(level.id).is_some_and(|a| {
            let placement = if a.eval {
                Placement::Eval
            } else {
                Placement::Client
            };
            attempt(level, &a.text, placement).won()
        })
    })
}

/// Runs `pending` a slice at a time — about 25 ms, then the page has the thread back for a turn —
/// showing the states found so far in `progress`, until it is judged (`finish`) or `alive` says a
/// newer check or another level replaced it.
fn run_slices<A, F>(mut pending: Pending, progress: RwSignal<usize>, alive: A, finish: F)
where
    A: Fn() -> bool + Copy + 'static,
    F: Fn(Attempt) + Copy + 'static,
{
    if !alive() {
        return;
    }
    let start = js_sys::Date::now();
    loop {
        if let Some(judged) = pending.step(200) {
            finish(judged);
            return;
        }
        if js_sys::Date::now() - start > 25.0 {
            break;
        }
    }
    progress.set(pending.states());
    set_timeout(
        move || run_slices(pending, progress, alive, finish),
        std::time::Duration::ZERO,
    );
}

/// The replay of one run: the steps so far as a list, the keyspace after the current one.
fn trace_html(trace: &Trace, at: usize) -> String {
    let mut out = String::from("<ol class=\"challenge-steps\">");
    for (i, step) in trace.steps.iter().enumerate().take(at) {
        let class = if i + 1 == at {
            " class=\"current\""
        } else {
            ""
        };
        out.push_str(&format!("<li{class}>{}", escape(&step.text)));
        if let Some(v) = &step.violation {
            out.push_str(&format!(" <strong>— broken: {}</strong>", escape(v)));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    let keyspace = if at == 0 {
        &trace.initial
    } else {
        &trace.steps[at - 1].keyspace
    };
    out.push_str("<table class=\"challenge-keys\"><caption>Keyspace after step ");
    out.push_str(&at.to_string());
    out.push_str("</caption><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Value</th><th scope=\"col\">TTL</th></tr></thead><tbody>");
    if keyspace.is_empty() {
        out.push_str("<tr><td colspan=\"3\">(empty)</td></tr>");
    }
    for (key, value, ttl) in keyspace {
        let ttl = ttl.map_or_else(|| "none".to_owned(), |s| format!("{s} s"));
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{ttl}</td></tr>",
            escape(key),
            escape(value)
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// The level's programs, for a break-it level (every client runs the same text unless fixed).
fn programs_html(level: &Level) -> String {
    let mut out = String::new();
    let same = level.seats.iter().all(|s| s.fixed.is_none());
    if same {
        out.push_str(&format!(
            "<p>Each of the {} clients runs:</p><pre><code>{}</code></pre>",
            level.seats.len(),
            escape(level.start)
        ));
    }
    out
}

/// The challenges: a list of levels and the open one.
#[component]
pub fn Challenges() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let current = RwSignal::new(0_usize);
    // Levels won, worked out from the saved answers once, then kept up to date by each check.
    let won = RwSignal::new(Vec::<bool>::new());
    let ensure_won = move || {
        if won.with_untracked(Vec::is_empty) {
            won.set(LEVELS.iter().map(|l| saved_wins(state, l)).collect());
        }
    };
    let text = RwSignal::new(String::new());
    let eval = RwSignal::new(false);
    let result = RwSignal::new(None::<Attempt>);
    let step = RwSignal::new(0_usize);
    let busy = RwSignal::new(false);
    // The check under way (a number each; opening a level or checking again abandons the last),
    // the states it has found, and how long the last one took (`data-ms` on the result line).
    let checking = RwSignal::new(0_u32);
    let progress = RwSignal::new(0_usize);
    let elapsed_ms = RwSignal::new(0.0_f64);
    // Checks finished, on the result line (`data-checks`), so a test can wait for the next one.
    let checks = RwSignal::new(0_u32);
    let lvl = move || &LEVELS[current.get().min(LEVELS.len() - 1)];

    let open = move |index: usize| {
        let level = &LEVELS[index];
        current.set(index);
        let saved = state
            .progress
            .with_untracked(|p| p.challenges.get(level.id).cloned());
        let (t, e) = match (saved, level.kind) {
            (Some(a), _) => (a.text, a.eval),
            (None, Kind::BreakIt) => (String::new(), false),
            (None, Kind::FixIt) => (level.start.to_owned(), false),
        };
        text.set(t);
        eval.set(e);
        result.set(None);
        step.set(0);
        checking.update(|g| *g = g.wrapping_add(1));
        busy.set(false);
    };
    // Opens the first level not yet won.
    let first_open = move || {
        ensure_won();
        let index = won.with_untracked(|w| w.iter().position(|&x| !x).unwrap_or(0));
        open(index);
    };
    first_open();
    // A shared address (`?chapter=challenges&level=…&code=…`) opens its level with its program; what
    // it gets wrong is said politely above the editor.
    let notice = RwSignal::new(None::<String>);
    let shared = read_shared(
        query_value(LEVEL_PARAM).as_deref(),
        query_value(CODE_PARAM).as_deref(),
        query_value(EVAL_PARAM).as_deref(),
    );
    if let Some(index) = shared.level {
        open(index);
        if let Some(t) = shared.text {
            text.set(t);
            eval.set(shared.eval);
        }
    }
    notice.set(shared.notice);
    // The link to this level with the editor's text (relative: the page's own path).
    let share_href = move || {
        let level = lvl();
        let eval = eval.get() && level.eval_allowed;
        text.with(|t| {
            let mut href = format!("?chapter=challenges&{LEVEL_PARAM}={}", level.id);
            if !t.is_empty() {
                href.push_str(&format!("&{CODE_PARAM}={}", base64url(t.as_bytes())));
            }
            if eval {
                href.push_str(&format!("&{EVAL_PARAM}=1"));
            }
            href
        })
    };

    let check = move || {
        let level = &LEVELS[current.get_untracked()];
        let answer = text.get_untracked();
        let in_eval = eval.get_untracked() && level.eval_allowed;
        state.progress.update(|p| {
            p.answer_challenge(
                level.id,
                ChallengeAnswer {
                    text: answer.clone(),
                    eval: in_eval,
                },
            )
        });
        // The address now shares this level and program.
        let params = share_params(level, &answer, in_eval);
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        write_address(&pairs, Fragment::Keep, Entry::Replace);
        notice.set(None);
        busy.set(true);
        result.set(None);
        progress.set(0);
        let generation = checking.get_untracked().wrapping_add(1);
        checking.set(generation);
        let started = js_sys::Date::now();
        let finish = move |outcome: Attempt| {
            let index = LEVELS.iter().position(|l| l.id == level.id).unwrap_or(0);
            let wins = outcome.won();
            won.update(|w| {
                if let Some(slot) = w.get_mut(index) {
                    *slot = *slot || wins;
                }
            });
            let steps = match &outcome {
                Attempt::Won { trace: Some(t), .. } | Attempt::NotYet { trace: Some(t), .. } => {
                    t.steps.len()
                }
                _ => 0,
            };
            step.set(steps);
            result.set(Some(outcome));
            busy.set(false);
            elapsed_ms.set(js_sys::Date::now() - started);
            checks.update(|c| *c = c.wrapping_add(1));
        };
        let alive = move || checking.get_untracked() == generation;
        // Let "Checking…" show before the search starts.
        set_timeout(
            move || {
                let placement = if in_eval {
                    Placement::Eval
                } else {
                    Placement::Client
                };
                match begin_attempt(level, &answer, placement) {
                    Ok(pending) => run_slices(pending, progress, alive, finish),
                    Err(judged) => finish(*judged),
                }
            },
            std::time::Duration::from_millis(30),
        );
    };

    let message = move || {
        if busy.get() {
            return match progress.get() {
                0 => "Checking every interleaving…".to_owned(),
                n => format!("Checking every interleaving… {n} states so far"),
            };
        }
        result.with(|r| match r {
            None => String::new(),
            Some(Attempt::Won { message, .. }) => format!("Level won. {message}"),
            Some(Attempt::NotYet { message, .. }) => format!("Not yet. {message}"),
            Some(Attempt::Invalid(e)) => format!("Cannot run that: {e}"),
        })
    };
    let trace = move || {
        result.with(|r| match r {
            Some(Attempt::Won { trace: Some(t), .. })
            | Some(Attempt::NotYet { trace: Some(t), .. }) => Some(t.clone()),
            _ => None,
        })
    };
    let steps_total = move || trace().map_or(0, |t| t.steps.len());

    let levels_list = move || {
        won.track();
        LEVELS
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let done = won.with(|w| w.get(i).copied().unwrap_or(false));
                let kind = match l.kind {
                    Kind::BreakIt => "break it",
                    Kind::FixIt => "fix it",
                };
                view! {
                    <li>
                        <button type="button" class="challenge-level" aria-pressed=move || (current.get() == i).to_string() on:click=move |_| open(i)>
                            {format!("{}. {} ({kind}){}", i + 1, l.title, if done { " ✓" } else { "" })}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let solved = move || {
        won.with(|w| {
            let n = w.iter().filter(|&&x| x).count();
            format!("{n} of {} levels won", LEVELS.len())
        })
    };
    let show_solution = move |_| {
        let level = lvl();
        text.set(level.solution.to_owned());
        eval.set(level.solution_placement == Placement::Eval);
    };
    let label = move || match lvl().kind {
        Kind::BreakIt => "Your schedule (client numbers; crash N; clock)",
        Kind::FixIt => "Your client program",
    };
    // The editor grows with its text (no scrolling, so the line numbers beside it stay aligned).
    let line_count = move || text.with(|t| t.split('\n').count()).min(MAX_PROGRAM_CHARS);
    let lines = move || line_count() + 1;
    let numbers = move || {
        (1..=line_count())
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    view! {
        <section class="challenges" aria-labelledby="challenges-title">
            <h3 id="challenges-title">"Challenges"</h3>
            <p class="challenge-progress" role="status">{solved}</p>
            <ol class="challenge-levels">{levels_list}</ol>
            <div class="challenge">
                <h4 id="challenge-level-title">{move || lvl().title}</h4>
                <p inner_html=move || inline_html(lvl().goal)></p>
                <p><strong>"Invariant: "</strong>{move || lvl().invariant_words}</p>
                <details>
                    <summary>"The invariant as code"</summary>
                    <pre><code>{move || lvl().invariant}</code></pre>
                </details>
                <div inner_html=move || if lvl().kind == Kind::BreakIt { programs_html(lvl()) } else { String::new() }></div>
                <p class="challenge-notice" role="status" hidden=move || notice.with(Option::is_none)>{move || notice.get().unwrap_or_default()}</p>
                <label for="challenge-editor">{label}</label>
                <div class="challenge-code">
                <pre class="challenge-lines" aria-hidden="true">{numbers}</pre>
                <textarea id="challenge-editor" class="challenge-editor" spellcheck="false" autocomplete="off"
                    wrap="off" maxlength=MAX_PROGRAM_CHARS rows=lines
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            check();
                        }
                    }></textarea>
                </div>
                <p class="challenge-actions">
                    <label hidden=move || !lvl().eval_allowed>
                        <input type="checkbox" prop:checked=move || eval.get() on:change=move |ev| eval.set(event_target_checked(&ev)) />
                        " Run it inside EVAL (atomic)"
                    </label>
                    " "
                    <button type="button" on:click=move |_| check() disabled=move || busy.get()>"Check"</button>
                    " "
                    <button type="button" on:click=show_solution>"Show a solution"</button>
                    " "
                    <a class="challenge-share" href=share_href>"Link to this level with your text"</a>
                </p>
                <details>
                    <summary>"Hint"</summary>
                    <p inner_html=move || inline_html(lvl().hint)></p>
                </details>
                <p class="challenge-result" role="status" aria-live="polite" data-checks=move || checks.get().to_string() data-ms=move || format!("{:.0}", elapsed_ms.get())>{message}</p>
                <div class="challenge-replay" hidden=move || trace().is_none()>
                    <p>
                        <button type="button" on:click=move |_| step.update(|s| *s = s.saturating_sub(1)) disabled=move || step.get() == 0>"Step back"</button>
                        " "
                        <button type="button" on:click=move |_| step.update(|s| *s = (*s + 1).min(steps_total())) disabled=move || { step.get() >= steps_total() }>"Step forward"</button>
                        " "
                        <span>{move || format!("Step {} of {}", step.get(), steps_total())}</span>
                    </p>
                    <div inner_html=move || trace().map(|t| trace_html(&t, step.get().min(t.steps.len()))).unwrap_or_default()></div>
                </div>
            </div>
        </section>
    }
}
