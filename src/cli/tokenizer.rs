//! Splitting a console line into arguments, exactly as redis-cli does (`sdssplitargs` in sds.c).
//!
//! - Arguments are separated by whitespace. Leading blanks are C's `isspace` (space, `\t`, `\n`,
//!   `\v`, `\f`, `\r`), but an unquoted word ends only at space, `\t`, `\n` or `\r`: a vertical tab
//!   or form feed inside a word belongs to it.
//! - `"double quotes"` understand `\xHH` (exactly two hex digits, else the `x` is literal), `\n`,
//!   `\r`, `\t`, `\b`, `\a`; any other escaped byte stands for itself (`\"`, `\\`, `\q` → `q`).
//! - `'single quotes'` understand only `\'`; every other byte, backslashes included, is literal.
//! - A quote may start in the middle of a word (`ab"c d"` is `abc d`), but a closing quote must be
//!   followed by whitespace or the end of the line. That, and a missing closing quote, are errors;
//!   redis-cli then prints `Invalid argument(s)` and sends nothing.
//! - The line is a C string to redis-cli: a NUL byte ends it.
//!
//! ```
//! use incr_lab::cli::tokenizer::{split_args, SplitError};
//! assert_eq!(split_args(br#"SET greeting "hi\tthere" "#), Ok(vec![
//!     b"SET".to_vec(), b"greeting".to_vec(), b"hi\tthere".to_vec(),
//! ]));
//! assert_eq!(split_args(b"SET k 'unbalanced"), Err(SplitError::UnbalancedQuotes));
//! ```

use std::fmt;

/// Why a line could not be split. Both are reported by redis-cli as `Invalid argument(s)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed.
    UnbalancedQuotes,
    /// A closing quote was followed by something other than whitespace (`"a"b`).
    TextAfterClosingQuote,
}

impl SplitError {
    /// What redis-cli prints for any split error.
    pub const REDIS_CLI_TEXT: &'static str = "Invalid argument(s)";
}

impl fmt::Display for SplitError {
    /// redis-cli's message, the same for both causes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::REDIS_CLI_TEXT)
    }
}

impl std::error::Error for SplitError {}

/// C's `isspace` in the "C" locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Where the scanner is inside one argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bare,
    Double,
    Single,
}

/// Splits `line` into arguments with redis-cli's rules (see the module documentation).
///
/// A blank line gives an empty list.
pub fn split_args(line: &[u8]) -> Result<Vec<Vec<u8>>, SplitError> {
    let line = match line.iter().position(|&b| b == 0) {
        Some(end) => &line[..end],
        None => line,
    };
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while line.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        if i >= line.len() {
            return Ok(args);
        }
        let (arg, next) = split_one(line, i)?;
        args.push(arg);
        i = next;
    }
}

/// Reads the argument starting at `line[start]` (not a blank); returns it and where to go on.
fn split_one(line: &[u8], start: usize) -> Result<(Vec<u8>, usize), SplitError> {
    let at = |i: usize| line.get(i).copied();
    let mut arg = Vec::new();
    let mut mode = Mode::Bare;
    let mut i = start;
    loop {
        let Some(c) = at(i) else {
            return match mode {
                Mode::Bare => Ok((arg, i)),
                Mode::Double | Mode::Single => Err(SplitError::UnbalancedQuotes),
            };
        };
        match mode {
            Mode::Bare => match c {
                b' ' | b'\t' | b'\n' | b'\r' => return Ok((arg, i + 1)),
                b'"' => mode = Mode::Double,
                b'\'' => mode = Mode::Single,
                _ => arg.push(c),
            },
            Mode::Double => match (c, at(i + 1)) {
                (b'\\', Some(b'x')) => {
                    match (at(i + 2).and_then(hex_value), at(i + 3).and_then(hex_value)) {
                        (Some(high), Some(low)) => {
                            arg.push(high * 16 + low);
                            i += 3;
                        }
                        _ => {
                            arg.push(b'x');
                            i += 1;
                        }
                    }
                }
                (b'\\', Some(escaped)) => {
                    arg.push(match escaped {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                    i += 1;
                }
                (b'"', after) => return closed(arg, i, after),
                _ => arg.push(c),
            },
            Mode::Single => match (c, at(i + 1)) {
                (b'\\', Some(b'\'')) => {
                    arg.push(b'\'');
                    i += 1;
                }
                (b'\'', after) => return closed(arg, i, after),
                _ => arg.push(c),
            },
        }
        i += 1;
    }
}

/// The argument ends at a closing quote at `line[quote]`, if what follows allows it.
fn closed(arg: Vec<u8>, quote: usize, after: Option<u8>) -> Result<(Vec<u8>, usize), SplitError> {
    match after {
        Some(b) if !is_space(b) => Err(SplitError::TextAfterClosingQuote),
        _ => Ok((arg, quote + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arguments as lossy text, for readable assertions.
    fn split(line: &str) -> Result<Vec<String>, SplitError> {
        split_bytes(line.as_bytes())
    }

    fn split_bytes(line: &[u8]) -> Result<Vec<String>, SplitError> {
        split_args(line).map(|args| {
            args.iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
    }

    #[test]
    fn words_are_separated_by_any_whitespace() {
        assert_eq!(
            split("SET  likes\t100 "),
            Ok(vec!["SET".into(), "likes".into(), "100".into()])
        );
        assert_eq!(split("\x0b\x0c\r\n PING"), Ok(vec!["PING".into()]));
        assert_eq!(split(""), Ok(vec![]));
        assert_eq!(split(" \t\x0b "), Ok(vec![]));
    }

    #[test]
    fn vertical_tab_and_form_feed_do_not_end_a_bare_word() {
        assert_eq!(
            split("echo a\x0bb"),
            Ok(vec!["echo".into(), "a\x0bb".into()])
        );
        assert_eq!(split("a\x0c b"), Ok(vec!["a\x0c".into(), "b".into()]));
    }

    #[test]
    fn double_quotes_understand_escapes() {
        assert_eq!(
            split(r#"SET k "a b\n\r\t\"\\""#),
            Ok(vec!["SET".into(), "k".into(), "a b\n\r\t\"\\".into()])
        );
        assert_eq!(split_args(br#""\b\a""#), Ok(vec![vec![0x08, 0x07]]));
        assert_eq!(split(r#""\q\X41\0""#), Ok(vec!["qX410".into()]));
    }

    #[test]
    fn hex_escapes_need_exactly_two_hex_digits() {
        assert_eq!(
            split_args(br#""\x41\xfF\x00""#),
            Ok(vec![vec![b'A', 0xff, 0]])
        );
        assert_eq!(
            split(r#""\x4g" "\x4" "\x""#),
            Ok(vec!["x4g".into(), "x4".into(), "x".into()])
        );
        assert_eq!(split(r#""\x414""#), Ok(vec!["A4".into()]));
    }

    #[test]
    fn single_quotes_are_literal_but_for_escaped_quote() {
        assert_eq!(split(r"'it\'s \n'"), Ok(vec![r"it's \n".into()]));
        assert_eq!(split(r"'a\\b'"), Ok(vec![r"a\\b".into()]));
        assert_eq!(split(r#"'say "hi"'"#), Ok(vec![r#"say "hi""#.into()]));
    }

    #[test]
    fn quotes_may_open_inside_a_word() {
        assert_eq!(
            split(r#"abc"d e" f"#),
            Ok(vec!["abcd e".into(), "f".into()])
        );
        assert_eq!(split("a'b c'"), Ok(vec!["ab c".into()]));
        assert_eq!(split(r#""""#), Ok(vec!["".into()]));
    }

    #[test]
    fn a_closing_quote_must_be_followed_by_whitespace() {
        assert_eq!(
            split(r#"echo "a"b"#),
            Err(SplitError::TextAfterClosingQuote)
        );
        assert_eq!(
            split(r#"echo """""#),
            Err(SplitError::TextAfterClosingQuote)
        );
        assert_eq!(split("echo 'a'b"), Err(SplitError::TextAfterClosingQuote));
        assert_eq!(split("echo \"a\"\x0b"), Ok(vec!["echo".into(), "a".into()]));
        assert_eq!(split("echo \"a\"\r"), Ok(vec!["echo".into(), "a".into()]));
    }

    #[test]
    fn unbalanced_quotes_are_errors() {
        assert_eq!(split(r#"echo "abc"#), Err(SplitError::UnbalancedQuotes));
        assert_eq!(split("echo 'abc"), Err(SplitError::UnbalancedQuotes));
        assert_eq!(split(r#"echo "a\"#), Err(SplitError::UnbalancedQuotes));
        assert_eq!(split(r"echo 'a\'"), Err(SplitError::UnbalancedQuotes));
        assert_eq!(
            SplitError::UnbalancedQuotes.to_string(),
            "Invalid argument(s)"
        );
    }

    #[test]
    fn a_nul_byte_ends_the_line() {
        assert_eq!(
            split_bytes(b"echo a\0 b c"),
            Ok(vec!["echo".into(), "a".into()])
        );
        assert_eq!(
            split_bytes(b"echo \"q\0z\""),
            Err(SplitError::UnbalancedQuotes)
        );
    }

    #[test]
    fn high_bytes_are_kept_as_they_are() {
        assert_eq!(split_args(b"\x80 \xff"), Ok(vec![vec![0x80], vec![0xff]]));
    }
}
