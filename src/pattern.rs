//! The regular expressions of the text readers (extraction, documents,
//! dates), compiled with a narrower `\w`.
//!
//! In the regex crate `\w` is Unicode's whole word class: every letter,
//! mark and digit of every script, some 770 ranges. A pattern that uses it
//! compiles to an automaton many times the size of one over the scripts the
//! reporting is written in, and the extractor's patterns use it in almost
//! every gap between words: compiled as written they took about 0.3 s,
//! most of the time of a first extraction (one sentence through
//! `badiya extract`, or the window's start). [`compile`] reads `\w` (and
//! `\W`) as [`WORD`]: the Latin script with its accented, dotted and barred
//! letters and the romanisation's modifier letters (ʿ ʾ), the Arabic
//! script's letters, marks and digits, combining marks, digits and the
//! underscore. Text in any other script is no word to these patterns; the
//! place matcher, which does not use them, still reads it.

use std::borrow::Cow;

use regex::Regex;

/// What `\w` stands for in [`compile`]d patterns.
pub const WORD: &str = concat!(
    "[0-9A-Za-z_",
    "\u{AA}\u{B5}\u{BA}\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{24F}", // Latin-1 letters, Latin Extended-A and -B
    "\u{2B0}-\u{2FF}",                                            // modifier letters: ʿ ʾ ʻ
    "\u{300}-\u{36F}",                                            // combining marks
    "\u{1E00}-\u{1EFF}", // Latin Extended Additional: ḥ ṣ ṭ ẓ
    "\u{620}-\u{64A}\u{64B}-\u{65F}\u{660}-\u{669}\u{66E}-\u{6D3}\u{6D5}-\u{6DC}\u{6DF}-\u{6E8}\u{6EA}-\u{6FC}\u{6FF}", // Arabic letters, marks, digits
    "]"
);

/// Compiles `pattern` with `\w` read as [`WORD`] and `\W` as its complement.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&narrow_words(pattern))
}

/// `pattern` with every `\w` and `\W` written out as [`WORD`] (a class
/// inside a class is a union in the regex crate's syntax, so `[\w'-]`
/// stays what it was).
fn narrow_words(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains("\\w") && !pattern.contains("\\W") {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 16 * WORD.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('w') => out.push_str(WORD),
            Some('W') => {
                out.push_str("[^");
                out.push_str(WORD);
                out.push(']');
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrowed_word_class_reads_english_romanised_and_arabic_words_and_stops_at_punctuation() {
        let word = compile(r"^\w+$").expect("valid");
        for w in [
            "Raqqa",
            "Ḥasakah",
            "Dayr_az_Zūr",
            "ʿAnah",
            "Çaldıran",
            "الرقة",
            "2014",
            "é",
        ] {
            assert!(word.is_match(w), "{w} is a word");
        }
        for w in ["a-b", "a’s", "a b", "a.", "a،", "—", "×"] {
            assert!(!word.is_match(w), "{w} is not one word");
        }
        let gap = compile(r"(?i)\bseized (?:[\w'’-]+ ){0,3}?weapons\b").expect("valid");
        assert!(gap.is_match("They seized the Ḥasakah militants’ weapons"));
        assert!(!gap.is_match("They seized the city, then weapons"));
        let not_word = compile(r"(?i)^\W*(?:separately)\b").expect("valid");
        assert!(not_word.is_match("— Separately, a bomb"));
        assert!(!not_word.is_match("x separately"));
        // An escaped backslash before a `w` is a backslash and a `w`.
        assert!(compile(r"^a\\w$").expect("valid").is_match(r"a\w"));
    }
}
