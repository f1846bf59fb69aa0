//! Puts the static lesson ([`incr_lab::lesson::static_page`]) into a built `index.html`, in place
//! of its `<!-- static-lesson -->` marker: the chapters' text shows before the app's WebAssembly
//! has arrived, and without JavaScript. Trunk runs it after every build (`scripts/post-build.sh`)
//! on the staging folder's `index.html`; by hand:
//!
//! ```text
//! cargo run --example static_lesson -- path/to/index.html
//! ```

use std::process::ExitCode;

use incr_lab::lesson::static_page::{self, BODY_MARKER};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: static_lesson INDEX_HTML");
        return ExitCode::from(2);
    };
    let document = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("static_lesson: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(document) = static_page::render().into_document(&document) else {
        eprintln!("static_lesson: {path} has no </head> followed by {BODY_MARKER} (already done?)");
        return ExitCode::FAILURE;
    };
    if let Err(e) = std::fs::write(&path, document) {
        eprintln!("static_lesson: cannot write {path}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
