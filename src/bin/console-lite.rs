//! The console-lite: a small WebAssembly binary that puts a working console on the static page
//! while the app's much larger one is still downloading, so that a learner on a slow phone can
//! type `INCR likes` and get its answer in a second or two instead of five.
//!
//! It runs [`incr_lab::console_lite`] — the same engine, on its core table, and the same console
//! line handling as the app — and drives the page with web-sys directly: no Leptos, no Lua VM, no
//! COMMAND data. It fills the static page's console section with the app's own markup (`#console-input`,
//! `.console-log`, the same classes), and writes every line it takes to a global the app reads
//! when it mounts and takes over (src/ui/handoff.rs). scripts/post-build.sh builds it and puts it
//! in the page.
//!
//! Built natively it only says what it is.

#[cfg(target_arch = "wasm32")]
fn main() {
    let _ = lite::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "console-lite runs in the browser, put on the page by scripts/post-build.sh (see README.md)."
    );
}

#[cfg(target_arch = "wasm32")]
mod lite {
    use std::cell::RefCell;

    use incr_lab::console::Kind;
    use incr_lab::console_lite::{LiteConsole, HANDOFF_GLOBAL, SLOT_ID, WAITING_NOTE};
    use incr_lab::ui::clock::format_elapsed;
    use incr_lab::ui::lab::{echo, MAX_LINES_SHOWN};
    use incr_lab::ui::server::prompt;
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Document, Element, Event, HtmlInputElement};

    /// The console as the app's `ui::Console` renders it (the RESP3 box comes with the app).
    const MARKUP: &str = "<div class=\"console-head\"><h2 id=\"console-title\">Console</h2></div>\
        <div class=\"console-server\"><p id=\"console-server\" role=\"status\">Connected to \
        <strong>this page's server</strong> (127.0.0.1:6379)</p></div>\
        <div class=\"console-log\" role=\"log\" aria-label=\"Console output\" tabindex=\"0\">\
        <p class=\"console-note\">Type a Redis command below, or HELP. Answers are exactly what \
        redis-cli prints.</p></div>\
        <form class=\"console-form\"><span class=\"prompt\" aria-hidden=\"true\"></span>\
        <label class=\"visually-hidden\" for=\"console-input\">Command</label>\
        <input id=\"console-input\" aria-describedby=\"console-server\" type=\"text\" autocomplete=\"off\" autocapitalize=\"off\" \
        spellcheck=\"false\" enterkeyhint=\"send\" placeholder=\"SET likes 100\">\
        <button type=\"submit\">Run</button></form>";

    /// Where the app's keyspace inspector will be.
    const KEYSPACE: &str = "<section class=\"pane\" aria-label=\"Keyspace\">\
        <p class=\"placeholder\">The keyspace is on its way…</p></section>";

    struct Lite {
        console: LiteConsole,
        document: Document,
        /// The hand-off global (see `incr_lab::console_lite::HANDOFF_GLOBAL`).
        global: Object,
        lines: Array,
        origin_ms: i64,
        log: Element,
        prompt: Element,
        input: HtmlInputElement,
    }

    impl Lite {
        fn elapsed_ms(&self) -> i64 {
            (js_sys::Date::now() as i64)
                .saturating_sub(self.origin_ms)
                .max(0)
        }

        /// The app has taken over (it sets the global's `taken`).
        fn taken(&self) -> bool {
            Reflect::get(&self.global, &"taken".into())
                .ok()
                .and_then(|t| t.as_bool())
                .unwrap_or(false)
        }

        /// redis-cli's prompt, as the app's console writes it (`ui::lab::Lab::prompt`).
        fn prompt_text(&self) -> String {
            let console = &self.console;
            prompt("127.0.0.1:6379", console.selected_db(), console.in_multi())
        }

        fn refresh_prompt(&self) {
            self.prompt.set_text_content(Some(&self.prompt_text()));
        }

        /// Runs a typed line as the app's `Lab::run` does, shows it, and records it for the app.
        fn run(&mut self, line: &str) {
            let at_ms = self.elapsed_ms();
            // An entry's prompt has the time it ran at, as the app's has.
            let prompt = format!("[{}] {}", format_elapsed(at_ms), self.prompt_text());
            let output = self.console.run(at_ms, line);
            let record = Object::new();
            let _ = Reflect::set(&record, &"at".into(), &(at_ms as f64).into());
            let _ = Reflect::set(&record, &"line".into(), &line.into());
            let _ = Reflect::set(&record, &"ran".into(), &output.is_some().into());
            self.lines.push(&record);
            let (class, lines) = match output {
                None => ("console-reply waiting", vec![WAITING_NOTE.to_owned()]),
                Some(output) => {
                    let mut lines = output.text_lines();
                    let class = match output.kind {
                        Kind::Clear => {
                            self.clear();
                            return self.refresh_prompt();
                        }
                        Kind::Error | Kind::Invalid => "console-reply error",
                        Kind::Help => "console-reply help",
                        Kind::Waiting => {
                            lines.push(WAITING_NOTE.to_owned());
                            "console-reply waiting"
                        }
                        Kind::Quit => {
                            lines.push(
                                "(this console stays open: there is nothing to quit)".to_owned(),
                            );
                            "console-reply"
                        }
                        Kind::Reply | Kind::Nothing => "console-reply",
                    };
                    (class, lines)
                }
            };
            self.show(&prompt, &echo(line), class, lines);
            self.refresh_prompt();
        }

        /// Appends an entry as the app's `ui::ConsoleEntry` renders it.
        fn show(
            &self,
            prompt: &str,
            echo: &str,
            class: &str,
            mut lines: Vec<String>,
        ) -> Option<()> {
            let element = |tag: &str, class: &str| {
                let e = self.document.create_element(tag).ok()?;
                e.set_class_name(class);
                Some(e)
            };
            let entry = element("div", "console-entry")?;
            let echo_line = element("div", "console-echo")?;
            let prompt_span = element("span", "prompt")?;
            prompt_span.set_text_content(Some(prompt));
            let typed = element("span", "typed")?;
            typed.set_text_content(Some(echo));
            echo_line.append_child(&prompt_span).ok()?;
            echo_line.insert_adjacent_text("beforeend", " ").ok()?;
            echo_line.append_child(&typed).ok()?;
            entry.append_child(&echo_line).ok()?;
            let hidden = lines.len().saturating_sub(MAX_LINES_SHOWN);
            lines.truncate(MAX_LINES_SHOWN);
            if !lines.is_empty() {
                let reply = element("div", class)?;
                reply.set_text_content(Some(&lines.join("\n")));
                entry.append_child(&reply).ok()?;
            }
            if hidden > 0 {
                let note = element("div", "console-note")?;
                note.set_text_content(Some(&format!("… {hidden} more lines not shown")));
                entry.append_child(&note).ok()?;
            }
            self.log.append_child(&entry).ok()?;
            self.log.set_scroll_top(self.log.scroll_height());
            Some(())
        }

        /// `clear`: the entries go, the note stays.
        fn clear(&self) {
            let entries = self.log.get_elements_by_class_name("console-entry");
            while let Some(entry) = entries.item(0) {
                entry.remove();
            }
        }
    }

    /// Puts the console on the page, unless the app has mounted already (or no static page is
    /// there).
    pub fn start() -> Option<()> {
        let window = web_sys::window()?;
        let key = JsValue::from_str(HANDOFF_GLOBAL);
        if !Reflect::get(&window, &key).ok()?.is_undefined() {
            return None; // the app is there, or another lite
        }
        let document = window.document()?;
        let slot = document.get_element_by_id(SLOT_ID)?;
        let origin_ms = js_sys::Date::now() as i64;
        let global = Object::new();
        let lines = Array::new();
        Reflect::set(&global, &"origin".into(), &(origin_ms as f64).into()).ok()?;
        Reflect::set(&global, &"lines".into(), &lines).ok()?;
        Reflect::set(&global, &"taken".into(), &JsValue::FALSE).ok()?;
        Reflect::set(&window, &key, &global).ok()?;

        slot.set_class_name("pane console");
        slot.set_attribute("aria-labelledby", "console-title")
            .ok()?;
        slot.set_inner_html(MARKUP);
        slot.insert_adjacent_html("afterend", KEYSPACE).ok()?;
        let find = |selector: &str| slot.query_selector(selector).ok().flatten();
        let log = find(".console-log")?;
        let prompt = find(".console-form .prompt")?;
        let form = find(".console-form")?;
        let input = find("#console-input")?
            .dyn_into::<HtmlInputElement>()
            .ok()?;

        let lite: &'static RefCell<Lite> = Box::leak(Box::new(RefCell::new(Lite {
            console: LiteConsole::new(origin_ms),
            document,
            global,
            lines,
            origin_ms,
            log,
            prompt,
            input,
        })));
        lite.borrow().refresh_prompt();

        let submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            event.prevent_default();
            let Ok(mut lite) = lite.try_borrow_mut() else {
                return;
            };
            if lite.taken() {
                return;
            }
            let line = lite.input.value();
            lite.input.set_value("");
            lite.run(&line);
        });
        form.add_event_listener_with_callback("submit", submit.as_ref().unchecked_ref())
            .ok()?;
        submit.forget();

        Some(())
    }
}
