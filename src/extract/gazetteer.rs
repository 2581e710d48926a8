//! The gazetteer: named places with coordinates, and the transliteration-aware
//! matching that finds them in text. Names and text go through the same
//! normalisation (case, diacritics, apostrophes, hyphens, Arabic article
//! prefixes, vowel and double-letter folding), so "Deir ez-Zor", "Deir al-Zour"
//! and "Dayr az Zawr" meet on one key; explicit aliases cover the rest.

use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

/// What kind of place an entry is, from broadest to most specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A country.
    Country,
    /// An international border (the Iraq–Syria border).
    Border,
    /// A governorate / province (admin-1).
    Governorate,
    /// A district or sub-district (admin-2 and below), placed at its seat.
    District,
    /// A natural area: a desert, wadi, mountain range or lake.
    Area,
    /// A city (including capitals).
    City,
    /// A town or village.
    Town,
    /// A site: air base, camp, prison, border crossing, terminal, pipeline.
    Site,
}

impl PlaceKind {
    /// Rank for "most specific wins": lower is more specific.
    pub fn specificity_rank(self) -> u8 {
        match self {
            PlaceKind::Site => 0,
            PlaceKind::Town => 1,
            PlaceKind::City => 2,
            PlaceKind::Area => 3,
            PlaceKind::District => 3,
            PlaceKind::Governorate => 4,
            PlaceKind::Border => 5,
            PlaceKind::Country => 6,
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GazEntry {
    /// Stable id, e.g. "ain-al-asad-air-base".
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Other spellings and names.
    pub aliases: Vec<String>,
    /// Kind of place.
    pub kind: PlaceKind,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Latitude (WGS84).
    pub lat: f64,
    /// 1 exact site or town, 2 near / approximate, 3 governorate, border or country.
    pub geo_precision: u8,
    /// Country name, if known.
    pub country: Option<String>,
    /// Governorate name, if known.
    pub admin1: Option<String>,
    /// The source's finer category: "capital", "city", "town", "airbase", "camp",
    /// "prison", "crossing", "terminal", "pipeline", "governorate", "country", "border".
    #[serde(default)]
    pub category: String,
}

impl GazEntry {
    /// Whether the entry is a capital city (whose name often stands for its
    /// government: "Baghdad confirmed").
    pub fn is_capital(&self) -> bool {
        self.category == "capital"
    }

    /// Whether the entry is a camp or prison.
    pub fn is_detention_site(&self) -> bool {
        matches!(self.category.as_str(), "camp" | "prison")
    }

    /// Every name the entry is known by, the canonical one first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A place found in text: gazetteer entry index and byte span in the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch {
    /// Index into [`Gazetteer::entries`].
    pub entry: usize,
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

/// Why a gazetteer could not be built from GeoJSON.
#[derive(Debug, thiserror::Error)]
pub enum GazError {
    /// Not valid JSON.
    #[error("{file} is not valid JSON: {source}")]
    Json {
        /// Which input.
        file: &'static str,
        /// Parser error.
        #[source]
        source: serde_json::Error,
    },
    /// Valid JSON but not a FeatureCollection.
    #[error("{file} is not a GeoJSON FeatureCollection")]
    NotFeatureCollection {
        /// Which input.
        file: &'static str,
    },
}

/// Named places and an index of their normalised names.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<GazEntry>,
    /// Normalised key → (entry, whether it is the canonical name).
    index: HashMap<String, Vec<(usize, bool)>>,
    /// One-word names that are also English words ("Hit", "Anah" → "ana"):
    /// matched only after a preposition of place ("in Hit", "near Anah").
    guarded: HashMap<String, Vec<(usize, bool)>>,
    /// Entry index by id.
    ids: HashMap<String, usize>,
    /// Towns, villages and sites of Iraq and Syria by the consonants of
    /// their names ([`spelling_skeleton`]): a spelling no name matches
    /// ("Al-Shaheil" for Al-Shuhayl) is looked up here.
    spelling: HashMap<String, Vec<usize>>,
    max_tokens: usize,
    /// The parts of governorates and countries by compass point ("eastern
    /// Deir ez-Zor"), by entry id: [`RegionParts`].
    region_parts: HashMap<String, RegionParts>,
}

/// Where the north, north-east, east, … south-west and north-west parts of
/// a region lie: the mean of points on a grid inside its outline that fall in
/// that half (or quarter) of its bounding box, in [`Compass`] order.
pub type RegionParts = [(f64, f64); 8];

/// A compass word before a region's name: "northern", "south-eastern".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compass {
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}

impl Compass {
    /// From "northern", "north-eastern", "northeastern", "north" … (any case).
    pub fn from_word(word: &str) -> Option<Compass> {
        let w: String = word
            .to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        let w = w.strip_suffix("ern").unwrap_or(&w);
        Some(match w {
            "north" => Compass::North,
            "northeast" => Compass::NorthEast,
            "east" => Compass::East,
            "southeast" => Compass::SouthEast,
            "south" => Compass::South,
            "southwest" => Compass::SouthWest,
            "west" => Compass::West,
            "northwest" => Compass::NorthWest,
            _ => return None,
        })
    }

    /// The word as an adjective: "eastern", "north-western".
    pub fn adjective(self) -> &'static str {
        match self {
            Compass::North => "northern",
            Compass::NorthEast => "north-eastern",
            Compass::East => "eastern",
            Compass::SouthEast => "south-eastern",
            Compass::South => "southern",
            Compass::SouthWest => "south-western",
            Compass::West => "western",
            Compass::NorthWest => "north-western",
        }
    }

    fn holds(self, (x, y): (f64, f64), (cx, cy): (f64, f64)) -> bool {
        let (n, e) = (y > cy, x > cx);
        match self {
            Compass::North => n,
            Compass::NorthEast => n && e,
            Compass::East => e,
            Compass::SouthEast => !n && e,
            Compass::South => !n,
            Compass::SouthWest => !n && !e,
            Compass::West => !e,
            Compass::NorthWest => n && !e,
        }
    }
}

const COMPASS: [Compass; 8] = [
    Compass::North,
    Compass::NorthEast,
    Compass::East,
    Compass::SouthEast,
    Compass::South,
    Compass::SouthWest,
    Compass::West,
    Compass::NorthWest,
];

/// The compass parts of a polygon or multipolygon (GeoJSON geometry), or
/// `None` for other geometries. A 32 × 32 grid over the bounding box: work
/// bounded per region whatever its outline's size beyond the point tests.
pub fn region_parts(geometry: &serde_json::Value) -> Option<RegionParts> {
    use geo::{BoundingRect as _, Contains as _};
    let geom: geojson::Geometry = serde_json::from_value(geometry.clone()).ok()?;
    let shape: geo::Geometry<f64> = geom.try_into().ok()?;
    let shape: geo::MultiPolygon<f64> = match shape {
        geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
        geo::Geometry::MultiPolygon(m) => m,
        _ => return None,
    };
    let bbox = shape.bounding_rect()?;
    let (min, max) = (bbox.min(), bbox.max());
    let centre = ((min.x + max.x) / 2.0, (min.y + max.y) / 2.0);
    const N: usize = 32;
    let mut inside = Vec::new();
    for i in 0..N {
        for j in 0..N {
            let x = min.x + (max.x - min.x) * (i as f64 + 0.5) / N as f64;
            let y = min.y + (max.y - min.y) * (j as f64 + 0.5) / N as f64;
            if shape.contains(&geo::Point::new(x, y)) {
                inside.push((x, y));
            }
        }
    }
    let mut parts = [centre; 8];
    for (k, dir) in COMPASS.iter().enumerate() {
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0usize);
        for &(x, y) in inside.iter().filter(|p| dir.holds(**p, centre)) {
            sx += x;
            sy += y;
            n += 1;
        }
        if n > 0 {
            parts[k] = (sx / n as f64, sy / n as f64);
        }
    }
    Some(parts)
}

/// A name key with the letters romanisations trade for one Arabic letter
/// made one: dh/th/z/d (ذ ث ظ ض, "Dhiban", "Theban", "Ziban"), kh/h, gh/g,
/// q/k/g.
fn consonant_key(key: &str) -> String {
    key.replace("dh", "d")
        .replace("th", "d")
        .replace("kh", "h")
        .replace("gh", "g")
        .replace('z', "d")
        .replace(['q', 'g'], "k")
}

/// The consonants of a transliterated Arabic name, in order, without its
/// article, doubled letters single and q read as k: transliterations of
/// one name differ mostly in their vowels ("Shaheil", "Shuhayl";
/// "Mohaymidah", "Muhaymida").
pub fn spelling_skeleton(name: &str) -> String {
    let key = consonant_key(&name_key(name));
    let mut out = String::with_capacity(key.len());
    for ch in key.chars() {
        if matches!(ch, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w') || !ch.is_alphabetic() {
            continue;
        }
        if out.ends_with(ch) {
            continue;
        }
        out.push(ch);
    }
    out
}

/// Words after which a one-word name that is also an English word is a place:
/// prepositions of place, and verbs whose object is a place ("stormed Hit").
const GUARD_BEFORE: [&str; 46] = [
    "in",
    "near",
    "at",
    "from",
    "to",
    "of",
    "outside",
    "around",
    "between",
    "toward",
    "towards",
    "into",
    "and",
    "or",
    "village",
    "villages",
    "town",
    "towns",
    "on",
    "attacked",
    "stormed",
    "captured",
    "recaptured",
    "retook",
    "liberated",
    "besieged",
    "shelled",
    "entered",
    "seized",
    "fled",
    "abandoned",
    "reached",
    "overran",
    "surrounded",
    "encircled",
    "evacuated",
    "bombed",
    "raided",
    "regained",
    "freed",
    "cleared",
    "secured",
    "across",
    "through",
    "inside",
    "via",
];

/// Whether token `p` (followed by ", ") ends an item of a list of names
/// that a preposition of place opens: "clashes in Hawaij, Dhiban, Al-Kasra"
/// — each item capitalised words (with their articles), the items joined
/// by ", ", the first right after "in", "near", "villages of" and the like.
fn in_place_list(text: &str, tokens: &[Token], p: usize) -> bool {
    let mut k = p;
    // A list of a dozen items of up to three words each.
    for _ in 0..40 {
        let t = &tokens[k];
        if !(t.capitalised || ARTICLES.contains(&t.lower.as_ref())) {
            return false;
        }
        let Some(before) = k.checked_sub(1) else {
            return false;
        };
        let gap = &text[tokens[before].end..t.start];
        let prev = &tokens[before];
        if gap == " "
            && GUARD_BEFORE.contains(&prev.lower.as_ref())
            && !matches!(prev.lower.as_ref(), "and" | "or")
            && !prev.capitalised
        {
            return true;
        }
        if !matches!(gap, " " | ", " | "-") {
            return false;
        }
        k = before;
    }
    false
}

/// Article prefixes of transliterated Arabic names ("al-", "ar-", "ez-" …).
const ARTICLES: [&str; 20] = [
    "al", "el", "il", "ar", "as", "az", "ad", "an", "at", "ash", "ath", "adh", "ez", "es", "ed",
    "er", "en", "ul", "ur", "uz",
];

/// Articles that are not English words: safe to take into a place's span.
const STRONG_ARTICLES: [&str; 3] = ["al", "el", "ash"];

/// Single-word names that are ordinary English words: never matched alone.
const AMBIGUOUS_NAMES: [&str; 23] = [
    "hit", "ana", "bar", "dam", "tal", "mar", "ras", "sur", "tel", "bab", "nur", "bir", "ain",
    "ayn", "deir", "dayr", "abu", "umm", "tall", "jabal", "wadi", "camp", "prison",
];

/// Month and weekday names and their abbreviations, and the Islamic months
/// and holy days news of the region dates by ("a Muharram ceremony"): never
/// a place alone ("Nov" is a village in GeoNames and a month in every dateline).
pub(crate) const CALENDAR_WORDS: [&str; 39] = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "sun",
    "muharram",
    "ramadan",
    "ramadhan",
    "shawwal",
    "rajab",
    "ashura",
];

/// Generic nouns a name may be reduced to once its articles are dropped
/// ("Al Al Airport" → "airport"): such a key would match any mention of the noun.
const GENERIC_KEYS: [&str; 22] = [
    "airport",
    "airbase",
    "airfield",
    "base",
    "camp",
    "prison",
    "dam",
    "bridge",
    "district",
    "field",
    "crossing",
    "city",
    "town",
    "village",
    "desert",
    "mountain",
    "lake",
    "river",
    "border",
    "station",
    "province",
    "governorate",
];

/// The word lists above, folded once for comparison with name keys.
struct FoldedLists {
    generic: std::collections::HashSet<String>,
    calendar: std::collections::HashSet<String>,
    ambiguous: std::collections::HashSet<String>,
}

static FOLDED: std::sync::LazyLock<FoldedLists> = std::sync::LazyLock::new(|| FoldedLists {
    generic: GENERIC_KEYS.iter().map(|w| fold_word(w)).collect(),
    calendar: CALENDAR_WORDS.iter().map(|w| fold_word(w)).collect(),
    ambiguous: AMBIGUOUS_NAMES.iter().map(|w| fold_word(w)).collect(),
});

/// One word of text with its place in the text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    /// Lower-case original form.
    pub lower: Rc<str>,
    /// Normalised form.
    pub folded: Rc<str>,
    /// Whether the word starts with an upper-case letter or digit.
    pub capitalised: bool,
    /// Whether a hyphen joins it to the previous word.
    pub joined_prev: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | 'ʿ' | 'ʾ' | '`' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—')
}

/// Splits text into words. Apostrophes inside a word are kept ("Qa'im"); a
/// possessive "'s" is dropped ("Iraq's" → "Iraq").
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    // Words repeat (Zipf): fold each distinct one once and share the forms.
    let mut forms: std::collections::HashMap<&str, (Rc<str>, Rc<str>)> =
        std::collections::HashMap::new();
    let mut it = text.char_indices().peekable();
    // The two characters before the current one.
    let mut before: [Option<char>; 2] = [None, None];
    while let Some((start, c)) = it.next() {
        if !c.is_alphanumeric() {
            before = [Some(c), before[0]];
            continue;
        }
        let joined_prev =
            before[0].is_some_and(is_hyphen) && before[1].is_some_and(char::is_alphanumeric);
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(pos, ch)) = it.peek() {
            if ch.is_alphanumeric() {
                end = pos + ch.len_utf8();
                last = ch;
                it.next();
                continue;
            }
            if is_apostrophe(ch) {
                let mut ahead = text[pos + ch.len_utf8()..].chars();
                let next = ahead.next();
                if next.is_some_and(char::is_alphabetic) {
                    // Possessive 's ends the word.
                    let is_possessive = matches!(next, Some('s' | 'S'))
                        && ahead.next().is_none_or(|n| !n.is_alphanumeric());
                    if is_possessive {
                        break;
                    }
                    last = ch;
                    it.next();
                    continue;
                }
            }
            break;
        }
        before = [Some(last), None];
        let word = &text[start..end];
        let (lower, folded) = forms
            .entry(word)
            .or_insert_with(|| (word.to_lowercase().into(), fold_word(word).into()))
            .clone();
        tokens.push(Token {
            start,
            end,
            lower,
            folded,
            // Scripts without case (Arabic) count as capitalised: their names
            // are matched as written.
            capitalised: c.is_uppercase()
                || c.is_ascii_digit()
                || (c.is_alphabetic() && !c.is_lowercase()),
            joined_prev,
        });
    }
    tokens
}

/// Latin letters with diacritics to their base letter; apostrophe-like marks dropped.
fn base_letter(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ā' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'ō' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ç' => 'c',
        'ş' | 'ṣ' | 'š' => 's',
        'ğ' => 'g',
        'ḥ' => 'h',
        'ṭ' => 't',
        'ḍ' => 'd',
        'ẓ' | 'ž' => 'z',
        'ñ' => 'n',
        c if is_apostrophe(c) => return None,
        c => c,
    })
}

/// Normalises one word for matching: lower case, diacritics and apostrophes
/// removed, then transliteration folding: ou/oo/aw/uw → u, ee → i, ay/ey/ei → ai
/// (so Deir/Dayr/Dair/Dier agree), o → u, final -eh/-ah/-h → -a, e → i, and double
/// letters single (aa → a, Raqqa → raqa).
pub fn fold_word(word: &str) -> String {
    let lower: String = word
        .to_lowercase()
        .chars()
        .filter_map(base_letter)
        .collect();
    let mut s = lower
        .replace("ou", "u")
        .replace("oo", "u")
        .replace("aw", "u")
        .replace("uw", "u")
        .replace("ee", "i");
    // "Dier" for "Deir" is the common slip of the same vowel.
    s = s
        .replace("ay", "ai")
        .replace("ey", "ai")
        .replace("ie", "ei")
        .replace("ei", "ai");
    s = s.replace('o', "u");
    if s.len() > 3 && s.ends_with('h') && s[..s.len() - 1].ends_with(['a', 'e', 'i', 'u']) {
        s.pop();
    }
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
        s.push('a');
    }
    s = s.replace('e', "i");
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if out.ends_with(ch) && ch.is_alphabetic() {
            continue;
        }
        out.push(ch);
    }
    out
}

/// A later word of a name with its article fused on, as "ez-Zor" is often
/// written "Ezzor" (al- assimilates to a following z and joins it): the
/// folded word without the article, so "Deir Ezzor" keys as "Deir ez-Zor".
fn without_fused_article(t: &Token) -> Option<String> {
    let rest = t
        .lower
        .strip_prefix("ezz")
        .or_else(|| t.lower.strip_prefix("azz"))?;
    (rest.chars().count() >= 2).then(|| fold_word(&format!("z{rest}")))
}

/// A two-word name joined by its article ("Salah al-Din") is often written
/// as one word with the article fused and assimilated ("Salahaddin",
/// "Salaheddin", "Salahuddin"): the keys of those spellings.
fn fused_keys(tokens: &[Token]) -> Vec<String> {
    let [first, article, second] = tokens else {
        return Vec::new();
    };
    let is_article = matches!(article.lower.as_ref(), "al" | "el" | "ul")
        || (ARTICLES.contains(&article.lower.as_ref()) && second.joined_prev);
    if !is_article {
        return Vec::new();
    }
    if first.lower.chars().count() < 3 || second.lower.chars().count() < 3 {
        return Vec::new();
    }
    let Some(initial) = second.lower.chars().next() else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for vowel in ['a', 'e', 'u'] {
        for consonant in ['l', initial] {
            let key = fold_word(&format!(
                "{}{vowel}{consonant}{}",
                first.lower, second.lower
            ));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// The matching key of a name: its folded words without articles, joined.
pub fn name_key(name: &str) -> String {
    let tokens = tokenize(name);
    let n = tokens.len();
    let mut key = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i + 1 < n && ARTICLES.contains(&t.lower.as_ref()) {
            continue;
        }
        match without_fused_article(t).filter(|_| i > 0) {
            Some(word) => key.push_str(&word),
            None => key.push_str(&t.folded),
        }
    }
    key
}

/// Capitalised words that may stand right before a place name.
const BEFORE_PLACE: [&str; 24] = [
    "the", "in", "at", "near", "from", "to", "of", "and", "north", "south", "east", "west",
    "northern", "southern", "eastern", "western", "central", "rural", "greater", "upper", "lower",
    "camp", "city", "town",
];

/// Whether the name starting at token `i` with an "al-" article continues a
/// person's name ("Muqtada al-Sadr", "Nouri al-Maliki").
fn follows_personal_name(text: &str, tokens: &[Token], i: usize) -> bool {
    if i < 2 {
        return false;
    }
    let article = &tokens[i - 1];
    let before = &tokens[i - 2];
    let is_al = matches!(article.lower.as_ref(), "al" | "el") && tokens[i].joined_prev;
    let gap = &text[before.end..article.start];
    is_al
        && gap == " "
        && before.capitalised
        && !BEFORE_PLACE.contains(&before.lower.as_ref())
        && !ARTICLES.contains(&before.lower.as_ref())
}

/// Given names common in the region's reporting; a family name right after
/// one is a person's ("Qasem Soleimani", "Masoud Barzani"), even when it is
/// spelt like a place.
const GIVEN_NAMES: [&str; 44] = [
    "abdul",
    "abdullah",
    "adel",
    "ahmad",
    "ahmed",
    "ali",
    "ammar",
    "bashar",
    "barham",
    "fuad",
    "haider",
    "haidar",
    "hadi",
    "hafez",
    "hamid",
    "hassan",
    "hussein",
    "ibrahim",
    "ismail",
    "jaafar",
    "jafar",
    "jalal",
    "khaled",
    "khalid",
    "mahmoud",
    "masoud",
    "massoud",
    "mazloum",
    "mohammad",
    "mohammed",
    "muhammad",
    "mustafa",
    "muqtada",
    "nechirvan",
    "nouri",
    "nuri",
    "omar",
    "qasem",
    "qassem",
    "qasim",
    "saddam",
    "salih",
    "saleh",
    "yusuf",
];

/// Titles before a family name ("General Soleimani").
const TITLES: [&str; 11] = [
    "general",
    "gen",
    "commander",
    "cleric",
    "sheikh",
    "sheik",
    "president",
    "minister",
    "premier",
    "ayatollah",
    "mullah",
];

/// Whether the one-word name at token `i` follows a given name or a title.
fn after_given_name(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|k| &tokens[k]) else {
        return false;
    };
    let gap = &text[prev.end..tokens[i].start];
    (gap == " " || gap == ". ")
        && text[prev.start..].starts_with(char::is_uppercase)
        && (GIVEN_NAMES.contains(&prev.lower.as_ref()) || TITLES.contains(&prev.lower.as_ref()))
}

/// Whether the one-word name at token `i` is a given name followed by a
/// family name with an article ("Ahmad al-Sharaa", "Hadi al-Amiri").
fn starts_personal_name(text: &str, tokens: &[Token], i: usize) -> bool {
    // "Qasem Soleimani": a given name before a capitalised family name.
    if let Some(next) = tokens.get(i + 1)
        && GIVEN_NAMES.contains(&tokens[i].lower.as_ref())
        && &text[tokens[i].end..next.start] == " "
        && next.capitalised
        && text[next.start..].starts_with(char::is_uppercase)
    {
        return true;
    }
    let (Some(article), Some(family)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
        return false;
    };
    matches!(article.lower.as_ref(), "al" | "el")
        && &text[tokens[i].end..article.start] == " "
        && family.joined_prev
        && family.capitalised
}

impl Gazetteer {
    /// Builds the gazetteer and its name index.
    pub fn new(entries: Vec<GazEntry>) -> Self {
        let mut index: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        let mut guarded: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        let mut max_tokens = 1;
        let content_words = |name: &str| {
            tokenize(name)
                .iter()
                .filter(|t| !ARTICLES.contains(&t.lower.as_ref()))
                .count()
        };
        for (i, e) in entries.iter().enumerate() {
            let canonical_words = content_words(&e.name);
            // Villages are introduced by a preposition ("in", "near", "the
            // village of"); their one-word names alone are too often a
            // person's name or an English word ("Sharaa", "Road").
            let village = e.category == "village";
            for (k, name) in e.names().enumerate() {
                let key = name_key(name);
                let tokens = tokenize(name);
                let words = tokens.len();
                // An alias whose first word reads as an article ("En el Asad"
                // for "‘Ein el Asad" keys to "asad") lost a word of the name
                // and would match something else.
                let articles = tokens
                    .iter()
                    .filter(|t| ARTICLES.contains(&t.lower.as_ref()))
                    .count();
                let content = words - articles;
                if k > 0 && content == 1 && canonical_words > 1 && articles > 1 {
                    continue;
                }
                if village && content == 1 && key.len() >= 3 {
                    let slot = guarded.entry(key).or_default();
                    if !slot.iter().any(|(j, _)| *j == i) {
                        slot.push((i, k == 0));
                    }
                    continue;
                }
                if key.len() < 3 && e.kind != PlaceKind::Country {
                    continue;
                }
                if FOLDED.generic.contains(&key) || (words == 1 && FOLDED.calendar.contains(&key)) {
                    continue;
                }
                // "At-Tall" without its article is "Tal", the first word of
                // a hundred village names: an ambiguous word however written.
                if content == 1 && FOLDED.ambiguous.contains(&key) {
                    if matches!(e.kind, PlaceKind::City | PlaceKind::Town) {
                        let slot = guarded.entry(key).or_default();
                        if !slot.iter().any(|(j, _)| *j == i) {
                            slot.push((i, k == 0));
                        }
                    }
                    continue;
                }
                // A one-word alias that is also an actor's name ("Sadr" for Sadr
                // City) would turn people into places.
                if k > 0
                    && words == 1
                    && super::actors::find_actors(name)
                        .iter()
                        .any(|a| a.start == 0 && a.end == name.len())
                {
                    continue;
                }
                max_tokens = max_tokens.max(words + 1);
                for key in std::iter::once(key).chain(fused_keys(&tokens)) {
                    let slot = index.entry(key).or_default();
                    if !slot.iter().any(|(j, _)| *j == i) {
                        slot.push((i, k == 0));
                    }
                }
            }
        }
        let ids = entries
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut spelling: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if matches!(e.kind, PlaceKind::Town | PlaceKind::City | PlaceKind::Site)
                && e.country
                    .as_deref()
                    .is_some_and(|c| matches!(c, "Iraq" | "Syria"))
            {
                for name in e.names() {
                    let slot = spelling.entry(spelling_skeleton(name)).or_default();
                    if !slot.contains(&i) {
                        slot.push(i);
                    }
                }
            }
        }
        Gazetteer {
            entries,
            index,
            guarded,
            ids,
            spelling,
            max_tokens: max_tokens.min(10),
            region_parts: HashMap::new(),
        }
    }

    /// The same gazetteer with places an analyst put on the map: each a
    /// town-like entry (id `analyst:<name>`, precision 1) matched like any other.
    pub fn with_analyst_places(&self, places: &[(String, f64, f64)]) -> Gazetteer {
        let mut entries: Vec<GazEntry> = self
            .entries
            .iter()
            .filter(|e| e.category != "analyst place")
            .cloned()
            .collect();
        for (name, lon, lat) in places {
            entries.push(GazEntry {
                id: format!("analyst:{}", slug(name)),
                name: name.clone(),
                aliases: Vec::new(),
                kind: PlaceKind::Town,
                lon: *lon,
                lat: *lat,
                geo_precision: 1,
                country: None,
                admin1: None,
                category: "analyst place".into(),
            });
        }
        let mut gaz = Gazetteer::new(entries);
        gaz.region_parts = self.region_parts.clone();
        gaz
    }

    /// Whether a point lies in the `dir` part of region `entry` rather than
    /// the opposite part (true when the region's outline is unknown).
    pub fn in_region_part(&self, entry: usize, dir: Compass, (lon, lat): (f64, f64)) -> bool {
        let Some(parts) = self
            .entries
            .get(entry)
            .and_then(|e| self.region_parts.get(&e.id))
        else {
            return true;
        };
        let Some(k) = COMPASS.iter().position(|c| *c == dir) else {
            return true;
        };
        let d2 = |(x, y): (f64, f64)| (x - lon).powi(2) + ((y - lat) * 1.2).powi(2);
        d2(parts[k]) < d2(parts[(k + 4) % 8])
    }

    /// Where the `dir` part of region `entry` (a governorate or country
    /// whose outline the data gave) lies: "eastern Deir ez-Zor".
    pub fn region_part(&self, entry: usize, dir: Compass) -> Option<(f64, f64)> {
        let parts = self.region_parts.get(&self.entries.get(entry)?.id)?;
        let k = COMPASS.iter().position(|c| *c == dir)?;
        Some(parts[k])
    }

    /// The towns, villages and sites of Iraq and Syria that `written` may be
    /// another spelling of: the same consonants (at least three), and a
    /// name that reads alike.
    pub fn spelled_alike(&self, written: &str) -> Vec<usize> {
        let skeleton = spelling_skeleton(written);
        if skeleton.len() < 3 {
            return Vec::new();
        }
        let key = consonant_key(&name_key(written));
        self.spelling
            .get(&skeleton)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                self.entries[i]
                    .names()
                    .any(|n| strsim::jaro_winkler(&key, &consonant_key(&name_key(n))) >= 0.8)
            })
            .collect()
    }

    /// The one place among `candidates`: the first, when all lie within a
    /// few km of it (a village and the sub-district it is the seat of are
    /// one place; two villages 50 km apart are a guess).
    pub fn one_place(&self, candidates: &[usize]) -> Option<usize> {
        const ONE_PLACE_KM: f64 = 5.0;
        let first = *candidates.first()?;
        let f = &self.entries[first];
        candidates
            .iter()
            .all(|&i| {
                let e = &self.entries[i];
                super::rough_km((f.lon, f.lat), (e.lon, e.lat)) <= ONE_PLACE_KM
            })
            .then_some(first)
    }

    /// All entries.
    pub fn entries(&self) -> &[GazEntry] {
        &self.entries
    }

    /// The town, village or site nearest (lon, lat) within `km`, if any:
    /// what a pin dropped there stands for.
    pub fn nearest_place(&self, lon: f64, lat: f64, km: f64) -> Option<&GazEntry> {
        use geo::{Distance, Geodesic, Point};
        let at = Point::new(lon, lat);
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, PlaceKind::City | PlaceKind::Town | PlaceKind::Site))
            .filter(|e| e.category != "pipeline" && e.geo_precision == 1)
            // A cheap box first: a degree of latitude is 111 km.
            .filter(|e| {
                (e.lat - lat).abs() * 111.0 <= km
                    && (e.lon - lon).abs() * 111.0 * lat.to_radians().cos() <= km
            })
            .map(|e| (Geodesic.distance(at, Point::new(e.lon, e.lat)) / 1000.0, e))
            .filter(|(d, _)| *d <= km)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, e)| e)
    }

    /// Index of the entry with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The entry with this id.
    pub fn by_id(&self, id: &str) -> Option<&GazEntry> {
        self.ids.get(id).map(|&i| &self.entries[i])
    }

    /// Index of the first entry of a kind whose name or alias has this key.
    pub fn find_name(&self, name: &str, kind: Option<PlaceKind>) -> Option<usize> {
        let key = name_key(name);
        let candidates = self.index.get(&key)?;
        candidates
            .iter()
            .map(|(i, _)| *i)
            .find(|i| kind.is_none_or(|k| self.entries[*i].kind == k))
    }

    /// Picks one entry among those sharing a key: canonical names before
    /// aliases, then towns and cities before sites, regions and countries.
    fn resolve(&self, candidates: &[(usize, bool)]) -> Option<usize> {
        candidates
            .iter()
            .min_by_key(|(i, primary)| {
                let kind_rank = match self.entries[*i].kind {
                    PlaceKind::City | PlaceKind::Town => 0,
                    PlaceKind::Site => 1,
                    PlaceKind::District | PlaceKind::Area => 2,
                    PlaceKind::Governorate => 3,
                    PlaceKind::Border => 4,
                    PlaceKind::Country => 5,
                };
                (!primary, kind_rank, *i)
            })
            .map(|(i, _)| *i)
    }

    /// Finds every place named in `text`, longest match first, not overlapping,
    /// in text order. A match must start with a capital letter (an article such
    /// as "al-" may precede it) and its words may be separated only by spaces
    /// or hyphens.
    pub fn find_all(&self, text: &str) -> Vec<PlaceMatch> {
        self.find_all_in(text, &tokenize(text))
    }

    /// [`Gazetteer::find_all`] over the words of `text` already split.
    pub(crate) fn find_all_in(&self, text: &str, tokens: &[Token]) -> Vec<PlaceMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let first = &tokens[i];
            let is_article = ARTICLES.contains(&first.lower.as_ref());
            if !first.capitalised || (is_article && i + 1 < tokens.len()) {
                i += 1;
                continue;
            }
            let mut key = String::new();
            let mut best: Option<(usize, usize)> = None; // (last token, entry)
            let mut j = i;
            while j < tokens.len() && j - i < self.max_tokens {
                let t = &tokens[j];
                if j > i {
                    let gap = &text[tokens[j - 1].end..t.start];
                    if !gap
                        .chars()
                        .all(|c| c == ' ' || c == '\u{a0}' || is_hyphen(c))
                        || gap.is_empty()
                    {
                        break;
                    }
                }
                let skip_article = j > i
                    && j + 1 < tokens.len()
                    && ARTICLES.contains(&t.lower.as_ref())
                    && (tokens[j + 1].joined_prev || tokens[j + 1].capitalised);
                if !skip_article {
                    match without_fused_article(t).filter(|_| j > i) {
                        Some(word) => key.push_str(&word),
                        None => key.push_str(&t.folded),
                    }
                    if let Some(cands) = self.index.get(&key)
                        && let Some(entry) = self.resolve(cands)
                    {
                        best = Some((j, entry));
                    }
                }
                j += 1;
            }
            if let Some((last, entry)) = best
                && !follows_personal_name(text, tokens, i)
                && !(last == i && starts_personal_name(text, tokens, i))
                && !(last == i && after_given_name(text, tokens, i))
            {
                let mut start = first.start;
                if i > 0 {
                    let prev = &tokens[i - 1];
                    let gap = &text[prev.end..first.start];
                    let joined = first.joined_prev;
                    let strong = STRONG_ARTICLES.contains(&prev.lower.as_ref()) && gap == " ";
                    if ARTICLES.contains(&prev.lower.as_ref()) && (joined || strong) {
                        start = prev.start;
                    }
                }
                out.push(PlaceMatch {
                    entry,
                    start,
                    end: tokens[last].end,
                });
                i = last + 1;
            } else if let Some((entry, start)) = self.guarded_match(text, tokens, i, &out) {
                out.push(PlaceMatch {
                    entry,
                    start,
                    end: first.end,
                });
                i += 1;
            } else {
                i += 1;
            }
        }
        out
    }

    /// A one-word name that is also an English word, or a village's one-word
    /// name, at token `i` (an article such as "al-" may precede it): only
    /// when it is capitalised, not the first word, and follows a preposition
    /// of place ("in Hit", "near al-Sharaa") or "and"/"or" right after another
    /// place ("Rawa and Anah"). Returns the entry and the start byte.
    fn guarded_match(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        found: &[PlaceMatch],
    ) -> Option<(usize, usize)> {
        let t = &tokens[i];
        if i == 0 || !t.capitalised {
            return None;
        }
        let first_upper = text[t.start..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let next_joined = tokens.get(i + 1).is_some_and(|n| n.joined_prev);
        if !first_upper || next_joined {
            return None;
        }
        // "Tal Harmel", "Tal al-Ward", "Tal al Rumman": the first word of a
        // longer name.
        let rest = &text[t.end..];
        let rest = rest.strip_prefix(' ').unwrap_or("");
        let rest = [
            "al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-", "al ", "el ",
        ]
        .iter()
        .find_map(|a| rest.strip_prefix(a))
        .unwrap_or(rest);
        if rest.starts_with(char::is_uppercase) {
            return None;
        }
        let cands = self.guarded.get(&*t.folded)?;
        let mut p = i - 1;
        let mut start = t.start;
        let article_gap = &text[tokens[p].end..t.start];
        if ARTICLES.contains(&tokens[p].lower.as_ref()) && (t.joined_prev || article_gap == " ") {
            start = tokens[p].start;
            p = p.checked_sub(1)?;
        } else if t.joined_prev {
            return None;
        }
        let prev = &tokens[p];
        let gap = &text[prev.end..tokens[p + 1].start];
        if gap == ", " && in_place_list(text, tokens, p) {
            return self.resolve(cands).map(|e| (e, start));
        }
        if gap != " " || !GUARD_BEFORE.contains(&prev.lower.as_ref()) {
            return None;
        }
        if matches!(prev.lower.as_ref(), "and" | "or") {
            let before = p.checked_sub(1).map(|k| tokens[k].end)?;
            if found.last().is_none_or(|m| m.end != before) {
                return None;
            }
        }
        self.resolve(cands).map(|e| (e, start))
    }

    /// Every entry a name as written may stand for (all entries sharing its
    /// key), the one [`Gazetteer::find_all`] picked by default first.
    pub fn candidates_for(&self, written: &str) -> Vec<usize> {
        let key = name_key(written);
        let slot = self.index.get(&key).or_else(|| self.guarded.get(&key));
        let Some(slot) = slot else {
            return Vec::new();
        };
        let mut out: Vec<usize> = self.resolve(slot).into_iter().collect();
        for (i, _) in slot {
            if !out.contains(i) {
                out.push(*i);
            }
        }
        out
    }

    /// Entries whose names start with (or equal, after normalisation) the
    /// query, best first: exact names, then prefixes, then word prefixes.
    pub fn lookup(&self, query: &str) -> Vec<&GazEntry> {
        let q_key = name_key(query);
        let q_lower = query.trim().to_lowercase();
        if q_key.is_empty() && q_lower.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u8, u8, &str, usize)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let mut best: Option<u8> = None;
            for name in e.names() {
                let key = name_key(name);
                let lower = name.to_lowercase();
                let score = if !q_key.is_empty() && key == q_key {
                    Some(0)
                } else if (!q_key.is_empty() && key.starts_with(&q_key))
                    || lower.starts_with(&q_lower)
                {
                    Some(1)
                } else if tokenize(name)
                    .iter()
                    .any(|t| !q_key.is_empty() && t.folded.starts_with(&q_key))
                    || lower.contains(&q_lower)
                {
                    Some(2)
                } else {
                    None
                };
                if let Some(s) = score {
                    best = Some(best.map_or(s, |b: u8| b.min(s)));
                }
            }
            if let Some(s) = best {
                scored.push((s, e.kind.specificity_rank(), e.name.as_str(), i));
            }
        }
        scored.sort();
        scored
            .into_iter()
            .map(|(_, _, _, i)| &self.entries[i])
            .collect()
    }
}

fn str_prop(props: &serde_json::Value, key: &str) -> Option<String> {
    match props.get(key)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn aliases_prop(props: &serde_json::Value) -> Vec<String> {
    match props.get("aliases") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(serde_json::Value::String(s)) => s
            .split([';', '|'])
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// A lower-case, hyphenated id from a name ("Ain al-Asad" → "ain-al-asad").
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars().filter_map(base_letter) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn features<'a>(
    json: &'a serde_json::Value,
    file: &'static str,
) -> Result<&'a Vec<serde_json::Value>, GazError> {
    json.get("features")
        .and_then(|f| f.as_array())
        .ok_or(GazError::NotFeatureCollection { file })
}

fn parse(text: &str, file: &'static str) -> Result<serde_json::Value, GazError> {
    serde_json::from_str(text).map_err(|source| GazError::Json { file, source })
}

/// A representative point of a (Multi)Polygon geometry: the area centroid of
/// its largest exterior ring.
pub fn representative_point(geometry: &serde_json::Value) -> Option<(f64, f64)> {
    let coords = geometry.get("coordinates")?;
    let rings: Vec<&serde_json::Value> = match geometry.get("type")?.as_str()? {
        "Polygon" => coords.as_array()?.first().into_iter().collect(),
        "MultiPolygon" => coords
            .as_array()?
            .iter()
            .filter_map(|p| p.as_array()?.first())
            .collect(),
        "Point" => {
            let p = coords.as_array()?;
            return Some((p.first()?.as_f64()?, p.get(1)?.as_f64()?));
        }
        _ => return None,
    };
    let mut best: Option<(f64, (f64, f64))> = None;
    for ring in rings {
        let pts: Vec<(f64, f64)> = ring
            .as_array()?
            .iter()
            .filter_map(|p| {
                let p = p.as_array()?;
                Some((p.first()?.as_f64()?, p.get(1)?.as_f64()?))
            })
            .collect();
        if let Some((area, c)) = ring_centroid(&pts)
            && best.is_none_or(|(a, _)| area > a)
        {
            best = Some((area, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Absolute area and area centroid of a ring (planar, in degrees: good enough
/// for a label point). Falls back to the vertex mean for degenerate rings.
pub fn ring_centroid(points: &[(f64, f64)]) -> Option<(f64, (f64, f64))> {
    if points.is_empty() {
        return None;
    }
    let (ox, oy) = points[0];
    let mut twice_area = 0.0;
    let mut cx = 0.0;
    let mut cy = 0.0;
    for w in points.windows(2) {
        let (x0, y0) = (w[0].0 - ox, w[0].1 - oy);
        let (x1, y1) = (w[1].0 - ox, w[1].1 - oy);
        let cross = x0 * y1 - x1 * y0;
        twice_area += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if twice_area.abs() < 1e-12 {
        let n = points.len() as f64;
        let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
        let my = points.iter().map(|p| p.1).sum::<f64>() / n;
        return Some((0.0, (mx, my)));
    }
    Some((
        (twice_area / 2.0).abs(),
        (cx / (3.0 * twice_area) + ox, cy / (3.0 * twice_area) + oy),
    ))
}

/// Common English names and spellings of the region's countries, by ISO code.
fn country_aliases(iso: &str) -> &'static [&'static str] {
    match iso {
        "SYR" => &["Syria", "Syrian Arab Republic"],
        "IRQ" => &["Iraq", "Republic of Iraq"],
        "TUR" => &["Turkey", "Türkiye", "Turkiye"],
        "IRN" => &["Iran", "Islamic Republic of Iran"],
        "JOR" => &["Jordan"],
        "LBN" => &["Lebanon"],
        "SAU" => &["Saudi Arabia", "Kingdom of Saudi Arabia"],
        "KWT" => &["Kuwait"],
        "ISR" => &["Israel"],
        "PSE" => &["Palestine", "Palestinian Territories"],
        "CYP" => &["Cyprus"],
        "EGY" => &["Egypt"],
        _ => &[],
    }
}

/// Id of the Iraq–Syria border entry.
pub const BORDER_ID: &str = "border:iraq-syria";

/// The entries every gazetteer gets besides the data files: the Iraq–Syria
/// border (as a place, for "the border" when the context is Iraq–Syria) and
/// the two pipelines the map draws, pinned where they cross a border.
pub fn builtin_entries() -> Vec<GazEntry> {
    let border_aliases = [
        "Iraq-Syria border",
        "Syria-Iraq border",
        "Iraqi-Syrian border",
        "Syrian-Iraqi border",
        "Iraq Syria border",
        "Syria Iraq border",
        "Iraqi Syrian border",
        "Syrian Iraqi border",
        "Iraq-Syria frontier",
        "Iraqi-Syrian frontier",
        "Syrian-Iraqi frontier",
        "Iraqi-Syrian borders",
        "Syrian-Iraqi borders",
    ];
    let mut regions: Vec<GazEntry> = REGIONS
        .iter()
        .map(|(dir, country, lon, lat)| GazEntry {
            id: format!("region:{dir}-{}", slug(country)),
            name: format!("{}{} {country}", dir[..1].to_uppercase(), &dir[1..]),
            aliases: Vec::new(),
            kind: PlaceKind::Governorate,
            lon: *lon,
            lat: *lat,
            geo_precision: 3,
            country: Some((*country).to_string()),
            admin1: None,
            category: "region".into(),
        })
        .collect();
    regions.push(GazEntry {
        id: "region:kurdistan-region".into(),
        name: "Kurdistan Region".into(),
        aliases: [
            "Kurdistan Region of Iraq",
            "Iraqi Kurdistan",
            "Kurdistan region",
            "Kurdistan Regional Government",
            "KRI",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        kind: PlaceKind::Governorate,
        lon: 44.0,
        lat: 36.4,
        geo_precision: 3,
        country: Some("Iraq".into()),
        admin1: None,
        category: "region".into(),
    });
    let mut out = vec![
        GazEntry {
            id: BORDER_ID.into(),
            name: "Iraq–Syria border".into(),
            aliases: border_aliases.iter().map(|s| s.to_string()).collect(),
            kind: PlaceKind::Border,
            lon: 40.9,
            lat: 34.4,
            geo_precision: 3,
            country: None,
            admin1: None,
            category: "border".into(),
        },
        GazEntry {
            id: "pipeline:kirkuk-baniyas".into(),
            name: "Kirkuk–Baniyas pipeline".into(),
            aliases: [
                "Kirkuk-Baniyas",
                "Kirkuk-Baniyas oil pipeline",
                "Kirkuk-Banias pipeline",
                "Kirkuk-Banias",
                "Baniyas line",
                "Baniyas pipeline",
                "Kirkuk-Baniyas line",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            kind: PlaceKind::Site,
            lon: 40.977,
            lat: 34.3975,
            geo_precision: 2,
            country: None,
            admin1: None,
            category: "pipeline".into(),
        },
        GazEntry {
            id: "pipeline:kirkuk-ceyhan".into(),
            name: "Kirkuk–Ceyhan pipeline".into(),
            aliases: [
                "Kirkuk-Ceyhan",
                "Kirkuk-Ceyhan oil pipeline",
                "Kirkuk-Ceyhan line",
                "Iraq-Turkey pipeline",
                "Ceyhan pipeline",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            kind: PlaceKind::Site,
            lon: 42.3775,
            lat: 37.06806,
            geo_precision: 2,
            country: None,
            admin1: None,
            category: "pipeline".into(),
        },
    ];
    out.extend(regions);
    out
}

/// Parts of Iraq and Syria that reporting names by direction ("eastern
/// Syria", "northern Iraq"), each at a rough centre chosen by the project
/// (the governorates the phrase usually means: eastern Syria is Deir ez-Zor,
/// north-eastern Syria Hasakah, western Iraq Anbar, northern Iraq Nineveh and
/// Kirkuk). Precision 3: within 300 km.
pub const REGIONS: [(&str, &str, f64, f64); 15] = [
    ("eastern", "Syria", 40.3, 35.2),
    ("northeastern", "Syria", 41.0, 36.5),
    ("northern", "Syria", 37.8, 36.4),
    ("northwestern", "Syria", 36.6, 35.9),
    ("western", "Syria", 36.3, 34.8),
    ("southern", "Syria", 36.4, 32.9),
    ("central", "Syria", 38.0, 34.6),
    ("southeastern", "Syria", 38.8, 33.6),
    ("northern", "Iraq", 43.3, 36.2),
    ("western", "Iraq", 41.8, 33.6),
    ("southern", "Iraq", 46.5, 31.0),
    ("central", "Iraq", 44.3, 33.3),
    ("northwestern", "Iraq", 42.3, 36.2),
    ("northeastern", "Iraq", 45.0, 35.8),
    ("eastern", "Iraq", 45.5, 33.8),
];

/// Builds a gazetteer from the app's GeoJSON layers: places (Point features with
/// `id`, `name`, `kind`, `aliases`, `country`, `admin1`, `precision`),
/// governorates (`name`, `aliases`, `country`; placed at the centroid of their
/// largest ring) and countries (`name`, `iso_a3`), plus [`builtin_entries`].
/// Features without a name or a usable geometry are skipped.
pub fn gazetteer_from_geojson(
    places: &str,
    governorates: &str,
    countries: &str,
) -> Result<Gazetteer, GazError> {
    gazetteer_from_layers(&[("places.geojson", places)], governorates, countries)
}

/// Like [`gazetteer_from_geojson`], with several point files (the places
/// layer and the gazetteer layer of villages, districts and sites). Arabic
/// spellings (`names_ar`) are matched like any other name.
pub fn gazetteer_from_layers(
    point_files: &[(&'static str, &str)],
    governorates: &str,
    countries: &str,
) -> Result<Gazetteer, GazError> {
    let govs_json = parse(governorates, "governorates.geojson")?;
    let countries_json = parse(countries, "countries.geojson")?;
    let mut entries = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for (file, text) in point_files {
        let json = parse(text, file)?;
        point_entries(&json, file, &mut entries, &mut ids)?;
    }
    let before = entries.len();
    region_entries(&govs_json, &countries_json, &mut entries)?;
    // The regions' outlines, for "eastern Deir ez-Zor", "northern Iraq": in
    // the order `region_entries` read them, skipping features it skipped.
    let outlines: Vec<&serde_json::Value> = features(&govs_json, "governorates.geojson")?
        .iter()
        .chain(features(&countries_json, "countries.geojson")?.iter())
        .filter(|f| {
            f.get("properties")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .is_some()
                && f.get("geometry").and_then(representative_point).is_some()
        })
        .filter_map(|f| f.get("geometry"))
        .collect();
    let parts: HashMap<String, RegionParts> = entries[before..]
        .iter()
        .zip(outlines)
        .filter_map(|(e, g)| Some((e.id.clone(), region_parts(g)?)))
        .collect();
    entries.extend(builtin_entries());
    let mut gaz = Gazetteer::new(entries);
    gaz.region_parts = parts;
    Ok(gaz)
}

fn point_entries(
    json: &serde_json::Value,
    file: &'static str,
    entries: &mut Vec<GazEntry>,
    ids: &mut std::collections::HashSet<String>,
) -> Result<(), GazError> {
    for f in features(json, file)? {
        let props = f.get("properties").cloned().unwrap_or_default();
        let Some(name) = str_prop(&props, "name") else {
            continue;
        };
        let Some((lon, lat)) = f.get("geometry").and_then(representative_point) else {
            continue;
        };
        let feature_id = str_prop(f, "id").or_else(|| str_prop(&props, "id"));
        let category = str_prop(&props, "kind")
            .unwrap_or_else(|| "town".into())
            .to_lowercase();
        let kind = match category.as_str() {
            "capital" | "city" => PlaceKind::City,
            "town" | "village" => PlaceKind::Town,
            "district" | "subdistrict" => PlaceKind::District,
            "desert" | "wadi" | "mountain" | "lake" => PlaceKind::Area,
            _ => PlaceKind::Site,
        };
        let precision = props
            .get("precision")
            .and_then(|p| p.as_u64())
            .map_or(1, |p| p.clamp(1, 3) as u8);
        let id = feature_id.unwrap_or_else(|| format!("place:{}", slug(&name)));
        if !ids.insert(id.clone()) {
            continue;
        }
        let mut aliases = aliases_prop(&props);
        if let Some(serde_json::Value::Array(ar)) = props.get("names_ar") {
            aliases.extend(ar.iter().filter_map(|v| v.as_str()).map(str::to_owned));
        }
        entries.push(GazEntry {
            id,
            aliases,
            kind,
            lon,
            lat,
            geo_precision: precision,
            country: str_prop(&props, "country"),
            admin1: str_prop(&props, "admin1"),
            category,
            name,
        });
    }
    Ok(())
}

fn region_entries(
    govs_json: &serde_json::Value,
    countries_json: &serde_json::Value,
    entries: &mut Vec<GazEntry>,
) -> Result<(), GazError> {
    for f in features(govs_json, "governorates.geojson")? {
        let props = f.get("properties").cloned().unwrap_or_default();
        let Some(name) = str_prop(&props, "name") else {
            continue;
        };
        let Some((lon, lat)) = f.get("geometry").and_then(representative_point) else {
            continue;
        };
        let feature_id = str_prop(f, "id").or_else(|| str_prop(&props, "id"));
        let mut aliases = aliases_prop(&props);
        let base: Vec<String> = std::iter::once(name.clone())
            .chain(aliases.iter().cloned())
            .collect();
        for b in base {
            for suffix in [" Governorate", " province", " Province", " governorate"] {
                aliases.push(format!("{b}{suffix}"));
            }
        }
        entries.push(GazEntry {
            id: feature_id.unwrap_or_else(|| format!("governorate:{}", slug(&name))),
            aliases,
            kind: PlaceKind::Governorate,
            lon,
            lat,
            geo_precision: 3,
            country: str_prop(&props, "country"),
            admin1: Some(name.clone()),
            category: "governorate".into(),
            name,
        });
    }
    for f in features(countries_json, "countries.geojson")? {
        let props = f.get("properties").cloned().unwrap_or_default();
        let Some(name) = str_prop(&props, "name") else {
            continue;
        };
        let Some((lon, lat)) = f.get("geometry").and_then(representative_point) else {
            continue;
        };
        let iso = str_prop(&props, "iso_a3")
            .unwrap_or_default()
            .to_uppercase();
        let feature_id = str_prop(f, "id").or_else(|| str_prop(&props, "id"));
        let mut aliases = aliases_prop(&props);
        for a in country_aliases(&iso) {
            if *a != name && !aliases.iter().any(|x| x == a) {
                aliases.push((*a).to_string());
            }
        }
        entries.push(GazEntry {
            id: feature_id.unwrap_or_else(|| {
                if iso.is_empty() {
                    format!("country:{}", slug(&name))
                } else {
                    format!("country:{}", iso.to_lowercase())
                }
            }),
            aliases,
            kind: PlaceKind::Country,
            lon,
            lat,
            geo_precision: 3,
            country: Some(name.clone()),
            admin1: None,
            category: "country".into(),
            name,
        });
    }
    Ok(())
}

/// A small gazetteer that needs no data files: the sites named in the seed
/// documents (coordinates from GeoNames, OurAirports and Wikipedia, as listed
/// in the project's GEODATA notes), approximate governorate label points and
/// country label points. Used when the data folder is missing and in tests.
pub fn builtin_gazetteer() -> Gazetteer {
    fn e(
        name: &str,
        aliases: &[&str],
        kind: PlaceKind,
        category: &str,
        (lon, lat): (f64, f64),
        precision: u8,
        country: &str,
    ) -> GazEntry {
        GazEntry {
            id: format!("place:{}", slug(name)),
            name: name.to_string(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            kind,
            lon,
            lat,
            geo_precision: precision,
            country: Some(country.to_string()),
            admin1: None,
            category: category.to_string(),
        }
    }
    use PlaceKind::*;
    let mut entries = vec![
        e(
            "Ain al-Asad Air Base",
            &[
                "Ain al-Asad",
                "Ayn al-Asad",
                "Al Asad Air Base",
                "Ain al-Assad",
            ],
            Site,
            "airbase",
            (42.4412, 33.7856),
            1,
            "Iraq",
        ),
        e(
            "al-Hol camp",
            &[
                "al-Hawl camp",
                "al-Hol refugee camp",
                "al-Hawl refugee camp",
            ],
            Site,
            "camp",
            (41.14861, 36.37556),
            1,
            "Syria",
        ),
        e(
            "al-Hol",
            &["al-Hawl", "Hol"],
            Town,
            "town",
            (41.1514, 36.3914),
            1,
            "Syria",
        ),
        e(
            "Al-Shaddadi",
            &["Shaddadi", "al-Shaddadah", "Ash Shaddadah"],
            Town,
            "town",
            (40.73478, 36.05756),
            1,
            "Syria",
        ),
        e(
            "Al-Shaddadi Prison",
            &["Shaddadi Prison"],
            Site,
            "prison",
            (40.73478, 36.05756),
            2,
            "Syria",
        ),
        e(
            "Al-Aqtan Prison",
            &["Aqtan Prison", "al-Aqtan"],
            Site,
            "prison",
            (39.00788, 35.95283),
            2,
            "Syria",
        ),
        e(
            "Ain Issa",
            &["Ayn Issa", "Ain Eissa"],
            Town,
            "town",
            (38.86228, 36.3855),
            1,
            "Syria",
        ),
        e(
            "Al-Qaim border crossing",
            &[
                "Al-Qaim crossing",
                "Abu Kamal crossing",
                "Al-Qaim–Abu Kamal crossing",
            ],
            Site,
            "crossing",
            (40.977, 34.3975),
            1,
            "Iraq",
        ),
        e(
            "Abu Kamal",
            &[
                "Albu Kamal",
                "Al-Bukamal",
                "Bukamal",
                "Al Bu Kamal",
                "Boukamal",
            ],
            Town,
            "town",
            (40.91854, 34.45226),
            1,
            "Syria",
        ),
        e(
            "Al-Qaim",
            &["Qaim", "Al-Qa'im"],
            Town,
            "town",
            (40.98862, 34.39133),
            1,
            "Iraq",
        ),
        e(
            "Al-Walid border crossing",
            &["Al-Waleed crossing", "Al-Tanf crossing", "al-Tanf"],
            Site,
            "crossing",
            (38.93216, 33.4333),
            1,
            "Iraq",
        ),
        e(
            "Al-Yarubiyah",
            &["Yarubiyah", "Rabia crossing", "Rabia"],
            Town,
            "town",
            (42.06206, 36.81138),
            1,
            "Syria",
        ),
        e(
            "Faysh Khabur",
            &["Fishkhabour", "Peshkhabour"],
            Town,
            "town",
            (42.3775, 37.06806),
            1,
            "Iraq",
        ),
        e(
            "al-Qusayr",
            &["Qusayr", "Al-Qusair"],
            Town,
            "town",
            (36.58029, 34.5078),
            1,
            "Syria",
        ),
        e("Kirkuk", &[], City, "city", (44.39222, 35.46806), 1, "Iraq"),
        e(
            "Baniyas",
            &["Banias"],
            City,
            "city",
            (35.94871, 35.18188),
            1,
            "Syria",
        ),
        e(
            "Ceyhan",
            &[],
            City,
            "city",
            (35.8175, 37.02472),
            1,
            "Turkey",
        ),
        e(
            "Erbil",
            &["Arbil", "Hawler"],
            City,
            "city",
            (44.00943, 36.19117),
            1,
            "Iraq",
        ),
        e(
            "Baghdad",
            &[],
            City,
            "capital",
            (44.40088, 33.34058),
            1,
            "Iraq",
        ),
        e(
            "Damascus",
            &[],
            City,
            "capital",
            (36.29128, 33.5102),
            1,
            "Syria",
        ),
        e(
            "Raqqa",
            &["Ar-Raqqah", "Al-Raqqa", "Rakka"],
            City,
            "city",
            (39.00788, 35.95283),
            1,
            "Syria",
        ),
        e(
            "Deir ez-Zor",
            &["Deir al-Zour", "Dayr az Zawr", "Deir Ezzor", "Deir el-Zor"],
            City,
            "city",
            (40.14084, 35.33588),
            1,
            "Syria",
        ),
        e(
            "Mayadin",
            &["Al-Mayadin", "Mayadeen"],
            Town,
            "town",
            (40.45154, 35.01982),
            1,
            "Syria",
        ),
        e(
            "Haditha",
            &[],
            Town,
            "town",
            (42.37727, 34.13661),
            1,
            "Iraq",
        ),
        e(
            "Rutba",
            &["Ar-Rutbah", "Rutbah"],
            Town,
            "town",
            (40.28586, 33.03718),
            1,
            "Iraq",
        ),
        e(
            "Anbar",
            &["Al-Anbar", "Anbar province", "Anbar Governorate"],
            Governorate,
            "governorate",
            (42.0, 33.4),
            3,
            "Iraq",
        ),
        e(
            "Deir ez-Zor Governorate",
            &[
                "Deir ez-Zor province",
                "Deir al-Zour province",
                "Deir ez-Zor",
            ],
            Governorate,
            "governorate",
            (40.4, 35.1),
            3,
            "Syria",
        ),
        e(
            "Raqqa Governorate",
            &["Raqqa province", "Raqqa"],
            Governorate,
            "governorate",
            (38.9, 35.9),
            3,
            "Syria",
        ),
        e(
            "Al-Hasakah Governorate",
            &["Hasakah", "Al-Hasakah", "Hasakah province", "Hasaka"],
            Governorate,
            "governorate",
            (40.9, 36.6),
            3,
            "Syria",
        ),
        e(
            "Nineveh",
            &["Ninawa", "Nineveh province", "Ninewa"],
            Governorate,
            "governorate",
            (42.5, 36.0),
            3,
            "Iraq",
        ),
        e("Iraq", &[], Country, "country", (43.7, 33.0), 3, "Iraq"),
        e(
            "Syria",
            &["Syrian Arab Republic"],
            Country,
            "country",
            (38.5, 35.0),
            3,
            "Syria",
        ),
        e(
            "Turkey",
            &["Türkiye", "Turkiye"],
            Country,
            "country",
            (36.5, 37.8),
            3,
            "Turkey",
        ),
        e("Iran", &[], Country, "country", (47.0, 34.0), 3, "Iran"),
        e("Jordan", &[], Country, "country", (36.8, 31.2), 3, "Jordan"),
        e(
            "Lebanon",
            &[],
            Country,
            "country",
            (35.9, 33.9),
            3,
            "Lebanon",
        ),
        e(
            "Saudi Arabia",
            &[],
            Country,
            "country",
            (42.0, 30.0),
            3,
            "Saudi Arabia",
        ),
        e("Israel", &[], Country, "country", (35.0, 31.5), 3, "Israel"),
    ];
    let codes = [
        ("Iraq", "country:irq"),
        ("Syria", "country:syr"),
        ("Turkey", "country:tur"),
        ("Iran", "country:irn"),
        ("Jordan", "country:jor"),
        ("Lebanon", "country:lbn"),
        ("Saudi Arabia", "country:sau"),
        ("Israel", "country:isr"),
        ("Anbar", "governorate:iq-an"),
        ("Deir ez-Zor Governorate", "governorate:sy-dy"),
        ("Raqqa Governorate", "governorate:sy-ra"),
        ("Al-Hasakah Governorate", "governorate:sy-ha"),
        ("Nineveh", "governorate:iq-ni"),
    ];
    for entry in &mut entries {
        if let Some((_, id)) = codes.iter().find(|(n, _)| *n == entry.name) {
            entry.id = (*id).to_string();
        }
    }
    entries.extend(builtin_entries());
    Gazetteer::new(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_found(gaz: &Gazetteer, text: &str) -> Vec<(String, String)> {
        gaz.find_all(text)
            .into_iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    gaz.entries()[m.entry].id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn transliteration_variants_share_a_key() {
        for group in [
            &[
                "Deir ez-Zor",
                "Deir al-Zour",
                "Dayr az Zawr",
                "Deir el-Zor",
                "Dair al-Zor",
                "Deir Ezzor",
                "Deir Ezzour",
            ][..],
            &["al-Hol", "al-Hawl", "Al Hol"][..],
            &["Al-Qaim", "Al-Qa'im", "al-Qaïm"][..],
            &["Raqqa", "Ar-Raqqah", "al-Raqqa", "Raqqah"][..],
            &["Ain al-Asad", "Ayn al-Asad", "Ain al-Assad"][..],
            &["Mayadin", "Al-Mayadeen", "Meyadin"][..],
            &["Hasakah", "Al-Hasakeh", "Hassakah"][..],
        ] {
            let key = name_key(group[0]);
            for name in group {
                assert_eq!(name_key(name), key, "{name} vs {}", group[0]);
            }
        }
        assert_ne!(name_key("Iraq"), name_key("Iran"));
    }

    #[test]
    fn the_parts_of_a_region_lie_on_their_side_of_it() {
        // An L-shaped region: a 4 x 2 block along the bottom and a 2 x 2
        // block on its west end above it.
        let geometry = serde_json::json!({"type": "Polygon", "coordinates": [[
            [40.0, 30.0], [44.0, 30.0], [44.0, 32.0], [42.0, 32.0], [42.0, 34.0],
            [40.0, 34.0], [40.0, 30.0]
        ]]});
        let parts = region_parts(&geometry).expect("a polygon has parts");
        let at = |d: Compass| parts[COMPASS.iter().position(|c| *c == d).unwrap()];
        let (ex, ey) = at(Compass::East);
        let (wx, _) = at(Compass::West);
        let (nx, ny) = at(Compass::North);
        let (_, sy) = at(Compass::South);
        assert!(
            ex > 42.0 && wx < 42.0 && ny > 32.0 && sy < 32.0,
            "{parts:?}"
        );
        // Inside the outline, not in the empty north-east corner.
        let (nex, ney) = at(Compass::NorthEast);
        assert!(!(nex > 42.0 && ney > 32.0), "{parts:?}");
        assert!(ey < 32.0 && nx < 42.0, "{parts:?}");
        assert_eq!(
            Compass::from_word("North-Western"),
            Some(Compass::NorthWest)
        );
        assert_eq!(Compass::from_word("easterly"), None);
        assert!(
            region_parts(&serde_json::json!({"type": "Point", "coordinates": [40.0, 30.0]}))
                .is_none()
        );
    }

    #[test]
    fn a_name_with_its_article_fused_into_one_word_is_the_place() {
        let gaz = crate::corpus::gazetteer_for(&crate::geodata::DataSource::Embedded).0;
        let gaz = &gaz;
        for written in ["Salahaddin", "Salaheddin", "Salahuddin"] {
            let text = format!("Gunmen killed two men in {written} province on Monday.");
            let found = gaz.find_all(&text);
            assert!(
                found
                    .iter()
                    .any(|m| gaz.entries()[m.entry].name.starts_with("Salah")),
                "{written}: {:?}",
                found
                    .iter()
                    .map(|m| &gaz.entries()[m.entry].name)
                    .collect::<Vec<_>>()
            );
        }
        // An English word is not a fused name.
        assert!(gaz.find_all("He spoke of salad and dinner.").is_empty());
    }

    #[test]
    fn finds_places_with_variants_and_longest_match() {
        let gaz = builtin_gazetteer();
        let text = "Fighting near Al-Aqtan Prison in Raqqa, Dayr az Zawr and Albu Kamal; the al-Hawl camp; Iraq's Anbar province and Ayn al-Asad Air Base.";
        let found = names_found(&gaz, text);
        let ids: Vec<&str> = found.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "place:al-aqtan-prison",
                "place:raqqa",
                "place:deir-ez-zor",
                "place:abu-kamal",
                "place:al-hol-camp",
                "country:irq",
                "governorate:iq-an",
                "place:ain-al-asad-air-base"
            ]
        );
        assert_eq!(found[4].0, "al-Hawl camp");
        assert_eq!(found[6].0, "Anbar province");
    }

    #[test]
    fn lower_case_words_and_possessives_do_not_confuse() {
        let gaz = builtin_gazetteer();
        assert!(
            gaz.find_all("a raqqa b").is_empty(),
            "places are proper nouns"
        );
        let found = names_found(&gaz, "Syria's Deir al-Zour and the Iraqi-Syrian border.");
        assert_eq!(found[0].0, "Syria");
        assert_eq!(found[1].0, "Deir al-Zour");
        assert_eq!(found[2].1, BORDER_ID);
        assert!(
            gaz.find_all("Muqtada al-Sadr and Nouri al-Raqqa spoke.")
                .is_empty(),
            "people are not places"
        );
        assert!(
            gaz.find_all("President Kirkuk al-Sharaa spoke.").is_empty(),
            "a given name before a family name is not a place"
        );
        let embedded = crate::corpus::gazetteer_for(&crate::geodata::DataSource::Embedded).0;
        let found = names_found(
            &embedded,
            "The strike that killed Qasem Soleimani and General Soleimani's aide in Baghdad.",
        );
        assert_eq!(
            found.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(),
            ["Baghdad"],
            "a family name after a given name or a title is a person's"
        );
        assert_eq!(
            names_found(
                &embedded,
                "Protesters gathered in Sulaymaniyah and Soleimani."
            )
            .len(),
            2,
            "spelt like a place and not after a given name, it is the place"
        );
        assert!(
            names_found(
                &embedded,
                "Shells fell on Tal Harmel and the villages of Tal al-Ward."
            )
            .iter()
            .all(|(w, _)| !w.starts_with("Tal")),
            "“Tal” opening an unknown village's name is no town of its own"
        );
        let found = names_found(&embedded, "Clashes erupted in At-Tall and in Tal Abyad.");
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn lookup_matches_prefixes_and_variants() {
        let gaz = builtin_gazetteer();
        assert_eq!(gaz.lookup("Dayr az Zawr")[0].id, "place:deir-ez-zor");
        assert_eq!(gaz.lookup("ain al")[0].id, "place:ain-al-asad-air-base");
        assert!(
            gaz.lookup("shadd")
                .iter()
                .any(|e| e.id == "place:al-shaddadi")
        );
        assert!(gaz.lookup("").is_empty());
    }

    #[test]
    fn geojson_layers_build_a_gazetteer() {
        let places = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"place:abu-kamal","geometry":{"type":"Point","coordinates":[40.91854,34.45226]},
             "properties":{"name":"Abu Kamal","kind":"town","aliases":["Albu Kamal","Al-Bukamal"],"country":"Syria","admin1":"Deir ez-Zor","precision":1}}]}"#;
        let govs = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[40,34],[42,34],[42,36],[40,36],[40,34]]]},
             "properties":{"name":"Deir ez-Zor","aliases":["Dayr az Zawr"],"country":"Syria"}}]}"#;
        let countries = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[38,32],[44,32],[44,36],[38,36],[38,32]]]]},
             "properties":{"name":"Syria","iso_a3":"SYR"}}]}"#;
        let gaz = gazetteer_from_geojson(places, govs, countries).unwrap();
        let gov = gaz.by_id("governorate:deir-ez-zor").unwrap();
        assert!((gov.lon - 41.0).abs() < 1e-9 && (gov.lat - 35.0).abs() < 1e-9);
        let syria = gaz.by_id("country:syr").unwrap();
        assert!((syria.lon - 41.0).abs() < 1e-9, "largest ring wins");
        assert!(gaz.by_id(BORDER_ID).is_some());
        let found = gaz.find_all("clashes in Al-Bukamal and in Dayr az Zawr province");
        assert_eq!(gaz.entries()[found[0].entry].id, "place:abu-kamal");
        assert_eq!(gaz.entries()[found[1].entry].id, "governorate:deir-ez-zor");
        assert!(
            gazetteer_from_geojson("{", govs, countries)
                .unwrap_err()
                .to_string()
                .starts_with("places.geojson is not valid JSON")
        );
    }
}
