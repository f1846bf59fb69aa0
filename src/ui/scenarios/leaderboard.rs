//! Lab 4's panel: the leaderboard.

use leptos::prelude::*;

use super::figure::fig;
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::num;
use super::runner::TypedLab;
use crate::simulation::scenarios::leaderboard::{player_name, BoardConfig, BoardLab};
use crate::simulation::scenarios::LabId;
use crate::ui::server::ServerId;
use crate::ui::CollectErased;
use crate::ui::Snippet;

/// The leaderboard: ZINCRBY from many games, a live top 10, a chosen player's place, and ties.
#[component]
pub fn LeaderboardPanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::Leaderboard, |c| format!("game {c}"));
    let players = BoardConfig::default().players;
    let chosen = RwSignal::new(player_name(5));
    let start = Callback::new(move |()| handle.start(BoardLab::new(BoardConfig::default())));
    let top = Signal::derive(move || {
        handle
            .query(|lab: &mut BoardLab| lab.top(10))
            .unwrap_or_default()
    });
    let standing = Signal::derive(move || {
        let player = chosen.get();
        handle
            .query(|lab: &mut BoardLab| lab.standing(&player))
            .flatten()
    });
    let give = move |_| {
        let player = chosen.get_untracked();
        handle.update(|lab: &mut BoardLab| lab.post(&player, 10));
    };

    let figures = Signal::derive(move || {
        let Some(board) = handle.with(|lab: &BoardLab| lab.points_sent()) else {
            return Vec::new();
        };
        let none = || "— (not on the board yet)".to_owned();
        let place = standing
            .get()
            .map(|s| (s.place.to_string(), s.score))
            .unwrap_or_else(|| (none(), none()));
        vec![
            fig(
                "Players on the board",
                board.iter().filter(|&&p| p > 0).count().to_string(),
            ),
            fig("Points posted", num(board.iter().sum())),
            fig("Followed player's place", place.0),
            fig("Followed player's score", place.1),
        ]
    });
    let settings = vec![Setting {
        label: "Follow player",
        options: (0..players)
            .map(|i| (player_name(i), player_name(i)))
            .collect(),
        value: chosen,
    }];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::Leaderboard);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::Leaderboard
                handle
                intro="Every game result is one `ZINCRBY leaderboard <points> <player>`, atomic like INCR: however \
                many games end at once, no point is lost. The board reads the top 10 with one command, and \
                any player's place with another — both answered from the sorted set, no sorting on the \
                client."
                settings
                start
                figures
            />
            <div class="lab-actions">
                <button type="button" disabled=move || !handle.started() on:click=give>
                    {move || format!("Give {} 10 points", chosen.get())}
                </button>
            </div>
            <ul class="snippets" aria-label="The board's commands">
                {move || {
                    BoardLab::dashboard_commands(10, &chosen.get())
                        .into_iter()
                        .map(|command| view! { <li><Snippet command server=ServerId::Lab(LabId::Leaderboard) /></li> })
                        .collect_erased()
                }}
            </ul>
            <table class="board">
                <caption>"Top 10 (ZRANGE leaderboard 0 9 REV WITHSCORES)"</caption>
                <thead>
                    <tr><th scope="col">"Place"</th><th scope="col">"Player"</th><th scope="col">"Score"</th></tr>
                </thead>
                <tbody>
                    {move || {
                        let chosen = chosen.get();
                        top.get()
                            .into_iter()
                            .map(|row| {
                                let tie = if row.tied { " (tie)" } else { "" };
                                let is_chosen = chosen == row.player;
                                view! {
                                    <tr class:chosen=is_chosen>
                                        <td>{row.place}</td>
                                        <td>{row.player}{tie}</td>
                                        <td>{row.score}</td>
                                    </tr>
                                }
                            })
                            .collect_erased()
                    }}
                </tbody>
            </table>
            <p class="standing" aria-live="polite">
                {move || match standing.get() {
                    Some(s) => format!("{} is number {} with {} points.", chosen.get(), s.place, s.score),
                    None => format!("{} has not scored yet.", chosen.get()),
                }}
            </p>
            <LabTail
                id=LabId::Leaderboard
                handle
                caveat="players with equal scores are not ranked by who got there first. A sorted set orders equal \
                scores by member name, byte by byte, and `REV` (like the deprecated `ZREVRANGE`) reverses the \
                whole order — so among equal scores, names run from Z to A (“bjarne” above “ada”). Give two \
                players the same score and look. To rank the first to reach a score higher, fold time into the \
                score: points × 10¹⁰ minus the time in seconds. A score is a double, exact for whole numbers \
                up to 2⁵³ only, so that holds while the time stays below 10¹⁰ s and the points at most 900,719."
            />
        </section>
    }
}
