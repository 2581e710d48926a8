//! The document store: loading text, markdown and HTML files with clear errors,
//! per-document metadata, and the tidy display text with its offset map back to
//! the original file's bytes. Every span shown or extracted is traceable to the
//! original file.

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// Largest file accepted, in bytes (5 MB).
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// Metadata an analyst can edit. The publication date anchors relative dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DocMeta {
    /// Title of the piece.
    pub title: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Where it was published.
    pub url: Option<String>,
    /// The publication month when only that is known (a source address such
    /// as `…/2015/04/…`): year and month.
    #[serde(default)]
    pub month: Option<(i32, u32)>,
}

impl DocMeta {
    /// The publication year and month, from the full date or the month alone.
    pub fn published_month(&self) -> Option<(i32, u32)> {
        use chrono::Datelike as _;
        self.date.map(|d| (d.year(), d.month())).or(self.month)
    }
}

/// The file format a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Plain text.
    #[default]
    Text,
    /// Markdown.
    Markdown,
    /// HTML: text extracted, markup, scripts and styles dropped.
    Html,
}

/// Why a file cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The file could not be read.
    #[error("cannot add {name}: {source}")]
    Io {
        /// File name.
        name: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file has no text.
    #[error("cannot add {name}: the file is empty")]
    Empty {
        /// File name.
        name: String,
    },
    /// NUL bytes or mostly control characters.
    #[error("cannot add {name}: it is a binary file, not text")]
    Binary {
        /// File name.
        name: String,
    },
    /// Not valid UTF-8.
    #[error("cannot add {name}: it is not UTF-8 text (byte {offset} is invalid)")]
    NotUtf8 {
        /// File name.
        name: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error("cannot add {name}: it is {size} bytes, more than the 5 MB limit")]
    TooLarge {
        /// File name.
        name: String,
        /// Size in bytes.
        size: u64,
    },
    /// An extension other than .txt, .md, .html, .htm.
    #[error("cannot add {name}: only .txt, .md, .html and .htm files can be added")]
    Unsupported {
        /// File name.
        name: String,
    },
}

/// A document: the original text, its metadata and a tidy display text.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name, e.g. "000_8793a624fd1f18a7.txt".
    pub id: String,
    /// The original file text, unchanged.
    pub raw: String,
    /// Metadata (from `seeds/meta.json`, the file itself, or the analyst).
    pub meta: DocMeta,
    /// How the file was read.
    pub kind: DocKind,
    display: DisplayText,
}

impl Document {
    /// Builds a document from text already checked, tidying it for display.
    pub fn new(id: &str, raw: String, kind: DocKind, meta: DocMeta) -> Document {
        let display = match kind {
            DocKind::Html => html_display(&raw),
            DocKind::Text | DocKind::Markdown => {
                let mut d = tidy_display(&raw);
                join_wrapped_lines(&mut d.text);
                d
            }
        };
        Document {
            id: id.to_string(),
            raw,
            meta,
            kind,
            display,
        }
    }

    /// The tidy text for the viewer, with its map to original offsets.
    pub fn display(&self) -> &DisplayText {
        &self.display
    }

    /// The original text in a byte range, or "" when out of range.
    pub fn original_slice(&self, start: usize, end: usize) -> &str {
        self.raw.get(start..end).unwrap_or("")
    }

    /// The tidy display text standing for an original byte range (what the
    /// viewer and the inspector show for a source sentence), or "".
    pub fn display_excerpt(&self, start: usize, end: usize) -> &str {
        let (a, b) = self.display.display_span(start, end);
        self.display.text.get(a..b).unwrap_or("")
    }
}

/// One piece of the display text and the original bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    display: usize,
    original: usize,
    display_len: usize,
    original_len: usize,
    /// Whether the display bytes are a verbatim copy of the original bytes.
    copy: bool,
}

/// Text tidied for reading (link clutter and raw URLs removed, markup dropped)
/// with a map from its byte offsets to the original file's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct DisplayText {
    /// The tidy text.
    pub text: String,
    segments: Vec<Segment>,
    original_len: usize,
    /// Display ranges shown for context only (photo captions): never a source
    /// of incidents.
    context: Vec<(usize, usize)>,
}

impl DisplayText {
    /// Display ranges shown for context only (photo captions), which never
    /// yield incidents.
    pub fn context_zones(&self) -> &[(usize, usize)] {
        &self.context
    }

    /// The original byte offset a display byte offset stands for. An offset
    /// inside replaced text maps to the start of what it replaced; the end of
    /// the text maps to the end of the original.
    pub fn original_from_display(&self, display_byte: usize) -> usize {
        let idx = self
            .segments
            .partition_point(|s| s.display + s.display_len <= display_byte);
        match self.segments.get(idx) {
            Some(s) if s.display_len > 0 && s.display <= display_byte => {
                if s.copy {
                    s.original + (display_byte - s.display)
                } else {
                    s.original
                }
            }
            Some(s) => s.original,
            None => self.original_len,
        }
    }

    /// The original offset for the exclusive end of a display span: the end of
    /// the last original byte the span covers (so a span never swallows deleted
    /// clutter that follows it).
    pub fn original_end_from_display(&self, display_end: usize) -> usize {
        if display_end == 0 {
            return self.original_from_display(0);
        }
        let last = display_end - 1;
        let idx = self
            .segments
            .partition_point(|s| s.display + s.display_len <= last);
        match self.segments.get(idx) {
            Some(s) if s.display_len > 0 && s.display <= last => {
                if s.copy {
                    s.original + (last - s.display) + 1
                } else {
                    s.original + s.original_len
                }
            }
            _ => self.original_len,
        }
    }

    /// The display byte offset an original byte offset shows at. Bytes that
    /// were removed or replaced map to where their replacement starts.
    pub fn display_from_original(&self, original_byte: usize) -> usize {
        let idx = self
            .segments
            .partition_point(|s| s.original + s.original_len <= original_byte);
        match self.segments.get(idx) {
            Some(s) if s.original <= original_byte => {
                if s.copy {
                    s.display + (original_byte - s.original)
                } else {
                    s.display
                }
            }
            Some(s) => s.display,
            None => self.text.len(),
        }
    }

    /// Maps a display span to the original span it covers.
    pub fn original_span(&self, display_start: usize, display_end: usize) -> (usize, usize) {
        let start = self.original_from_display(display_start);
        let end = self.original_end_from_display(display_end).max(start);
        (start, end)
    }

    /// Maps an original span to the display span showing it.
    pub fn display_span(&self, original_start: usize, original_end: usize) -> (usize, usize) {
        let start = self.display_from_original(original_start);
        let end = if original_end <= original_start {
            start
        } else {
            let idx = self
                .segments
                .partition_point(|s| s.original + s.original_len < original_end);
            match self.segments.get(idx) {
                Some(s) if s.copy && s.original < original_end => {
                    s.display + (original_end - s.original)
                }
                Some(s) => s.display + s.display_len,
                None => self.text.len(),
            }
        };
        (start, end.max(start).min(self.text.len()))
    }
}

/// Builds a [`DisplayText`] by walking the original text from start to end.
struct DisplayBuilder<'a> {
    raw: &'a str,
    text: String,
    segments: Vec<Segment>,
    pos: usize,
}

impl<'a> DisplayBuilder<'a> {
    fn new(raw: &'a str) -> Self {
        DisplayBuilder {
            raw,
            text: String::with_capacity(raw.len()),
            segments: Vec::new(),
            pos: 0,
        }
    }

    /// Copies original bytes up to `end` verbatim.
    fn copy_to(&mut self, end: usize) {
        if end <= self.pos {
            return;
        }
        let piece = &self.raw[self.pos..end];
        if let Some(last) = self.segments.last_mut()
            && last.copy
            && last.original + last.original_len == self.pos
            && last.display + last.display_len == self.text.len()
        {
            last.display_len += piece.len();
            last.original_len += piece.len();
        } else {
            self.segments.push(Segment {
                display: self.text.len(),
                original: self.pos,
                display_len: piece.len(),
                original_len: piece.len(),
                copy: true,
            });
        }
        self.text.push_str(piece);
        self.pos = end;
    }

    /// Replaces original bytes up to `end` with `with` (empty: delete).
    fn replace_to(&mut self, end: usize, with: &str) {
        if end <= self.pos && with.is_empty() {
            return;
        }
        let end = end.max(self.pos);
        if with == &self.raw[self.pos..end] {
            self.copy_to(end);
            return;
        }
        self.segments.push(Segment {
            display: self.text.len(),
            original: self.pos,
            display_len: with.len(),
            original_len: end - self.pos,
            copy: false,
        });
        self.text.push_str(with);
        self.pos = end;
    }

    fn finish(mut self) -> DisplayText {
        let len = self.raw.len();
        self.copy_to(len);
        DisplayText {
            text: self.text,
            segments: self.segments,
            original_len: len,
            context: Vec::new(),
        }
    }

    /// Finishes, dropping whatever original text is left (trailing markup).
    fn finish_dropping_rest(mut self) -> DisplayText {
        let len = self.raw.len();
        self.replace_to(len, "");
        DisplayText {
            text: self.text,
            segments: self.segments,
            original_len: len,
            context: Vec::new(),
        }
    }
}

static CLUTTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(concat!(
        r"(?P<bom>^\u{FEFF})",
        r"|(?P<image>!\[[^\]\n]{0,300}\]\([^)\s]*\))",
        r"|(?P<link>\[(?P<label>[^\]\n]{0,400})\]\((?P<target>[^)\s]*)\))",
        r"|(?P<auto>\(\s*<(?:https?://|www\.)[^>\s]*>\s*\)|<(?:https?://|www\.)[^>\s]*>)",
        r"|(?P<paren_url>\(\s*(?:https?://|www\.)[^)\s]*\s*\))",
        r"|(?P<url>(?:https?://|www\.)[^\s)>\]]+)",
        r"|(?P<relpath>\(/[A-Za-z0-9_\-./%?=&#]+\))",
        r"|(?m:(?P<heading>^\[H[1-6]\]|^#{1,6}[ \t]+))",
        r"|(?P<bold>\*\*|__)",
        r"|(?P<escape>\\[()\[\]*_#])",
        r"|(?P<blank>\n[ \t]*\n(?:[ \t]*\n)+)",
        // "<br />" pasted from a page: the end of a line, whatever blank
        // lines the paste put after it.
        r"|(?P<br>[ \t]*<br\s*/?>[ \t]*(?:\n[ \t]*)*)",
    ))
    .expect("the clutter pattern is a valid regular expression")
});

static LABEL_CLUTTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"\s*\\\([^)]*\\\)|\s*\((?:https?://|/)[^)\s]*\)")
        .expect("the label clutter pattern is a valid regular expression")
});

/// Whether a line starts a block of its own: a list item, a table row, a
/// markdown heading, a quotation, a timestamped entry.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(['-', '*', '•', '◆', '|', '#', '>', '–', '—'])
        || t.split_whitespace().next().is_some_and(|w| {
            w.len() <= 3
                && w.ends_with(['.', ')'])
                && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit())
        })
        || t.get(..5).is_some_and(|h| {
            let b = h.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b':' && b[3].is_ascii_digit()
        })
}

/// Joins hard-wrapped prose (a 72-column .txt or .md) into paragraphs, in
/// place: a line break inside a paragraph becomes a space when the line
/// before is long (wrapped prose) and neither line starts a block of its own
/// (a list item, a table row, a heading). A byte is swapped for a byte, so
/// every offset still maps to the original.
pub fn join_wrapped_lines(text: &mut String) {
    const WRAPPED_MIN: usize = 45;
    // Text is wrapped at 60 to 100 columns; a line longer is a paragraph of
    // its own, and a text whose prose runs in such lines is not wrapped at
    // all: a headline above its first paragraph stays a line of its own.
    const WRAPPED_MAX: usize = 100;
    let (prose, long) = text
        .lines()
        .map(|l| l.trim().chars().count())
        .filter(|n| *n >= WRAPPED_MIN)
        .fold((0usize, 0usize), |(p, l), n| {
            (p + 1, l + usize::from(n > WRAPPED_MAX))
        });
    if long * 3 > prose {
        return;
    }
    let positions: Vec<usize> = {
        let t = text.as_str();
        let mut out = Vec::new();
        let mut line_start = 0;
        for (i, c) in t.char_indices() {
            if c != '\n' {
                continue;
            }
            let line = &t[line_start..i];
            let next_end = t[i + 1..].find('\n').map_or(t.len(), |k| i + 1 + k);
            let next = &t[i + 1..next_end];
            // A line that ends a sentence may end a paragraph: only lines
            // broken mid-sentence are joined.
            let ends_sentence = line
                .trim_end()
                .ends_with(['.', '!', '?', '"', '”', ':', ';']);
            if line.trim().chars().count() >= WRAPPED_MIN
                && !ends_sentence
                && !next.trim().is_empty()
                && !starts_block(next)
                && !line.trim_start().starts_with(['|', '#'])
            {
                out.push(i);
            }
            line_start = i + 1;
        }
        out
    };
    if positions.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for i in positions {
        bytes[i] = b' ';
    }
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Tidies plain text or markdown: link labels kept, link targets, raw URLs and
/// relative paths removed, emphasis markers dropped, runs of blank lines
/// collapsed. Returns the text with its offset map.
pub fn tidy_display(raw: &str) -> DisplayText {
    let mut b = DisplayBuilder::new(raw);
    for caps in CLUTTER.captures_iter(raw) {
        let Some(whole) = caps.get(0) else { continue };
        if whole.start() < b.pos {
            continue;
        }
        if let Some(label) = caps.name("label") {
            b.copy_to(whole.start());
            b.replace_to(label.start(), "");
            // Copy the label, dropping escaped "\(/path\)" clutter inside it.
            let text = label.as_str();
            let mut last = 0;
            for m in LABEL_CLUTTER.find_iter(text) {
                b.copy_to(label.start() + m.start());
                b.replace_to(label.start() + m.end(), "");
                last = m.end();
            }
            let _ = last;
            b.copy_to(label.end());
            b.replace_to(whole.end(), "");
        } else if caps.name("blank").is_some() {
            b.copy_to(whole.start());
            b.replace_to(whole.end(), "\n\n");
        } else if caps.name("br").is_some() {
            // Mid-sentence it is a wrapped line: the words run on.
            let ends_sentence = raw[..whole.start()]
                .trim_end()
                .ends_with(['.', '!', '?', '"', '”', ':', ';']);
            b.copy_to(whole.start());
            b.replace_to(whole.end(), if ends_sentence { "\n" } else { " " });
        } else if let Some(esc) = caps.name("escape") {
            b.copy_to(whole.start());
            b.replace_to(whole.start() + 1, "");
            b.copy_to(esc.end());
        } else {
            // Deleted clutter: also drop one space before it when it stood
            // between words and punctuation, so no double spaces remain.
            let mut start = whole.start();
            let is_url_like = caps.name("auto").is_some()
                || caps.name("paren_url").is_some()
                || caps.name("url").is_some()
                || caps.name("relpath").is_some()
                || caps.name("image").is_some();
            if is_url_like && start > b.pos && raw[..start].ends_with(' ') {
                let next = raw[whole.end()..].chars().next();
                if next.is_none_or(|c| c == ' ' || c == '\n' || ",.;:)!?".contains(c)) {
                    start -= 1;
                }
            }
            b.copy_to(start);
            b.replace_to(whole.end(), "");
        }
    }
    b.finish()
}

/// Elements whose content is never shown.
const HIDDEN_ELEMENTS: [&str; 7] = [
    "script", "style", "noscript", "template", "svg", "iframe", "object",
];
/// Elements that start a new paragraph.
const BLOCK_ELEMENTS: [&str; 30] = [
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "hr",
    "form",
    "title",
];

/// Extracts readable text from HTML: tags dropped, scripts and styles skipped,
/// entities decoded, whitespace collapsed, blocks on their own lines. Nothing
/// is executed. The `<title>` is shown as the first line. Page furniture is
/// left out: navigation, site header and footer, asides, forms, and blocks
/// whose class, id or role marks them as menus, cookie banners, share bars,
/// newsletters or related/most-read lists. Photo captions are kept as
/// context (see [`DisplayText::context_zones`]).
pub fn html_display(raw: &str) -> DisplayText {
    let mut b = DisplayBuilder::new(raw);
    let bytes = raw.as_bytes();
    // Pending separator: 0 none, 1 space, 2 line break, 3 paragraph break.
    let mut pending: u8 = 0;
    let mut at_start = true;
    let mut i = 0;
    let mut title_done = false;
    // How many <article>/<main> elements are open: a <header> inside one
    // holds the headline and byline, outside it the site's masthead.
    let mut article_depth = 0usize;
    let mut caption_start: Option<usize> = None;
    let mut context = Vec::new();
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'<' {
            let (tag_end, name, closing) = parse_tag(raw, i);
            if name == "!--" {
                let end = raw[i..].find("-->").map_or(raw.len(), |p| i + p + 3);
                i = end;
                continue;
            }
            if !closing && name == "title" && !title_done {
                // Show the title from the head as the first line.
                title_done = true;
                let close = find_ci(raw, tag_end, "</title").unwrap_or(raw.len());
                emit_html_text(&mut b, raw, i, tag_end, close, &mut pending, &mut at_start);
                pending = pending.max(3);
                i = raw[close..].find('>').map_or(raw.len(), |p| close + p + 1);
                continue;
            }
            if !closing && HIDDEN_ELEMENTS.contains(&name.as_str()) {
                let close = find_ci(raw, tag_end, &format!("</{name}")).unwrap_or(raw.len());
                i = raw[close..].find('>').map_or(raw.len(), |p| close + p + 1);
                continue;
            }
            if !closing
                && is_page_furniture(&raw[i..tag_end], &name, article_depth)
                && let Some(end) = element_end(raw, tag_end, &name)
            {
                pending = pending.max(3);
                i = end;
                continue;
            }
            match (name.as_str(), closing) {
                ("article" | "main", false) => article_depth += 1,
                ("article" | "main", true) => article_depth = article_depth.saturating_sub(1),
                ("figcaption", false) => caption_start = Some(b.text.len()),
                ("figcaption", true) => {
                    if let Some(start) = caption_start.take() {
                        context.push((start, b.text.len()));
                    }
                }
                _ => {}
            }
            if name == "br" {
                pending = pending.max(2);
            } else if BLOCK_ELEMENTS.contains(&name.as_str()) {
                pending = pending.max(3);
            }
            i = tag_end;
            continue;
        }
        let next_tag = raw[i..].find('<').map_or(raw.len(), |p| i + p);
        emit_html_text(&mut b, raw, i, i, next_tag, &mut pending, &mut at_start);
        i = next_tag;
    }
    let mut display = b.finish_dropping_rest();
    display.context = context;
    display
}

/// Elements that are page furniture by their name alone.
const FURNITURE_ELEMENTS: [&str; 5] = ["nav", "footer", "aside", "form", "dialog"];
/// ARIA roles of page furniture.
const FURNITURE_ROLES: [&str; 7] = [
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
];
/// Class or id words (or their starts) that mark page furniture.
const FURNITURE_PREFIXES: [&str; 22] = [
    "related",
    "recommend",
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "share",
    "sharing",
    "social",
    "popular",
    "trending",
    "sidebar",
    "breadcrumb",
    "advert",
    "promo",
    "subscribe",
    "footer",
    "masthead",
    "colophon",
    "navbar",
    "navigation",
    "ticker",
];
/// Class or id words that mark page furniture only as whole words.
const FURNITURE_WORDS: [&str; 11] = [
    "nav", "menu", "ad", "ads", "tags", "comments", "comment", "widget", "widgets", "outbrain",
    "taboola",
];
/// Runs of class or id words that mark page furniture ("read-more", "most-read").
const FURNITURE_RUNS: [&str; 6] = [
    "readmore", "readalso", "alsoread", "mostread", "seealso", "moreon",
];

/// The value of an attribute in a tag's text (`<div class="a b">`), lower case.
fn attribute(tag: &str, attr: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(attr) {
        let at = from + p;
        from = at + attr.len();
        let before_ok = lower[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let rest = lower[at + attr.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let (quote, body) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(body.len()),
        };
        return Some(body[..end].to_string());
    }
    None
}

/// Whether an opening tag starts page furniture: navigation, the site header
/// (a `<header>` outside any article), footers, asides, forms, hidden
/// elements, and blocks whose class, id or role says menu, cookie banner,
/// share bar, newsletter, related or most-read list.
fn is_page_furniture(tag: &str, name: &str, article_depth: usize) -> bool {
    if matches!(name, "html" | "body" | "main" | "article" | "head") {
        return false;
    }
    if FURNITURE_ELEMENTS.contains(&name) || (name == "header" && article_depth == 0) {
        return true;
    }
    let lower = tag.to_ascii_lowercase();
    if attribute(&lower, "aria-hidden").as_deref() == Some("true")
        || lower
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .any(|w| w == "hidden")
    {
        return true;
    }
    if attribute(&lower, "role").is_some_and(|r| FURNITURE_ROLES.contains(&r.as_str())) {
        return true;
    }
    let names = [attribute(&lower, "class"), attribute(&lower, "id")];
    names.iter().flatten().any(|value| {
        let words: Vec<&str> = value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let joined: String = words.concat();
        words.iter().any(|w| {
            FURNITURE_WORDS.contains(w) || FURNITURE_PREFIXES.iter().any(|p| w.starts_with(p))
        }) || FURNITURE_RUNS.iter().any(|r| joined.contains(r))
    })
}

/// Elements that never have a closing tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The end (after its closing tag's '>') of the element of this name whose
/// opening tag ends at `from`, counting nested elements of the same name.
/// None when it is never closed (then only the tag is dropped).
fn element_end(raw: &str, from: usize, name: &str) -> Option<usize> {
    if VOID_ELEMENTS.contains(&name) || raw[..from].ends_with("/>") {
        return Some(from);
    }
    let mut depth = 1usize;
    let mut i = from;
    while let Some(p) = raw[i..].find('<') {
        let at = i + p;
        let (end, tag, closing) = parse_tag(raw, at);
        if tag == "!--" {
            i = raw[at..].find("-->").map_or(raw.len(), |q| at + q + 3);
            continue;
        }
        if !closing && HIDDEN_ELEMENTS.contains(&tag.as_str()) {
            let close = find_ci(raw, end, &format!("</{tag}"))?;
            i = raw[close..].find('>').map_or(raw.len(), |q| close + q + 1);
            continue;
        }
        if tag == name {
            if closing {
                depth -= 1;
                if depth == 0 {
                    return Some(end);
                }
            } else if !raw[..end].ends_with("/>") {
                depth += 1;
            }
        }
        i = end.max(at + 1);
    }
    None
}

/// Emits text from `from..to` (skipping `skip_from..from` as markup), collapsing
/// whitespace and decoding entities; separators are attached to the skipped bytes.
fn emit_html_text(
    b: &mut DisplayBuilder<'_>,
    raw: &str,
    _skip_from: usize,
    from: usize,
    to: usize,
    pending: &mut u8,
    at_start: &mut bool,
) {
    let mut j = from;
    while j < to {
        let ch = raw[j..].chars().next().unwrap_or(' ');
        if ch.is_whitespace() {
            *pending = (*pending).max(1);
            j += ch.len_utf8();
            continue;
        }
        // Flush the separator over everything skipped so far.
        let sep = if *at_start {
            ""
        } else {
            match *pending {
                0 => "",
                1 => " ",
                2 => "\n",
                _ => "\n\n",
            }
        };
        if b.pos < j || !sep.is_empty() {
            b.replace_to(j, sep);
        }
        *pending = 0;
        *at_start = false;
        if ch == '&'
            && let Some((decoded, len)) = decode_entity(&raw[j..to])
        {
            b.replace_to(j + len, &decoded);
            j += len;
            continue;
        }
        let word_end = raw[j..to]
            .find(|c: char| c.is_whitespace() || c == '&')
            .map_or(to, |p| j + p)
            .max(j + ch.len_utf8());
        b.copy_to(word_end);
        j = word_end;
    }
}

/// Parses a tag at `start` (which is '<'): returns its end (after '>'), its
/// lower-case name ("!--" for comments) and whether it is a closing tag.
fn parse_tag(raw: &str, start: usize) -> (usize, String, bool) {
    let rest = &raw[start + 1..];
    if rest.starts_with("!--") {
        return (start + 4, "!--".to_string(), false);
    }
    let closing = rest.starts_with('/');
    let name: String = rest
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '?')
        .collect::<String>()
        .to_ascii_lowercase();
    // Find the closing '>' outside quoted attribute values.
    let mut quote: Option<char> = None;
    for (k, ch) in rest.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if k > 0 => quote = Some(ch),
            (None, '>') => return (start + 1 + k + 1, name, closing),
            _ => {}
        }
    }
    (raw.len(), name, closing)
}

fn find_ci(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let lower = haystack.get(from..)?.to_ascii_lowercase();
    lower.find(needle).map(|p| from + p)
}

/// Decodes one HTML entity at the start of `text`: returns the text and the
/// number of bytes consumed.
pub fn decode_entity(text: &str) -> Option<(String, usize)> {
    let end = text.get(..text.len().min(12))?.find(';')?;
    let body = &text[1..end];
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(code).filter(|c| *c != '\0')?.to_string()
    } else {
        let c = match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ndash" => '–',
            "mdash" => '—',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "hellip" => '…',
            "middot" => '·',
            "bull" => '•',
            "copy" => '©',
            "reg" => '®',
            "deg" => '°',
            "eacute" => 'é',
            "egrave" => 'è',
            "aacute" => 'á',
            "agrave" => 'à',
            "iacute" => 'í',
            "oacute" => 'ó',
            "uacute" => 'ú',
            "uuml" => 'ü',
            "ouml" => 'ö',
            "auml" => 'ä',
            "ccedil" => 'ç',
            "laquo" => '«',
            "raquo" => '»',
            "shy" => return Some((String::new(), end + 1)),
            _ => return None,
        };
        c.to_string()
    };
    Some((decoded, end + 1))
}

/// The format implied by a file name's extension (no extension: plain text).
fn kind_from_name(name: &str) -> Option<DocKind> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        None | Some("txt" | "text") => Some(DocKind::Text),
        Some("md" | "markdown") => Some(DocKind::Markdown),
        Some("html" | "htm" | "xhtml") => Some(DocKind::Html),
        Some(_) => None,
    }
}

/// Whether bytes look binary: any NUL, or more than 10% control characters.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    control * 10 > sample.len()
}

/// Checks and reads a document from bytes: size, emptiness, binary content,
/// UTF-8 and format. Metadata is taken from the text where it says it (a
/// date line near the top, an HTML title and meta tags).
pub fn document_from_bytes(name: &str, bytes: &[u8]) -> Result<Document, DocError> {
    let name_owned = || name.to_string();
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocError::TooLarge {
            name: name_owned(),
            size: bytes.len() as u64,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DocError::Empty { name: name_owned() });
    }
    if looks_binary(bytes) {
        return Err(DocError::Binary { name: name_owned() });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DocError::NotUtf8 {
        name: name_owned(),
        offset: e.valid_up_to(),
    })?;
    let kind = kind_from_name(name).ok_or_else(|| DocError::Unsupported { name: name_owned() })?;
    let meta = match kind {
        DocKind::Html => html_meta(text),
        DocKind::Text | DocKind::Markdown => DocMeta::default(),
    };
    let mut doc = Document::new(name, text.to_string(), kind, meta);
    // The lines as written first: joining hard-wrapped lines may run a date
    // line alone under a caption into the caption.
    if doc.meta.date.is_none() && kind != DocKind::Html {
        doc.meta.date = infer_publication_date(text);
    }
    if doc.meta.date.is_none() {
        doc.meta.date = infer_publication_date(doc.display().text.as_str());
    }
    if doc.meta.url.is_none() {
        doc.meta.url = source_url(text);
    }
    // A news site's header shows the day the page was read ("Friday,
    // September 27, 2024") above an article its address dates years before:
    // the address keeps the day it was published.
    if let (Some(date), Some(url)) = (doc.meta.date, doc.meta.url.as_deref())
        && let UrlDate::Day(published) = url_date(url)
        && (date - published).num_days() > 2
    {
        doc.meta.date = Some(published);
    }
    if doc.meta.date.is_none()
        && let Some(url) = doc.meta.url.as_deref()
    {
        match url_date(url) {
            UrlDate::Day(d) => doc.meta.date = Some(d),
            UrlDate::Month(y, m) => doc.meta.month = Some((y, m)),
            UrlDate::None => {}
        }
    }
    if doc.meta.date.is_none() && kind == DocKind::Html {
        doc.meta.date = TIME_TAG
            .captures(text)
            .and_then(|c| NaiveDate::parse_from_str(&c[1], "%Y-%m-%d").ok());
    }
    if doc.meta.title.is_none() && kind != DocKind::Html {
        doc.meta.title = infer_title(doc.display().text.as_str());
    }
    Ok(doc)
}

/// Reads a document from disk (see [`document_from_bytes`] for the checks).
pub fn load_document(path: &Path) -> Result<Document, DocError> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes =
        crate::input::read_limited(path, MAX_DOCUMENT_BYTES as u64).map_err(|e| match e {
            crate::input::InputError::TooLarge { size, .. } => DocError::TooLarge {
                name: name.clone(),
                size,
            },
            crate::input::InputError::Io { source, .. } => DocError::Io {
                name: name.clone(),
                source,
            },
            not_a_file @ crate::input::InputError::NotAFile { .. } => DocError::Io {
                name: name.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, not_a_file.reason()),
            },
        })?;
    document_from_bytes(&name, &bytes)
}

/// A full date: "Nov 7, 2025", "7 November 2025", "2025-11-07", "16/06/2025".
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(concat!(
        r"\b(?:(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?:\d{1,2}\s*[–-]\s*)?(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)",
        r"|(?:\d{1,2}\s*[–-]\s*)?(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>[A-Z][a-z]{2,8})\.?,?\s+(?P<year2>(?:19|20)\d\d)",
        r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)",
        // Year first is year, month, day: "2017/04/26", "2017.04.26".
        r"|(?P<y1>(?:19|20)\d\d)[/.](?P<m1>\d{1,2})[/.](?P<d1>\d{1,2})",
        r"|(?P<n1>\d{1,2})(?P<sep>[./-])(?P<n2>\d{1,2})[./-](?P<ny>(?:19|20)\d\d))\b",
    ))
    .expect("the full date pattern is a valid regular expression")
});

/// Words that say a line carries the publication date (a byline or date line).
static PUBLICATION_CUE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:published|updated|posted|issued|released|modified|date|dated|by|(?:daily|weekly|monthly) (?:[\w-]+ )?(?:summary|report|update|roundup|round-up|digest|brief|bulletin)|GMT|UTC|BST|British Summer Time|local time)\b|\b\d{1,2}:\d\d\b|[|·•—–]|\b(?-i:Xinhua|AFP|Reuters|AP|Associated Press|Anadolu(?: Agency)?|UPI|dpa|IANS|PTI|KUNA|WAM|SANA|INA|IRNA|ANHA|Bloomberg)\b")
        .expect("the publication cue pattern is a valid regular expression")
});

/// A wire dateline opening a paragraph: "QAMISHLI, Syria, Aug 21, 2025
/// (Agency) —", "AL-QAIM, Iraq —", "SOUTHWEST ASIA -", "BAGHDAD:".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(concat!(
        // "18 Mar 2019 – BAGHDAD,— ": a date before the town.
        r"^[\s*_]*(?:\d{1,2}[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+(?:19|20)\d\d[ \t]*[-–—][ \t]*)?",
        r"\p{Lu}[\p{Lu}'’.\-]+(?:[ \t]+\p{Lu}[\p{Lu}'’.\-]*)*[*_]*",
        r"(?:[ \t]*,[ \t]*[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){0,2})?",
        r"(?:[ \t]*,[ \t]*(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Z][a-z]{2,8}\.?)(?:,?[ \t]*(?:19|20)\d\d)?)?",
        // "--" is how plain-text wire copy writes a dash.
        r"(?:[ \t]*\([^)\n]{1,40}\))?(?:[ \t]*(?:--|[-–—:])[ \t]|[ \t]*,?[ \t]*[–—][ \t]*)",
    ))
    .expect("the dateline pattern is a valid regular expression")
});

/// The length in bytes of a wire dateline opening `paragraph` ("RAMADI, Iraq,
/// Oct 14 (Agency) - "), if it has one. The place and date it names are where
/// and when the report was filed, not necessarily where the event happened.
pub fn dateline_len(paragraph: &str) -> Option<usize> {
    dateline(paragraph).map(|m| m.end())
}

/// The wire dateline opening `line`, if it has one: not a timeline's month
/// heading ("OCTOBER: Iraqi forces …").
fn dateline(line: &str) -> Option<regex::Match<'_>> {
    let m = DATELINE.find(line)?;
    let first = m
        .as_str()
        .trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    (month_from_name(first).is_none()).then_some(m)
}

/// The date a [`FULL_DATE`] match stands for. A numeric date is read day
/// first unless that is impossible; an ambiguous one (both parts 12 or less)
/// is read day first when written with hyphens or dots ("12-02-2026",
/// "12.02.2026": the day-month-year of most of the world; month-first
/// American dates use slashes), and not at all with slashes.
fn full_date(caps: &regex::Captures<'_>) -> Option<NaiveDate> {
    if let Some(iso) = caps.name("iso") {
        return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok();
    }
    if let (Some(y), Some(m), Some(d)) = (caps.name("y1"), caps.name("m1"), caps.name("d1")) {
        return NaiveDate::from_ymd_opt(
            y.as_str().parse().ok()?,
            m.as_str().parse().ok()?,
            d.as_str().parse().ok()?,
        );
    }
    if let (Some(a), Some(b), Some(y)) = (caps.name("n1"), caps.name("n2"), caps.name("ny")) {
        let (a, b): (u32, u32) = (a.as_str().parse().ok()?, b.as_str().parse().ok()?);
        let year = y.as_str().parse().ok()?;
        let day_first = caps.name("sep").is_some_and(|s| s.as_str() != "/");
        return match (a > 12, b > 12) {
            (true, false) => NaiveDate::from_ymd_opt(year, b, a),
            (false, true) => NaiveDate::from_ymd_opt(year, a, b),
            (false, false) if day_first => NaiveDate::from_ymd_opt(year, b, a),
            _ => None,
        };
    }
    let (mon, day, year) = match (caps.name("mon"), caps.name("day"), caps.name("year")) {
        (Some(m), Some(d), Some(y)) => (m.as_str(), d.as_str(), y.as_str()),
        _ => (
            caps.name("mon2")?.as_str(),
            caps.name("day2")?.as_str(),
            caps.name("year2")?.as_str(),
        ),
    };
    let month = month_from_name(mon)?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

static DATE_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^(?:date|dated|published(?: on)?|posted(?: on)?|updated(?: on)?|(?:last )?modified(?: on)?)\s*:?\s+")
        .expect("valid pattern")
});

/// A place name and a comma opening a line: "Diyala, ", "Tal Afar, ".
static PLACE_THEN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\p{Lu}[\w'’-]+(?:[ \t]+\p{Lu}[\w'’-]+){0,2},[ \t]*")
        .expect("valid pattern")
});

/// How far into the text the publication date is looked for, in characters.
const HEAD_CHARS: usize = 3000;

/// The publication date a text states near its top: a date line ("Nov 7,
/// 2025", "Oct 14, 2025 09:41 GMT"), a byline or date line with a cue
/// ("By Lina Haddad · 4 March 2025", "Issued: 16 June 2025", "Last updated 9
/// April 2026, 11:20"), or else a wire dateline that gives the year
/// ("QAMISHLI, Syria, Aug 21, 2025 (Agency) —").
pub fn infer_publication_date(text: &str) -> Option<NaiveDate> {
    let head_end = text
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    for line in head.lines() {
        let line = line
            .trim()
            .trim_matches(|c: char| matches!(c, '*' | '_' | '#' | '>'));
        // A source address is read by `url_date`, as news sites write dates
        // into paths ("…-november-2-8-2017-…" is no 2 August).
        if SOURCE_LINE.is_match(line) {
            continue;
        }
        // A page's date stamp opening a line: "date 2020-04-27 BEIRUT …",
        // "Date: 14 March 2024".
        if let Some(rest) = DATE_STAMP.find(line).map(|m| &line[m.end()..])
            && let Some(caps) = FULL_DATE.captures(rest)
            && caps.get(0).is_some_and(|m| m.start() == 0)
            && let Some(date) = full_date(&caps)
        {
            return Some(date);
        }
        // "Diyala, October 26th 2021- Minibus set on fire …": a place and
        // the date opening a caption or a story, then a dash.
        if let Some(m) = PLACE_THEN_DATE.find(line)
            && let Some(caps) = FULL_DATE.captures(&line[m.end()..])
            && let Some(whole) = caps.get(0)
            && whole.start() == 0
            && line[m.end() + whole.end()..]
                .trim_start()
                .starts_with(['-', '–', '—', ':'])
            && let Some(date) = full_date(&caps)
        {
            return Some(date);
        }
        // "18.10.2014 – Hoshmand Sadiq – BasNews, Erbil – In …": a date
        // opening the story's first line, set off by a dash.
        if let Some(caps) = FULL_DATE.captures(line)
            && let Some(whole) = caps.get(0)
            && whole.start() == 0
            && line[whole.end()..]
                .trim_start()
                .starts_with(['-', '–', '—', '|'])
            && let Some(date) = full_date(&caps)
        {
            return Some(date);
        }
        let words = line.split_whitespace().count();
        if words == 0 || words > 20 {
            continue;
        }
        let Some(caps) = FULL_DATE.captures(line) else {
            continue;
        };
        let Some(whole) = caps.get(0) else { continue };
        let others = line[..whole.start()].split_whitespace().count()
            + line[whole.end()..].split_whitespace().count();
        if (others <= 3 || PUBLICATION_CUE.is_match(line))
            && let Some(date) = full_date(&caps)
        {
            return Some(date);
        }
    }
    head.lines().find_map(|line| {
        let dateline = dateline(line)?;
        let caps = FULL_DATE.captures(dateline.as_str())?;
        full_date(&caps)
    })
}

/// A source line near the top of a text: "Source: https://…", "URL: …",
/// "Originally published at …", or a bare address alone on the first line.
static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?im)^[\s>*_]*(?:(?:source|url|link|original(?:ly published)?(?: at)?|from|via)\s*:?\s*)?<?(https?://[^\s<>)\]]+)")
        .expect("the source line pattern is a valid regular expression")
});

/// The address a text gives for itself on a source line in its first lines.
pub fn source_url(text: &str) -> Option<String> {
    let head: String = text.lines().take(6).collect::<Vec<_>>().join("\n");
    SOURCE_LINE
        .captures(&head)
        .map(|c| c[1].trim_end_matches(['.', ',', ';']).to_string())
}

/// What a source address says of the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlDate {
    /// `/2014/01/04/`, `/2014-01-04`, `/20220128-…`, `/20180528205209.htm`
    /// (a time stamp to the second).
    Day(NaiveDate),
    /// `/2015/04/…`, `…-2026-01/…`.
    Month(i32, u32),
    /// No date in the address.
    None,
}

static URL_DAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"[/_=-]((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:[/_.&-]|$)|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?)?[-_/.]")
        .expect("valid pattern")
});
/// A story id ending in its filing day: "…/idUSTRE49E5JK20081015".
static URL_ID_DAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"[A-Za-z]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:$|[?#/])",
    )
    .expect("valid pattern")
});
static URL_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"[/_-]((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])(?:[/_.]|$|-[a-z])")
        .expect("valid pattern")
});

/// "/2015/may/18/", "…-26-28-october-2019": a named month in a path.
static URL_NAMED_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)/((?:19|20)\d\d)/(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)/(\d{1,2})/|[/_-](\d{1,2})[-_](january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[-_]((?:19|20)\d\d)(?:[^\d]|$)")
        .expect("valid pattern")
});

static URL_NAMED_DAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)(?:^|[/_-]|[a-z])(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[-_](\d{1,2})(?:st|nd|rd|th)?,?[-_]((?:19|20)\d\d)(?:[^\d]|$)")
        .expect("valid pattern")
});

/// The publication date a source address carries, as news sites write it
/// into their paths.
pub fn url_date(url: &str) -> UrlDate {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.find('/').map_or("", |i| &path[i..]);
    if let Some(c) = URL_DAY.captures(path) {
        let (y, m, d) = if c.get(1).is_some() {
            (&c[1], &c[2], &c[3])
        } else {
            (&c[4], &c[5], &c[6])
        };
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return UrlDate::Day(date);
        }
    }
    if let Some(c) = URL_ID_DAY.captures(path)
        && let (Ok(y), Ok(m), Ok(d)) = (c[1].parse(), c[2].parse(), c[3].parse())
        && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
    {
        return UrlDate::Day(date);
    }
    // "…-tishrin-dam-january-7,-2025,-10:23-am"
    if let Some(c) = URL_NAMED_DAY.captures(path)
        && let Some(m) = month_from_name(&c[1])
        && let (Ok(d), Ok(y)) = (c[2].parse(), c[3].parse())
        && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
    {
        return UrlDate::Day(date);
    }
    if let Some(c) = URL_NAMED_MONTH_DAY.captures(path) {
        let (y, m, d) = if c.get(1).is_some() {
            (&c[1], &c[2], &c[3])
        } else {
            (&c[6], &c[5], &c[4])
        };
        if let (Ok(y), Some(m), Ok(d)) = (y.parse(), month_from_name(m), d.parse())
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return UrlDate::Day(date);
        }
    }
    if let Some(c) = URL_MONTH.captures(path)
        && let (Ok(y), Ok(m)) = (c[1].parse(), c[2].parse())
    {
        return UrlDate::Month(y, m);
    }
    UrlDate::None
}

/// Month number from an English month name or abbreviation ("Nov", "November", "Sept").
pub fn month_from_name(name: &str) -> Option<u32> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| {
            *m == lower
                || (lower.len() >= 3
                    && m.starts_with(&lower)
                    && (lower.len() == 3 || lower == "sept"))
        })
        .map(|i| i as u32 + 1)
}

/// A title: the first short line that reads like a headline.
fn infer_title(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let words = line.split_whitespace().count();
    ((3..=25).contains(&words) && line.len() <= 200).then(|| line.to_string())
}

static META_TAG: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?is)<meta\s+[^>]*?(?:name|property|itemprop)\s*=\s*["']([^"']+)["'][^>]*?content\s*=\s*["']([^"']*)["']"#)
        .expect("the meta tag pattern is a valid regular expression")
});
static CANONICAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r#"(?is)<link\s+[^>]*?rel\s*=\s*["']canonical["'][^>]*?href\s*=\s*["']([^"']+)["']"#,
    )
    .expect("the canonical link pattern is a valid regular expression")
});

/// "datePublished" in JSON-LD structured data.
static JSON_LD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#""datePublished"\s*:\s*"((?:19|20)\d\d-\d\d-\d\d)"#)
        .expect("the JSON-LD date pattern is a valid regular expression")
});
/// A `<time>` element marked as the publication time.
static PUBLISHED_TIME_TAG: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?is)<time\s[^>]*?(?:\bpubdate\b|itemprop\s*=\s*["']datePublished["']|class\s*=\s*["'][^"']*publish)[^>]*?datetime\s*=\s*["']((?:19|20)\d\d-\d\d-\d\d)|<time\s[^>]*?datetime\s*=\s*["']((?:19|20)\d\d-\d\d-\d\d)[^>]*?(?:\bpubdate\b|itemprop\s*=\s*["']datePublished["'])"#)
        .expect("the published time pattern is a valid regular expression")
});
/// Any `<time datetime="…">`: the first one on a page is usually the byline's.
static TIME_TAG: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?is)<time\s[^>]*?datetime\s*=\s*["']((?:19|20)\d\d-\d\d-\d\d)"#)
        .expect("the time tag pattern is a valid regular expression")
});

/// Metadata from an HTML head: title, og:site_name, published time (meta
/// tags, JSON-LD, a `<time>` marked as the publication time), canonical URL.
fn html_meta(raw: &str) -> DocMeta {
    let mut meta = DocMeta::default();
    for caps in META_TAG.captures_iter(raw) {
        let key = caps[1].to_ascii_lowercase();
        let value = decode_all_entities(caps[2].trim());
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "og:title" | "twitter:title" if meta.title.is_none() => meta.title = Some(value),
            "og:site_name" | "publisher" if meta.publisher.is_none() => {
                meta.publisher = Some(value)
            }
            "article:published_time" | "date" | "pubdate" | "dc.date" | "datepublished"
                if meta.date.is_none() =>
            {
                meta.date = value
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            }
            "og:url" if meta.url.is_none() => meta.url = Some(value),
            _ => {}
        }
    }
    if meta.date.is_none() {
        meta.date = JSON_LD_DATE
            .captures(raw)
            .or_else(|| PUBLISHED_TIME_TAG.captures(raw))
            .and_then(|c| c.get(1).or_else(|| c.get(2)))
            .and_then(|m| NaiveDate::parse_from_str(m.as_str(), "%Y-%m-%d").ok());
    }
    if let Some(caps) = CANONICAL.captures(raw) {
        meta.url = Some(caps[1].to_string());
    }
    if meta.title.is_none()
        && let Some(start) = find_ci(raw, 0, "<title")
        && let Some(open_end) = raw[start..].find('>')
        && let Some(close) = find_ci(raw, start, "</title")
    {
        let title = decode_all_entities(raw[start + open_end + 1..close].trim());
        if !title.is_empty() {
            meta.title = Some(title.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    meta
}

fn decode_all_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with('&')
            && let Some((decoded, len)) = decode_entity(&text[i..])
        {
            out.push_str(&decoded);
            i += len;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The seed documents' metadata file, keyed by file name.
pub fn parse_meta_file(
    json: &str,
) -> Result<std::collections::BTreeMap<String, DocMeta>, serde_json::Error> {
    serde_json::from_str(json)
}

const SEED_FILES: [(&str, &str); 5] = [
    (
        "000_8793a624fd1f18a7.txt",
        include_str!("../seeds/000_8793a624fd1f18a7.txt"),
    ),
    (
        "001_ae1551ccae7a7375.txt",
        include_str!("../seeds/001_ae1551ccae7a7375.txt"),
    ),
    (
        "002_6d10aeaccd136f56.txt",
        include_str!("../seeds/002_6d10aeaccd136f56.txt"),
    ),
    (
        "003_6bed47e11928c7cd.txt",
        include_str!("../seeds/003_6bed47e11928c7cd.txt"),
    ),
    (
        "004_cbf72a30cc435daa.txt",
        include_str!("../seeds/004_cbf72a30cc435daa.txt"),
    ),
];
const SEED_META: &str = include_str!("../seeds/meta.json");

/// True for the name of one of the embedded seed documents.
pub fn is_seed(id: &str) -> bool {
    SEED_FILES.iter().any(|(name, _)| *name == id)
}

/// The five seed documents, embedded, with their metadata.
pub fn seed_documents() -> Vec<Document> {
    let metas = parse_meta_file(SEED_META).unwrap_or_default();
    SEED_FILES
        .iter()
        .map(|(name, text)| {
            let meta = metas.get(*name).cloned().unwrap_or_default();
            Document::new(name, (*text).to_string(), DocKind::Text, meta)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markdown_link_clutter_is_tidied_and_maps_back() {
        let raw = "by [Mohanad Faris \\(/experts/mohanad-faris\\)](#)\nHe [revealed](https://x.example/a%D8) <https://y.example/b> that, April (<https://z.example/c>), and **bold** text.";
        let d = tidy_display(raw);
        assert_eq!(
            d.text,
            "by Mohanad Faris\nHe revealed that, April, and bold text."
        );
        let at = d.text.find("revealed").unwrap();
        let o = d.original_from_display(at);
        assert_eq!(&raw[o..o + 8], "revealed");
        let (s, e) = d.original_span(at, at + 8);
        assert_eq!(&raw[s..e], "revealed");
        assert_eq!(d.display_from_original(o), at);
        let april = d.text.find("April").unwrap();
        let (s, e) = d.original_span(april, april + 5);
        assert_eq!(
            &raw[s..e],
            "April",
            "span end stops before the deleted link"
        );
    }

    #[test]
    fn blank_lines_and_headings_are_collapsed() {
        let d = tidy_display("A.\n\n\n\n[H2]Heading\nB.");
        assert_eq!(d.text, "A.\n\nHeading\nB.");
    }

    #[test]
    fn seed_text_loses_its_urls() {
        for doc in seed_documents() {
            let text = &doc.display().text;
            assert!(!text.contains("https://"), "{} still shows a URL", doc.id);
            assert!(!text.contains("](#)"), "{} still shows link markup", doc.id);
        }
        let docs = seed_documents();
        assert_eq!(docs[0].meta.date, NaiveDate::from_ymd_opt(2025, 11, 7));
        assert_eq!(
            docs[2].meta.publisher.as_deref(),
            Some("Brookings Institution")
        );
    }

    #[test]
    fn html_is_extracted_without_scripts_and_entities_decoded() {
        let raw = "<html><head><title>Clashes &amp; more</title><script>alert('Raqqa')</script><style>p{}</style></head>\n<body><p>Fighting near <b>Raqqa</b>&nbsp;prison.</p><!-- Mosul --><p>Second&#x2019;s   line</p></body></html>";
        let doc = document_from_bytes("page.html", raw.as_bytes()).unwrap();
        let text = &doc.display().text;
        assert_eq!(
            text,
            "Clashes & more\n\nFighting near Raqqa prison.\n\nSecond’s line"
        );
        assert_eq!(doc.meta.title.as_deref(), Some("Clashes & more"));
        let at = text.find("Raqqa").unwrap();
        let (s, e) = doc.display().original_span(at, at + 5);
        assert_eq!(&raw[s..e], "Raqqa");
        assert!(!text.contains("alert"));
        assert!(!text.contains("Mosul"));
    }

    #[test]
    fn bad_files_give_clear_errors() {
        let err = document_from_bytes("report.pdf", b"%PDF-1.7\n\x00\x01\x02binary").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot add report.pdf: it is a binary file, not text"
        );
        let err = document_from_bytes("empty.txt", b"  \n").unwrap_err();
        assert_eq!(err.to_string(), "cannot add empty.txt: the file is empty");
        let err = document_from_bytes("latin1.txt", b"caf\xe9 au lait").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot add latin1.txt: it is not UTF-8 text")
        );
        let big = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
        let err = document_from_bytes("big.txt", &big).unwrap_err();
        assert!(
            err.to_string().contains("more than the 5 MB limit"),
            "{err}"
        );
        let err = document_from_bytes("sheet.xlsx", b"hello there").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot add sheet.xlsx: only .txt")
        );
        let err = load_document(Path::new("/nonexistent/dir/x.txt")).unwrap_err();
        assert!(err.to_string().starts_with("cannot add x.txt:"));
    }

    #[test]
    fn dates_first_datelines_named_months_in_addresses_and_date_lines_under_captions() {
        let d = document_from_bytes(
            "sinjar.txt",
            "Clashes in Sinjar\n\n18 Mar 2019 – BAGHDAD,— Clashes between the army and a \
             militia in Sinjar killed two soldiers on Sunday.\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            d.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2019-03-18")
        );
        assert!(dateline_len("18 Mar 2019 – BAGHDAD,— Clashes between").is_some());
        assert!(dateline_len("ISIS-linked militants attacked").is_none());
        assert_eq!(
            url_date(
                "https://example.org/en/article/clashes-around-the-damjanuary-7,-2025,-10:23-am"
            ),
            UrlDate::Day(NaiveDate::from_ymd_opt(2025, 1, 7).unwrap())
        );
        // A day in the query string: "comments.php?D=2018-08-29&ID=52".
        assert_eq!(
            url_date("https://forum.example.com/comments.php?D=2018-08-29&ID=521714"),
            UrlDate::Day(NaiveDate::from_ymd_opt(2018, 8, 29).unwrap())
        );
        // A time stamp to the second, as some news systems name articles.
        assert_eq!(
            url_date("http://news.example.org/news/20180528205209.htm"),
            UrlDate::Day(NaiveDate::from_ymd_opt(2018, 5, 28).unwrap())
        );
        assert_eq!(
            url_date("http://news.example.org/news/20181328205209.htm"),
            UrlDate::None
        );
        // A wire story id that ends in its filing day.
        assert_eq!(
            url_date("https://wire.example.com/article/worldNews/idUSXYZ4K7B2Q20090412"),
            UrlDate::Day(NaiveDate::from_ymd_opt(2009, 4, 12).unwrap())
        );
        assert_eq!(
            url_date("https://wire.example.com/article/idUSXYZ4K7B2Q20091412"),
            UrlDate::None
        );
        // "- dash -" and a dateline "--" as plain-text wire copy writes it.
        assert!(dateline_len("RAMADI, Iraq, June 4, 2024 (Wire) -- Police said").is_some());
        let captioned = document_from_bytes(
            "kirkuk.txt",
            "Attack on Kirkuk\n\nSmoke rises from a building in Kirkuk, Iraq, Friday, Oct. 21 / AP\nOctober 21, 2016\n\nGunmen stormed Kirkuk early Friday.\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            captioned.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2016-10-21")
        );
    }

    #[test]
    fn publication_date_line_is_read() {
        let doc =
            document_from_bytes("a.md", b"Title here of a piece\n\nNov 7, 2025\n\nText.").unwrap();
        assert_eq!(doc.meta.date, NaiveDate::from_ymd_opt(2025, 11, 7));
        assert_eq!(doc.meta.title.as_deref(), Some("Title here of a piece"));
        // Year first, as many Arabic outlets' pages stamp it.
        let doc = document_from_bytes(
            "b.txt",
            b"Pipeline blown up after attack\n\n2017/04/26 | 15:00\n\nKIRKUK - Text.",
        )
        .unwrap();
        assert_eq!(doc.meta.date, NaiveDate::from_ymd_opt(2017, 4, 26));
    }

    #[test]
    fn page_furniture_is_left_out_and_captions_are_context() {
        let raw = concat!(
            "<html><head><title>Strike near Raqqa</title></head><body>",
            "<div class=\"cookie-banner\"><p>We use cookies in Mosul.</p></div>",
            "<header><nav><a href=\"/x\">Deir ez-Zor</a></nav></header>",
            "<main><article><header><h1>Strike near Raqqa</h1></header>",
            "<figure><figcaption>Smoke over Tabqa in 2022.</figcaption></figure>",
            "<p>A drone hit a car near Raqqa.</p>",
            "<div class=\"read-more\"><a href=\"/y\">Clashes in Hajin</a></div>",
            "</article><aside><p>Most read: Attack in Rawa</p></aside></main>",
            "<div class=\"jp-relatedposts\"><div><a>Blast in Anah</a></div></div>",
            "<footer><p>Offices in Erbil</p></footer></body></html>"
        );
        let d = html_display(raw);
        assert_eq!(
            d.text,
            "Strike near Raqqa\n\nStrike near Raqqa\n\nSmoke over Tabqa in 2022.\n\nA drone hit a car near Raqqa."
        );
        let caption = d.text.find("Smoke").unwrap();
        assert!(
            d.context_zones()
                .iter()
                .any(|(s, e)| *s <= caption && caption < *e)
        );
        let at = d.text.rfind("Raqqa").unwrap();
        let (s, e) = d.original_span(at, at + 5);
        assert_eq!(&raw[s..e], "Raqqa");
    }

    #[test]
    fn publication_dates_from_bylines_datelines_and_markup() {
        let date = |text: &str| infer_publication_date(text).map(|d| d.to_string());
        assert_eq!(
            date("Title\nBy Ahmed Saleh | Jan 12, 2026 - 14:05\nText."),
            Some("2026-01-12".into())
        );
        assert_eq!(
            date("Headline\n\nOct 14, 2025 09:41 GMT\n\nText."),
            Some("2025-10-14".into())
        );
        assert_eq!(date("Issued: 16 June 2025"), Some("2025-06-16".into()));
        assert_eq!(
            date("URL: https://example.org/doc/12/summary-november-2-8-2017-forces\n\nText."),
            None,
            "a source address is no date line"
        );
        assert_eq!(
            date("Weekly Conflict Summary November 2-8, 2017 Syrian Government Forces\n\nText."),
            Some("2017-11-08".into()),
            "a weekly report is dated by the end of its week"
        );
        assert_eq!(
            date("Headline\n\n3 Comments Print Share Xinhua, April 17, 2016\n\nText."),
            Some("2016-04-17".into()),
            "a wire agency's name stamps the date"
        );
        assert_eq!(
            date("Last updated 9 April 2026, 11:20"),
            Some("2026-04-09".into())
        );
        assert_eq!(
            date(
                "NEW BATTLES – Clashes Near Kirkuk\n18.10.2014 – Hoshmand Sadiq – BasNews, \
                 Erbil – In Tuz Khurmatu clashes have taken place between the members of the \
                 Badr militia and Peshmerga forces, and the two sides are holding talks."
            ),
            Some("2014-10-18".into()),
            "a date set off by a dash opens the story"
        );
        assert_eq!(date("Date: 25/03/2025"), Some("2025-03-25".into()));
        assert_eq!(
            date("Date: 05/03/2025"),
            None,
            "day and month could be either"
        );
        assert_eq!(
            date("Reuters | Updated: 12-02-2026 17:00 IST | Created: 12-02-2026 17:00 IST"),
            Some("2026-02-12".into()),
            "hyphens write the day first"
        );
        assert_eq!(
            date(
                "Headline\n\nDiyala, October 26th 2021- Minibus set on fire by villagers in a \
                 village north east of Baghdad on Tuesday night, as the tension in two \
                 villages of the province put it on alert. Photo for the agency"
            ),
            Some("2021-10-26".into()),
            "a place and the date open the caption"
        );
        assert_eq!(
            date(
                "Mosul, the city retaken in July 2017 - a long history of sieges and sackings told here."
            ),
            None,
            "a place and a month are no dateline"
        );
        assert_eq!(
            date(
                "QAMISHLI, Syria, Aug 21, 2025 (Northeast Monitor) — Forces foiled an escape attempt on Wednesday."
            ),
            Some("2025-08-21".into())
        );
        assert_eq!(
            date(
                "A long sentence that mentions the fighting of 3 March 2019 in passing, as history, and says nothing of when it was written."
            ),
            None
        );
        let json_ld = r#"<html><head><script type="application/ld+json">{"datePublished":"2025-11-25T10:30:00+03:00"}</script></head><body><p>Text.</p></body></html>"#;
        let doc = document_from_bytes("a.html", json_ld.as_bytes()).unwrap();
        assert_eq!(doc.meta.date, NaiveDate::from_ymd_opt(2025, 11, 25));
        let time = r#"<html><body><p>Staff &mdash; <time datetime="2025-12-03T09:00:00Z">3 Dec</time></p><p>Text.</p></body></html>"#;
        let doc = document_from_bytes("b.html", time.as_bytes()).unwrap();
        assert_eq!(doc.meta.date, NaiveDate::from_ymd_opt(2025, 12, 3));
        let after = |p: &'static str| dateline_len(p).map(|n| &p[n..]);
        assert_eq!(
            after("RAMADI, Iraq, Oct 14 (Gulf Wire) - A bomb"),
            Some("A bomb")
        );
        assert_eq!(
            after("AL-QAIM, Iraq — Iraqi authorities"),
            Some("Iraqi authorities")
        );
        assert_eq!(
            after("SOUTHWEST ASIA - Coalition forces"),
            Some("Coalition forces")
        );
        assert_eq!(dateline_len("ISIS, the group said — nothing"), None);
        assert_eq!(dateline_len("IS fighters attacked"), None);
    }

    proptest! {
        #[test]
        fn offset_maps_are_monotone_and_land_on_same_text(
            words in proptest::collection::vec(prop_oneof![
                "[A-Za-z]{1,8}".prop_map(|s| s),
                Just(" ".to_string()),
                Just("\n\n\n".to_string()),
                Just("[link](https://a.example/x)".to_string()),
                Just("<https://b.example/y>".to_string()),
                Just(" (<https://c.example>)".to_string()),
                Just("**".to_string()),
                Just("[lbl \\(/p/q\\)](#)".to_string()),
                Just("é—".to_string()),
            ], 0..40)
        ) {
            let raw: String = words.concat();
            for d in [tidy_display(&raw), html_display(&raw)] {
                let mut prev = 0;
                for (i, ch) in d.text.char_indices() {
                    let o = d.original_from_display(i);
                    prop_assert!(o >= prev && o <= raw.len());
                    prev = o;
                    // Copied characters map onto the same character.
                    if raw[o..].starts_with(ch) {
                        prop_assert!(d.display_from_original(o) <= i);
                    }
                }
                for (i, _) in raw.char_indices() {
                    prop_assert!(d.display_from_original(i) <= d.text.len());
                }
            }
        }
    }
}
