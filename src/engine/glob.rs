//! Redis' glob-style patterns (`stringmatchlen` in `util.c`), for KEYS.
//!
//! `*` any run of bytes, `?` one byte, `[abc]`, `[^abc]`, `[a-z]` (ends in either order) one byte
//! from a set, `\x` the byte x. Redis' quirks are kept: an unclosed `[` takes the rest of the pattern
//! as its set; a pattern never matches the empty string (KEYS special-cases a lone `*`); range ends
//! compare as signed C chars.
//!
//! The pattern is first cut into one-byte matchers and stars, then matched with a single backtrack
//! point, so time is O(pattern × key) and there is no recursion whatever the pattern.

/// One element of a pattern.
#[derive(Debug)]
enum Element<'p> {
    /// `*`
    Star,
    /// Any one byte.
    Any,
    /// This byte.
    Byte(u8),
    /// One byte from a bracket set (`negated` for `[^…]`); `body` is the bytes between the brackets.
    Set { negated: bool, body: &'p [u8] },
}

fn parse(pattern: &[u8]) -> Vec<Element<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'*' => {
                if !matches!(out.last(), Some(Element::Star)) {
                    out.push(Element::Star);
                }
                i += 1;
            }
            b'?' => {
                out.push(Element::Any);
                i += 1;
            }
            b'\\' if i + 1 < pattern.len() => {
                out.push(Element::Byte(pattern[i + 1]));
                i += 2;
            }
            b'[' => {
                let mut j = i + 1;
                let negated = pattern.get(j) == Some(&b'^');
                if negated {
                    j += 1;
                }
                let start = j;
                // Scan to the closing ']' the way the C loop does: `\x` and `a-z` are units.
                loop {
                    if j >= pattern.len() {
                        break;
                    }
                    if pattern[j] == b'\\' && pattern.len() - j >= 2 {
                        j += 2;
                    } else if pattern[j] == b']' {
                        break;
                    } else if pattern.len() - j >= 3 && pattern[j + 1] == b'-' {
                        j += 3;
                    } else {
                        j += 1;
                    }
                }
                let end = j.min(pattern.len());
                // An unclosed set with nothing in it: C backs up onto the '[' or '^'.
                out.push(Element::Set {
                    negated,
                    body: &pattern[start..end],
                });
                i = end + 1;
            }
            byte => {
                out.push(Element::Byte(byte));
                i += 1;
            }
        }
    }
    out
}

/// Does `c` belong to the bracket set `body`?
fn in_set(body: &[u8], c: u8) -> bool {
    let mut j = 0;
    while j < body.len() {
        if body[j] == b'\\' && body.len() - j >= 2 {
            if body[j + 1] == c {
                return true;
            }
            j += 2;
        } else if body.len() - j >= 3 && body[j + 1] == b'-' {
            // C compares plain (signed) chars.
            let (mut lo, mut hi) = (body[j] as i8, body[j + 2] as i8);
            if lo > hi {
                std::mem::swap(&mut lo, &mut hi);
            }
            let c = c as i8;
            if c >= lo && c <= hi {
                return true;
            }
            j += 3;
        } else {
            if body[j] == c {
                return true;
            }
            j += 1;
        }
    }
    false
}

fn matches_one(element: &Element<'_>, c: u8) -> bool {
    match element {
        Element::Star => true,
        Element::Any => true,
        Element::Byte(b) => *b == c,
        Element::Set { negated, body } => in_set(body, c) != *negated,
    }
}

/// True when `key` matches the glob `pattern` as Redis' `stringmatchlen(…, nocase=0)` decides.
pub fn glob_match(pattern: &[u8], key: &[u8]) -> bool {
    if key.is_empty() {
        return pattern.is_empty();
    }
    let elements = parse(pattern);
    let (mut p, mut s) = (0, 0);
    // Where to resume after the last star: (element after the star, key position it tried).
    let mut backtrack: Option<(usize, usize)> = None;
    while s < key.len() {
        match elements.get(p) {
            Some(Element::Star) => {
                backtrack = Some((p + 1, s));
                p += 1;
            }
            Some(e) if matches_one(e, key[s]) => {
                p += 1;
                s += 1;
            }
            _ => match backtrack {
                Some((star_next, tried)) => {
                    p = star_next;
                    s = tried + 1;
                    backtrack = Some((star_next, tried + 1));
                }
                None => return false,
            },
        }
    }
    elements[p.min(elements.len())..]
        .iter()
        .all(|e| matches!(e, Element::Star))
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    fn m(p: &str, s: &str) -> bool {
        glob_match(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn redis_glob_rules() {
        assert!(m("h?llo", "hello"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"));
        assert!(m("h\\*llo", "h*llo"));
        assert!(!m("h\\*llo", "hello"));
        assert!(m("user:*", "user:42"));
        assert!(m("*:likes", "post:99:likes"));
        assert!(!m("*:likes", "post:99:like"));
        assert!(m("a*b*c", "aXbYc"));
        assert!(!m("a*b*c", "aXbY"));
        assert!(m("**", "x"));
        // Redis' quirks.
        assert!(!m("*", ""));
        assert!(m("", ""));
        assert!(m("[abc", "b"));
        assert!(!m("[", "["));
        assert!(m("[^", "z"));
        assert!(m("a\\", "a\\"));
    }
}
