//! Sentence splitting of display text, heading detection, and the zones that
//! never yield incidents (author blurbs, "recommended"/"related" blocks).

use std::sync::LazyLock;

use regex::Regex;

/// A sentence of display text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Start byte in the display text.
    pub start: usize,
    /// End byte (exclusive), trimmed of whitespace.
    pub end: usize,
    /// Index of the paragraph (non-empty line) it belongs to.
    pub paragraph: usize,
    /// A heading, byline or date line: context, not an event report.
    pub heading: bool,
    /// Inside a "recommended"/"related"/author block: ignored.
    pub excluded: bool,
}

/// Words before a period that do not end a sentence.
const ABBREVIATIONS: [&str; 35] = [
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "brig",
    "adm", "gov", "sen", "rep", "st", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct",
    "nov", "dec", "e.g", "i.e", "vs", "approx", "al", "prof",
];

static BLOCK_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(concat!(
        r"(?i)^\s*(recommended( articles| reading| for you| stories)?|related( articles| stories| content| posts| coverage| reading| news)?",
        r"|read (more|also|next)|more (from|on|in|stories)\b.{0,40}|you (may|might) also like|most (read|popular|viewed|shared)",
        r"|see also|further reading|trending( now)?|latest (news|stories|articles)|popular (posts|stories)|also read)\s*:?\s*$"
    ))
    .expect("the block heading pattern is a valid regular expression")
});
static AUTHOR_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^\s*(about the authors?|about the writer|author bio(graphy)?|the authors?)\s*:?\s*$",
    )
    .expect("the author heading pattern is a valid regular expression")
});

/// No sentence is longer than this: real ones run to a few hundred bytes.
pub const MAX_SENTENCE_BYTES: usize = 1_500;

/// A paragraph this long ends an excluded block that started early in a text.
const LONG_PARAGRAPH: usize = 200;

/// Lines of the text as (start, end) byte ranges, without the newline.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, text.len()));
    out
}

/// Byte ranges of the text that never yield incidents: from a
/// "Recommended"/"Related"/"Read more" heading to the end of the text (or, when
/// it comes early, to the next long paragraph), and an "About the author"
/// heading with the short paragraphs after it.
pub fn excluded_zones(text: &str) -> Vec<(usize, usize)> {
    let all = lines(text);
    let mut zones = Vec::new();
    let mut k = 0;
    while k < all.len() {
        let (s, e) = all[k];
        let line = &text[s..e];
        let block = BLOCK_HEADING.is_match(line);
        let author = AUTHOR_HEADING.is_match(line);
        if block && s * 5 >= text.len() * 2 {
            zones.push((s, text.len()));
            break;
        }
        if block || author {
            let mut end = e;
            let mut m = k + 1;
            while m < all.len() {
                let (ls, le) = all[m];
                // Teasers are titles; the first line that reads as a full
                // sentence is the text again.
                let prose =
                    !is_heading_line(&text[ls..le]) && text[ls..le].split_whitespace().count() >= 8;
                if le - ls >= LONG_PARAGRAPH || prose {
                    break;
                }
                end = le;
                m += 1;
            }
            zones.push((s, end));
            k = m;
            continue;
        }
        k += 1;
    }
    zones
}

/// Whether a line reads as a heading, byline or date line rather than prose.
fn is_heading_line(line: &str) -> bool {
    let trimmed = line.trim();
    // A table row reports as much as a sentence does.
    if trimmed.starts_with('|') {
        return false;
    }
    let words = trimmed.split_whitespace().count();
    // A list item of a digest or bulletin is a report, not a heading.
    if words >= 6
        && ["• ", "- ", "* ", "◆ ", "– "]
            .iter()
            .any(|b| trimmed.starts_with(b))
    {
        return false;
    }
    // A source tag at the end ("… [Furat Post]") is not how the prose ends.
    let trimmed = match trimmed
        .strip_suffix(']')
        .and_then(|t| t.rfind('[').map(|p| &t[..p]))
    {
        Some(before) if !before.trim().is_empty() => before.trim_end(),
        _ => trimmed,
    };
    let ends_like_prose =
        trimmed.ends_with(['.', '!', '?', '"', '”', '’', ':', ';']) || trimmed.ends_with(".)");
    (!ends_like_prose && words <= 14) || words <= 2
}

fn starts_sentence(rest: &str) -> bool {
    rest.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '"' | '“' | '‘' | '\'' | '[' | '(' | '«' | '-' | '—')
    })
}

/// Splits display text into sentences: every line break ends a sentence; inside
/// a line a sentence ends at . ! ? (with closing quotes) followed by a space and
/// a capital, digit or quote, unless the word before is an abbreviation or an
/// initial. Bullet markers are left out of the sentence.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let zones = excluded_zones(text);
    let mut out = Vec::new();
    let mut paragraph = 0;
    for (ls, le) in lines(text) {
        let line = &text[ls..le];
        if line.trim().is_empty() {
            continue;
        }
        let heading = is_heading_line(line);
        let mut start = ls;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // A run without sentence punctuation (a list of names, a text with
            // no full stops) is cut at a space once it is longer than any real
            // sentence, so the work per sentence stays bounded.
            if ls + i - start >= MAX_SENTENCE_BYTES {
                let run = &text[start..ls + i];
                let cut = run
                    .rfind(char::is_whitespace)
                    .filter(|&k| k > 0)
                    .map_or(ls + i, |k| start + k);
                if text.is_char_boundary(cut) {
                    push_sentence(&mut out, text, start, cut, paragraph, heading, &zones);
                    start = cut;
                }
            }
            if matches!(b, b'.' | b'!' | b'?') {
                let mut j = i + 1;
                // Closing quotes and brackets belong to the sentence.
                while j < line.len() {
                    let ch = line[j..].chars().next().unwrap_or(' ');
                    if matches!(ch, '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?') {
                        j += ch.len_utf8();
                    } else if let Some(len) = footnote_mark(&line[j..]) {
                        // "… in March 2020.[3] AAH maintained …": a note's
                        // number after the full stop ends the sentence too.
                        j += len;
                    } else {
                        break;
                    }
                }
                let after = &line[j..];
                let ws = after.len() - after.trim_start().len();
                if ws > 0
                    && starts_sentence(after.trim_start())
                    && !(b == b'.' && is_abbreviation(&line[..i]))
                {
                    push_sentence(&mut out, text, start, ls + j, paragraph, heading, &zones);
                    start = ls + j + ws;
                    i = j + ws;
                    continue;
                }
            }
            i += 1;
        }
        push_sentence(&mut out, text, start, le, paragraph, heading, &zones);
        paragraph += 1;
    }
    out
}

/// The length of a footnote mark opening `rest`: "[3]", "[12]", "[a]".
fn footnote_mark(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let mark = &inner[..close];
    (!mark.is_empty()
        && mark.len() <= 3
        && mark
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()))
    .then_some(close + 2)
}

fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // A single capital letter is an initial ("Andrew J. Tabler").
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn push_sentence(
    out: &mut Vec<Sentence>,
    text: &str,
    start: usize,
    end: usize,
    paragraph: usize,
    heading: bool,
    zones: &[(usize, usize)],
) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let mut s = start + lead;
    let e = start + piece.trim_end().len();
    // Skip bullet markers.
    let rest = &text[s..e];
    for bullet in ["- ", "* ", "• ", "◆ ", "– "] {
        if let Some(r) = rest.strip_prefix(bullet) {
            s = e - r.len();
            break;
        }
    }
    if s >= e || !text[s..e].chars().any(char::is_alphanumeric) {
        return;
    }
    let excluded = zones.iter().any(|(zs, ze)| s >= *zs && e <= *ze);
    out.push(Sentence {
        start: s,
        end: e,
        paragraph,
        heading,
        excluded,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split_sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_on_periods_but_not_abbreviations() {
        let t = "The U.S. Secretary met Gen. Smith. Then J. Doe said “no.” Fighting resumed!\nA heading\n- A bullet point here.";
        assert_eq!(
            texts(t),
            [
                "The U.S. Secretary met Gen. Smith.",
                "Then J. Doe said “no.”",
                "Fighting resumed!",
                "A heading",
                "A bullet point here."
            ]
        );
        let s = split_sentences(t);
        assert!(s[3].heading && !s[0].heading);
    }

    #[test]
    fn a_footnote_mark_after_the_full_stop_ends_the_sentence() {
        let t =
            "US forces left Qaim in March 2020.[3] Militias moved in later.[12][13] Others stayed.";
        assert_eq!(
            texts(t),
            [
                "US forces left Qaim in March 2020.[3]",
                "Militias moved in later.[12][13]",
                "Others stayed."
            ]
        );
    }

    #[test]
    fn recommended_blocks_are_excluded() {
        let body = "Clashes broke out near Raqqa on Monday. ".repeat(10);
        let t = format!("{body}\n\nRECOMMENDED\n\nRaqqa attack kills five.\n\nMore text");
        let s = split_sentences(&t);
        assert!(
            s.iter()
                .filter(|x| t[x.start..x.end].contains("kills"))
                .all(|x| x.excluded)
        );
        assert!(!s[0].excluded);
        let t2 = format!("ABOUT THE AUTHOR\n\nJane is a journalist in Raqqa.\n\n{body}");
        let s2 = split_sentences(&t2);
        assert!(
            s2.iter()
                .find(|x| t2[x.start..x.end].contains("journalist"))
                .unwrap()
                .excluded
        );
        assert!(!s2.last().unwrap().excluded);
    }
}
