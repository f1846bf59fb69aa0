//! The page address: its query parameters name the open chapter (`?chapter=race`) and the race
//! demo's run (`clients=…&seed=…`), so one link shares both. The lesson and the race demo read
//! and write it here, each changing only its own parameters.

use wasm_bindgen::JsValue;
use web_sys::UrlSearchParams;

/// The value of query parameter `key` in the page address.
pub fn query_value(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()?.get(key)
}

/// What a change of the address does to its fragment (`#incr-expire`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fragment<'a> {
    /// Keep it.
    Keep,
    /// Point at this element id, or at none.
    Set(Option<&'a str>),
}

/// How a change of the address enters the browser's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A new entry: Back returns to the address before.
    Push,
    /// In place of the current entry.
    Replace,
}

/// Sets query parameters `params` in the page address (an empty value removes the parameter),
/// keeping the path (a sub-path deployment) and every other parameter, and the fragment as
/// `fragment` says. A browser that refuses leaves the address as it was.
pub fn write_address(params: &[(&str, &str)], fragment: Fragment<'_>, entry: Entry) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(search), Ok(path), Ok(hash)) =
        (location.search(), location.pathname(), location.hash())
    else {
        return;
    };
    let Ok(query) = UrlSearchParams::new_with_str(&search) else {
        return;
    };
    for (key, value) in params {
        if value.is_empty() {
            query.delete(key);
        } else {
            query.set(key, value);
        }
    }
    let hash = match fragment {
        Fragment::Keep => hash,
        Fragment::Set(anchor) => anchor.map(|a| format!("#{a}")).unwrap_or_default(),
    };
    let url = format!("{path}?{}{hash}", String::from(query.to_string()));
    if let Ok(history) = window.history() {
        let _ = match entry {
            Entry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(&url)),
            Entry::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(&url)),
        };
    }
}
