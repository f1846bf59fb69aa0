//! The `incr-lab` binary. Built for the browser (wasm32, by Trunk) it mounts the app; built natively
//! it only says how to open the app, since the app needs a browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    incr_lab::ui::install_panic_hook();
    // `?room=CODE`: a page of the live classroom (`redis-sim classroom`), not the lesson.
    let room = incr_lab::ui::address::query_value("room").is_some();
    // What the console-lite's input holds goes to the app's (src/ui/handoff.rs); a classroom page
    // has no lesson console to take it.
    let typed = if room {
        None
    } else {
        incr_lab::ui::handoff::typed()
    };
    if room {
        leptos::mount::mount_to_body(incr_lab::ui::live::LivePage);
    } else {
        leptos::mount::mount_to_body(incr_lab::ui::App);
    }
    // The static lesson (incr_lab::lesson::static_page) goes in the task that mounted the app: no
    // frame shows both, and the app's chapter takes the place the static one had.
    let static_page = leptos::prelude::document()
        .get_element_by_id(incr_lab::lesson::static_page::STATIC_PAGE_ID);
    if let Some(static_page) = static_page {
        static_page.remove();
    }
    if let Some((text, focused)) = typed {
        incr_lab::ui::handoff::restore_typed(&text, focused);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "incr-lab runs in the browser: `scripts/serve.sh` builds it and serves it on \
         http://127.0.0.1:8080/ (see README.md). For Redis in a terminal: `cargo run --bin redis-sim`."
    );
}
