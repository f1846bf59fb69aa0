//! The summary table: which increment command for which use, on which data structure; each row
//! links to the chapter whose lab shows it, or to the lesson's box that runs it.

use leptos::prelude::*;

use crate::lesson::html::chapter_href;
use crate::lesson::{chapter_index, Block, Demo, CHAPTERS};
use crate::simulation::scenarios::summary::ROWS;
use crate::simulation::scenarios::LabId;
use crate::ui::CollectErased;
use crate::ui::Snippet;

/// The chapter of the lesson that mounts `lab`, if one does.
pub fn chapter_of(lab: LabId) -> Option<usize> {
    CHAPTERS
        .iter()
        .position(|chapter| chapter.blocks.contains(&Block::Demo(Demo::Lab(lab))))
}

/// The table. A row's link opens the lab's chapter in place (the lesson follows `data-chapter`
/// links); its example runs in the console.
#[component]
pub fn SummaryTable() -> impl IntoView {
    view! {
        <table class="summary">
            <caption>"Which command for which use"</caption>
            <thead>
                <tr>
                    <th scope="col">"Command"</th>
                    <th scope="col">"Data structure"</th>
                    <th scope="col">"Use it for"</th>
                    <th scope="col">"Try it"</th>
                    <th scope="col">"Watch out"</th>
                    <th scope="col">"See it live"</th>
                </tr>
            </thead>
            <tbody>
                {ROWS
                    .iter()
                    .map(|row| {
                        let lab = row.lab.and_then(|lab| {
                            let index = chapter_of(lab)?;
                            Some(view! {
                                <a href=chapter_href(index, None) data-chapter=index.to_string()>
                                    {format!("Open the {} lab", lab.slug().replace('-', " "))}
                                </a>
                            }.into_any())
                        });
                        // A row no lab shows links to the lesson's box that runs it.
                        let shown = row.shown_at.and_then(|(chapter, anchor)| {
                            let index = chapter_index(chapter)?;
                            let title = CHAPTERS.get(index)?.title;
                            Some(view! {
                                <a href=chapter_href(index, Some(anchor)) data-chapter=index.to_string() data-anchor=anchor>
                                    {format!("See it in “{}”", title)}
                                </a>
                            }.into_any())
                        });
                        let link = lab.or(shown);
                        view! {
                            <tr>
                                <th scope="row"><code>{row.command}</code></th>
                                <td>{row.structure}</td>
                                <td>{row.used_for}</td>
                                <td><Snippet command=row.example /></td>
                                <td>{row.watch_out}</td>
                                <td>{link}</td>
                            </tr>
                        }
                    })
                    .collect_erased()}
            </tbody>
        </table>
    }
}
