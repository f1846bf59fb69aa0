//! Lab 4's panel: the leaderboard.

use leptos::prelude::*;

use super::lab_controls::LabControls;
use super::lab_frame::LabFrame;
use super::prose;
use super::runner::LabHandle;
use crate::simulation::scenarios::leaderboard::{player_name, BoardConfig, BoardLab};
use crate::simulation::scenarios::LabId;
use crate::ui::clock::VirtualClock;
use crate::ui::Snippet;

/// The leaderboard: ZINCRBY from many games, a live top 10, a chosen player's place, and ties.
#[component]
pub fn LeaderboardPanel() -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    let handle = LabHandle::new(clock, |c| format!("game {c}"));
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

    view! {
        <LabFrame id=LabId::Leaderboard handle>
            <p>{prose(
                "Every game result is one `ZINCRBY leaderboard <points> <player>`, atomic like INCR: however \
                many games end at once, no point is lost. The board reads the top 10 with one command, and \
                any player's place with another — both answered from the sorted set, no sorting on the \
                client."
            )}</p>
            <div class="lab-settings">
                <label>
                    "Follow player "
                    <select on:change:target=move |ev| chosen.set(ev.target().value())>
                        {(0..players)
                            .map(|i| {
                                let name = player_name(i);
                                let value = name.clone();
                                view! { <option value=value selected=move || chosen.get() == name>{player_name(i)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" disabled=move || !handle.started.get() on:click=give>
                    {move || format!("Give {} 10 points", chosen.get())}
                </button>
            </div>
            <LabControls handle start />
            <ul class="snippets" aria-label="The board's commands">
                {move || {
                    BoardLab::dashboard_commands(10, &chosen.get())
                        .into_iter()
                        .map(|command| view! { <li><Snippet command /></li> })
                        .collect_view()
                }}
            </ul>
            <table class="board">
                <caption>"Top 10 (ZREVRANGE leaderboard 0 9 WITHSCORES)"</caption>
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
                            .collect_view()
                    }}
                </tbody>
            </table>
            <p class="standing" aria-live="polite">
                {move || match standing.get() {
                    Some(s) => format!("{} is number {} with {} points.", chosen.get(), s.place, s.score),
                    None => format!("{} has not scored yet.", chosen.get()),
                }}
            </p>
            <p class="caveat"><strong>"The catch the article skips: "</strong>{prose(
                "players with equal scores are not ranked by who got there first. A sorted set orders equal \
                scores by member name, byte by byte, and `ZREVRANGE` reverses the whole order — so among \
                equal scores, names run from Z to A (“bjarne” above “ada”). Give two players the same score \
                and look. To rank the first to reach a score higher, fold time into the score (for example \
                points × 10¹⁰ minus a timestamp)."
            )}</p>
        </LabFrame>
    }
}
