//! The app's side of the console-lite's hand-off ([`crate::console_lite`]): what the lite left in
//! its global, read once when the app mounts; the typed line and the focus it had, carried to the
//! app's console input.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::console_lite::{Handed, HANDOFF_GLOBAL};

/// What the lite handed over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handoff {
    /// The lite's virtual time 0, Unix ms: the app's clock goes on from it.
    pub origin_ms: i64,
    /// Its lines, in the order they were typed.
    pub lines: Vec<Handed>,
}

/// Takes the lite's lines, if a lite started, and marks the hand-off taken — or, when no lite
/// has started, leaves a taken mark, so that a lite that arrives after the app does not start.
pub fn take() -> Option<Handoff> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(HANDOFF_GLOBAL);
    let global = Reflect::get(&window, &key).unwrap_or(JsValue::UNDEFINED);
    if !global.is_object() {
        let mark = js_sys::Object::new();
        let _ = Reflect::set(&mark, &"taken".into(), &JsValue::TRUE);
        let _ = Reflect::set(&window, &key, &mark);
        return None;
    }
    let field = |object: &JsValue, name: &str| Reflect::get(object, &name.into()).ok();
    if field(&global, "taken").and_then(|t| t.as_bool()) == Some(true) {
        return None;
    }
    let _ = Reflect::set(&global, &"taken".into(), &JsValue::TRUE);
    let origin_ms = field(&global, "origin")?.as_f64()? as i64;
    let lines = field(&global, "lines")
        .and_then(|l| l.dyn_into::<Array>().ok())
        .map(|lines| {
            lines
                .iter()
                .filter_map(|entry| {
                    Some(Handed {
                        at_ms: field(&entry, "at")?.as_f64()? as i64,
                        line: field(&entry, "line")?.as_string()?,
                        ran: field(&entry, "ran")?.as_bool()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Handoff { origin_ms, lines })
}

/// The lite's console input, before the app replaces it: its text, and whether it has the focus.
pub fn typed() -> Option<(String, bool)> {
    let document = web_sys::window()?.document()?;
    let input = document
        .get_element_by_id(super::CONSOLE_INPUT_ID)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    let focused = document
        .active_element()
        .is_some_and(|active| input.is_same_node(Some(&active)));
    Some((input.value(), focused))
}

/// Gives the app's console input what the lite's had (see [`typed`]).
pub fn restore_typed(text: &str, focused: bool) {
    let input = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(super::CONSOLE_INPUT_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    let Some(input) = input else { return };
    if !text.is_empty() {
        input.set_value(text);
        // The console keeps its input's text in a signal, which its `input` listener sets.
        if let Ok(event) = web_sys::Event::new("input") {
            let _ = input.dispatch_event(&event);
        }
    }
    if focused {
        let _ = input.focus();
    }
}
