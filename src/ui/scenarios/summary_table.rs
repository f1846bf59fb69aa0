//! The summary table: which increment command for which use; each row opens its lab.

use leptos::prelude::*;

use crate::simulation::scenarios::summary::ROWS;
use crate::simulation::scenarios::LabId;
use crate::ui::Snippet;

/// The table. "Open the lab" sets `selected` (and the page moves to the lab).
#[component]
pub fn SummaryTable(
    /// The lab shown below the table.
    selected: RwSignal<LabId>,
) -> impl IntoView {
    view! {
        <table class="summary">
            <caption>"Which command for which use"</caption>
            <thead>
                <tr>
                    <th scope="col">"Command"</th>
                    <th scope="col">"Use it for"</th>
                    <th scope="col">"Try it"</th>
                    <th scope="col">"Watch out"</th>
                    <th scope="col">"Lab"</th>
                </tr>
            </thead>
            <tbody>
                {ROWS
                    .iter()
                    .map(|row| {
                        view! {
                            <tr>
                                <th scope="row"><code>{row.command}</code></th>
                                <td>{row.used_for}</td>
                                <td><Snippet command=row.example /></td>
                                <td>{row.watch_out}</td>
                                <td>
                                    {row.lab.map(|lab| view! {
                                        <button type="button" on:click=move |_| super::open(selected, lab)>
                                            {format!("Open: {}", lab.title())}
                                        </button>
                                    })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
