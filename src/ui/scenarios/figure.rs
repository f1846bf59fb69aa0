//! The numbers a lab produced.

use leptos::prelude::*;

use crate::ui::CollectErased;

/// One number: what it is, its value as displayed, and whether it shows the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fig {
    /// What the number is.
    pub label: &'static str,
    /// The number, as displayed.
    pub value: String,
    /// True when this figure shows the problem (lost likes, oversold units).
    pub alert: bool,
}

/// A figure.
pub fn fig(label: &'static str, value: impl Into<String>) -> Fig {
    Fig {
        label,
        value: value.into(),
        alert: false,
    }
}

/// A figure that shows the problem when `alert` is true.
pub fn alert(label: &'static str, value: impl Into<String>, alert: bool) -> Fig {
    Fig {
        label,
        value: value.into(),
        alert,
    }
}

/// A lab's figures as a description list (`<dt>` label, `<dd>` value).
#[component]
pub fn Figures(
    /// The figures, recomputed as the lab runs (empty before it starts).
    #[prop(into)]
    figures: Signal<Vec<Fig>>,
) -> impl IntoView {
    view! {
        <dl class="figures">
            {move || {
                figures
                    .get()
                    .into_iter()
                    .map(|mut f| {
                        if f.value.is_empty() {
                            // Never a blank figure: a lab gives a reason where it can, this is
                            // the last guard.
                            f.value = "—".to_owned();
                        }
                        view! {
                            <div class="figure" class:alert=f.alert>
                                <dt>{f.label}</dt>
                                <dd data-figure=f.label>{f.value}</dd>
                            </div>
                        }
                    })
                    .collect_erased()
            }}
        </dl>
    }
}
