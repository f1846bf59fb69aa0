//! Helpers shared by the wasm-bindgen browser tests: mount the app into a fresh element, find elements
//! the way a user does (by role and visible text), act, and let Leptos update the DOM.

#![allow(dead_code)] // each test file uses a different subset

use std::cell::RefCell;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

thread_local! {
    /// Every `console.error` call and uncaught error/rejection in the page since the last check.
    static PAGE_ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static WATCHING: RefCell<bool> = const { RefCell::new(false) };
}

fn record(kind: &str, value: &JsValue) {
    let text = value.as_string().unwrap_or_else(|| format!("{value:?}"));
    PAGE_ERRORS.with(|e| e.borrow_mut().push(format!("{kind}: {text}")));
}

/// Starts recording `console.error` calls (still passed on to the original) and uncaught errors and
/// promise rejections, once per page.
fn watch_page_errors() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let global = js_sys::global();
    let console = js_sys::Reflect::get(&global, &"console".into()).expect("console");
    let original: js_sys::Function = js_sys::Reflect::get(&console, &"error".into())
        .expect("console.error")
        .unchecked_into();
    let target = console.clone();
    let wrapper = Closure::<dyn Fn(JsValue)>::new(move |value: JsValue| {
        record("console.error", &value);
        let _ = original.call1(&target, &value);
    });
    js_sys::Reflect::set(&console, &"error".into(), wrapper.as_ref()).expect("wrap console.error");
    wrapper.forget();
    let window = web_sys::window().expect("window");
    for event in ["error", "unhandledrejection"] {
        let listener = Closure::<dyn Fn(JsValue)>::new(move |ev: JsValue| record(event, &ev));
        window
            .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
            .expect("listen");
        listener.forget();
    }
}

/// The app mounted into its own `<div>`; unmounted and removed when dropped.
pub struct Mounted {
    root: HtmlElement,
    handle: Option<Box<dyn std::any::Any>>,
}

impl Drop for Mounted {
    /// Unmounts, then fails the test if the page logged an error or threw while it was mounted.
    fn drop(&mut self) {
        drop(self.handle.take());
        self.root.remove();
        let errors = PAGE_ERRORS.with(|e| std::mem::take(&mut *e.borrow_mut()));
        if !std::thread::panicking() {
            assert!(errors.is_empty(), "the page reported errors: {errors:#?}");
        }
    }
}

/// Mounts `view` into a new `<div>` appended to `<body>`.
pub fn mount<F, N>(view: F) -> Mounted
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    watch_page_errors();
    PAGE_ERRORS.with(|e| e.borrow_mut().clear());
    let document = document();
    let root: HtmlElement = document
        .create_element("div")
        .expect("create div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append root");
    let handle = mount_to(root.clone(), view);
    Mounted {
        root,
        handle: Some(Box::new(handle)),
    }
}

impl Mounted {
    /// The first element matching a CSS selector, or a panic naming it.
    pub fn query(&self, selector: &str) -> HtmlElement {
        self.root
            .query_selector(selector)
            .expect("valid selector")
            .unwrap_or_else(|| panic!("no element matches {selector:?}"))
            .unchecked_into()
    }

    /// All elements matching a CSS selector.
    pub fn query_all(&self, selector: &str) -> Vec<HtmlElement> {
        let list = self
            .root
            .query_selector_all(selector)
            .expect("valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    /// The text of the first element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        self.query(selector).text_content().unwrap_or_default()
    }

    /// The button whose visible text is `name` (trimmed), as a user would find it.
    pub fn button(&self, name: &str) -> HtmlElement {
        self.query_all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == name)
            .unwrap_or_else(|| panic!("no button named {name:?}"))
    }

    /// The form control labelled `label` (a `<label>` wrapping it, or `for=` pointing at it).
    pub fn labelled(&self, label: &str) -> HtmlElement {
        for l in self.query_all("label") {
            let text = l.text_content().unwrap_or_default();
            if text.trim().starts_with(label) {
                if let Some(id) = l.get_attribute("for") {
                    return self.query(&format!("#{id}"));
                }
                if let Ok(Some(control)) = l.query_selector("input, select, textarea") {
                    return control.unchecked_into();
                }
            }
        }
        panic!("no control labelled {label:?}")
    }

    /// Selects `value` in the `<select>` labelled `label` and fires `change`.
    pub fn select(&self, label: &str, value: &str) {
        let select: HtmlSelectElement = self.labelled(label).unchecked_into();
        select.set_value(value);
        fire(&select, "change");
    }

    /// Types `text` into the input labelled `label` (replacing its value) and fires `input`.
    pub fn type_into(&self, label: &str, text: &str) -> HtmlInputElement {
        let input: HtmlInputElement = self.labelled(label).unchecked_into();
        input.set_value(text);
        fire(&input, "input");
        input
    }
}

impl Mounted {
    /// Types `line` into the console and presses Run, as a learner does; returns after Leptos updated
    /// the page.
    pub async fn run(&self, line: &str) {
        self.type_into("Command", line);
        self.button("Run").click();
        settle().await;
    }

    /// The printed output of the newest console entry (empty if it printed nothing).
    pub fn last_output(&self) -> String {
        self.query_all(".console-entry")
            .last()
            .and_then(|entry| entry.query_selector(".console-reply").ok().flatten())
            .and_then(|reply| reply.text_content())
            .unwrap_or_default()
    }

    /// The class of the newest entry's output block.
    pub fn last_output_class(&self) -> String {
        self.query_all(".console-entry")
            .last()
            .and_then(|entry| entry.query_selector(".console-reply").ok().flatten())
            .map(|reply| reply.class_name())
            .unwrap_or_default()
    }

    /// The current value of the console's input line.
    pub fn command_line(&self) -> String {
        let input: HtmlInputElement = self.labelled("Command").unchecked_into();
        input.value()
    }

    /// The inspector's cards, as (name, type, value text) triples in display order.
    pub fn keys(&self) -> Vec<(String, String, String)> {
        self.query_all(".inspector .key")
            .into_iter()
            .map(|card| {
                let part = |sel: &str| {
                    card.query_selector(sel)
                        .ok()
                        .flatten()
                        .and_then(|e| e.text_content())
                        .unwrap_or_default()
                };
                (part(".key-name"), part(".key-type"), part(".key-value"))
            })
            .collect()
    }
}

/// Dispatches a bubbling event of type `kind` on `target`.
pub fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
}

/// Dispatches a bubbling, cancelable `keydown` of `key` on `target`.
pub fn key_down(target: &web_sys::EventTarget, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
}

/// Lets Leptos run its pending effects and DOM updates.
pub async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}
