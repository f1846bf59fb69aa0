//! Lab 2's panel: the flash sale.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::num;
use super::runner::TypedLab;
use crate::simulation::scenarios::flash_sale::{Sale, SaleConfig, SaleLab, KEY};
use crate::simulation::scenarios::LabId;
use crate::ui::server::ServerId;
use crate::ui::Snippet;

/// The flash sale: 100 units, thousands of buyers, four ways to take a unit.
#[component]
pub fn FlashSalePanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::FlashSale, |c| format!("buyer {c}"));
    let sale = RwSignal::new(Sale::Decr.slug().to_owned());
    let buyers = RwSignal::new("10000".to_owned());
    let start = Callback::new(move |()| {
        let sale = sale.get_untracked();
        handle.start(SaleLab::new(SaleConfig {
            sale: Sale::ALL
                .into_iter()
                .find(|s| s.slug() == sale)
                .unwrap_or(Sale::Decr),
            buyers: buyers.get_untracked().parse().unwrap_or(10_000),
            ..SaleConfig::default()
        }))
    });
    let figures = Signal::derive(move || {
        handle
            .with(|lab: &SaleLab| {
                let o = lab.outcome();
                vec![
                    fig("Units sold", num(o.sold)),
                    fig("Told “sold out”", num(o.sold_out)),
                    alert("Oversold units", num(o.oversold), o.oversold > 0),
                    alert("Stock now", num(o.final_stock), o.final_stock < 0),
                    fig("Lowest stock seen", num(o.lowest_stock)),
                    fig("Retries (nil EXEC)", num(o.retries as i64)),
                    fig("Commands sent", num(o.commands as i64)),
                ]
            })
            .unwrap_or_default()
    });

    let settings = vec![
        Setting {
            label: "Buyers take a unit with",
            options: options(
                &Sale::ALL,
                |s| s.slug().to_owned(),
                |s| s.label().to_owned(),
            ),
            value: sale,
        },
        Setting {
            label: "Buyers",
            options: options(&[1_000, 10_000], |b: i64| b.to_string(), num),
            value: buyers,
        },
    ];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::FlashSale);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::FlashSale
                handle
                intro="The shop sets the stock to 100 and thousands of buyers arrive within one second. With \
                `DECR` each buyer gets the new stock back from the same command that took the unit: 0 or \
                more means you got one, below 0 means sold out. Two buyers can never get the same unit."
                settings
                start
                figures
            />
            <p class="lab-hint">"Each run starts with " <Snippet command=format!("SET {KEY} 100") server=ServerId::Lab(LabId::FlashSale) /></p>
            <LabTail
                id=LabId::FlashSale
                handle
                caveat="`DECR` never stops at zero. After the sale the key reads 100 minus the number of buyers — \
                −9,900 with 10,000 buyers, the “Stock now” above — so a “left in stock” badge showing the key, \
                or a restock job reading it, would be badly wrong. Either give the unit \
                back with `INCR` when DECR answers below 0 (the stock dips below zero for a moment, then \
                ends at 0), or check and decrement atomically with `WATCH` / `MULTI` / `EXEC` (never below \
                zero, at the price of retries). Both sell exactly 100. The naive `GET` then `SET` oversells: \
                buyers who read the same stock all “buy” the same phone."
            />
        </section>
    }
}
