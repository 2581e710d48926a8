//! Extraction: documents → incidents with provenance, following the shared
//! labelling guide. Deterministic and explainable, in stages: tidy text
//! (`docs`, hard-wrapped prose joined) → sentences (`sentences`) → mentions:
//! places (`gazetteer`, resolved among same-name entries by the document's
//! context), dates (`dates`), actors (`actors`), event words (`triggers`) →
//! events (one per clause and per place of a list) → place resolution (named
//! place, offsets, context, regions, "place not found") → merge of repeated
//! reports (`incidents::merge_incidents`). Each incident keeps the byte spans
//! of its sentence, trigger and place in the original file, and in `why` what
//! each stage decided. `eval` scores extraction against labels.

pub mod actors;
pub mod dates;
pub mod gazetteer;
mod memo;
pub mod sentences;
pub mod triggers;

pub mod eval;

use std::sync::LazyLock;

use regex::Regex;

use crate::docs::{DocKind, Document};
use crate::incidents::{
    EventType, Incident, Origin, PartialDate, Place, Source, TimePrecision, fold_report,
    incident_id, merge_incidents,
};

pub use gazetteer::{
    GazEntry, GazError, Gazetteer, PlaceKind, PlaceMatch, builtin_gazetteer,
    gazetteer_from_geojson, gazetteer_from_layers, name_key,
};
pub use sentences::Sentence;

/// Highlights for the document viewer, in ORIGINAL byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocAnnotations {
    /// Place names: (start, end, gazetteer entry index).
    pub places: Vec<(usize, usize, usize)>,
    /// Sentences that produced incidents: (start, end, incident id).
    pub sentences: Vec<(usize, usize, String)>,
}

/// How far (bytes of display text) a place may be from the trigger and still
/// be preferred for its specificity.
const PLACE_WINDOW: usize = 160;

/// A place named after a preposition of place, in capitals: "in Khana Sor",
/// "the villages of Aloush and Tel Arish", "near al-Shawla".
static NAMED_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"\b(?i:in|near|at|outside|around|into|from|(?:village|town|city|area|district|neighbou?rhood|region|camp|villages|towns|areas|neighbou?rhoods|regions)s? of)\s+["“]?((?:(?:al|el|ar|as|ash|ad|at|az|an)-)?(?-i:[A-Z])[\w'’]+(?:[\s-](?:(?:al|el|ar|as|ash|ad)-)?(?-i:[A-Z])[\w'’]+){0,2})"#)
        .expect("valid pattern")
});

/// Capitalised words after "in" that are not places.
const NOT_PLACE_WORDS: [&str; 32] = [
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "islamic",
    "isis",
    "isil",
    "is",
    "daesh",
    "sdf",
    "pmf",
    "us",
    "u",
    "parliament",
    // Peoples and faiths ("Arab and Kurdish areas"), and headline words.
    "arab",
    "arabs",
    "kurdish",
    "kurds",
    "sunni",
    "shia",
    "shiite",
    "yazidi",
    "christian",
    "turkmen",
    "attempted",
];

/// Whether capitalised words after a preposition of place are something
/// other than a place: a word such as "Monday" or "Arabic", an actor, a
/// demonym.
fn names_no_place(name: &str) -> bool {
    let first = name
        .split([' ', '-'])
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    NOT_PLACE_WORDS.contains(&first.as_str())
        || gazetteer::CALENDAR_WORDS.contains(&first.as_str())
        || !actors::find_actors(name).is_empty()
        || DEMONYMS.iter().any(|(adj, _)| name.starts_with(adj))
}

/// A place the sentence names that the gazetteer lacks, nearest the trigger:
/// capitalised words after a preposition of place that match no gazetteer
/// entry, actor or calendar word.
fn unknown_place(
    ctx: &DocContext<'_>,
    gaz: &Gazetteer,
    s: &Sentence,
    trigger_at: usize,
) -> Option<String> {
    let sentence = &ctx.text[s.start..s.end];
    let mut best: Option<(usize, String)> = None;
    for c in NAMED_PLACE.captures_iter(sentence) {
        let Some(m) = c.get(1) else { continue };
        let (ms, me) = (s.start + m.start(), s.start + m.end());
        // A name the gazetteer holds but the text uses otherwise ("Islamic
        // State in Iraq and the Levant") is no place missing from it.
        let name = m.as_str().trim_end_matches(['’', '\'']);
        if overlaps_match(&ctx.matches, ms, me)
            || names_no_place(m.as_str())
            || !gaz.candidates_for(name).is_empty()
        {
            continue;
        }
        let distance = ms.abs_diff(trigger_at);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((
                distance,
                m.as_str().trim_end_matches(['’', '\'']).to_string(),
            ));
        }
    }
    best.filter(|(d, _)| *d <= PLACE_WINDOW)
        .map(|(_, name)| name)
}

/// ", a day after", ", two days before" opening the clause a trigger is in
/// (nothing between but words of that clause).
static COUNTED_BEFORE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i),\s+(a|one|two|three|four|five|six|seven|\d{1,2})\s+(days?|weeks?)\s+(after|before)\s+[^,;:]*$")
        .expect("valid pattern")
});

/// A small count in words or digits.
fn number_word(w: &str) -> Option<i64> {
    Some(match w.to_ascii_lowercase().as_str() {
        "a" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        other => other.parse().ok()?,
    })
}

/// How near a place the text names exactly a place guessed by its spelling
/// must be.
const RESPELLED_KM: f64 = 100.0;

/// One more item of a list of names: ", Dhiban", " and Al-Kasra".
static NEXT_LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"^(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)["“]?((?:(?:al|el|ar|as|ash|ad|at|az|an)-)?(?-i:[A-Z])[\w'’]+(?:[\s-](?:(?:al|el|ar|as|ash|ad)-)?(?-i:[A-Z])[\w'’]+){0,2})"#)
        .expect("valid pattern")
});

/// Places named after a preposition of place, or in a list that one opens,
/// in a spelling no gazetteer name has but whose consonants are those of
/// one town of Iraq or Syria ("clashes in Hawaij, Dhiban and Al-Shaheil":
/// Al-Shuhayl).
fn respelled_places(gaz: &Gazetteer, text: &str, found: &[PlaceMatch]) -> Vec<PlaceMatch> {
    let mut out = Vec::new();
    // A guess by spelling stands only near the places the text names
    // exactly: "Mohaymidah" among villages of Deir ez-Zor is not Mahmudiyah
    // south of Baghdad.
    let entries = gaz.entries();
    // The places named exactly, once each: a long text names the same few
    // places many times.
    let mut named: Vec<usize> = found
        .iter()
        .map(|m| m.entry)
        .filter(|&k| is_specific(&entries[k]))
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut decided = std::collections::HashMap::<usize, bool>::new();
    let mut near_named = |entry: usize| {
        *decided.entry(entry).or_insert_with(|| {
            let e = &entries[entry];
            named.iter().any(|&k| {
                let f = &entries[k];
                rough_km((f.lon, f.lat), (e.lon, e.lat)) <= RESPELLED_KM
            })
        })
    };
    // Lists opened by a preposition of place, or by a place named exactly
    // ("al Shehail and Theban").
    let openings: Vec<(usize, usize)> = NAMED_PLACE
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| (m.start(), m.end()))
        .chain(found.iter().map(|m| (m.start, m.end)))
        .collect();
    for (ms, me) in openings {
        let (mut ms, mut me) = (ms, me);
        loop {
            let name = text[ms..me].trim_end_matches(['’', '\'']);
            if !overlaps_match(found, ms, me)
                && !names_no_place(name)
                && let Some(entry) = gaz.one_place(
                    &gaz.spelled_alike(name)
                        .into_iter()
                        .filter(|&e| near_named(e))
                        .collect::<Vec<_>>(),
                )
            {
                out.push(PlaceMatch {
                    entry,
                    start: ms,
                    end: ms + name.len(),
                });
            }
            let Some(next) = NEXT_LIST_ITEM.captures(&text[me..]).and_then(|n| n.get(1)) else {
                break;
            };
            (ms, me) = (me + next.start(), me + next.end());
        }
    }
    out
}

/// Why a report stands at the town of its dateline (kept in its "why").
const FROM_DATELINE: &str = "the town the story is filed from (its dateline)";

/// The town of the last dateline before display offset `at`, when the
/// dateline names a specific place in Iraq or Syria.
fn dateline_place(ctx: &DocContext<'_>, at: usize) -> Option<usize> {
    let k = ctx
        .datelines
        .partition_point(|(ds, _)| *ds <= at)
        .checked_sub(1)?;
    ctx.dateline_places[k]
}

/// A timeline entry's label: "JUNE 2014:", "2004:", "OCTOBER:", "12 May 2019 -".
static ENTRY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^[\s*•-]*(?:\d{1,2}\s+)?(?:(?-i:[A-Z])[A-Za-z]{2,8}\.?\s+)?(?:\d{1,2},?\s+)?(?:(?:19|20)\d\d|(?-i:[A-Z]{3,9}))\s*[:–—]")
        .expect("valid pattern")
});

/// The date of the entry a sentence belongs to, when its paragraph opens
/// with a date label ("JUNE 2014: ISIL seizes Mosul. The group declares a
/// caliphate …": the second sentence is of June 2014 too).
fn entry_label_date(
    ctx: &DocContext<'_>,
    s: &Sentence,
    publication: Option<chrono::NaiveDate>,
) -> Option<dates::DateMention> {
    let first = ctx.sentences.partition_point(|o| o.paragraph < s.paragraph);
    let opening = ctx
        .sentences
        .get(first)
        .filter(|o| o.paragraph == s.paragraph)?;
    if opening.start == s.start {
        return None;
    }
    let label = ENTRY_LABEL.find(&ctx.text[opening.start..opening.end])?;
    let d = dates::find_dates(label.as_str(), publication)
        .into_iter()
        .find(|d| d.date.is_some() && d.shift_days.is_none())?;
    Some(dates::DateMention {
        text: format!("{}: the entry it belongs to", d.text),
        ..d
    })
}

/// The town of a dateline that opens the paragraph of sentence `s` (an item
/// of a wire roundup: "MOSUL - Two children were wounded …").
fn paragraph_dateline(ctx: &DocContext<'_>, s: &Sentence) -> Option<usize> {
    let k = ctx
        .datelines
        .partition_point(|(ds, _)| *ds <= s.start)
        .checked_sub(1)?;
    let (ds, _) = ctx.datelines[k];
    let opening = ctx.sentences.partition_point(|o| o.start < ds);
    let same = ctx
        .sentences
        .get(opening)
        .is_some_and(|o| o.start == ds && o.paragraph == s.paragraph);
    if same { ctx.dateline_places[k] } else { None }
}

/// Whether `[a, b)` meets one of `spans` (sorted, disjoint); a binary search.
fn overlaps_span(spans: &[(usize, usize)], a: usize, b: usize) -> bool {
    let b = b.max(a + 1);
    let k = spans.partition_point(|(s, _)| *s < b);
    k > 0 && spans[k - 1].1 > a
}

/// Whether `[a, b)` meets a place match (matches sorted by start; a few may
/// nest, so the nearest ones before `b` are looked at).
fn overlaps_match(matches: &[PlaceMatch], a: usize, b: usize) -> bool {
    let k = matches.partition_point(|m| m.start < b);
    matches[..k].iter().rev().take(8).any(|m| m.end > a)
}

/// The specific place in Iraq or Syria each dateline names, if any.
fn dateline_places(
    gaz: &Gazetteer,
    text: &str,
    datelines: &[(usize, usize)],
) -> Vec<Option<usize>> {
    datelines
        .iter()
        .map(|&(ds, de)| {
            gaz.find_all(&text[ds..de])
                .into_iter()
                .map(|m| m.entry)
                .find(|&e| {
                    let entry = &gaz.entries()[e];
                    is_specific(entry) && matches!(entry.country.as_deref(), Some("Iraq" | "Syria"))
                })
        })
        .collect()
}

/// Why a context place was taken: the document's main place.
const FOCUS_REASON: &str = "the place the document names most";

/// How many sentences back a specific place still sets the scene for a
/// sentence that names none.
const RECENT_SENTENCES: usize = 3;

/// How much farther (bytes) "this year" or "this month" may be from the
/// trigger than a date proper and still be chosen.
const PERIOD_PENALTY: usize = 60;

/// How much farther (bytes) the date a statement was made may be from the
/// trigger than a date of the event and still be chosen: any other date wins.
const SPEECH_PENALTY: usize = 400;

static SPEECH_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:said|says|announced|stated|added|confirmed|claimed|reported|told (?:\w+ ){0,2}?)\s*(?:on |late on |early on )?$")
        .expect("valid pattern")
});

/// A clock time opening an item ("07:40 -", "• 16:45 GMT –").
/// A reporting verb after its speaker ("…, said the Iraqis had sent").
static REPORTING_VERB: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"\b(?:said|says|told (?:reporters|journalists|[A-Z][\w.]+)|added|stated|reported|confirmed)(?: that| on \w+)?,?\s")
        .expect("valid pattern")
});

/// Where a visit was received, said right after it: "received … in Erbil".
static VENUE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s*(?:[\w.'’-]+\s+){0,6}?(?:in|at)\s+(?:the\s+)?(?-i:[A-Z])")
        .expect("valid pattern")
});

/// Words before a destination: "bound for", "smuggled into", "en route to",
/// "heading to their homes in".
static DESTINATION_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:bound|destined|headed|heading|en route|on (?:their|his|her|its|the) way|travell?ing|smuggl\w*|traffick\w*|transport\w*|shipped|shipment|exported)\s+(?:[\w’'-]+\s+){0,3}?(?:to|for|into|towards)\s+(?:the\s+|(?:their|his|her|its)\s+(?:homes?|families|houses?|base|village|town|units?)\s+in\s+)?$")
        .expect("valid pattern")
});

/// What follows a town that names a road: "-Dohuk highway", " road".
static ROAD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^(?:\s*[-–/]\s*(?:al-|as-|ar-)?[\w'’]+)?\s+(?:international\s+)?(?:highway|road|motorway|expressway)\b")
        .expect("valid pattern")
});

/// A title whose country follows: "envoy for", "ambassador to".
/// Before a place: one who tells the news and where they are ("a reporter
/// for Daesh Daily in ", "a correspondent based in ").
static REPORTER_IN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:reporter|correspondent|journalist|analyst|researcher|editor|blogger|photographer)s?(?:\s+(?:for|of|with|at)\s+(?:[\w'’.-]+\s+){1,4}?)?\s+(?:(?:based|stationed)\s+)?in\s+(?:the\s+)?$")
        .expect("valid pattern")
});

static TITLE_OF: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:envoy|envoys|ambassador|ambassadors|representative|coordinator|consul|delegate|commissioner|charg[eé] d'affaires)\s+(?:for|to|in|of)\s+(?:the\s+)?$")
        .expect("valid pattern")
});

static CLOCK_TIME: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^[\s•*\-–]*(?:[01]?\d|2[0-3])[:.][0-5]\d\b").expect("valid pattern")
});

/// Words before a capital's name that make it a place, not its government.
const LOCATIVE: [&str; 17] = [
    "in", "at", "to", "from", "near", "into", "outside", "inside", "around", "across", "toward",
    "towards", "via", "visit", "visited", "reached", "entered",
];

static NEAR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)(?:\bnear(?: the)?|\bclose to|\boutside(?: of)?|\boutskirts of(?: the)?|\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)? of|\baround|\bvicinity of|\bcountryside of|\b(?:kilometres|kilometers|km|miles) (?:from|of|outside)|\bprisons? in|\bcamps? in|\bjail in|\bbases? (?:in|near)|\bfacilit(?:y|ies) in|\bareas? of|\bdesert of|\bbetween|\b(?:road|highway|route|track) (?:to|from|between|linking)|\b(?:(?:road|highway|route|track) (?:to|from|between|linking) )?[A-Z][\w'’-]+ and)\s*$")
        .expect("valid pattern")
});
static NEAR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:countryside|area|areas|region|outskirts|desert|environs|suburbs|prison|camp|jail|base)\b")
        .expect("valid pattern")
});
/// "Iran-backed", "Baghdad-aligned": a patron, not a place.
static BACKED_BY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"^[-‑](?:backed|led|linked|affiliated|allied|aligned|sponsored|supported|funded|armed)\b",
    )
    .expect("valid pattern")
});
/// "The Diyala battalion of the Golden Division arrived in the city": a unit
/// named for a place is not at it.
static UNIT_NAMED_FOR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:battalions?|brigades?|regiments?|divisions?|squadrons?)\b")
        .expect("valid pattern")
});
/// "Islamic State of Iraq and Syria", "al-Qaeda in Iraq": a group named for
/// the lands it claims, not a place where something happens.
static GROUP_NAMED_FOR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?:State|Qaeda|Qaida|Army|Front|Resistance)\s+(?:of|in)\s+(?:Iraq\s+and\s+(?:the\s+)?)?$",
    )
    .expect("valid pattern")
});
/// Between an assault word and the town assaulted: "attacked ", "an attack
/// on the villages of \"".
static ATTACKED_TOWN_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"^\s*(?:(?:on|against)\s+)?(?:the\s+)?(?:(?:towns?|villages?|cit(?:y|ies))\s+of\s+)?["“]?$"#)
        .expect("valid pattern")
});

/// After a town's name, a site of the town's ("the Taji air base", "the
/// Qaim crossing"): an attack on it strikes the site, it is no fight for
/// the town.
static SITE_OF_TOWN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:military\s+|army\s+|air\s+|airport\s+|border\s+)?(?:air\s?base|base|camp|airport|airfield|air\s+field|prison|jail|checkpoint|crossing|refinery|oil\s?field|gas\s?field|field|dam|bridge|station|power\s+plant|headquarters|compound|garrison|barracks|outpost|facility|complex|embassy|consulate)s?\b")
        .expect("valid pattern")
});

static LEGISLATURE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:parliament|council of representatives|cabinet|council of ministers|lawmakers|MPs)\b")
        .expect("valid pattern")
});

static CAPITAL_OF: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"\b(?:in|to|at) the (Iraqi|Syrian|Qatari|Turkish|Iranian|Jordanian|Lebanese|Saudi|Kuwaiti|Egyptian|Emirati|Omani|Bahraini|Russian|American|US|U\.S\.) capital\b")
        .expect("valid pattern")
});

static BORDER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:borders?|frontier)\b").expect("valid pattern")
});

/// Country adjectives and names that, said of a border, point away from Iraq–Syria.
const OTHER_NEIGHBOURS: [&str; 16] = [
    "iran",
    "iranian",
    "turkey",
    "turkish",
    "jordan",
    "jordanian",
    "saudi",
    "lebanon",
    "lebanese",
    "kuwait",
    "kuwaiti",
    "israel",
    "israeli",
    "mutual",
    "shared",
    "iran-iraq",
];

/// Demonyms that place an event in a country when nothing more precise is named.
const DEMONYMS: [(&str, &str); 9] = [
    ("Iraqi", "Iraq"),
    ("Syrian", "Syria"),
    ("Iranian", "Iran"),
    ("Turkish", "Turkey"),
    ("Jordanian", "Jordan"),
    ("Lebanese", "Lebanon"),
    ("Saudi", "Saudi Arabia"),
    ("Kuwaiti", "Kuwait"),
    ("Israeli", "Israel"),
];

static DIRECTION_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west|north|south|east|west|central)(?:ern)?\s+$")
        .expect("valid pattern")
});

static OFFSET_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:about |around |some |nearly |roughly |approximately )?(\d+(?:\.\d+)?)[\s-]*(km|kms|kilomet(?:er|re)s?|miles?)\s+(?:\(\d+ (?:miles?|km)\)\s+)?(?:to the\s+)?(north|south|east|west|north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west)(?:ern)?\s+of\s+(?:the\s+(?:(?-i:[A-Z])[\w-]+\s+)?(?:town|city|village|base|camp|crossing|capital|provincial capital)(?:\s+of)?\s+)?$")
        .expect("valid pattern")
});

/// A stated distance and direction right before a place ("20 km north of"):
/// km, bearing in degrees, and the direction as written.
fn offset_before(before: &str) -> Option<(f64, f64, String)> {
    let c = OFFSET_BEFORE.captures(before)?;
    let mut km: f64 = c[1].parse().ok()?;
    if c[2].to_ascii_lowercase().starts_with("mile") {
        km *= 1.609_344;
    }
    if !(0.0..=500.0).contains(&km) {
        return None;
    }
    let dir: String = c[3]
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    let bearing = match dir.as_str() {
        "north" => 0.0,
        "northeast" => 45.0,
        "east" => 90.0,
        "southeast" => 135.0,
        "south" => 180.0,
        "southwest" => 225.0,
        "west" => 270.0,
        "northwest" => 315.0,
        _ => return None,
    };
    Some((km, bearing, dir))
}

/// "North-east", "northeast", "north" → "northeastern", "northern".
fn direction_word(word: &str) -> String {
    let w: String = word
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    if w == "central" { w } else { format!("{w}ern") }
}

/// A place candidate in display offsets.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    entry: usize,
    start: usize,
    end: usize,
    /// "near X", "X countryside", "prison in X": part of or near the place.
    approximate: bool,
    /// Inferred, not named in the sentence: no place span.
    inferred: bool,
}

impl Candidate {
    /// A place the sentence does not name but the event is taken to be at
    /// (a host's capital, a speaker's country), pinned to the sentence start.
    fn inferred_at(entry: usize, at: usize) -> Candidate {
        Candidate {
            entry,
            start: at,
            end: at,
            approximate: false,
            inferred: true,
        }
    }
}

/// What extraction knows about a whole document.
struct DocContext<'a> {
    text: &'a str,
    sentences: Vec<Sentence>,
    matches: Vec<PlaceMatch>,
    /// The document is about Iraq and Syria, so "the border" is theirs.
    iraq_syria: bool,
    /// Most mentioned country: last-resort location.
    main_country: Option<usize>,
    border: Option<usize>,
    /// Wire datelines opening paragraphs ("RAMADI, Iraq, Oct 14 (Agency) -"),
    /// display offsets: their place and date are the report's, not the event's.
    datelines: Vec<(usize, usize)>,
    /// Per dateline: the town in Iraq or Syria it names.
    dateline_places: Vec<Option<usize>>,
    /// Per match: why that entry was chosen among several of the same name.
    reasons: Vec<Option<String>>,
    /// Per gazetteer entry: its first match.
    first_match_of: std::collections::HashMap<usize, usize>,
    /// The specific place (town, site, district) the document names most:
    /// where its events happen when a sentence names none.
    focus: Option<usize>,
    /// Per sentence: its places, found once (every stage asks for them).
    places_memo: Vec<std::sync::OnceLock<Vec<Candidate>>>,
}

/// Start of the sentence holding display offset `at`.
fn sentence_start(sentences: &[Sentence], at: usize) -> usize {
    let k = sentences.partition_point(|s| s.start <= at);
    k.checked_sub(1)
        .map(|k| sentences[k])
        .filter(|s| at < s.end.max(s.start + 1))
        .map_or(0, |s| s.start)
}

/// How far back (bytes) "the town" may look for the town it means.
const REFERENT_WINDOW: usize = 6_000;

/// Whether an entry is a specific place (not a country, governorate or border).
fn is_specific(e: &GazEntry) -> bool {
    !matches!(
        e.kind,
        PlaceKind::Country | PlaceKind::Governorate | PlaceKind::Border
    )
}

/// Great-circle distance in km (haversine on the WGS84 mean radius; used to
/// rank candidates, not to measure).
fn rough_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let dp = p2 - p1;
    let dl = (b.0 - a.0).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6_371.008_8 * 2.0 * h.sqrt().min(1.0).asin()
}

/// Among entries of the same name, the one the document means: in Iraq or
/// Syria rather than a neighbour, then nearest to the places the document
/// names unambiguously. Returns the reason when there was a choice.
/// How far around an ambiguous name (bytes, within its line) the places
/// beside it are read, and how near (km) one must be to decide it.
const LOCAL_CONTEXT: usize = 120;
const LOCAL_KM: f64 = 60.0;

fn resolve_in_context(
    gaz: &Gazetteer,
    text: &str,
    matches: &mut [PlaceMatch],
) -> Vec<Option<String>> {
    // A name is looked up once, however often it is written.
    let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    let cands: Vec<Vec<usize>> = matches
        .iter()
        .map(|m| {
            let written = &text[m.start..m.end];
            let c = by_name
                .entry(written)
                .or_insert_with(|| gaz.candidates_for(written));
            if c.is_empty() {
                vec![m.entry]
            } else {
                c.clone()
            }
        })
        .collect();
    let entries = gaz.entries();
    // Each place once, however often it is named: the work stays linear in
    // the text for a document that repeats names.
    let mut seen = std::collections::HashSet::new();
    let anchors: Vec<(usize, (f64, f64))> = matches
        .iter()
        .zip(&cands)
        .filter(|(m, c)| c.len() == 1 && is_specific(&entries[m.entry]))
        .filter(|(m, _)| seen.insert(m.entry))
        .map(|(m, _)| (m.entry, (entries[m.entry].lon, entries[m.entry].lat)))
        .collect();
    let mut nearest_memo: std::collections::HashMap<usize, Option<(f64, usize)>> =
        std::collections::HashMap::new();
    let home = |e: &GazEntry| matches!(e.country.as_deref(), Some("Iraq" | "Syria"));
    // Names beyond doubt close by ("in Saidiya in southern Baghdad"): the
    // sentence's own context outweighs the document's.
    let spans: Vec<(usize, usize)> = matches.iter().map(|m| (m.start, m.entry)).collect();
    let local = |k: usize, i: usize| -> Option<f64> {
        let at = spans[k].0;
        let p = (entries[i].lon, entries[i].lat);
        let lo = spans.partition_point(|(s, _)| *s + LOCAL_CONTEXT < at);
        let hi = spans.partition_point(|(s, _)| *s <= at + LOCAL_CONTEXT);
        (lo..hi)
            .filter(|&j| {
                // Beyond doubt: one entry of its sort ("Baghdad" the city,
                // beside Baghdad the governorate, is still the city).
                let own = is_specific(&entries[spans[j].1]);
                j != k
                    && cands[j]
                        .iter()
                        .filter(|c| is_specific(&entries[**c]) == own)
                        .count()
                        == 1
            })
            .filter(|&j| !text[spans[j].0.min(at)..spans[j].0.max(at)].contains('\n'))
            .filter_map(|j| {
                let a = &entries[spans[j].1];
                match a.kind {
                    PlaceKind::Governorate => {
                        (entries[i].admin1.as_deref() == Some(a.name.as_str())).then_some(0.0)
                    }
                    PlaceKind::Country | PlaceKind::Border => None,
                    _ => Some(rough_km(p, (a.lon, a.lat))),
                }
            })
            .min_by(f64::total_cmp)
            .filter(|d| *d < LOCAL_KM)
    };
    let mut reasons = vec![None; matches.len()];
    for (k, m) in matches.iter_mut().enumerate() {
        let options: Vec<usize> = cands[k]
            .iter()
            .copied()
            .filter(|i| is_specific(&entries[*i]) == is_specific(&entries[m.entry]))
            .collect();
        if options.len() < 2 {
            continue;
        }
        for &i in &options {
            nearest_memo.entry(i).or_insert_with(|| {
                // "al-Sina'a" after "the Ghwayran (al-Sina'a) prison": the
                // place the document has already named beyond doubt.
                if anchors.iter().any(|(a, _)| *a == i) {
                    return Some((0.0, i));
                }
                let p = (entries[i].lon, entries[i].lat);
                anchors
                    .iter()
                    .filter(|(a, _)| *a != i)
                    .map(|(a, q)| (rough_km(p, *q), *a))
                    .min_by(|x, y| x.0.total_cmp(&y.0))
            });
        }
        let nearest =
            |i: usize| -> Option<(f64, usize)> { nearest_memo.get(&i).copied().flatten() };
        // Score: distance to the nearest other place the document names (km),
        // plus 250 km for a place outside Iraq and Syria.
        let score = |i: usize| -> f64 {
            let base = nearest(i).map_or(500.0, |(d, _)| d);
            base + if home(&entries[i]) { 0.0 } else { 250.0 }
        };
        let near_here: Vec<(usize, f64)> = options
            .iter()
            .filter_map(|&i| local(k, i).map(|d| (i, d)))
            .collect();
        let best = near_here
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| *i)
            .or_else(|| {
                options
                    .iter()
                    .copied()
                    .min_by(|a, b| score(*a).total_cmp(&score(*b)))
            })
            .unwrap_or(m.entry);
        let e = &entries[best];
        let others: Vec<String> = options
            .iter()
            .filter(|i| **i != best)
            .take(4)
            .map(|i| describe_entry(&entries[*i]))
            .collect();
        let here = near_here.iter().find(|(i, _)| *i == best).map(|(_, d)| *d);
        let basis = match nearest(best) {
            _ if here.is_some() => "the place named beside it is in or near it".to_string(),
            Some((_, a)) if a == best => "named so elsewhere in the document".to_string(),
            Some((d, a)) if d < 500.0 => {
                format!("{d:.0} km from {} named in the document", entries[a].name)
            }
            _ if home(e) => "in Iraq or Syria".to_string(),
            _ => "first listed".to_string(),
        };
        reasons[k] = Some(format!(
            "“{}” is {} ({basis}), not {}",
            &text[m.start..m.end],
            describe_entry(e),
            others.join(", ")
        ));
        m.entry = best;
    }
    reasons
}

/// "Dhiban (village, Deir ez-Zor, Syria)".
fn describe_entry(e: &GazEntry) -> String {
    let mut parts = vec![e.category.replace('_', " ")];
    if let Some(a) = e.admin1.as_deref().filter(|a| *a != e.name) {
        parts.push(a.to_string());
    }
    if let Some(c) = e.country.as_deref().filter(|c| *c != e.name) {
        parts.push(c.to_string());
    }
    format!("{} ({})", e.name, parts.join(", "))
}

/// The words counted to tell which countries a document is about: Syria's
/// and Iraq's first, then their neighbours'.
const COUNTED_WORDS: [&str; 14] = [
    "syria",
    "syrian",
    "iraq",
    "iraqi",
    "iran",
    "iranian",
    "turkey",
    "turkish",
    "jordan",
    "jordanian",
    "saudi",
    "kuwait",
    "lebanon",
    "israel",
];

/// The places `text` names, in order, and how often it uses each of
/// [`COUNTED_WORDS`]. A text longer than [`SECTION_BYTES`] is cut at
/// sentence starts into parts read side by side; a place name never spans
/// two sentences.
fn places_and_counts(
    gaz: &Gazetteer,
    text: &str,
    sentences: &[Sentence],
) -> (Vec<PlaceMatch>, [usize; COUNTED_WORDS.len()]) {
    use rayon::prelude::*;
    let mut cuts = vec![0];
    if text.len() > SECTION_BYTES {
        for s in sentences {
            if s.start - cuts.last().copied().unwrap_or(0) >= SECTION_BYTES / 4 {
                cuts.push(s.start);
            }
        }
    }
    cuts.push(text.len());
    let parts: Vec<(Vec<PlaceMatch>, [usize; COUNTED_WORDS.len()])> = cuts
        .par_windows(2)
        .map(|w| {
            let part = &text[w[0]..w[1]];
            let tokens = gazetteer::tokenize(part);
            let mut counts = [0; COUNTED_WORDS.len()];
            for t in &tokens {
                if let Some(k) = COUNTED_WORDS.iter().position(|c| *c == &*t.lower) {
                    counts[k] += 1;
                }
            }
            let mut found = gaz.find_all_in(part, &tokens);
            for m in &mut found {
                m.start += w[0];
                m.end += w[0];
            }
            (found, counts)
        })
        .collect();
    let mut counts = [0; COUNTED_WORDS.len()];
    let mut found = Vec::new();
    for (f, c) in parts {
        found.extend(f);
        for (total, n) in counts.iter_mut().zip(c) {
            *total += n;
        }
    }
    (found, counts)
}

fn doc_context<'a>(doc: &'a Document, gaz: &Gazetteer) -> DocContext<'a> {
    let text = doc.display().text.as_str();
    let mut sentences = sentences::split_sentences(text);
    let mut zones = sentences::excluded_zones(text);
    zones.extend_from_slice(doc.display().context_zones());
    for s in &mut sentences {
        if doc
            .display()
            .context_zones()
            .iter()
            .any(|(zs, ze)| s.start < *ze && *zs < s.end)
        {
            s.excluded = true;
        }
    }
    let mut datelines = Vec::new();
    let mut last_paragraph = None;
    for s in &sentences {
        if last_paragraph != Some(s.paragraph)
            && !s.excluded
            && let Some(len) = crate::docs::dateline_len(&text[s.start..s.end])
        {
            datelines.push((s.start, s.start + len));
        }
        last_paragraph = Some(s.paragraph);
    }
    // One pass over the words: the places named, and the words that tell
    // which countries the document is about, counted. A long text is split
    // at sentences and its parts read side by side.
    let (found, word_counts) = places_and_counts(gaz, text, &sentences);
    let mut matches: Vec<PlaceMatch> = found
        .into_iter()
        .filter(|m| !zones.iter().any(|(s, e)| m.start >= *s && m.end <= *e))
        .filter(|m| !BACKED_BY.is_match(&text[m.end..]))
        .filter(|m| !UNIT_NAMED_FOR.is_match(&text[m.end..]))
        .filter(|m| {
            let head = ceil_boundary(text, m.start.saturating_sub(48));
            !GROUP_NAMED_FOR.is_match(&text[head..m.start])
        })
        .collect();
    let respelled = respelled_places(gaz, text, &matches);
    if !respelled.is_empty() {
        matches.extend(
            respelled
                .into_iter()
                .filter(|m| !zones.iter().any(|(s, e)| m.start >= *s && m.end <= *e)),
        );
        matches.sort_by_key(|m| m.start);
    }
    let mut reasons = resolve_in_context(gaz, text, &mut matches);
    city_quarters(gaz, text, &mut matches, &mut reasons);
    // "western Iraq's Anbar province", "Syria's Deir ez-Zor": the country or
    // region before the possessive only locates the place after it.
    let located: Vec<bool> = (0..matches.len())
        .map(|k| {
            let Some(next) = matches.get(k + 1) else {
                return false;
            };
            let (outer, inner) = (&gaz.entries()[matches[k].entry], &gaz.entries()[next.entry]);
            matches[k].end <= next.start
                && POSSESSIVE_GAP.is_match(&text[matches[k].end..next.start])
                && matches!(outer.kind, PlaceKind::Country | PlaceKind::Area)
                && inner.kind.specificity_rank() < PlaceKind::Country.specificity_rank()
                && inner.id != outer.id
                && inner.country.is_some()
                && (inner.country == outer.country || inner.country.as_deref() == Some(&outer.name))
        })
        .collect();
    if located.contains(&true) {
        let mut kept = located.iter();
        matches.retain(|_| kept.next() == Some(&false));
        let mut kept = located.iter();
        reasons.retain(|_| kept.next() == Some(&false));
    }
    // "the eastern province of Deir az-Zour", "the governorate of Raqqa":
    // the name after the word for a governorate is the governorate.
    for (m, why) in matches.iter_mut().zip(reasons.iter_mut()) {
        if gaz.entries()[m.entry].kind != PlaceKind::City
            || !PROVINCE_OF_BEFORE
                .is_match(&text[floor_boundary(text, m.start.saturating_sub(32))..m.start])
        {
            continue;
        }
        if let Some(g) = gaz
            .candidates_for(&text[m.start..m.end])
            .into_iter()
            .find(|&i| gaz.entries()[i].kind == PlaceKind::Governorate)
        {
            m.entry = g;
            *why = Some(format!(
                "“{}” after “province of” or “governorate of” is the governorate",
                &text[m.start..m.end]
            ));
        }
    }
    // "the towns of Dhiban and Al-Tayyana in eastern Deir ez-Zor": a city
    // named with a compass word or its countryside, after places of its
    // governorate in the same sentence, is the governorate that frames them
    // (alone, "western Homs" stays the city, the nearest point there is).
    let in_sentence: Vec<(usize, usize)> = matches
        .iter()
        .map(|m| (sentence_start(&sentences, m.start), m.entry))
        .collect();
    let mut framing: Vec<(usize, usize, usize)> = Vec::new();
    for (k, (m, why)) in matches.iter_mut().zip(reasons.iter_mut()).enumerate() {
        let city = &gaz.entries()[m.entry];
        if city.kind != PlaceKind::City
            || !(PROVINCE_WORD_BEFORE
                .is_match(&text[floor_boundary(text, m.start.saturating_sub(24))..m.start])
                || PROVINCE_WORD_AFTER.is_match(&text[m.end..ceil_boundary(text, m.end + 24)]))
        {
            continue;
        }
        let Some(province) = city.admin1.as_deref() else {
            continue;
        };
        // The other places of the sentence (matches are in text order).
        let here = in_sentence[k].0;
        let from = in_sentence.partition_point(|(start, _)| *start < here);
        let to = in_sentence.partition_point(|(start, _)| *start <= here);
        let frames = (from..to).any(|j| {
            let other = &gaz.entries()[in_sentence[j].1];
            j != k
                && in_sentence[j].1 != m.entry
                && is_specific(other)
                && other.admin1.as_deref() == Some(province)
        });
        if let Some(g) = frames
            .then(|| gaz.candidates_for(&text[m.start..m.end]))
            .and_then(|c| {
                c.into_iter()
                    .find(|&i| gaz.entries()[i].kind == PlaceKind::Governorate)
            })
        {
            framing.push((here, m.entry, g));
            m.entry = g;
            *why = Some(format!(
                "“{}” with a compass word, “countryside”, “area” or “region” is the governorate",
                &text[m.start..m.end]
            ));
        }
    }
    // "In Aleppo, … on the Manbij perimeter in the Aleppo countryside": the
    // sentence that names the governorate by its city's name means it each
    // time it names it.
    if !framing.is_empty() {
        for (k, (m, why)) in matches.iter_mut().zip(reasons.iter_mut()).enumerate() {
            if let Some(&(_, _, g)) = framing
                .iter()
                .find(|(here, city, _)| *here == in_sentence[k].0 && *city == m.entry)
            {
                m.entry = g;
                *why = Some(format!(
                    "“{}” is named as the governorate elsewhere in its sentence",
                    &text[m.start..m.end]
                ));
            }
        }
    }
    // A town or site abroad is named with its country ("Ceylanpinar in
    // Turkey"): one of a neighbour the document never names is a spelling
    // that happens to match, not the place.
    let named_countries: std::collections::HashSet<String> = matches
        .iter()
        .map(|m| &gaz.entries()[m.entry])
        .filter(|e| e.kind == PlaceKind::Country)
        .map(|e| e.name.clone())
        .chain(
            DEMONYMS
                .iter()
                .filter(|(adj, _)| text.contains(adj))
                .map(|(_, c)| (*c).to_string()),
        )
        .collect();
    let keep: Vec<bool> = matches
        .iter()
        .map(|m| {
            let e = &gaz.entries()[m.entry];
            !is_specific(e)
                || e.country
                    .as_deref()
                    .is_none_or(|c| matches!(c, "Iraq" | "Syria") || named_countries.contains(c))
        })
        .collect();
    let (matches, reasons): (Vec<PlaceMatch>, Vec<Option<String>>) = matches
        .into_iter()
        .zip(reasons)
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(mr, _)| mr)
        .unzip();
    // A capital standing for its government ("Baghdad confirmed") is no place.
    let as_place = |m: &PlaceMatch| {
        let e = &gaz.entries()[m.entry];
        is_specific(e)
            && (!e.is_capital()
                || capital_is_place(text, sentence_start(&sentences, m.start), m.start, m.end))
    };
    let mut specific_counts = std::collections::HashMap::<usize, usize>::new();
    for m in matches.iter().filter(|m| as_place(m)) {
        *specific_counts.entry(m.entry).or_default() += 1;
    }
    // Most named; among equals, the first named.
    let focus = matches
        .iter()
        .filter(|m| as_place(m))
        .max_by_key(|m| (specific_counts[&m.entry], std::cmp::Reverse(m.start)))
        .map(|m| m.entry);
    let mut counts = std::collections::HashMap::<usize, usize>::new();
    for m in &matches {
        if gaz.entries()[m.entry].kind == PlaceKind::Country {
            *counts.entry(m.entry).or_default() += 1;
        }
    }
    let count_word = |words: &[&str]| -> usize {
        words
            .iter()
            .map(|w| {
                COUNTED_WORDS
                    .iter()
                    .position(|c| c == w)
                    .map_or(0, |k| word_counts[k])
            })
            .sum()
    };
    let syria = count_word(&["syria", "syrian"]);
    let iraq = count_word(&["iraq", "iraqi"]);
    let others = count_word(&COUNTED_WORDS[4..]);
    let iraq_syria = syria > 0 && iraq > 0 && (syria + iraq) >= others;
    let main_country = counts
        .iter()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(**i)))
        .map(|(i, _)| *i);
    let border = gaz
        .entries()
        .iter()
        .position(|e| e.kind == PlaceKind::Border);
    let mut first_match_of = std::collections::HashMap::new();
    for (k, m) in matches.iter().enumerate() {
        first_match_of.entry(m.entry).or_insert(k);
    }
    let n_sentences = sentences.len();
    DocContext {
        text,
        sentences,
        first_match_of,
        matches,
        iraq_syria,
        main_country,
        border,
        dateline_places: dateline_places(gaz, text, &datelines),
        datelines,
        reasons,
        focus,
        places_memo: (0..n_sentences)
            .map(|_| std::sync::OnceLock::new())
            .collect(),
    }
}

/// After a name, a word saying it is a part of a city: "al-Hamedieh
/// neighborhood", "the Ghwayran quarter".
static QUARTER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:neighbou?rhoods?|quarters?)\b").expect("valid pattern")
});

/// How far back (bytes) a city part looks for the city it lies in.
const QUARTER_CITY_WINDOW: usize = 1_500;
/// How far from the centre of its city a city part may lie (km).
const QUARTER_REACH_KM: f64 = 20.0;

/// "al-Hamedieh neighborhood" told of Deir ez-Zor is a part of that city:
/// a village of the same name elsewhere is not it. A city part is put at
/// the entry of its name inside the city named last before it (or just
/// after it), else at the city itself.
fn city_quarters(
    gaz: &Gazetteer,
    text: &str,
    matches: &mut [PlaceMatch],
    reasons: &mut [Option<String>],
) {
    let entries = gaz.entries();
    for k in 0..matches.len() {
        let m = &matches[k];
        if !QUARTER_AFTER.is_match(&text[m.end..ceil_boundary(text, m.end + 20)])
            || entries[m.entry].kind == PlaceKind::City
        {
            continue;
        }
        let is_city = |j: usize| j != k && entries[matches[j].entry].kind == PlaceKind::City;
        let before = (0..k)
            .rev()
            .take_while(|&j| matches[j].end + QUARTER_CITY_WINDOW >= m.start)
            .find(|&j| is_city(j));
        let after = (k + 1..matches.len())
            .take_while(|&j| matches[j].start <= m.end + 120)
            .find(|&j| is_city(j) && !text[m.end..matches[j].start].contains('\n'));
        let Some(city) = after.or(before).map(|j| matches[j].entry) else {
            continue;
        };
        let c = &entries[city];
        let written = &text[m.start..m.end];
        let inside = gaz
            .candidates_for(written)
            .into_iter()
            .chain(std::iter::once(m.entry))
            .map(|i| (i, geodesic_km(&entries[i], c)))
            .filter(|(_, d)| *d <= QUARTER_REACH_KM)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let (chosen, why) = match inside {
            Some((i, _)) if i == m.entry => continue,
            Some((i, d)) => (
                i,
                format!(
                    "“{written}” is a part of {} ({d:.0} km from its centre)",
                    c.name
                ),
            ),
            None => (
                city,
                format!(
                    "“{written}” is a part of {}: no place of that name lies in the city, so the city",
                    c.name
                ),
            ),
        };
        matches[k].entry = chosen;
        reasons[k] = Some(why);
    }
}

/// Whether a capital named at `start..end` is a place ("talks in Baghdad") rather
/// than its government ("Baghdad confirmed", "Baghdad-hosted").
fn capital_is_place(text: &str, sentence_start: usize, start: usize, end: usize) -> bool {
    let after = &text[end..];
    if let Some(rest) = after
        .strip_prefix('-')
        .or_else(|| after.strip_prefix('‑'))
        .or_else(|| after.strip_prefix('–'))
    {
        // "Baghdad-hosted summit" is in Baghdad; "Baghdad-Damascus ties" is not.
        let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        return matches!(word.as_str(), "hosted" | "based" | "held");
    }
    let before = triggers_words_before(&text[sentence_start..start]);
    // "in northern Baghdad", "in the centre of Damascus": words that pick out
    // part of a city say it is a place ("north of Baghdad" is a bearing from
    // it, and says nothing of the capital itself).
    let part_of = |w: &str| {
        let w = w.to_lowercase();
        let w = w.strip_suffix("ern").unwrap_or(&w);
        matches!(
            w,
            "north"
                | "south"
                | "east"
                | "west"
                | "north-east"
                | "north-west"
                | "south-east"
                | "south-west"
                | "northeast"
                | "northwest"
                | "southeast"
                | "southwest"
                | "central"
                | "downtown"
                | "greater"
        )
    };
    let mut skipped = 0;
    for (i, w) in before.iter().take(8).enumerate() {
        if part_of(w) && skipped < 2 {
            skipped += 1;
            continue;
        }
        if w == "of"
            && before.get(i + 1).is_some_and(|p| {
                matches!(
                    p.as_str(),
                    "outskirts"
                        | "suburbs"
                        | "parts"
                        | "centre"
                        | "center"
                        | "heart"
                        | "streets"
                        | "districts"
                        | "neighbourhoods"
                        | "neighborhoods"
                        | "neighbourhood"
                        | "neighborhood"
                        | "district"
                        | "suburb"
                        | "quarter"
                        | "area"
                        | "areas"
                        | "countryside"
                        | "province"
                        | "governorate"
                        | "vicinity"
                        | "edge"
                        | "edges"
                )
            })
        {
            return true;
        }
        let k = i - skipped;
        // "In Baghdad, gunmen killed …": a sentence may open with the place.
        if LOCATIVE.contains(&w.as_str())
            || (i + 1 == before.len() && LOCATIVE.contains(&w.to_lowercase().as_str()))
        {
            // "linked to Damascus", "close to Tehran": a relation, not a place.
            let relation = w == "to"
                && before.get(i + 1).is_some_and(|p| {
                    matches!(
                        p.as_str(),
                        "linked"
                            | "allied"
                            | "loyal"
                            | "affiliated"
                            | "tied"
                            | "close"
                            | "according"
                            | "opposed"
                            | "due"
                            | "belonging"
                            | "message"
                            | "ties"
                            | "relations"
                            | "answerable"
                            | "accountable"
                    )
                });
            return !relation;
        }
        // Only walk back over a list of names: "in Anbar and Baghdad".
        if k == 0 && !(w == "and" || w.chars().next().is_some_and(char::is_uppercase)) {
            return false;
        }
        if k > 0 && !(w == "and" || w == "or" || w.chars().next().is_some_and(char::is_uppercase)) {
            return false;
        }
    }
    false
}

/// The last nine words of `text`, nearest first (names as written, other
/// words in lower case): as many as the tests of a name's left context read.
fn triggers_words_before(text: &str) -> Vec<String> {
    text.rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .take(9)
        .map(|w| {
            if w.chars().next().is_some_and(char::is_uppercase) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

/// Place candidates named in the sentence `s` (display offsets).
fn sentence_places(ctx: &DocContext<'_>, gaz: &Gazetteer, s: &Sentence) -> Vec<Candidate> {
    let k = ctx.sentences.partition_point(|o| o.start < s.start);
    match (ctx.sentences.get(k), ctx.places_memo.get(k)) {
        (Some(o), Some(memo)) if (o.start, o.end) == (s.start, s.end) => memo
            .get_or_init(|| sentence_places_uncached(ctx, gaz, s))
            .clone(),
        _ => sentence_places_uncached(ctx, gaz, s),
    }
}

fn sentence_places_uncached(ctx: &DocContext<'_>, gaz: &Gazetteer, s: &Sentence) -> Vec<Candidate> {
    let text = ctx.text;
    let mut out: Vec<Candidate> = Vec::new();
    // The matches are in text order: find the sentence's by binary search.
    let first = ctx.matches.partition_point(|m| m.start < s.start);
    for m in ctx.matches[first..]
        .iter()
        .take_while(|m| m.start < s.end)
        .filter(|m| m.end <= s.end)
    {
        let entry = &gaz.entries()[m.entry];
        if entry.is_capital() && !capital_is_place(text, s.start, m.start, m.end) {
            continue;
        }
        let approximate = matches!(
            entry.kind,
            PlaceKind::City | PlaceKind::Town | PlaceKind::Site
        ) && (NEAR_BEFORE.is_match(&text[s.start..m.start])
            || NEAR_AFTER.is_match(&text[m.end..s.end]));
        // "eastern Syria", "north-east Syria": the part, not the whole country.
        let mut entry_index = m.entry;
        if entry.kind == PlaceKind::Country
            && let Some(c) = DIRECTION_BEFORE.captures(&text[s.start..m.start])
        {
            let dir = direction_word(&c[1]);
            let id = format!("region:{dir}-{}", gazetteer::slug(&entry.name));
            if let Some(k) = gaz.index_of(&id) {
                entry_index = k;
            }
        }
        out.push(Candidate {
            entry: entry_index,
            start: m.start,
            end: m.end,
            approximate,
            inferred: false,
        });
    }
    // "in the Qatari capital": the capital of the country the adjective names.
    let sentence = &text[s.start..s.end];
    for c in CAPITAL_OF.captures_iter(sentence) {
        let Some(m) = c.get(0) else { continue };
        let country = match &c[1] {
            "Iraqi" => "Iraq",
            "Syrian" => "Syria",
            "Qatari" => "Qatar",
            "Turkish" => "Turkey",
            "Iranian" => "Iran",
            "Jordanian" => "Jordan",
            "Lebanese" => "Lebanon",
            "Saudi" => "Saudi Arabia",
            "Kuwaiti" => "Kuwait",
            "Egyptian" => "Egypt",
            "Emirati" => "United Arab Emirates",
            "Omani" => "Oman",
            "Bahraini" => "Bahrain",
            "Russian" => "Russia",
            _ => "United States",
        };
        let (cs, ce) = (s.start + m.start(), s.start + m.end());
        if let Some(entry) = capital_of(gaz, country)
            && !out.iter().any(|o| o.start < ce && cs < o.end)
        {
            out.push(Candidate {
                entry,
                start: cs,
                end: ce,
                approximate: false,
                inferred: false,
            });
        }
    }
    // "the border", "the Syrian border", "the border with Syria" when the
    // context is Iraq–Syria.
    if let Some(border) = ctx.border
        && BORDER_WORD.is_match(sentence)
    {
        let lower = sentence.to_lowercase();
        let names_other = OTHER_NEIGHBOURS[..12]
            .iter()
            .any(|n| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *n));
        for bm in BORDER_WORD.find_iter(sentence) {
            let (bs, be) = (s.start + bm.start(), s.start + bm.end());
            if out.iter().any(|c| c.start <= bs && be <= c.end) {
                continue;
            }
            let before = triggers_words_before(&sentence[..bm.start()]);
            let near: Vec<String> = before.iter().take(3).map(|w| w.to_lowercase()).collect();
            let after = sentence[bm.end()..].trim_start().to_lowercase();
            if near
                .iter()
                .any(|w| OTHER_NEIGHBOURS.contains(&w.as_str()) || w.starts_with("iran"))
            {
                continue;
            }
            let explicit = near.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "syrian" | "syria" | "iraqi" | "iraq" | "iraq-syria" | "syria-iraq"
                )
            }) || after.starts_with("with syria")
                || after.starts_with("with iraq");
            let about_pair = ctx.iraq_syria && !names_other;
            // "Tower 22 in Jordan near the Syrian border": Jordan's border
            // with Syria, unless the sentence names both Iraq and Syria.
            let both_named = (lower.contains("iraq") && lower.contains("syria"))
                || near.iter().any(|w| w == "iraq-syria" || w == "syria-iraq");
            let explicit = explicit && (!names_other || both_named);
            if (explicit && (ctx.iraq_syria || lower.contains("syria"))) || about_pair {
                out.push(Candidate {
                    entry: border,
                    start: bs,
                    end: be,
                    approximate: false,
                    inferred: false,
                });
            }
        }
    }
    out.sort_by_key(|c| c.start);
    out
}

/// The country of the speaker in the words before a statement trigger:
/// "Iraq's defence minister", "Iraqi officials", "the Syrian foreign ministry".
fn speaker_country(gaz: &Gazetteer, before: &str) -> Option<usize> {
    // The subject is the last clause before the trigger (a full stop inside
    // a sentence ends an abbreviation: "Jan. 20", "U.S.").
    let before = before.trim_end_matches(['“', '"', ' ']);
    let subject = before
        .rfind([',', ';', '“', '"'])
        .map_or(before, |i| &before[i..]);
    let mut best: Option<(usize, usize)> = None;
    for (adj, country) in DEMONYMS {
        for (pos, _) in subject
            .match_indices(adj)
            .chain(subject.match_indices(&format!("{country}'s")))
            .chain(subject.match_indices(&format!("{country}’s")))
        {
            if best.is_none_or(|(p, _)| pos > p)
                && let Some(e) = gaz.find_name(country, Some(PlaceKind::Country))
            {
                best = Some((pos, e));
            }
        }
    }
    best.map(|(_, e)| e)
}

/// Heads of state and government and foreign ministers of the region's
/// countries, by the surname texts call them: what one of them says is said
/// for that country's government.
const LEADERS: [(&str, &str); 22] = [
    ("Maliki", "Iraq"),
    ("Abadi", "Iraq"),
    ("Abdul-Mahdi", "Iraq"),
    ("Kadhimi", "Iraq"),
    ("Sudani", "Iraq"),
    ("Assad", "Syria"),
    ("Sharaa", "Syria"),
    ("Shaibani", "Syria"),
    ("Erdogan", "Turkey"),
    ("Erdoğan", "Turkey"),
    ("Davutoglu", "Turkey"),
    ("Davutoğlu", "Turkey"),
    ("Yildirim", "Turkey"),
    ("Yıldırım", "Turkey"),
    ("Cavusoglu", "Turkey"),
    ("Çavuşoğlu", "Turkey"),
    ("Fidan", "Turkey"),
    ("Rouhani", "Iran"),
    ("Raisi", "Iran"),
    ("Pezeshkian", "Iran"),
    ("Khamenei", "Iran"),
    ("Zarif", "Iran"),
];

/// Capitals that stand for their governments ("Ankara said", "Baghdad
/// rejected").
const SEATS: [(&str, &str); 5] = [
    ("Baghdad", "Iraq"),
    ("Damascus", "Syria"),
    ("Ankara", "Turkey"),
    ("Tehran", "Iran"),
    ("Amman", "Jordan"),
];

/// Where something was said, right after the reporting verb: "told
/// reporters in Erbil", "said at a news conference in Baghdad", "said
/// during a visit to Ankara".
static SAID_AT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s*(?:(?:[\w.'’-]+\s+){0,2}?(?:in|at)|(?:[\w.'’-]+\s+){0,4}?(?:during|on|while on) (?:a |an |his |her |their )?(?:[\w-]+ )?(?:visit|trip|tour) to|while visiting)\s+(?:the\s+)?(?-i:[A-Z])")
        .expect("valid pattern")
});

/// A speaker that is a government: its head, a ministry, its cabinet.
static GOVERNMENT_SPEAKER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:president|presidency|presidential|prime minister|premier|ministers?|ministry|government|cabinet|foreign office)\b")
        .expect("valid pattern")
});

/// The country whose government speaks in `before` (the words of a sentence
/// before its reporting word), when its subject is a government: a leader
/// named, a capital standing for its government, or a ministry, president or
/// government with its country's adjective ("the Iraqi foreign ministry").
fn government_speaker(gaz: &Gazetteer, before: &str) -> Option<usize> {
    // A quotation mark right before the trigger opens a term ("announced an
    // “understanding”"), not the words of a speaker.
    let before = before.trim_end_matches(['“', '"', ' ']);
    let subject = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ',' | ';' | '“' | '"' | '(' | ')'))
        .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
    // The subject ends at the reporting word; a long stretch is not one.
    if subject.split_whitespace().count() > 12 {
        return None;
    }
    let has_word = |w: &str| {
        subject.match_indices(w).any(|(i, _)| {
            let before_ok = subject[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = subject[i + w.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok
        })
    };
    // A capital speaks for its government only as the subject itself
    // ("Baghdad rejected"), not as where a speaker is ("a spokesman for
    // the group in Baghdad said").
    let seat_speaks = |name: &str| {
        has_word(name)
            && !subject.match_indices(name).any(|(i, _)| {
                subject[..i]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| {
                        matches!(
                            w.to_ascii_lowercase().as_str(),
                            "in" | "at" | "from" | "near" | "of" | "to" | "into" | "outside"
                        )
                    })
            })
    };
    let country = LEADERS
        .iter()
        .find(|(name, _)| has_word(name))
        .or_else(|| SEATS.iter().find(|(name, _)| seat_speaks(name)))
        .map(|(_, c)| *c);
    let country = match country {
        Some(c) => gaz.find_name(c, Some(PlaceKind::Country)),
        None if GOVERNMENT_SPEAKER.is_match(subject) => speaker_country(gaz, subject),
        None => None,
    }?;
    Some(country)
}

/// The capital city of a country, by the gazetteer.
fn capital_of(gaz: &Gazetteer, country: &str) -> Option<usize> {
    gaz.entries()
        .iter()
        .position(|e| e.is_capital() && e.country.as_deref() == Some(country))
}

/// Country named by a demonym in the sentence ("Iraqi forces" → Iraq), nearest the trigger.
/// The armed force a country's demonym names ("Turkish forces", "Iranian
/// drones", "the Turkish occupation and its mercenaries").
static ARMED_FORCE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s*(?:[\w-]+ )?(?:(?:armed |security |military |air |ground |special |border )?forces|army|troops|soldiers|military|occupation|drones?|jets|warplanes|aircraft|planes|helicopters|artillery|mercenaries|militias?|factions|fighters|navy|air force|gendarmerie|intelligence)\b").expect("valid")
});

fn demonym_place(
    ctx: &DocContext<'_>,
    gaz: &Gazetteer,
    s: &Sentence,
    trigger_at: usize,
) -> Option<Candidate> {
    let sentence = &ctx.text[s.start..s.end];
    let mut best: Option<(usize, Candidate)> = None;
    for (adj, country) in DEMONYMS {
        if !sentence.contains(adj) {
            continue;
        }
        let Some(entry) = gaz.find_name(country, Some(PlaceKind::Country)) else {
            continue;
        };
        for (pos, _) in sentence.match_indices(adj) {
            // "Turkish-backed factions" are not in Turkey.
            let rest = sentence[pos + adj.len()..].trim_start_matches(['-', '‑']);
            if rest.len() < sentence.len() - pos - adj.len()
                && [
                    "backed",
                    "led",
                    "linked",
                    "affiliated",
                    "allied",
                    "aligned",
                    "sponsored",
                    "supported",
                    "held",
                    "controlled",
                ]
                .iter()
                .any(|w| rest.starts_with(w))
            {
                continue;
            }
            // "shelling by the Turkish occupation", "Iranian drones": the
            // armed force of a country acts wherever it strikes; it names who,
            // not where.
            if ARMED_FORCE_AFTER.is_match(rest) {
                continue;
            }
            let at = s.start + pos;
            let dist = at.abs_diff(trigger_at);
            if best.is_none_or(|(d, _)| dist < d) {
                best = Some((
                    dist,
                    Candidate {
                        entry,
                        start: at,
                        end: at + adj.len(),
                        approximate: false,
                        inferred: true,
                    },
                ));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// The most specific candidate near the trigger; the nearest one if none is near.
/// Regions (governorates, the border, countries) come after any town, city or
/// site; among those, the more specific kind wins, then an exact mention over
/// an approximate one ("near X"), then the nearer one.
fn choose_place(gaz: &Gazetteer, candidates: &[Candidate], trigger_at: usize) -> Option<Candidate> {
    let distance = |c: &Candidate| {
        if c.end <= trigger_at {
            trigger_at - c.end
        } else {
            c.start.saturating_sub(trigger_at)
        }
    };
    let near: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| distance(c) <= PLACE_WINDOW)
        .collect();
    let pool: Vec<&Candidate> = if near.is_empty() {
        candidates.iter().collect()
    } else {
        near
    };
    // A site beats the town it is in ("the prison in Hasakah"): sites win
    // among candidates a few words apart; otherwise the nearer place wins.
    pool.into_iter()
        .min_by_key(|c| {
            let e = &gaz.entries()[c.entry];
            let site_bonus = if e.kind == PlaceKind::Site { 40 } else { 0 };
            (
                e.geo_precision >= 3,
                e.kind.specificity_rank() >= 3,
                // Of several countries, Iraq or Syria: the region is theirs.
                e.kind == PlaceKind::Country && !matches!(e.name.as_str(), "Iraq" | "Syria"),
                distance(c).saturating_sub(site_bonus),
                e.kind.specificity_rank(),
            )
        })
        .copied()
}

/// A compass word right before a name: "eastern Deir ez-Zor", "rural
/// Raqqa", "the northern Hasakah".
static PROVINCE_WORD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:eastern|western|northern|southern|north-?eastern|north-?western|south-?eastern|south-?western|rural)\s+$")
        .expect("valid pattern")
});

/// "Iraq's ", "Syria’s northeastern ": between a country and a place in it.
static POSSESSIVE_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:'s|’s)\s+(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?$")
        .expect("valid pattern")
});

/// "the province of ", "the eastern governorate of ": a governorate's name follows.
static PROVINCE_OF_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:province|governorate|wilayah?)\s+of\s+(?:the\s+)?$")
        .expect("valid pattern")
});

/// "Raqqa countryside", "Deir ez-Zor's countryside", "the Deir Ezzor area".
static PROVINCE_WORD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:'s|’s)?\s+(?:countryside|area|region)\b").expect("valid pattern")
});

/// A sentence that opens with who or what did the killing ("Gunmen killed
/// a civilian.", "A sniper wounded two soldiers."): an event of its own, not
/// the toll of the one told before.
static AGENT_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\W*(?:(?:unidentified|unknown|armed|masked)\s+)?(?:gunmen|assailants|attackers|militants|insurgents|snipers?|an? (?:[\w-]+\s+)?(?:sniper|bomb|IED|suicide bomber|mortar|rocket|drone|airstrike|air strike)|(?:mortars|rockets|drones|airstrikes|air strikes))\s+(?:also\s+)?(?:killed|wounded|injured|shot|kidnapped|executed|abducted)\b")
        .expect("valid pattern")
});

/// What stands between the last place of one item of a list and the
/// trigger of the next: ", and intense ", "; and the ".
static ITEM_BEFORE_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^[\s’']*[,;]?\s*(?:and|as well as|while|plus)\s+(?:[\w-]+\s+){0,3}$")
        .expect("valid pattern")
});

static ANAPHOR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\bthe (?:same |nearby |border |air |military |detention |refugee |displacement )?(town|city|village|camp|prison|jail|crossing|base|airbase|garrison)\b|\b(camp|prison)(?:'s)? (?:residents?|security|guards?|administration|management|authorities|officials|inmates)\b")
        .expect("valid pattern")
});

/// A verb right after a country's name: the country is the subject.
static COUNTRY_ACTS: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:'s\s+(?:army|military|air force|forces|troops|jets|warplanes|drones)|\s+(?:has\s+|had\s+|have\s+)?(?:also\s+)?(?:launched|fired|struck|shelled|bombed|sent|deployed|carried out|conducted|targeted|hit|attacked|pounded|dispatched|began|started|mounted))\b")
        .expect("valid pattern")
});

/// Places referred back to ("the town", "the camp", "the crossing", "the
/// base"): the latest place of that kind named before, anywhere earlier in the
/// document. "the town of X" names X itself and is skipped.
fn anaphor_candidates(ctx: &DocContext<'_>, gaz: &Gazetteer, s: &Sentence) -> Vec<Candidate> {
    let sentence = &ctx.text[s.start..s.end];
    let mut out = Vec::new();
    for caps in ANAPHOR.captures_iter(sentence) {
        let (Some(whole), Some(noun)) = (caps.get(0), caps.get(1).or_else(|| caps.get(2))) else {
            continue;
        };
        let after = sentence[whole.end()..].trim_start();
        if after.starts_with("of ") && after[3..].starts_with(char::is_uppercase)
            || after.starts_with(char::is_uppercase)
        {
            continue;
        }
        let noun = noun.as_str().to_ascii_lowercase();
        let fits = |e: &GazEntry| match noun.as_str() {
            "town" | "city" | "village" => matches!(e.kind, PlaceKind::Town | PlaceKind::City),
            "camp" => e.category == "camp",
            "prison" | "jail" => e.category == "prison",
            "crossing" => e.category == "crossing",
            _ => e.category.contains("base"),
        };
        let at = s.start + whole.start();
        // The last place called by that noun ("the al-Qaim border crossing"),
        // else the last place of that kind.
        // ("The camp at Rukban"), else the last place of that kind.
        let called = |m: &&PlaceMatch| {
            let from = ceil_boundary(ctx.text, m.start.saturating_sub(12));
            let to = ceil_boundary(ctx.text, m.end + 24);
            let around = ctx.text[from..to].to_lowercase();
            around.contains(noun.as_str())
                && !matches!(
                    gaz.entries()[m.entry].kind,
                    PlaceKind::Country | PlaceKind::Border | PlaceKind::Governorate
                )
        };
        // A referent is named shortly before ("… the town"), not pages earlier.
        let before = ctx.matches.partition_point(|m| m.start < at);
        let earlier = || {
            ctx.matches[..before]
                .iter()
                .rev()
                .filter(|m| m.end <= at)
                .take_while(|m| at - m.start <= REFERENT_WINDOW)
        };
        let referent = earlier()
            .find(called)
            .or_else(|| earlier().find(|m| fits(&gaz.entries()[m.entry])));
        if let Some(m) = referent {
            out.push(Candidate {
                entry: m.entry,
                start: at,
                end: at,
                approximate: NEAR_BEFORE.is_match(&ctx.text[s.start..at]),
                inferred: true,
            });
        }
    }
    out
}

fn collapse_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The quote and trimmed original span of a display span.
fn quote_for(doc: &Document, display_start: usize, display_end: usize) -> (usize, usize, String) {
    let (s, e) = doc.display().original_span(display_start, display_end);
    match doc.kind {
        DocKind::Html => (
            s,
            e,
            collapse_ws(&doc.display().text[display_start..display_end]),
        ),
        DocKind::Text | DocKind::Markdown => {
            let raw = doc.original_slice(s, e);
            let lead = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            (s + lead, s + lead + trimmed.len(), trimmed.to_string())
        }
    }
}

/// What one incident of a sentence may draw on.
struct Scope<'a> {
    /// Sentence-relative byte ranges whose places and dates are this
    /// incident's: the whole sentence, or its own clause and the clauses that
    /// report nothing of their own.
    ranges: Vec<(usize, usize)>,
    /// Places of the sentences before it in the paragraph (used when the
    /// sentence names none).
    prev_places: &'a [Candidate],
    /// Places of the last sentence (within a few) that named a specific one.
    recent: &'a [Candidate],
    /// Date of the event reported just before, for "the same day", "two days
    /// later".
    anchor: Option<PartialDate>,
    /// The day of the lead event (the first the text reports to the day),
    /// which a sentence (or its main clause) giving no date takes; none for a
    /// clause of its own ("a day after an airstrike hit …"), which tells
    /// another event.
    lead: Option<PartialDate>,
}

impl Scope<'_> {
    fn whole<'a>(
        s: &Sentence,
        prev_places: &'a [Candidate],
        recent: &'a [Candidate],
        anchor: Option<PartialDate>,
    ) -> Scope<'a> {
        Scope {
            ranges: vec![(0, s.end - s.start)],
            prev_places,
            recent,
            anchor,
            lead: None,
        }
    }
}

/// "swathes of territory in Iraq and Syria": areas named as a list after
/// "in" or "across" are where the event is, each of them, not a town told
/// before.
fn areas_listed(
    text: &str,
    sentence_start: usize,
    named: &[Candidate],
    entries: &[GazEntry],
) -> bool {
    let areas: Vec<&Candidate> = named
        .iter()
        .filter(|c| !c.inferred && !is_specific(&entries[c.entry]))
        .collect();
    areas.windows(2).any(|w| {
        let gap = &text[w[0].end..w[1].start];
        AREA_GAP.is_match(gap) && AREA_LIST_BEFORE.is_match(&text[sentence_start..w[0].start])
    })
}

static AREA_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:,|,?\s*and|or)\s+(?:(?:neighbou?ring|eastern|western|northern|southern|north-eastern|north-western)\s+)?$")
        .expect("valid pattern")
});

static AREA_LIST_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:in|across|throughout|over|(?:swathes|swaths|parts|areas|much|most|territor(?:y|ies)|regions)\s+of)\s+(?:both\s+)?(?:northern\s+|eastern\s+|western\s+|southern\s+)?$")
        .expect("valid pattern")
});

/// Builds the incident for one sentence and trigger.
fn build_incident(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    trigger: triggers::Trigger,
    scope: &Scope<'_>,
    origin: Origin,
) -> Option<Incident> {
    let text = ctx.text;
    let sentence = &text[s.start..s.end];
    let trigger_at = s.start + trigger.start;
    // Display spans this incident may take its place and date from: in scope
    // and outside the dateline.
    let usable = |a: usize, b: usize| {
        scope
            .ranges
            .iter()
            .any(|(rs, re)| a >= s.start + rs && b <= s.start + re)
            && !overlaps_span(&ctx.datelines, a, b)
    };
    let mut named: Vec<Candidate> = sentence_places(ctx, gaz, s)
        .into_iter()
        .filter(|c| usable(c.start, c.end))
        .collect();
    // "Forces entered al-Shaddadi after SDF fighters pulled out": a clause
    // naming no place happened where the rest of its sentence is.
    if named.is_empty() {
        named = sentence_places(ctx, gaz, s)
            .into_iter()
            .filter(|c| !overlaps_span(&ctx.datelines, c.start, c.end))
            .collect();
    }
    // "Turkey's defence ministry said …": the country of a speaker or an
    // actor, not where the event happened, when the sentence names another place.
    let possessive = |c: &Candidate| {
        gaz.entries()[c.entry].kind == PlaceKind::Country
            && (text[c.end..].starts_with("'s ") || text[c.end..].starts_with("’s "))
    };
    if named.iter().any(|c| !possessive(c)) {
        named.retain(|c| !possessive(c));
    }
    // "A spokesman for the command in Baghdad said the Iraqis had sent 1,000
    // troops to Rutba": a place in the attribution is where the speaker is;
    // the event is told after the reporting verb.
    if trigger.event_type != EventType::Statement
        && let Some(verb_end) = REPORTING_VERB
            .find_iter(&sentence[..trigger.start])
            .last()
            .map(|m| {
                // "said in Erbil that …": where it was said is attribution too.
                let rest = &sentence[m.end()..trigger.start];
                let said_at = rest
                    .find(" that ")
                    .filter(|&i| SAID_AT.is_match(&format!(" {}", &rest[..i])));
                s.start + m.end() + said_at.map_or(0, |i| i + " that ".len())
            })
        && named.iter().any(|c| c.start >= verb_end)
    {
        named.retain(|c| c.start >= verb_end);
    }
    // "deploying along the Sinjar-Dohuk highway at Fishkhabur": the towns
    // that name a road are its ends, not where the event is, when the
    // sentence names another place.
    let names_road = |c: &Candidate| ROAD_AFTER.is_match(&text[c.end..s.end]);
    if named.iter().any(|c| !names_road(c)) {
        named.retain(|c| !names_road(c));
    }
    // "seized pills bound for Iraq", "smuggling to Jordan": where goods were
    // going is not where they were seized or struck, when the sentence names
    // another place.
    if !matches!(
        trigger.event_type,
        EventType::Deployment | EventType::Withdrawal | EventType::Handover | EventType::Meeting
    ) {
        let destination = |c: &Candidate| DESTINATION_BEFORE.is_match(&text[s.start..c.start]);
        if named.iter().any(|c| !destination(c)) {
            named.retain(|c| !destination(c));
        }
    }
    // "the US envoy for Syria", "Iraq's ambassador to Turkey": a country in
    // a title is no place of the event.
    if named.len() > 1 {
        named.retain(|c| !TITLE_OF.is_match(&text[s.start..c.start]));
    }
    // "…, a reporter for Daesh Daily in Baghdad, emailed": where the one
    // who tells it sits, told after the event, is not where it happened.
    let named_count = named.len();
    named.retain(|c| {
        !(REPORTER_IN.is_match(&text[floor_boundary(text, c.start.saturating_sub(80))..c.start])
            && (c.start >= s.start + trigger.end || named_count > 1))
    });
    // "Iraq launched an air strike on a target inside Syria", "Turkey
    // shelled villages near Tal Tamr": a country that does what the sentence
    // reports is its actor; where it happened is the other place named.
    let acts = |c: &Candidate| {
        gaz.entries()[c.entry].kind == PlaceKind::Country
            && COUNTRY_ACTS.is_match(&text[c.end..s.end])
            && c.end <= s.start + trigger.start
    };
    if named.iter().any(|c| !acts(c)) {
        named.retain(|c| !acts(c));
    }
    // "… persistent ISIS activity in Deir ez Zour, and intense clashes …
    // around the Tishreen Dam": a place that ends the item before the
    // trigger's is that item's; the trigger's own place follows it.
    let (t_start, t_end) = (s.start + trigger.start, s.start + trigger.end);
    let ends_item_before = |c: &Candidate| {
        !c.inferred && c.end <= t_start && ITEM_BEFORE_TRIGGER.is_match(&text[c.end..t_start])
    };
    if named.iter().any(|c| !c.inferred && c.start >= t_end) && named.iter().any(ends_item_before) {
        named.retain(|c| !ends_item_before(c));
    }
    // "In Tikrit, which like Samarra lies in an insurgent area, forces
    // detained six": a place named to compare is not where it happened.
    let compared = |c: &Candidate| {
        !c.inferred
            && COMPARED_BEFORE
                .is_match(&text[floor_boundary(text, c.start.saturating_sub(12))..c.start])
    };
    if named.iter().any(|c| !compared(c)) {
        named.retain(|c| !compared(c));
    }
    // Capitals and towns far outside the map are where talks are held, not
    // where fighting or withdrawals happen ("pressure from Tehran to end the
    // mission").
    if !matches!(
        trigger.event_type,
        EventType::Meeting | EventType::Agreement | EventType::Statement
    ) {
        named.retain(|c| !gaz.entries()[c.entry].id.starts_with("gaz:venue-"));
    }
    // A place referred back to that the sentence also names is the named one.
    let referred: Vec<Candidate> = anaphor_candidates(ctx, gaz, s)
        .into_iter()
        .filter(|c| usable(c.start, c.end) && !named.iter().any(|n| n.entry == c.entry))
        .collect();
    named.extend(referred);
    let mut confidence: f32 = 0.55;
    let mut why: Vec<String> = vec![format!(
        "type: {} from “{}”",
        trigger.event_type.as_str(),
        &sentence[trigger.start..trigger.end]
    )];
    let inferred = |c: Candidate| Candidate {
        inferred: true,
        approximate: true,
        start: s.start,
        end: s.start,
        ..c
    };
    // A place standing in for one the sentence lacks, and why.
    let stand_in = |entry: usize, reason: &'static str| -> (Candidate, &'static str) {
        (
            Candidate {
                entry,
                start: s.start,
                end: s.start,
                approximate: true,
                inferred: true,
            },
            reason,
        )
    };
    let filed_from = |entry: usize| stand_in(entry, FROM_DATELINE);
    // Where the sentence's events happen when it names no specific place:
    // the dateline opening its paragraph (a roundup's item), a place named
    // earlier in its paragraph, then in the last few sentences, then the
    // story's dateline, then the place the document names most.
    let context: Option<(Candidate, &str)> = paragraph_dateline(ctx, s)
        .map(filed_from)
        .or_else(|| {
            choose_place(gaz, scope.prev_places, trigger_at)
                .filter(|c| is_specific(&gaz.entries()[c.entry]))
                .map(|c| (c, "named earlier in the paragraph"))
        })
        .or_else(|| {
            choose_place(gaz, scope.recent, trigger_at)
                .filter(|c| is_specific(&gaz.entries()[c.entry]))
                .map(|c| (c, "named in a sentence just before"))
        })
        .or_else(|| {
            // The town a wire story is filed from, when it is in Iraq or Syria:
            // the reporter is where the news is.
            dateline_place(ctx, s.start).map(filed_from)
        })
        .or_else(|| ctx.focus.map(|entry| stand_in(entry, FOCUS_REASON)));
    let demonym = demonym_place(ctx, gaz, s, trigger_at);
    let entries = gaz.entries();
    // A context place fits a region the sentence names when it lies inside it.
    let fits = |c: &Candidate, region: usize| {
        let (e, r) = (&entries[c.entry], &entries[region]);
        match r.kind {
            PlaceKind::Country => e.country.as_deref() == Some(r.name.as_str()),
            PlaceKind::Governorate if r.category == "region" => {
                e.country == r.country && rough_km((e.lon, e.lat), (r.lon, r.lat)) <= 250.0
            }
            // "Deir ez-Zor" or "Deir ez-Zor Governorate", as the entry names it.
            PlaceKind::Governorate => e.admin1.as_deref().is_some_and(|a| {
                a == r.name
                    || r.admin1.as_deref() == Some(a)
                    || r.name.strip_suffix(" Governorate") == Some(a)
            }),
            _ => false,
        }
    };
    // Talks are held where people meet, not on the pipeline they discuss
    // ("began talks in Baghdad about reviving the Kirkuk–Baniyas pipeline").
    if trigger.event_type == EventType::Meeting
        && named
            .iter()
            .any(|c| entries[c.entry].category != "pipeline")
    {
        named.retain(|c| entries[c.entry].category != "pipeline");
    }
    let chosen = match choose_place(gaz, &named, trigger_at) {
        Some(c) if is_specific(&entries[c.entry]) => {
            confidence += 0.15;
            why.push(format!(
                "place: {} named in the sentence{}",
                describe_entry(&entries[c.entry]),
                if c.approximate {
                    " (near it or part of it: precision 2)"
                } else {
                    ""
                }
            ));
            Some(c)
        }
        // "clashes in Deir ez-Zor province … to liberate the towns of Dhiban
        // and Al-Tayana": a region near the trigger frames the places named
        // further on in the sentence that lie inside it; the event is there.
        Some(region)
            if entries[region.entry].kind != PlaceKind::Border
                && let Some(inside) = named
                    .iter()
                    .filter(|c| !c.inferred && is_specific(&entries[c.entry]))
                    .filter(|c| fits(c, region.entry))
                    .min_by_key(|c| c.start.abs_diff(trigger_at)) =>
        {
            confidence += 0.1;
            why.push(format!(
                "place: {} named in the sentence, inside {} named nearer the trigger{}",
                describe_entry(&entries[inside.entry]),
                entries[region.entry].name,
                if inside.approximate {
                    " (near it or part of it: precision 2)"
                } else {
                    ""
                }
            ));
            Some(*inside)
        }
        // A region the sentence names is narrowed to a place named just
        // before inside it, not to the document's main place, and never for
        // what a government says, signs or hosts.
        Some(region) => match context.filter(|(_, how)| {
            *how != FOCUS_REASON
                && !areas_listed(text, s.start, &named, entries)
                && !matches!(
                    trigger.event_type,
                    EventType::Statement | EventType::Meeting | EventType::Agreement
                )
        }) {
            // "a highway linking Iraq and Syria": of two countries named,
            // the one the place named before lies in.
            Some((c, how))
                if entries[region.entry].kind != PlaceKind::Border
                    && compass_of(text, region.start).is_none_or(|dir| {
                        gaz.in_region_part(
                            region.entry,
                            dir,
                            (entries[c.entry].lon, entries[c.entry].lat),
                        )
                    })
                    && (fits(&c, region.entry)
                        || (entries[region.entry].kind == PlaceKind::Country
                            && named.iter().any(|n| {
                                entries[n.entry].kind == PlaceKind::Country && fits(&c, n.entry)
                            }))) =>
            {
                confidence += 0.1;
                why.push(format!(
                    "place: the sentence names only {}; {} ({how}) lies in {} (precision 2)",
                    entries[region.entry].name,
                    describe_entry(&entries[c.entry]),
                    if fits(&c, region.entry) {
                        "it".to_string()
                    } else {
                        named
                            .iter()
                            .find(|n| {
                                entries[n.entry].kind == PlaceKind::Country && fits(&c, n.entry)
                            })
                            .map_or("it".to_string(), |n| entries[n.entry].name.clone())
                    }
                ));
                Some(inferred(c))
            }
            _ => {
                confidence += 0.1;
                why.push(format!(
                    "place: {} named in the sentence (precision 3)",
                    describe_entry(&entries[region.entry])
                ));
                Some(region)
            }
        },
        None => match (context, demonym) {
            (Some((c, how)), d) if d.is_none_or(|d| fits(&c, d.entry)) => {
                why.push(format!(
                    "place: the sentence names none; {} ({how}, precision 2)",
                    describe_entry(&entries[c.entry])
                ));
                Some(inferred(c))
            }
            (_, Some(d)) => {
                why.push(format!(
                    "place: the sentence names none; {} from “{}” (precision 3)",
                    entries[d.entry].name,
                    &text[d.start..d.end]
                ));
                Some(d)
            }
            (_, None) => {
                confidence -= 0.2;
                ctx.main_country.map(|entry| {
                    why.push(format!(
                        "place: nothing more precise than {}, the country the document names most (precision 3)",
                        entries[entry].name
                    ));
                    Candidate::inferred_at(entry, s.start)
                })
            }
        },
    };
    if let Some(c) = chosen
        && let Some(k) = if c.inferred {
            ctx.first_match_of.get(&c.entry).copied()
        } else {
            let k = ctx.matches.partition_point(|m| m.start < c.start);
            ctx.matches[k..]
                .iter()
                .take_while(|m| m.start == c.start)
                .position(|m| m.entry == c.entry && m.end == c.end)
                .map(|j| k + j)
        }
        && let Some(reason) = &ctx.reasons[k]
    {
        why.push(format!("candidates: {reason}"));
    }
    // What a government says or agrees is said in its capital ("Turkish
    // President Erdoğan said Turkey will take part in the Mosul operation",
    // "Baghdad rejected the deal"), whatever place it speaks of, unless the
    // sentence says where it was said ("told reporters in Erbil").
    let said_at_home = matches!(
        trigger.event_type,
        EventType::Statement | EventType::Agreement
    ) && {
        // The words right after the reporting verb, up to what was said.
        let spoken = &sentence[trigger.start..];
        let after = spoken
            .find(char::is_whitespace)
            .map_or("", |i| &spoken[i..]);
        let clause = after
            .find([',', ';', ':'])
            .into_iter()
            .chain(after.find(" that "))
            .min()
            .map_or(after, |i| &after[..i]);
        !SAID_AT.is_match(clause)
    };
    let seat = said_at_home
        .then(|| government_speaker(gaz, &sentence[..trigger.start]))
        .flatten();
    let chosen = match seat {
        Some(home) if chosen.is_none_or(|c| c.entry != home) => {
            why.push(format!(
                "place: said by the government of {}, in its capital",
                entries[home].name
            ));
            Some(Candidate::inferred_at(home, s.start))
        }
        _ => chosen,
    };
    let mut chosen = chosen?;
    // An event placed no closer than a whole neighbouring country ("fighter
    // aircraft from Saudi Arabia", "Turkey has suffered an attack") has no
    // place on a map of the Iraq–Syria region: nothing is made of it; what
    // a speaker from Iraq or Syria says of another country is news from home
    // ("Iraqi militias blamed Israel").
    let whole_neighbour =
        |e: &GazEntry| e.kind == PlaceKind::Country && !matches!(e.name.as_str(), "Iraq" | "Syria");
    if trigger.event_type == EventType::Statement
        && whole_neighbour(&entries[chosen.entry])
        && seat.is_none()
        && let Some(home) = speaker_country(gaz, &sentence[..trigger.start])
        && !whole_neighbour(&entries[home])
    {
        why.push(format!(
            "place: a statement by a speaker of {}, made there",
            entries[home].name
        ));
        chosen = Candidate::inferred_at(home, s.start);
    }
    if whole_neighbour(&entries[chosen.entry]) && seat != Some(chosen.entry) {
        return None;
    }
    // "the army attacked Hit from the north", "an attack on the villages of
    // Aloush and Tel Arish": forces assaulting a town fight for it, a clash;
    // a one-sided attack strikes a site, a convoy, people.
    let mut trigger = trigger;
    let assault_word = sentence[trigger.start..trigger.end].to_ascii_lowercase();
    if trigger.event_type == EventType::Attack
        && matches!(
            assault_word.as_str(),
            "attack" | "attacked" | "attacks" | "assault" | "assaulted" | "stormed"
        )
        && !chosen.inferred
        && matches!(
            entries[chosen.entry].kind,
            PlaceKind::Town | PlaceKind::City
        )
        && chosen.start >= trigger_at + (trigger.end - trigger.start)
        // "an assault on Hasakah’s Ghwayran prison": on something of the
        // town's, not on the town.
        && !text[chosen.end..].starts_with(['’', '\''])
        && !SITE_OF_TOWN_AFTER.is_match(&text[chosen.end..ceil_boundary(text, chosen.end + 40)])
        && ATTACKED_TOWN_GAP
            .is_match(&text[trigger_at + (trigger.end - trigger.start)..chosen.start])
    {
        trigger.event_type = EventType::Clash;
        why[0] = format!(
            "type: clash from “{}”: forces assaulting the town of {} fight for it",
            &sentence[trigger.start..trigger.end],
            entries[chosen.entry].name
        );
    }
    // The fall of a regime or government happens to its country.
    let trigger_text = &sentence[trigger.start..trigger.end];
    if matches!(trigger.event_type, EventType::Seizure | EventType::Clash)
        && (trigger_text.ends_with("regime") || trigger_text.ends_with("government"))
    {
        let home = actors::find_actors(trigger_text)
            .iter()
            .find_map(|a| actors::home_country(a.canonical));
        if let Some(entry) = home.and_then(|c| gaz.find_name(c, Some(PlaceKind::Country))) {
            chosen = Candidate::inferred_at(entry, s.start);
        }
    }
    // "The Iraqi prime minister received the US envoy": a host receives
    // visitors at home, in the capital, unless the sentence says where; a
    // ministry summons an ambassador to itself.
    let host_word = sentence[trigger.start..trigger.end].to_ascii_lowercase();
    if trigger.event_type == EventType::Meeting
        && [
            "received", "receives", "hosted", "hosts", "welcomed", "welcomes", "summon",
        ]
        .iter()
        .any(|w| host_word.starts_with(w))
        && !VENUE_AFTER.is_match(
            sentence[trigger.end..]
                .split([',', ';'])
                .next()
                .and_then(|clause| clause.split(" and ").next())
                .unwrap_or(""),
        )
        && let Some(home) = speaker_country(gaz, &sentence[..trigger.start])
        && let Some(capital) = capital_of(gaz, &gaz.entries()[home].name)
        && capital != chosen.entry
    {
        why.push(format!(
            "place: a visit received by an official of {}, in its capital",
            gaz.entries()[home].name
        ));
        chosen = Candidate::inferred_at(capital, s.start);
    }
    // A statement is made where its speaker is: "Iraq's defence minister
    // said …" is news from Iraq, whatever country it speaks of.
    if trigger.event_type == EventType::Statement
        && gaz.entries()[chosen.entry].kind == PlaceKind::Country
        && let Some(home) = speaker_country(gaz, &sentence[..trigger.start])
        && home != chosen.entry
    {
        why.push(format!(
            "place: a statement by a speaker of {}, made there",
            gaz.entries()[home].name
        ));
        chosen = Candidate::inferred_at(home, s.start);
    }
    let entry = &gaz.entries()[chosen.entry];
    // The sentence names a place the gazetteer lacks: say so, keep the area.
    let not_found = (chosen.inferred || chosen.approximate || !is_specific(entry))
        .then(|| unknown_place(ctx, gaz, s, trigger_at))
        .flatten();
    if let Some(name) = &not_found {
        why.push(format!(
            "place not found: “{name}” is not in the gazetteer; kept {} until an analyst places it",
            entry.name
        ));
    }
    // What a government says, signs or hosts with no place given happens in
    // its capital: the marker goes there, not to the middle of the desert.
    // So does what its parliament or cabinet does ("Parliament voted").
    let legislature = trigger.event_type == EventType::Other && LEGISLATURE.is_match(sentence);
    let (lon, lat) = if entry.kind == PlaceKind::Country
        && (legislature
            || matches!(
                trigger.event_type,
                EventType::Statement | EventType::Meeting | EventType::Agreement
            )) {
        match capital_of(gaz, &entry.name).map(|k| &gaz.entries()[k]) {
            Some(capital) => {
                why.push(format!(
                    "place: drawn at {}, the capital, where the government acts (precision 3)",
                    capital.name
                ));
                (capital.lon, capital.lat)
            }
            None => (entry.lon, entry.lat),
        }
    } else {
        (entry.lon, entry.lat)
    };
    // "in eastern Deir ez-Zor province", "northern Iraq": that part of the
    // region, not its middle.
    let part = (!chosen.inferred
        && (lon, lat) == (entry.lon, entry.lat)
        && matches!(entry.kind, PlaceKind::Governorate | PlaceKind::Country))
    .then(|| compass_of(text, chosen.start))
    .flatten()
    .and_then(|dir| Some((dir, gaz.region_part(chosen.entry, dir)?)));
    let (lon, lat) = match part {
        Some((dir, p)) => {
            why.push(format!(
                "place: the {} part of {} (precision 3)",
                dir.adjective(),
                entry.name
            ));
            p
        }
        None => (lon, lat),
    };
    // "20 km north of Haditha": the point moves, the place is near (precision 2).
    let (lon, lat, offset) = match (!chosen.inferred)
        .then(|| offset_before(&text[s.start..chosen.start]))
        .flatten()
    {
        Some((km, bearing, words)) => {
            use geo::{Destination as _, Geodesic, Point};
            let p = Geodesic.destination(Point::new(lon, lat), bearing, km * 1000.0);
            why.push(format!(
                "place: moved {km} km {words} of {} (precision 2)",
                entry.name
            ));
            (p.x(), p.y(), true)
        }
        None => (lon, lat, false),
    };
    let geo_precision = if chosen.approximate || offset {
        entry.geo_precision.max(2)
    } else {
        entry.geo_precision
    };

    let date = if triggers::is_anaphoric(sentence, trigger.start) {
        None
    } else {
        let found = dates::find_dates(sentence, doc.meta.date);
        // "The clashes broke out on August 28, a day after the SDF arrested
        // …": what follows "a day after" happened a day before the day the
        // main clause names.
        let counted = COUNTED_BEFORE_AFTER
            .captures(&sentence[..trigger.start])
            .and_then(|c| {
                let whole = c.get(0)?;
                let n = number_word(&c[1])?;
                let unit = if c[2].to_ascii_lowercase().starts_with("week") {
                    7
                } else {
                    1
                };
                let sign = if c[3].eq_ignore_ascii_case("after") {
                    -1
                } else {
                    1
                };
                let day = found.iter().rfind(|d| {
                    d.end <= whole.start()
                        && d.precision == TimePrecision::Day
                        && !overlaps_span(&ctx.datelines, s.start + d.start, s.start + d.end)
                })?;
                let when = day
                    .date?
                    .first_day()
                    .checked_add_signed(chrono::Duration::days(sign * n * unit))?;
                Some(dates::DateMention {
                    start: day.start,
                    end: day.end,
                    text: format!(
                        "{}, {}",
                        day.text,
                        whole.as_str().trim_start_matches([',', ' '])
                    ),
                    date: Some(PartialDate::from_date(when)),
                    precision: TimePrecision::Day,
                    shift_days: None,
                })
            });
        if let Some(d) = counted {
            Some(d)
        } else {
            found
                .into_iter()
                .filter(|d| usable(s.start + d.start, s.start + d.end))
                .min_by_key(|d| {
                    let (ds, de) = (s.start + d.start, s.start + d.end);
                    let distance = if de <= trigger_at {
                        trigger_at - de
                    } else {
                        ds.saturating_sub(trigger_at)
                    };
                    // "the fifth repatriation this year": a period that counts
                    // events, weaker than a date that places one.
                    let period = d.text.to_ascii_lowercase().starts_with("this ")
                        && matches!(d.precision, TimePrecision::Month | TimePrecision::Year);
                    // "… said on Tuesday its forces had killed …": when it was
                    // said, not when it happened.
                    let said = trigger.event_type != EventType::Statement
                        && SPEECH_BEFORE.is_match(&sentence[..d.start]);
                    distance
                        + if period { PERIOD_PENALTY } else { 0 }
                        + if said { SPEECH_PENALTY } else { 0 }
                })
                .or_else(|| {
                    // "• 07:40 - Hajin: gunmen killed …": an item of a dated
                    // digest, on the day it was published.
                    let published = doc.meta.date?;
                    CLOCK_TIME.is_match(sentence).then(|| dates::DateMention {
                        start: 0,
                        end: 0,
                        text: "the day of publication".to_string(),
                        date: Some(PartialDate::from_date(published)),
                        precision: TimePrecision::Day,
                        shift_days: None,
                    })
                })
                .map(|mut d| {
                    if d.date.is_none()
                        && doc.meta.date.is_none()
                        && let Some(month) = doc.meta.published_month()
                        && let Some(day) = dates::day_in_published_month(&d.text, month)
                    {
                        d.date = Some(day);
                        d.precision = TimePrecision::Day;
                    }
                    // "the same day", "two days later": after the event before.
                    if let (Some(shift), Some(anchor)) = (d.shift_days, scope.anchor)
                        && let Some(day) = anchor.day.map(|_| anchor.first_day())
                        && let Some(when) = day.checked_add_signed(chrono::Duration::days(shift))
                    {
                        d.date = Some(PartialDate::from_date(when));
                        d.precision = TimePrecision::Day;
                    }
                    d
                })
        }
    };
    // A relative date the publication day cannot resolve ("on Saturday" in a
    // piece dated only by month) or no date at all: an event reported as the
    // news of the day took place in the month of publication.
    // A sentence of a story that gives no date of its own tells more of the
    // event reported before it ("16 militants were killed on Sunday … The
    // forces clashed with militants who tried to attack a base …"): the day
    // of that event, when it lies in the month of publication (or no
    // publication date is known).
    let follows_dated = |other: &Option<dates::DateMention>| {
        let anchor = scope.lead.filter(|a| a.day.is_some())?;
        if other.is_some() || triggers::is_anaphoric(sentence, trigger.start) {
            return None;
        }
        let in_month = doc
            .meta
            .published_month()
            .is_none_or(|(y, m)| anchor.year == y && anchor.month == Some(m));
        in_month.then(|| dates::DateMention {
            start: 0,
            end: 0,
            text: "no date given: the day of the event reported just before".to_string(),
            date: Some(anchor),
            precision: TimePrecision::Day,
            shift_days: None,
        })
    };
    let date = match date {
        Some(d) if d.date.is_some() => Some(d),
        other => entry_label_date(ctx, s, doc.meta.date)
            .filter(|_| other.is_none())
            .or_else(|| follows_dated(&other))
            .or_else(|| match doc.meta.published_month() {
                Some((y, m)) if !triggers::is_anaphoric(sentence, trigger.start) => {
                    Some(dates::DateMention {
                        start: 0,
                        end: 0,
                        text: other.map_or_else(
                            || "no date given: the month of publication".to_string(),
                            |d| format!("{}: the month of publication", d.text),
                        ),
                        date: Some(PartialDate::month(y, m)),
                        precision: TimePrecision::Month,
                        shift_days: None,
                    })
                }
                _ => other,
            }),
    };
    match &date {
        Some(d) => why.push(format!(
            "date: {} from “{}”",
            d.date
                .map_or_else(|| "unresolved".to_string(), |x| x.to_string()),
            d.text
        )),
        None => why.push("date: none stated, and no publication date to count from".to_string()),
    }
    if date.is_some() {
        confidence += 0.1;
    }
    let actors = actors::actor_names(sentence);
    if !actors.is_empty() {
        confidence += 0.05;
    }
    let (start, end, quote) = quote_for(doc, s.start, s.end);
    let trigger_span = doc
        .display()
        .original_span(trigger_at, s.start + trigger.end);
    let place_span =
        (!chosen.inferred).then(|| doc.display().original_span(chosen.start, chosen.end));
    let name_as_written = if chosen.inferred && chosen.start == chosen.end {
        entry.name.clone()
    } else {
        text[chosen.start..chosen.end].to_string()
    };
    let mut summary = collapse_ws(sentence);
    if summary.len() > 400 {
        let cut = (0..=400)
            .rev()
            .find(|i| summary.is_char_boundary(*i))
            .unwrap_or(0);
        summary.truncate(cut);
        summary.push('…');
    }
    Some(Incident {
        id: incident_id(&doc.id, start, end, trigger.event_type),
        event_type: trigger.event_type,
        date: date.as_ref().and_then(|d| d.date),
        date_text: date.as_ref().map(|d| d.text.clone()),
        time_precision: date
            .as_ref()
            .map_or(TimePrecision::Unknown, |d| d.precision),
        place: Place {
            gazetteer_id: Some(entry.id.clone()),
            name: name_as_written,
            canonical: entry.name.clone(),
            not_found,
        },
        lon,
        lat,
        geo_precision,
        actors,
        summary,
        sources: vec![Source {
            doc: doc.id.clone(),
            start,
            end,
            trigger: trigger_span,
            place: place_span,
            quote,
        }],
        confidence: confidence.clamp(0.05, 0.95),
        origin,
        why,
        note: String::new(),
        review: crate::incidents::Review::Unreviewed,
    })
}

/// Whether two incidents of one sentence are worth keeping apart: the second
/// names a place of its own that differs, or states a date of its own that
/// differs, or one is a withdrawal and the other the handover that followed.
fn distinct_events(first: &Incident, second: &Incident) -> bool {
    let own_place = second.sources.iter().any(|s| s.place.is_some());
    let own_date = second.date.is_some();
    // Forces leaving are an event apart from the fighting, capture or
    // handover told beside it ("took the crossing after the rebels withdrew").
    let leaving = |t: EventType| t == EventType::Withdrawal;
    let pair = first.event_type != second.event_type
        && (leaving(first.event_type) || leaving(second.event_type))
        && [first.event_type, second.event_type].iter().all(|t| {
            matches!(
                t,
                EventType::Withdrawal
                    | EventType::Handover
                    | EventType::Clash
                    | EventType::Attack
                    | EventType::Seizure
                    | EventType::DetentionFacility
            )
        });
    pair || (own_place && second.place.gazetteer_id != first.place.gazetteer_id)
        || (own_date && second.date != first.date)
}

/// Whether a clause opens with a word that orders it against another event
/// ("… declared a ceasefire after capturing the district", "amid advances
/// into Raqqa"): the two clauses tell two events.
fn sequenced(sentence: &str, clause_start: usize) -> bool {
    triggers::follows_sequence_word(&sentence[..clause_start])
}

/// The incidents one sentence reports: its highest-priority trigger, and,
/// when its clauses report different events ("closed the crossing on
/// Monday, a day after an airstrike hit …"), one incident per clause; and
/// one more where the sentence counts one more of the kind ("after the
/// pipeline explosion, another IED struck a patrol").
#[allow(clippy::too_many_arguments)]
fn sentence_incidents(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    all: &[triggers::Trigger],
    primary: triggers::Trigger,
    prev_places: &[Candidate],
    recent: &[Candidate],
    anchor: Option<PartialDate>,
    lead: Option<PartialDate>,
) -> Vec<Incident> {
    let mut out = clause_incidents(
        doc,
        gaz,
        ctx,
        s,
        all,
        primary,
        prev_places,
        recent,
        anchor,
        lead,
    );
    let sentence = &ctx.text[s.start..s.end];
    let more = |t: &triggers::Trigger| crate::incidents::one_more_at(sentence, Some(t.start));
    if out
        .iter()
        .filter(|i| i.event_type == primary.event_type)
        .count()
        == 1
        && !more(&primary)
        && let Some(t) = all
            .iter()
            .find(|t| t.event_type == primary.event_type && t.start > primary.end && more(t))
        && let Some(mut inc) = build_incident(
            doc,
            gaz,
            ctx,
            s,
            *t,
            &Scope {
                lead,
                ..Scope::whole(s, prev_places, recent, anchor)
            },
            Origin::Extracted,
        )
    {
        inc.id = incident_id(
            &format!("{}#more", doc.id),
            inc.sources[0].start,
            inc.sources[0].end,
            inc.event_type,
        );
        out.push(inc);
    }
    out
}

/// [`sentence_incidents`] by its clauses.
#[allow(clippy::too_many_arguments)]
fn clause_incidents(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    all: &[triggers::Trigger],
    primary: triggers::Trigger,
    prev_places: &[Candidate],
    recent: &[Candidate],
    anchor: Option<PartialDate>,
    lead: Option<PartialDate>,
) -> Vec<Incident> {
    let sentence = &ctx.text[s.start..s.end];
    // "the night before", "the same day" count from a day the sentence itself
    // names, when it names one ("on Wednesday after gunmen ambushed a bus the
    // night before"); else from the event reported before.
    let own_day = dates::find_dates(sentence, doc.meta.date)
        .into_iter()
        .filter(|d| d.shift_days.is_none() && d.precision == TimePrecision::Day)
        .filter(|d| !overlaps_span(&ctx.datelines, s.start + d.start, s.start + d.end))
        .find_map(|d| d.date);
    let anchor = own_day.or(anchor);
    let clauses = triggers::clauses(sentence);
    let word = |t: &triggers::Trigger| &sentence[t.start..t.end];
    // Each clause's own event, leaving out statements and tolls.
    let per_clause: Vec<((usize, usize), Option<triggers::Trigger>)> = clauses
        .iter()
        .map(|&(cs, ce)| {
            let inside: Vec<triggers::Trigger> = all
                .iter()
                .filter(|t| t.start >= cs && t.end <= ce)
                .filter(|t| {
                    t.event_type != EventType::Statement && !triggers::is_casualty_word(word(t))
                })
                .copied()
                .collect();
            ((cs, ce), triggers::best(&inside))
        })
        .collect();
    let primary_clause = clauses
        .iter()
        .position(|&(cs, ce)| primary.start >= cs && primary.end <= ce);
    // "… near Albu Kamal as fighting continued elsewhere": what went on
    // around the event is no event of its own unless it names its place.
    let places = sentence_places(ctx, gaz, s);
    let names_place = |(cs, ce): (usize, usize)| {
        places
            .iter()
            .any(|c| c.start >= s.start + cs && c.end <= s.start + ce)
    };
    let secondaries: Vec<(usize, triggers::Trigger)> = per_clause
        .iter()
        .enumerate()
        .filter(|(k, _)| Some(*k) != primary_clause)
        .filter(|(k, _)| {
            !triggers::is_ongoing_as_clause(sentence, clauses[*k].0) || names_place(clauses[*k])
        })
        .filter_map(|(k, (_, t))| t.map(|t| (k, t)))
        .collect();
    let whole = || {
        build_incident(
            doc,
            gaz,
            ctx,
            s,
            primary,
            &Scope {
                lead,
                ..Scope::whole(s, prev_places, recent, anchor)
            },
            Origin::Extracted,
        )
        .into_iter()
        .collect()
    };
    let Some(pk) = primary_clause else {
        return whole();
    };
    if secondaries.is_empty() {
        return whole();
    }
    let free: Vec<(usize, usize)> = per_clause
        .iter()
        .filter(|(_, t)| t.is_none())
        .map(|(r, _)| *r)
        .collect();
    let scope_for = |k: usize, anchor: Option<PartialDate>| Scope {
        ranges: std::iter::once(clauses[k])
            .chain(free.iter().copied())
            .collect(),
        prev_places,
        recent,
        anchor,
        lead: if k == pk { lead } else { None },
    };
    let Some(first) = build_incident(
        doc,
        gaz,
        ctx,
        s,
        primary,
        &scope_for(pk, anchor),
        Origin::Extracted,
    ) else {
        return whole();
    };
    let first_anchor = first.date.filter(|d| d.day.is_some()).or(anchor);
    let mut out = vec![first];
    for (k, t) in secondaries {
        // "launched an operation in A and B, arresting 12": the operation
        // is the arrests told by what came of them, not a deployment apart
        // (unless the clauses are ordered: "… after militants attacked").
        if t.event_type == EventType::Deployment
            && matches!(
                primary.event_type,
                EventType::Seizure | EventType::Attack | EventType::Clash
            )
            && OPERATION_WORD.is_match(word(&t))
            && !sequenced(sentence, clauses[k].0)
            && !sequenced(sentence, clauses[pk].0)
        {
            continue;
        }
        if let Some(inc) = build_incident(
            doc,
            gaz,
            ctx,
            s,
            t,
            &scope_for(k, first_anchor),
            Origin::Extracted,
        ) && (distinct_events(&out[0], &inc)
            || crate::incidents::one_more_at(sentence, Some(t.start))
            || (inc.event_type != out[0].event_type
                && (sequenced(sentence, clauses[k].0)
                    || sequenced(sentence, clauses[pk].0)
                    || triggers::opens_as_clause(sentence, clauses[k].0)
                    || triggers::opens_as_clause(sentence, clauses[pk].0)
                    || triggers::opens_as_gerund_item(sentence, clauses[k].0))))
        {
            out.push(inc);
        }
    }
    if out.len() == 1 {
        return whole();
    }
    out
}

/// What may stand between two places of one list: "A, B and C", "the towns
/// of A and B", "three in A, one in B", "A or B", "A, the country's largest,
/// and B".
static LIST_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?i)^["“”'’)]*(?:\s*,\s*(?:the|its|their)\s+[^,;()]{1,40})?(?:\s*,\s*(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:in|at)\s+)?(?:al-|el-|ar-|as-|ad-|ash-)?(?-i:[A-Z])[\w'’-]+(?:[\s-](?-i:[A-Z])[\w'’-]+){0,2})*\s*(?:,|;|and|or|, and|, or|as well as|along with|in addition to|besides)\s*(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+|another|others?|a|an)\s+(?:more\s+)?(?:[a-z]+\s+)?(?:in|near|at|around|on|close to|next to|outside|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? of)\s+(?:or near\s+)?)?(?:the\s+)?(?:neighbou?ring\s+|nearby\s+|adjacent\s+)?(?:(?:towns?|villages?|cit(?:y|ies)|areas?|neighbou?rhoods?|districts?|provinces?)\s+(?:of\s+)?)?["“'‘(]*$"#)
        .expect("valid pattern")
});

/// "Aleppo Governorate", "Deir ez-Zor province" (and the common slip
/// "Governate").
static PROVINCE_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:governorate|governate|province)\b").expect("valid pattern")
});

/// A word saying the name before it stands for the area around a town:
/// "al-Shaddadi area", "Mosul district", "Hajin countryside".
static AREA_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^\s*(?:area|district|sub-?district|countryside|outskirts|region|environs)\b",
    )
    .expect("valid pattern")
});

/// How far from a town a place told as in "the town's area" may lie.
const AREA_REACH_KM: f64 = 40.0;

/// The geodesic distance between two gazetteer entries, in km (WGS84).
fn geodesic_km(a: &gazetteer::GazEntry, b: &gazetteer::GazEntry) -> f64 {
    use geo::{Distance as _, Geodesic, Point};
    Geodesic.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
}

/// What continues a list past a name: ", Raqqa", " and Raqqa", ", and".
static LIST_GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?(?:(?:al|el|ad|ar|as|ash)-)?[A-Z]|(?:and|or)\s+(?:the\s+)?(?:(?:al|el|ad|ar|as|ash)-)?[A-Z])")
        .expect("valid pattern")
});

/// A compass word right before a region's name: "eastern ", "north-western the ".
static COMPASS_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)\b((?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?)\s+$",
    )
    .expect("valid pattern")
});

/// The compass word right before the name at `start`, if any.
fn compass_of(text: &str, start: usize) -> Option<gazetteer::Compass> {
    COMPASS_BEFORE
        .captures(&text[floor_boundary(text, start.saturating_sub(24))..start])
        .and_then(|c| gazetteer::Compass::from_word(&c[1]))
}

/// "like Samarra", "unlike Mosul": a place named for a comparison.
static COMPARED_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"(?i)\b(?:like|unlike)\s+$").expect("valid pattern"));

/// A deployment told as an operation or campaign set going.
static OPERATION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)\b(?:operations?|sweeps?|search|clearances?|combing|campaigns?)\b",
    )
    .expect("valid pattern")
});

/// "Hawija, 55 kilometres south-west of Kirkuk": a distance between two
/// names locates the first by the second; they are no list.
static DISTANCE_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s)\b")
        .expect("valid pattern")
});

/// Between a place and the country or governorate that locates it: " in
/// western ", " in the province of ".
static LOCATOR_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?(?:(?:province|governorate)\s+of\s+)?$")
        .expect("valid pattern")
});

static BETWEEN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\bbetween\s+(?:the\s+)?(?:towns?\s+of\s+|cities\s+of\s+)?$")
        .expect("valid pattern")
});

/// One incident per place of a list: "attacks in A, B and C" are three
/// incidents. The incident's place is one of the list; the others get a copy
/// each (own id, place and place span).
fn split_list(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    inc: Incident,
) -> Vec<Incident> {
    let Some((ps, pe)) = inc.sources.first().and_then(|src| src.place) else {
        return vec![inc];
    };
    let (ds, _) = doc.display().display_span(ps, pe);
    let named = sentence_places(ctx, gaz, s);
    let Some(at) = named.iter().position(|c| c.start == ds) else {
        return vec![inc];
    };
    let entries = gaz.entries();
    let class = |c: &Candidate| is_specific(&entries[c.entry]);
    // "in Ninewa and Baghdad": a governorate and a city may share a list;
    // countries and lines only list with their like.
    let whole = |c: &Candidate| {
        matches!(
            entries[c.entry].kind,
            PlaceKind::Country | PlaceKind::Border
        ) || entries[c.entry].category == "pipeline"
    };
    // "Ain al-Asad in western Iraq and a base in Arbil": the country or
    // governorate that locates a member is part of it, not of the list.
    let locates = |end: usize, member: &Candidate, c: &Candidate| {
        let e = &entries[c.entry];
        if end > c.start {
            return false;
        }
        let gap = &ctx.text[end..c.start];
        if matches!(e.kind, PlaceKind::Country | PlaceKind::Governorate)
            && LOCATOR_GAP.is_match(gap)
        {
            return true;
        }
        // "al-Dashisha, al-Shaddadi area", "Tanak, Mosul district": a town
        // near the member, said to be an area, is where the member lies.
        let tail = &ctx.text[c.end..ceil_boundary(ctx.text, c.end + 24)];
        if gap.trim() == ","
            && AREA_NOUN_AFTER.is_match(tail)
            && is_specific(&entries[member.entry])
            && geodesic_km(&entries[member.entry], e) <= AREA_REACH_KM
        {
            return true;
        }
        // "al-Bab, Aleppo Governorate", "Hajin, Deir ez-Zor, on Monday": the
        // member's own governorate after a comma (the governorate's city
        // stands for it) locates it, unless the list goes on past it.
        let after = &ctx.text[c.end..ceil_boundary(ctx.text, c.end + 40)];
        gap.trim() == ","
            && entries[member.entry]
                .admin1
                .as_deref()
                .is_some_and(|a| gazetteer::name_key(a) == gazetteer::name_key(&e.name))
            && (PROVINCE_NOUN_AFTER.is_match(after) || !LIST_GOES_ON.is_match(after))
    };
    let joined_from = |end: usize, a: &Candidate, b: &Candidate| {
        end <= b.start
            && LIST_GAP.is_match(&ctx.text[end..b.start])
            && !DISTANCE_UNIT.is_match(&ctx.text[end..b.start])
            && (class(a) == class(b) || (!whole(a) && !whole(b)))
    };
    // The next member after member `k`, over the locators of `k`.
    let next_member = |k: usize| -> Option<usize> {
        let mut end = named[k].end;
        let mut n = k + 1;
        while n < named.len()
            && is_specific(&entries[named[k].entry])
            && locates(end, &named[k], &named[n])
        {
            end = named[n].end;
            n += 1;
        }
        (n < named.len() && joined_from(end, &named[k], &named[n])).then_some(n)
    };
    // "the road between al-Shaddadi and Markadah": one stretch, not two places.
    if BETWEEN_BEFORE.is_match(&ctx.text[s.start..named[at].start]) {
        return vec![inc];
    }
    let mut members = vec![named[at]];
    let mut k = at;
    while let Some(p) = (0..k).rev().take(3).find(|&p| next_member(p) == Some(k)) {
        k = p;
        members.insert(0, named[k]);
    }
    let mut k = at;
    while let Some(n) = next_member(k) {
        k = n;
        members.push(named[k]);
    }
    if members.len() < 2 {
        return vec![inc];
    }
    // "an ambush between the cities of Deir ez-Zor and Palmyra": one event
    // on the stretch between them, drawn midway (precision 2).
    if members.len() == 2 && BETWEEN_BEFORE.is_match(&ctx.text[s.start..members[0].start]) {
        use geo::{Geodesic, InterpolatePoint as _, Point};
        let (a, b) = (&entries[members[0].entry], &entries[members[1].entry]);
        let mid = Geodesic.point_at_ratio_between(
            Point::new(a.lon, a.lat),
            Point::new(b.lon, b.lat),
            0.5,
        );
        let mut one = inc;
        one.lon = mid.x();
        one.lat = mid.y();
        one.geo_precision = one.geo_precision.max(2);
        one.why.push(format!(
            "place: between {} and {}, drawn midway (precision 2)",
            a.name, b.name
        ));
        return vec![one];
    }
    let mut out = Vec::new();
    for c in members {
        if c.start == ds {
            out.push(inc.clone());
            continue;
        }
        if members_repeat(&out, &entries[c.entry].id)
            || inc.place.gazetteer_id.as_deref() == Some(entries[c.entry].id.as_str())
        {
            continue;
        }
        let mut copy = relocated(doc, ctx, gaz, &inc, &c);
        if let Some(src) = copy.sources.first_mut() {
            src.place = Some(doc.display().original_span(c.start, c.end));
        }
        copy.why.push(format!(
            "place: {} named in the sentence, one of a list of places (one incident each)",
            describe_entry(&entries[c.entry])
        ));
        out.push(copy);
    }
    out
}

/// A copy of `inc` at candidate `c` (a place of its own, so an id of its
/// own), its reasons for the old place dropped.
fn relocated(
    doc: &Document,
    ctx: &DocContext<'_>,
    gaz: &Gazetteer,
    inc: &Incident,
    c: &Candidate,
) -> Incident {
    let e = &gaz.entries()[c.entry];
    let mut copy = inc.clone();
    copy.id = incident_id(
        &format!("{}#{}", doc.id, e.id),
        inc.sources[0].start,
        inc.sources[0].end,
        inc.event_type,
    );
    copy.place = Place {
        gazetteer_id: Some(e.id.clone()),
        name: ctx.text[c.start..c.end].to_string(),
        canonical: e.name.clone(),
        not_found: None,
    };
    copy.lon = e.lon;
    copy.lat = e.lat;
    copy.geo_precision = if c.approximate {
        e.geo_precision.max(2)
    } else {
        e.geo_precision
    };
    copy.why
        .retain(|w| !w.starts_with("place:") && !w.starts_with("candidates:"));
    copy
}

/// "The areas are the town of al-Susah, the villages of …": a sentence
/// that names the places of the event told just before.
static AREAS_LISTED: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:The|These|Those) (?:areas|villages|towns|places|locations|positions|sites|localities|targets)(?: (?:captured|seized|taken|retaken|recaptured|lost|targeted|struck|hit|shelled|bombed|affected|concerned|in question))? (?:are|were|include|included|comprise|comprised)\b|^(?:They|These) (?:include|included)\b")
        .expect("valid pattern")
});

/// The incidents of the sentence before (`told`), which found no specific
/// place there, moved to the places sentence `s` lists for them: one
/// incident a place, the listing sentence kept as a second passage.
fn places_listed_after(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    named: &[Candidate],
    told: &[Incident],
) -> Vec<Incident> {
    let entries = gaz.entries();
    let mut places: Vec<&Candidate> = Vec::new();
    for c in named.iter().filter(|c| is_specific(&entries[c.entry])) {
        if !places
            .iter()
            .any(|p| entries[p.entry].id == entries[c.entry].id)
        {
            places.push(c);
        }
    }
    let (start, end, quote) = quote_for(doc, s.start, s.end);
    let opener = AREAS_LISTED
        .find(&ctx.text[s.start..s.end])
        .map_or((start, start), |m| {
            doc.display()
                .original_span(s.start + m.start(), s.start + m.end())
        });
    let mut out = Vec::new();
    for inc in told {
        for c in &places {
            let mut copy = relocated(doc, ctx, gaz, inc, c);
            copy.sources.push(Source {
                doc: doc.id.clone(),
                start,
                end,
                trigger: opener,
                place: Some(doc.display().original_span(c.start, c.end)),
                quote: quote.clone(),
            });
            copy.why.push(format!(
                "place: {}, one of the places the next sentence lists for it (one incident each)",
                describe_entry(&entries[c.entry])
            ));
            out.push(copy);
        }
    }
    out
}

/// "the villages of al-Rabiaat, Khirbat al-Shaair and al-Nuwaihat": a list
/// of named villages, towns or areas, each a name of its own.
static NAMED_LIST: LazyLock<Regex> = LazyLock::new(|| {
    // A word may open on the mark of an ʿayn ("Tall ‘Adas", "Ras al-ʿAyn").
    let name = r"(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[‘'ʿʻ]?(?-i:[A-Z])[\w'’]*(?:[\s-](?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[‘'ʿʻ]?(?-i:[A-Z])[\w'’]*){0,2}";
    crate::pattern::compile(&format!(
        r"(?i)(?:\b(?:villages?|towns?|hamlets?|settlements?|areas?|neighbou?rhoods?|localities)\s+of|\b(?:suburbs|outskirts|areas|villages|towns|districts|neighbou?rhoods|parts|countryside)\s+(?:of|around|near)\s+(?:(?:al|el|ad|ar|as|ash)-)?(?-i:[A-Z])[\w'’-]+,?\s+including|\b(?:recaptur(?:ed|ing)|captur(?:ed|ing)|retook|retaken|liberat(?:ed|ing)|seiz(?:ed|ing)|overr(?:an|un)|stormed|entered|(?:took|taken|gained|regained|restored|established|extended) (?:full |complete )?control (?:over|of))(?:\s+the)?)\s+((?:{name})(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:{name}))+)"
    ))
    .expect("valid pattern")
});

/// Between a list of villages and the place it is told against: ", west
/// of ", " near ", " in the countryside of ".
static VILLAGES_NEAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*,?\s*(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|near|outside|around|in\s+the\s+countryside\s+of|in(?:\s+the)?\s+(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?(?:countryside|outskirts|area|district)\s+of|in)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$")
        .expect("valid pattern")
});

static LIST_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"\s*,\s*(?:and\s+)?|\s+and\s+").expect("valid pattern")
});

/// One incident for each village of a list the gazetteer lacks ("shelling
/// of the villages of A, B and C near Tal Tamr"): each is its own event,
/// kept at the place the incident has, marked "place not found" with the
/// name as written, at precision 2, for an analyst to place.
fn split_unknown_villages(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    s: &Sentence,
    found: Vec<Incident>,
) -> Vec<Incident> {
    let Some(base) = found.first().cloned() else {
        return found;
    };
    let sentence = &ctx.text[s.start..s.end];
    let Some(caps) = NAMED_LIST.captures(sentence) else {
        return found;
    };
    let (Some(whole), Some(list)) = (caps.get(0), caps.get(1)) else {
        return found;
    };
    // "the villages of A and B, west of Markada": the known place the list
    // is told against is where its villages are, near enough (precision 2).
    let list_end = s.start + list.end();
    let first_after = ctx.matches.partition_point(|m| m.start < list_end);
    let near = ctx.matches.get(first_after).filter(|m| {
        m.end <= s.end
            && m.start - list_end <= 48
            && VILLAGES_NEAR.is_match(&ctx.text[list_end..m.start])
            && is_specific(&gaz.entries()[m.entry])
    });
    // "a pipeline between the villages of A and B": the two name the ends
    // of one stretch, where one event happened, not two places of events.
    let before = sentence[..whole.start()].trim_end().to_lowercase();
    if before.ends_with("between") || before.ends_with("between the") {
        return found;
    }
    let mut out = found;
    let mut pos = list.start();
    let mut names: Vec<(usize, usize)> = Vec::new();
    for sep in LIST_SEPARATOR.find_iter(list.as_str()) {
        names.push((pos, list.start() + sep.start()));
        pos = list.start() + sep.end();
    }
    names.push((pos, list.end()));
    for (a, b) in names {
        let (ds, de) = (s.start + a, s.start + b);
        let name = sentence[a..b].trim();
        let first = name
            .split([' ', '-'])
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        // A force, a person or a people is no village ("captured Abu Khawla
        // and …", "Arab and Kurdish areas").
        if name.is_empty()
            || overlaps_match(&ctx.matches, ds, de)
            || actors::find_actors(name).iter().any(|x| x.end > x.start)
            || gazetteer::CALENDAR_WORDS.contains(&name.to_lowercase().as_str())
            || NOT_PLACE_WORDS.contains(&first.as_str())
            || DEMONYMS.iter().any(|(adj, _)| name.starts_with(adj))
            || ["tal", "tall", "tell"].contains(&name.to_lowercase().as_str())
        {
            continue;
        }
        // The sentence's first event may already stand for this village.
        if let Some(k) = out
            .iter()
            .position(|i| i.place.not_found.as_deref() == Some(name))
        {
            let near_id = near.map(|m| gaz.entries()[m.entry].id.as_str());
            if near_id.is_none() || k != 0 || out[0].place.gazetteer_id.as_deref() == near_id {
                continue;
            }
            // It is told at the place it names; the village, near the place
            // the list is told against, is an incident of its own.
            out[0].place.not_found = None;
            out[0].why.retain(|w| !w.starts_with("place not found:"));
        }
        let mut copy = base.clone();
        copy.id = incident_id(
            &format!("{}#{}", doc.id, name),
            base.sources[0].start,
            base.sources[0].end,
            base.event_type,
        );
        copy.place.not_found = Some(name.to_string());
        copy.place.name = name.to_string();
        copy.geo_precision = copy.geo_precision.max(2);
        if let Some(src) = copy.sources.first_mut() {
            src.place = Some(doc.display().original_span(ds, de));
        }
        let kept_at = match near {
            Some(m) => {
                let e = &gaz.entries()[m.entry];
                copy.lon = e.lon;
                copy.lat = e.lat;
                copy.place.canonical = e.name.clone();
                copy.place.gazetteer_id = Some(e.id.clone());
                copy.why.retain(|w| !w.starts_with("place:"));
                format!("near {}, which the text names after the list,", e.name)
            }
            None => format!("at {}", base.place.canonical),
        };
        copy.why.retain(|w| !w.starts_with("place not found:"));
        copy.why.push(format!(
            "place not found: “{name}”, one of a list of villages, is not in the gazetteer; kept {kept_at} until an analyst places it"
        ));
        out.push(copy);
    }
    out
}

fn members_repeat(out: &[Incident], id: &str) -> bool {
    out.iter()
        .any(|i| i.place.gazetteer_id.as_deref() == Some(id))
}

/// Incidents of one document before merging, in text order.
/// A document longer than this is read in sections of about this size, each
/// starting at a paragraph, side by side on every core. What one section
/// reports (its last date, its places, the events told so far) does not carry
/// into the next: so long a text is a compilation of many reports, and the
/// bound keeps the look-backs over earlier events linear in the document.
const SECTION_BYTES: usize = 256 * 1024;

/// The sentences to read, cut into sections of at least [`SECTION_BYTES`]
/// that start at a paragraph (or at any sentence, in a paragraph twice that
/// long).
fn sections<'s>(sentences: &[&'s Sentence]) -> Vec<Vec<&'s Sentence>> {
    let mut out: Vec<Vec<&Sentence>> = vec![Vec::new()];
    let mut section_start = sentences.first().map_or(0, |s| s.start);
    let mut last_paragraph = None;
    for s in sentences {
        let read = s.start - section_start;
        if (read >= 2 * SECTION_BYTES
            || (last_paragraph != Some(s.paragraph) && read >= SECTION_BYTES))
            && out.last().is_some_and(|l| !l.is_empty())
        {
            out.push(Vec::new());
            section_start = s.start;
        }
        last_paragraph = Some(s.paragraph);
        if let Some(section) = out.last_mut() {
            section.push(s);
        }
    }
    out
}

/// Compiles the largest patterns of the extractor ahead of the first
/// document, so that a caller can do it alongside other start-up work (the
/// gazetteer, the map data, the window). Idempotent and cheap once done.
pub fn warm_up() {
    triggers::compile_rules();
}

/// The reports of one document, not yet merged with each other or with
/// other documents' (see [`extract_all`], which merges; a long document's
/// sections come merged each, see [`SECTION_BYTES`]).
pub fn extract_reports(doc: &Document, gaz: &Gazetteer) -> Vec<Incident> {
    use rayon::prelude::*;
    let ctx = doc_context(doc, gaz);
    let live: Vec<&Sentence> = ctx.sentences.iter().filter(|s| !s.excluded).collect();
    let sections = sections(&live);
    if sections.len() == 1 {
        return fold_coarse_repeats(gaz, read_section(doc, gaz, &ctx, &live));
    }
    // Each section's repeated reports are merged where it is read, so the
    // merge of the whole document has only what the sections could not join.
    sections
        .par_iter()
        .flat_map_iter(|section| {
            merge_incidents(fold_coarse_repeats(
                gaz,
                read_section(doc, gaz, &ctx, section),
            ))
        })
        .collect()
}

/// How many reports apart a lead told at a governorate or country and its
/// telling at a town inside it may stand.
const FOLD_REACH: usize = 4;

/// Words that spread a report over many places ("in several provinces",
/// "across the country").
static SPREAD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)\b(?:several|various|multiple|different|many|numerous|(?:a|the) number of|across(?: the)?)\s+(?:\w+\s+)?(?:provinces|governorates|areas|regions|cities|towns|parts|districts|country|locations|sites)\b",
    )
    .expect("valid pattern")
});

/// An opening that tells another event than the one before.
static ANOTHER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^\W*(?:separately|elsewhere|meanwhile|also|in (?:an)?other (?:incident|attack|development|operation)|in a separate (?:incident|attack|operation|development))\b",
    )
    .expect("valid pattern")
});

/// The area a broadly placed report stands for: a country and, within it,
/// perhaps a governorate.
#[derive(PartialEq)]
struct BroadArea<'a> {
    country: Option<&'a str>,
    admin1: Option<&'a str>,
}

impl BroadArea<'_> {
    /// Whether the gazetteer place lies in the area.
    fn holds(&self, place: &GazEntry) -> bool {
        self.country.is_some()
            && place.country.as_deref() == self.country
            && (self.admin1.is_none() || place.admin1.as_deref() == self.admin1)
    }
}

/// A report told at a governorate or a country and, a few reports away, the
/// same kind of event at a place inside it on a date that agrees ("Iraqi
/// forces in Anbar arrested 14 suspects …" and "… were detained in
/// Fallujah"): one event, told first broadly and then exactly. The broad
/// report joins the exact one, which keeps its place. Reports at two exact
/// places stay two events, as do two broad ones.
fn fold_coarse_repeats(gaz: &Gazetteer, reports: Vec<Incident>) -> Vec<Incident> {
    let entry = |inc: &Incident| {
        inc.place
            .gazetteer_id
            .as_deref()
            .and_then(|id| gaz.by_id(id))
    };
    // A governorate, a country, or the town of the dateline standing in for
    // a place the sentence does not name more closely.
    let broad = |inc: &Incident| -> Option<BroadArea<'_>> {
        if inc.place.not_found.is_some() {
            return None;
        }
        let e = entry(inc)?;
        match e.kind {
            PlaceKind::Country => Some(BroadArea {
                country: Some(e.country.as_deref().unwrap_or(&e.name)),
                admin1: None,
            }),
            PlaceKind::Governorate => Some(BroadArea {
                country: e.country.as_deref(),
                admin1: e.admin1.as_deref(),
            }),
            _ if inc.why.iter().any(|w| w.contains(FROM_DATELINE)) && e.admin1.is_some() => {
                Some(BroadArea {
                    country: e.country.as_deref(),
                    admin1: e.admin1.as_deref(),
                })
            }
            _ => None,
        }
    };
    let coarse = |inc: &Incident| broad(inc).is_some();
    // "IEDs in several provinces wounded 11": a tally of many events, not
    // the lead of one.
    let tally = |inc: &Incident| inc.sources.iter().any(|s| SPREAD.is_match(&s.quote));
    // "Separately, …", "In another incident, …": the writer says it is another event.
    let another = |inc: &Incident| inc.sources.iter().any(|s| ANOTHER.is_match(&s.quote));
    let dates_agree = |a: &Incident, b: &Incident| match (a.date, b.date) {
        (Some(x), Some(y)) => x.overlaps(&y),
        _ => true,
    };
    let mut target: Vec<Option<usize>> = vec![None; reports.len()];
    for (i, lead) in reports.iter().enumerate() {
        if tally(lead) || another(lead) {
            continue;
        }
        let Some(area) = broad(lead) else { continue };
        let lo = i.saturating_sub(FOLD_REACH);
        let hi = (i + FOLD_REACH + 1).min(reports.len());
        target[i] = (lo..hi)
            .filter(|&j| j != i)
            .filter(|&j| {
                let exact = &reports[j];
                exact.event_type == lead.event_type
                    && !coarse(exact)
                    && !another(exact)
                    && dates_agree(exact, lead)
                    && entry(exact).is_some_and(|e| area.holds(e))
            })
            .min_by_key(|&j| j.abs_diff(i));
    }
    let mut out: Vec<Option<Incident>> = reports.into_iter().map(Some).collect();
    for (i, t) in target.iter().enumerate() {
        let Some(j) = *t else { continue };
        // A broad report folds only into an exact one that stays.
        if target[j].is_some() {
            continue;
        }
        if let Some(broad) = out[i].take()
            && let Some(exact) = out[j].as_mut()
        {
            exact.why.push(format!(
                "also told at {} ({}), the area it lies in",
                broad.place.canonical, broad.place.name
            ));
            fold_report(exact, broad);
        }
    }
    out.into_iter().flatten().collect()
}

/// The incidents the sentences of one section report, in order.
/// A clause of time that opens a second event: "…, since the city was
/// recaptured from the group in July 2017".
static TIME_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)(?:,\s*|\s)(?:ever since|since|after|following|before)\s")
        .expect("valid pattern")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\b(?:19[5-9]\d|20\d\d)\b").expect("valid pattern"));

/// A sentence that reports one event and, in a clause of time with a year of
/// its own, an earlier or later event of another type is read as two: the
/// clause is its own report ("Thousands of suspects were arrested, since the
/// city was recaptured in July 2017": arrests, and the recapture of 2017).
fn split_time_clause(text: &str, s: &Sentence) -> Vec<Sentence> {
    if s.heading || s.excluded {
        return vec![*s];
    }
    let sentence = &text[s.start..s.end];
    let news = |part: &str| -> Vec<EventType> {
        let has_actor = !actors::find_actors(part).is_empty();
        triggers::find_triggers(part, has_actor)
            .into_iter()
            .map(|t| t.event_type)
            .filter(|t| *t != EventType::Statement)
            .collect()
    };
    for m in TIME_CLAUSE.find_iter(sentence) {
        let (head, clause) = (&sentence[..m.start()], &sentence[m.start()..]);
        let opening = m.as_str();
        let keyword = m.start()
            + (opening.len()
                - opening
                    .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
                    .len());
        if !YEAR.is_match(clause) || head.split_whitespace().count() < 4 {
            continue;
        }
        let (a, b) = (news(head), news(clause));
        if !a.is_empty() && b.iter().any(|t| !a.contains(t)) {
            return vec![
                Sentence {
                    end: s.start + head.trim_end().len(),
                    ..*s
                },
                Sentence {
                    start: s.start + keyword,
                    ..*s
                },
            ];
        }
    }
    vec![*s]
}

/// A span of months or years that a sentence sums up: "in recent months",
/// "over the past two years", "in recent weeks".
static TREND_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:in|over|during|throughout)\s+(?:the\s+)?(?:recent|past|last)\s+(?:(?:few|several|two|three|four|six|\d+)\s+)?(?:weeks|months|years)\b|\bin\s+recent\s+(?:weeks|months|years)\b|\bfor\s+(?:months|years)\b")
        .expect("valid pattern")
});

fn read_section(
    doc: &Document,
    gaz: &Gazetteer,
    ctx: &DocContext<'_>,
    sentences: &[&Sentence],
) -> Vec<Incident> {
    let split: Vec<Sentence> = sentences
        .iter()
        .flat_map(|s| split_time_clause(ctx.text, s))
        .collect();
    let sentences: Vec<&Sentence> = split.iter().collect();
    let mut out: Vec<Incident> = Vec::new();
    let mut prev: Option<(usize, Vec<Candidate>)> = None;
    // Date of the last event reported (to the day), and the paragraph of the
    // last sentence that reported one.
    let mut anchor: Option<PartialDate> = None;
    // The day of the first event the text reports to the day: its lead, which
    // the undated details that follow belong to.
    let mut lead_day: Option<PartialDate> = None;
    let mut last_reported: Option<usize> = None;
    // The sentence whose incidents were pushed last, and where they begin.
    let mut last_told: Option<(usize, usize)> = None;
    // The specific places of the last sentence that named one, and its number.
    let mut recent: (usize, Vec<Candidate>) = (0, Vec::new());
    // A page of dated entries (a blog, a daily roundup): each heading that
    // gives a day dates the entry under it. One dated heading is the
    // article's own date line, and its news keeps the month (see the guide).
    let heading_day = |s: &Sentence| -> Option<PartialDate> {
        let line = &ctx.text[s.start..s.end];
        if !s.heading || line.len() > 120 {
            return None;
        }
        dates::find_dates(line, None)
            .into_iter()
            .filter(|d| d.precision == TimePrecision::Day && d.shift_days.is_none())
            .find_map(|d| d.date)
    };
    let heading_days: Vec<Option<PartialDate>> = sentences.iter().map(|s| heading_day(s)).collect();
    let dated_entries = heading_days
        .iter()
        .flatten()
        .collect::<std::collections::HashSet<_>>()
        .len()
        >= 2;
    for (n, &s) in sentences.iter().enumerate() {
        if dated_entries && let Some(day) = heading_days[n] {
            anchor = Some(day);
            lead_day = Some(day);
        }
        let named = sentence_places(ctx, gaz, s);
        // "- 16 June: … in Fallujah. - 17 June: gunmen attacked a checkpoint
        // in the Mutaibijah area": an item of a list is an event of its own,
        // not at the place of the item before.
        let item = is_list_item(ctx.text, s);
        let after_item = |k: usize| item && k < n && is_list_item(ctx.text, sentences[k]);
        let recent_places: &[Candidate] =
            if n.saturating_sub(recent.0) <= RECENT_SENTENCES && !after_item(recent.0) {
                &recent.1
            } else {
                &[]
            };
        let prev_places: Vec<Candidate> = match &prev {
            Some((para, places)) if *para == s.paragraph && !(n > 0 && after_item(n - 1)) => {
                places.clone()
            }
            _ => Vec::new(),
        };
        if !s.heading {
            let sentence = &ctx.text[s.start..s.end];
            let has_actor = !actors::find_actors(sentence).is_empty();
            let mut all = triggers::find_triggers(sentence, has_actor);
            // "The envoy condemned the suicide attacks that took place
            // around Baghdad": an event the text has not told before is
            // reported by the condemnation of it.
            let condemned: Vec<triggers::Trigger> =
                triggers::condemned_events(sentence, has_actor, &all)
                    .into_iter()
                    .filter(|t| !out.iter().any(|o| o.event_type == t.event_type))
                    .collect();
            if !condemned.is_empty() {
                all.extend(condemned);
                all.sort_by_key(|t| t.start);
            }
            // "The withdrawal came as part of an agreement reached in 2024":
            // the subject names an event told before; the sentence's news is
            // the other event it reports.
            // "The clashes broke out in Hajin": a definite event at a place
            // of its own is news, not the one told before elsewhere.
            let own_places: Vec<usize> = named
                .iter()
                .filter(|c| is_specific(&gaz.entries()[c.entry]))
                .map(|c| c.entry)
                .collect();
            let told_before = |t: &triggers::Trigger| {
                triggers::opens_as_definite(sentence, t.start)
                    && out.iter().any(|o| {
                        o.event_type == t.event_type
                            && (own_places.is_empty()
                                || own_places.iter().any(|&e| {
                                    gaz.entries()[e].id
                                        == o.place.gazetteer_id.as_deref().unwrap_or("")
                                }))
                    })
            };
            // "The group received the blame for Tuesday's attack", "Under the
            // agreement, …": a sentence naming no place whose only events are
            // ones told before adds nothing new.
            let known = |t: &triggers::Trigger| {
                triggers::refers_back(sentence, t.start)
                    && out.iter().any(|o| o.event_type == t.event_type)
            };
            let news: Vec<&triggers::Trigger> = all
                .iter()
                .filter(|t| t.event_type != EventType::Statement)
                .collect();
            if named.is_empty() && !news.is_empty() && news.iter().all(|t| known(t)) {
                all.clear();
            }
            if all.iter().any(told_before)
                && all.iter().any(|t| {
                    !told_before(t)
                        && t.event_type != EventType::Statement
                        && !triggers::is_casualty_word(&sentence[t.start..t.end])
                })
            {
                all.retain(|t| !told_before(t));
            }
            if let Some(end) = triggers::background_opening(sentence, &all) {
                all.retain(|t| t.start >= end);
            }
            let is_toll =
                |t: &triggers::Trigger| triggers::is_casualty_word(&sentence[t.start..t.end]);
            let toll_only = all.iter().any(is_toll)
                && all
                    .iter()
                    .all(|t| t.event_type == EventType::Statement || is_toll(t));
            // "One fighter was killed.": the toll of the event just reported.
            let follow_up = toll_only
                && !AGENT_OPENING.is_match(sentence)
                && named.is_empty()
                && last_reported == Some(s.paragraph)
                && dates::find_dates(sentence, None).is_empty();
            // The sentence's event is its highest-priority trigger; when that
            // one yields no incident (it has no place on this map: "Turkey
            // paused the offensive … under a deal agreed in Ankara"), the
            // next type's trigger is tried.
            let mut tried = all.clone();
            let mut found = Vec::new();
            let mut primary_used = None;
            while !follow_up && let Some(primary) = triggers::best_of_sentence(sentence, &tried) {
                found = sentence_incidents(
                    doc,
                    gaz,
                    ctx,
                    s,
                    &tried,
                    primary,
                    &prev_places,
                    recent_places,
                    anchor,
                    lead_day,
                );
                if !found.is_empty() {
                    primary_used = Some(primary);
                    break;
                }
                tried.retain(|t| t.event_type != primary.event_type);
            }
            // "On Sept. 25, Coalition forces conducted 40 strikes … • Near
            // Raqqa, …": a sentence followed by a list, and the day it states.
            let introduces_list = !is_list_item(ctx.text, s)
                && sentences[n + 1..]
                    .iter()
                    .take(3)
                    .any(|s| is_list_item(ctx.text, s));
            let own_day = introduces_list
                .then(|| {
                    dates::find_dates(sentence, doc.meta.date)
                        .into_iter()
                        .filter(|d| d.precision == TimePrecision::Day && d.shift_days.is_none())
                        .filter(|d| {
                            !overlaps_span(&ctx.datelines, s.start + d.start, s.start + d.end)
                        })
                        .find_map(|d| d.date)
                })
                .flatten();
            let told_from = out.len();
            if let Some(primary) = primary_used {
                let found: Vec<Incident> = found
                    .into_iter()
                    .flat_map(|inc| split_list(doc, gaz, ctx, s, inc))
                    .collect();
                let mut found = split_unknown_villages(doc, gaz, ctx, s, found);
                // "ISIS has suffered setbacks in recent months, having to
                // retreat from … Iraq and Syria": a trend over months, told
                // of whole countries, is no one event.
                if TREND_SPAN.is_match(sentence)
                    && found.iter().all(|i| {
                        i.place
                            .gazetteer_id
                            .as_deref()
                            .is_some_and(|g| g.starts_with("country:"))
                    })
                    && dates::find_dates(sentence, doc.meta.date)
                        .iter()
                        .all(|d| d.precision == TimePrecision::Year || d.date.is_none())
                {
                    found.clear();
                }
                for inc in found {
                    let trigger = all
                        .iter()
                        .find(|t| t.event_type == inc.event_type)
                        .copied()
                        .unwrap_or(primary);
                    // "these assaults", "this withdrawal": a reference back to
                    // an event reported before, or to none this text reports.
                    if triggers::is_anaphoric(sentence, trigger.start)
                        && !out.iter().any(|o| o.event_type == inc.event_type)
                    {
                        continue;
                    }
                    if let Some(d) = inc.date.filter(|d| d.day.is_some()) {
                        anchor = Some(d);
                        // The lead of a list dates its items, whatever came
                        // before.
                        if own_day.is_some() {
                            lead_day = Some(d);
                        }
                        lead_day.get_or_insert(d);
                    }
                    last_reported = Some(s.paragraph);
                    // "The ambush took place … on Tuesday evening": the date of
                    // an event first reported without one.
                    if inc.date.is_some()
                        && triggers::is_definite(sentence, trigger.start)
                        && let Some(earlier) = out.iter_mut().rev().find(|o| {
                            o.event_type == inc.event_type
                                && o.place.gazetteer_id == inc.place.gazetteer_id
                                && o.date.is_none()
                        })
                    {
                        earlier.date = inc.date;
                        earlier.date_text = inc.date_text;
                        earlier.time_precision = inc.time_precision;
                        for actor in inc.actors {
                            if !earlier.actors.contains(&actor) {
                                earlier.actors.push(actor);
                            }
                        }
                        earlier.sources.extend(inc.sources);
                        continue;
                    }
                    out.push(inc);
                }
            } else if all.iter().any(|t| t.event_type != EventType::Statement)
                && let Some(day) = own_day
            {
                // "On Sept. 25, Coalition forces conducted 40 strikes in Syria
                // and Iraq. • Near Raqqa, …": a summary placed nowhere on this
                // map still dates the list of items it introduces.
                anchor = Some(day);
                lead_day = Some(day);
            }
            if out.len() > told_from {
                last_told = Some((n, told_from));
            } else if primary_used.is_none()
                && AREAS_LISTED.is_match(sentence)
                && let Some((k, from)) = last_told
                && k + 1 == n
                && sentences[k].paragraph == s.paragraph
                && out[from..]
                    .iter()
                    .all(|o| o.sources[0].place.is_none() || o.geo_precision == 3)
            {
                let moved = places_listed_after(doc, gaz, ctx, s, &named, &out[from..]);
                if !moved.is_empty() {
                    out.truncate(from);
                    out.extend(moved);
                }
            }
        }
        let specific: Vec<Candidate> = named
            .iter()
            .filter(|c| is_specific(&gaz.entries()[c.entry]))
            .copied()
            .collect();
        if !specific.is_empty() {
            recent = (n, specific);
        }
        let carried = if named.is_empty() { prev_places } else { named };
        prev = Some((s.paragraph, carried));
    }
    out
}

/// The nearest char boundary at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    (0..=i.min(text.len()))
        .rev()
        .find(|&k| text.is_char_boundary(k))
        .unwrap_or(0)
}

/// The nearest char boundary at or after `i`.
fn ceil_boundary(text: &str, i: usize) -> usize {
    (i.min(text.len())..=text.len())
        .find(|&k| text.is_char_boundary(k))
        .unwrap_or(text.len())
}

/// Whether a sentence opens an item of a list ("• Near Raqqa, …", "- Hajin:
/// …"): its line starts with a bullet.
fn is_list_item(text: &str, s: &Sentence) -> bool {
    // The bullet stands just before the sentence (which starts after it):
    // only the few bytes before it are looked at.
    let from = floor_boundary(text, s.start.saturating_sub(16));
    let line_start = match text[from..s.start].rfind('\n') {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let opening = text[line_start..s.end].trim_start();
    ['•', '-', '*', '◆', '–', '▪']
        .iter()
        .any(|b| opening.starts_with(*b))
}

/// Extracts the incidents of one document, merging repeated reports of the
/// same event within it.
pub fn extract_document(doc: &Document, gaz: &Gazetteer) -> Vec<Incident> {
    merge_incidents(extract_reports(doc, gaz))
}

/// Extracts every document, then merges reports of the same event across
/// documents into one incident with several sources.
pub fn extract_all(docs: &[Document], gaz: &Gazetteer) -> Vec<Incident> {
    use rayon::prelude::*;
    let all: Vec<Incident> = docs
        .par_iter()
        .flat_map_iter(|d| extract_reports(d, gaz))
        .collect();
    merge_incidents(all)
}

/// A place named in a document, in ORIGINAL byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    /// Start byte in the original file.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Index into the gazetteer's entries.
    pub entry: usize,
    /// Why this entry was chosen when several share the name.
    pub reason: Option<String>,
}

/// Every place the document names outside excluded blocks, after resolution
/// among entries of the same name.
pub fn place_mentions(doc: &Document, gaz: &Gazetteer) -> Vec<PlaceMention> {
    let ctx = doc_context(doc, gaz);
    ctx.matches
        .iter()
        .zip(&ctx.reasons)
        .map(|(m, r)| {
            let (start, end) = doc.display().original_span(m.start, m.end);
            PlaceMention {
                start,
                end,
                entry: m.entry,
                reason: r.clone(),
            }
        })
        .collect()
}

/// Highlights for the viewer: every place named outside excluded blocks, and
/// the sentences behind the given incidents, in original offsets.
pub fn annotate_document(
    doc: &Document,
    gaz: &Gazetteer,
    incidents: &[Incident],
) -> DocAnnotations {
    let ctx = doc_context(doc, gaz);
    let places = ctx
        .matches
        .iter()
        .map(|m| {
            let (s, e) = doc.display().original_span(m.start, m.end);
            (s, e, m.entry)
        })
        .collect();
    let mut sentences: Vec<(usize, usize, String)> = incidents
        .iter()
        .flat_map(|i| {
            i.sources
                .iter()
                .filter(|s| s.doc == doc.id)
                .map(move |s| (s.start, s.end, i.id.clone()))
        })
        .collect();
    sentences.sort();
    DocAnnotations { places, sentences }
}

/// An incident an analyst adds by selecting `start..end` (ORIGINAL byte
/// offsets) in a document: place, date and actors are read from the selection
/// (falling back to the sentence around it and then the document's main
/// country); the type is the one given or the one its words suggest.
pub fn incident_from_selection(
    doc: &Document,
    gaz: &Gazetteer,
    start: usize,
    end: usize,
    event_type: Option<EventType>,
) -> Option<Incident> {
    let ctx = doc_context(doc, gaz);
    let (ds, de) = doc.display().display_span(start, end);
    if ds >= de {
        return None;
    }
    let selection = &ctx.text[ds..de];
    let lead = selection.len() - selection.trim_start().len();
    let s = Sentence {
        start: ds + lead,
        end: ds + lead + selection.trim().len(),
        paragraph: 0,
        heading: false,
        excluded: false,
    };
    let sentence = &ctx.text[s.start..s.end];
    let found = triggers::classify(sentence, true);
    let event_type = event_type
        .or(found.map(|t| t.event_type))
        .unwrap_or(EventType::Other);
    let trigger = found
        .filter(|t| t.event_type == event_type)
        .unwrap_or(triggers::Trigger {
            event_type,
            start: 0,
            end: 0,
        });
    let trigger = triggers::Trigger {
        event_type,
        ..trigger
    };
    // Places of the sentence around the selection serve as fallback.
    let around: Vec<Candidate> = ctx
        .sentences
        .iter()
        .filter(|x| x.start <= s.start && s.start < x.end.max(x.start + 1))
        .flat_map(|x| sentence_places(&ctx, gaz, x))
        .collect();
    let mut incident = build_incident(
        doc,
        gaz,
        &ctx,
        &s,
        trigger,
        &Scope::whole(&s, &around, &[], None),
        Origin::Analyst,
    )?;
    incident.id = format!("a{}", &incident_id(&doc.id, start, end, event_type)[1..]);
    incident.confidence = 1.0;
    Some(incident)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{document_from_bytes, seed_documents};
    use crate::incidents::PartialDate;
    use proptest::prelude::*;

    /// The gazetteer the app ships, built once for all tests.
    fn embedded() -> &'static Gazetteer {
        static GAZ: LazyLock<Gazetteer> =
            LazyLock::new(|| crate::corpus::gazetteer_for(&crate::geodata::DataSource::Embedded).0);
        &GAZ
    }

    fn doc(name: &str, text: &str) -> Document {
        document_from_bytes(name, text.as_bytes()).unwrap()
    }

    #[test]
    fn extracts_an_unseen_report_with_provenance() {
        let d = doc(
            "report.md",
            "Clashes near Raqqa\n\nPublished: March 3, 2025\n\nIS fighters attacked an army checkpoint near [Al-Mayadin](https://example.org/Damascus) on Sunday, killing four soldiers. Separately, Iraqi forces deployed reinforcements along the Syrian border.\n\nRelated\n\nClashes in Abu Kamal leave ten dead.\n",
        );
        let gaz = builtin_gazetteer();
        let incidents = extract_document(&d, &gaz);
        assert_eq!(incidents.len(), 2, "{incidents:#?}");
        let attack = &incidents[0];
        assert_eq!(attack.event_type, EventType::Attack);
        assert_eq!(attack.place.gazetteer_id.as_deref(), Some("place:mayadin"));
        assert_eq!(attack.geo_precision, 2, "near X");
        assert_eq!(attack.date, PartialDate::parse("2025-03-02"));
        assert_eq!(attack.actors, ["Islamic State"]);
        let src = &attack.sources[0];
        assert_eq!(&d.raw[src.start..src.end], src.quote);
        assert_eq!(&d.raw[src.trigger.0..src.trigger.1], "attacked");
        let (ps, pe) = src.place.unwrap();
        assert_eq!(&d.raw[ps..pe], "Al-Mayadin");
        let deploy = &incidents[1];
        assert_eq!(deploy.event_type, EventType::Deployment);
        assert_eq!(
            deploy.place.gazetteer_id.as_deref(),
            Some(gazetteer::BORDER_ID)
        );
        assert!(
            !incidents
                .iter()
                .any(|i| i.place.gazetteer_id.as_deref() == Some("place:abu-kamal")),
            "related block ignored"
        );
        assert!(
            !incidents
                .iter()
                .any(|i| i.place.gazetteer_id.as_deref() == Some("place:damascus")),
            "link targets ignored"
        );
    }

    #[test]
    fn without_publication_date_relative_dates_stay_relative() {
        let d = doc(
            "a.txt",
            "The SDF said that heavy fighting broke out near Al-Shaddadi on Sunday.",
        );
        let incidents = extract_document(&d, &builtin_gazetteer());
        assert_eq!(incidents[0].event_type, EventType::Clash);
        assert_eq!(incidents[0].date, None);
        assert_eq!(incidents[0].time_precision, TimePrecision::Relative);
        assert_eq!(incidents[0].date_text.as_deref(), Some("on Sunday"));
    }

    #[test]
    fn capitals_as_governments_are_not_places() {
        let d = doc(
            "b.txt",
            "Baghdad confirmed that coalition advisers have completed their withdrawal from Iraqi bases.\n\nTalks were held in Damascus on the pipeline closure and the deal.",
        );
        let incidents = extract_document(&d, &builtin_gazetteer());
        assert_eq!(incidents[0].event_type, EventType::Withdrawal);
        assert_eq!(
            incidents[0].place.gazetteer_id.as_deref(),
            Some("country:irq")
        );
        assert_eq!(
            incidents[1].place.gazetteer_id.as_deref(),
            Some("place:damascus")
        );
    }

    #[test]
    fn ids_are_stable_and_quotes_match_original_bytes_for_seeds() {
        let gaz = builtin_gazetteer();
        let docs = seed_documents();
        let a = extract_all(&docs, &gaz);
        let b = extract_all(&docs, &gaz);
        assert_eq!(a, b);
        assert!(!a.is_empty());
        for i in &a {
            for s in &i.sources {
                let d = docs.iter().find(|d| d.id == s.doc).unwrap();
                assert_eq!(d.raw[s.start..s.end].trim(), s.quote, "{}", i.id);
                assert!(s.trigger.0 >= s.start && s.trigger.1 <= s.end);
                assert!(!s.quote.contains("RECOMMENDED"));
            }
        }
    }

    #[test]
    fn reports_in_two_documents_merge() {
        let gaz = builtin_gazetteer();
        let d1 = doc(
            "one.txt",
            "The SDF reported heavy fighting near Al-Shaddadi on October 3, 2025.",
        );
        let d2 = doc(
            "two.txt",
            "Fierce clashes erupted around Al-Shaddadi on 3 October 2025, the SDF said.",
        );
        let all = extract_all(&[d1, d2], &gaz);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].sources.len(), 2);
        assert_eq!(all[0].sources[1].doc, "two.txt");
    }

    #[test]
    fn dateline_place_and_date_belong_to_the_report() {
        let gaz = builtin_gazetteer();
        let d = doc(
            "wire.txt",
            "Bomb hits convoy\n\nRAMADI, Iraq, Oct 14, 2025 (Wire) - A roadside bomb struck an army convoy near Rutbah on Monday, killing two soldiers.\n",
        );
        assert_eq!(d.meta.date, chrono::NaiveDate::from_ymd_opt(2025, 10, 14));
        let incidents = extract_document(&d, &gaz);
        assert_eq!(incidents.len(), 1, "{incidents:#?}");
        assert_eq!(incidents[0].event_type, EventType::Attack);
        assert_eq!(
            incidents[0].place.gazetteer_id.as_deref(),
            Some("place:rutba")
        );
        assert_eq!(incidents[0].date, PartialDate::parse("2025-10-13"));
    }

    #[test]
    fn clauses_reporting_different_events_give_one_incident_each() {
        let gaz = builtin_gazetteer();
        let d = doc(
            "two.txt",
            "Published: November 25, 2025\n\nIraqi authorities closed the Al-Qaim border crossing on Monday, a day after an airstrike hit militia positions near Abu Kamal.\n\nOn January 20, coalition advisers withdrew from Ain al-Asad Air Base, and Iraqi troops took over the base the same day.\n",
        );
        let incidents = extract_document(&d, &gaz);
        let got: Vec<(EventType, &str, Option<String>)> = incidents
            .iter()
            .map(|i| {
                (
                    i.event_type,
                    i.place.gazetteer_id.as_deref().unwrap_or(""),
                    i.date.map(|d| d.to_string()),
                )
            })
            .collect();
        assert!(
            got.contains(&(
                EventType::Infrastructure,
                "place:al-qaim-border-crossing",
                Some("2025-11-24".into())
            )),
            "{got:?}"
        );
        // "a day after" Monday the 24th: the day before it.
        assert!(
            got.contains(&(
                EventType::Attack,
                "place:abu-kamal",
                Some("2025-11-23".into())
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                EventType::Withdrawal,
                "place:ain-al-asad-air-base",
                Some("2025-01-20".into())
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                EventType::Handover,
                "place:ain-al-asad-air-base",
                Some("2025-01-20".into())
            )),
            "{got:?}"
        );
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn places_referred_back_to_and_history_told_as_background() {
        let gaz = builtin_gazetteer();
        let d = doc(
            "back.txt",
            "Jan 12, 2026\n\nA drone struck a car near Haditha on Sunday.\n\nArmy units deployed to positions north of the town after the strike.\n\nIslamic State overran Haditha in 2014 and lost it in 2015.\n\nOne fighter was killed.\n",
        );
        let incidents = extract_document(&d, &gaz);
        assert_eq!(incidents.len(), 3, "{incidents:#?}");
        let deploy = &incidents[1];
        assert_eq!(deploy.event_type, EventType::Deployment);
        assert_eq!(deploy.place.gazetteer_id.as_deref(), Some("place:haditha"));
        assert_eq!(deploy.geo_precision, 2, "north of the town");
        // Dated background counts: the 2014 capture is an incident of 2014,
        // a clash (the capture of a town by force).
        let history = &incidents[2];
        assert_eq!(history.event_type, EventType::Clash);
        assert_eq!(history.date, PartialDate::parse("2014"));
        assert_eq!(history.place.gazetteer_id.as_deref(), Some("place:haditha"));
    }

    #[test]
    fn the_city_after_a_governorate_named_as_its_seat_is_the_seat() {
        // "Deir Ezzor" (the article fused on) is the city as much as the
        // governorate; "the city" after it is the seat, not the capital
        // named in the dateline.
        let found = kinds_and_places(
            "roundup.txt",
            "DAMASCUS, Sept. 8, 2017\n\nA convoy of 40 trucks reached a garrison on the \
             outskirts of Deir Ezzor on\nThursday, the governor of Deir Ezzor told state TV.\n\n\
             The delivery comes two days after Syrian troops and allied fighters breached\n\
             a three-year Islamic State siege of parts of the city.\n",
        );
        assert!(
            found.contains(&(EventType::Clash, "Deir ez-Zor".to_string())),
            "{found:?}"
        );
    }

    #[test]
    fn an_item_of_a_log_does_not_take_the_place_of_the_item_before() {
        let found = extract_document(
            &doc(
                "log.txt",
                "Security log: 14-20 June 2021\n\n\
                 Most incidents of the week were reported around Baghdad; Baghdad\n\
                 police raised their alert level.\n\n\
                 - 16 June: Security forces arrested four ISIS suspects in Fallujah.\n\
                 - 17 June: Unidentified gunmen attacked an army checkpoint in the Qarrat\n  \
                 Suwaydan area, wounding three soldiers.\n",
            ),
            embedded(),
        );
        let attack = found
            .iter()
            .find(|i| i.event_type == EventType::Attack)
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_ne!(attack.place.canonical, "Fallujah", "{attack:#?}");
    }

    #[test]
    fn towns_listed_in_eastern_deir_ez_zor_are_where_the_fighting_is() {
        let found = kinds_and_places(
            "tribes.txt",
            "Published: 9 August 2024\n\n\
             Tribal fighters attacked SDF positions in the towns of Dhiban and Al-Tayyana\n\
             in eastern Deir ez-Zor on Wednesday, sparking clashes that left 18 dead.\n",
        );
        for town in ["Dhiban", "Al-Tayyana"] {
            assert!(
                found.contains(&(EventType::Clash, town.to_string())),
                "{town}: {found:?}"
            );
        }
        assert!(
            !found.iter().any(|(_, p)| p == "Deir ez-Zor"),
            "the city is not where they fought: {found:?}"
        );
    }

    #[test]
    fn a_compass_part_of_a_region_is_drawn_in_that_part() {
        let text = "Regime and allies attack SDF in Deir Ezzor\n\n\
                    Published: 21 August 2024\n\n\
                    Militias attacked SDF bases in several towns in eastern Deir Ezzor province\n\
                    on Wednesday.\n\n\
                    Turkish jets struck targets in northern Iraq on Tuesday. A drone hit a car\n\
                    in western Anbar on Monday.\n";
        let found = extract_document(&doc("parts.txt", text), embedded());
        let gaz = embedded();
        let middle = |name: &str, kind: PlaceKind| {
            let e = gaz
                .entries()
                .iter()
                .find(|e| e.name == name && e.kind == kind)
                .unwrap_or_else(|| panic!("{name}"));
            (e.lon, e.lat)
        };
        let east = found
            .iter()
            .find(|i| i.sources[0].quote.contains("eastern Deir Ezzor"))
            .unwrap_or_else(|| panic!("{found:#?}"));
        let (glon, _) = middle("Deir ez-Zor", PlaceKind::Governorate);
        let (clon, _) = middle("Deir ez-Zor", PlaceKind::City);
        // The city up the river, named in the title, is in the west: not it.
        assert!(east.lon > glon + 0.2 && east.lon > clon + 0.3, "{east:#?}");
        assert!(east.lon < 41.5, "still in the governorate: {east:#?}");
        assert!(
            east.why.iter().any(|w| w.contains("eastern part")),
            "{:?}",
            east.why
        );
        let iraq = found
            .iter()
            .find(|i| i.place.canonical.contains("Iraq"))
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert!(iraq.lat > 35.0, "northern Iraq: {iraq:#?}");
        let anbar = found
            .iter()
            .find(|i| i.place.canonical == "Al-Anbar")
            .unwrap_or_else(|| panic!("{found:#?}"));
        let (alon, _) = middle("Al-Anbar", PlaceKind::Governorate);
        assert!(anbar.lon < alon - 0.5, "western Anbar: {anbar:#?}");
    }

    #[test]
    fn a_place_named_to_compare_is_not_where_it_happened() {
        let found = kinds_and_places(
            "wire.txt",
            "BAGHDAD, Feb 16, 2004 (AFP) -\n\n\
             In Tikrit, which like Samarra lies within an insurgency-dogged area, American\n\
             forces detained six Iraqis.\n",
        );
        assert_eq!(found, vec![(EventType::Seizure, "Tikrit".to_string())]);
    }

    #[test]
    fn a_country_and_its_neighbour_are_two_places() {
        let found = kinds_and_places(
            "wire.txt",
            "KIRKUK, Iraq, June 11, 2023 (AFP) -\n\n\
             The jihadists seized swathes of Iraq and neighbouring Syria in 2014.\n",
        );
        for country in ["Iraq", "Syria"] {
            assert!(
                found.contains(&(EventType::Clash, country.to_string())),
                "{country}: {found:?}"
            );
        }
    }

    #[test]
    fn a_town_told_with_its_governorate_after_a_comma_is_one_place() {
        let found = kinds_and_places(
            "release.txt",
            "TAMPA, Fla. - December 17, 2025\n\n\
             During a July raid in al-Bab, Aleppo Governorate, U.S. forces killed a senior\n\
             ISIS leader.\n",
        );
        assert_eq!(found, vec![(EventType::Attack, "Al-Bab".to_string())]);
        let listed = kinds_and_places(
            "list.txt",
            "Published: 3 May 2025\n\n\
             Drones struck positions in Hajin, Deir ez-Zor and Abu Kamal on Friday.\n",
        );
        assert!(
            listed.contains(&(EventType::Attack, "Deir ez-Zor".to_string())),
            "a list goes on past the city: {listed:?}"
        );
    }

    #[test]
    fn an_operation_told_by_its_arrests_is_the_arrests() {
        let found = kinds_and_places(
            "sdf.txt",
            "SDF media centre, 13 July 2022\n\n\
             Our forces, with the participation of the Internal Security Forces, launched an\n\
             operation to eliminate these cells in the al-Hasaka, al-Hol and Tal Brak regions,\n\
             arresting 12 terrorists and confiscating weapons:\n\
             1- 4 machine guns.\n\
             2- 2 pistols.\n",
        );
        assert!(
            found.contains(&(EventType::Seizure, "Al-Hol".to_string())),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Deployment),
            "the operation is the arrests: {found:?}"
        );
    }

    #[test]
    fn an_event_told_in_an_as_clause_is_one_of_its_own() {
        let text = "Weekly security report: 3 - 9 March 2017\n\n\
             * Civilians flee Hawija - This week, more than 4,000 IDPs fled Hawija, 55\n\
             kilometres south-west of Kirkuk, as Iraqi aircraft struck militant positions in\n\
             the town.\n";
        let found = extract_document(&doc("weekly.md", text), embedded());
        assert!(
            found
                .iter()
                .any(|i| i.event_type == EventType::Other && i.place.canonical == "Hawija"),
            "the flight: {found:?}"
        );
        assert_eq!(found.len(), 2, "{found:?}");
        let strikes = found
            .iter()
            .find(|i| i.event_type == EventType::Attack)
            .unwrap_or_else(|| panic!("the strikes: {found:?}"));
        use geo::{Distance as _, Geodesic, Point};
        let km = Geodesic.distance(
            Point::new(strikes.lon, strikes.lat),
            Point::new(43.77, 35.32),
        );
        assert!(km < 30_000.0, "the strikes are in the town: {strikes:?}");
    }

    #[test]
    fn a_town_told_in_the_area_of_its_governorate_is_the_town() {
        let found = kinds_and_places(
            "area.txt",
            "Published: 2 May 2025\n\n\
             A roadside bomb struck a patrol in Al-Bukamal in the Deir Ezzor area on\n\
             Friday, wounding three soldiers.\n",
        );
        assert!(
            found.contains(&(EventType::Attack, "Abu Kamal".to_string())),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(_, p)| p == "Deir ez-Zor"),
            "the city is 120 km up the river: {found:?}"
        );
    }

    #[test]
    fn a_killing_told_with_its_killers_is_no_toll_of_the_event_before() {
        let text = "Iraq daily: March 3, 2015\n\n\
                    In Abu Ghraib, a bomb wounded four soldiers. Gunmen killed a civilian.\n\n\
                    In Hawija, a bomb targeting an official wounded two guards. One guard\n\
                    later died.\n";
        let found = extract_document(&doc("daily.txt", text), embedded());
        let cites = |quote: &str| {
            found.iter().any(|i| {
                i.event_type == EventType::Attack && i.sources.iter().any(|s| s.quote == quote)
            })
        };
        assert!(cites("Gunmen killed a civilian."), "{found:#?}");
        // "One guard later died." is the toll of the Hawija bomb.
        assert!(!cites("One guard\nlater died."), "{found:#?}");
    }

    #[test]
    fn a_part_of_a_capital_is_in_the_capital_and_a_siege_word_before_a_name_is_no_battle() {
        let found = kinds_and_places(
            "roundup.txt",
            "SECURITY ROUNDUP - 12 November 2017\n\n\
             Heavy shelling by government forces killed a boy in Kafr Batna, in\n\
             besieged Eastern Ghouta. On November 6, a police patrol was attacked\n\
             in northern Baghdad. The al-Asad air base in western Iraq, which houses\n\
             US troops, was hit by at least two rockets. Russian airstrikes killed\n\
             at least 16 civilians near Albu Kamal as fighting continued elsewhere.\n",
        );
        for (kind, place) in [
            (EventType::Attack, "Kafr Batna"),
            (EventType::Attack, "Baghdad"),
            (EventType::Attack, "Ain al-Asad Air Base"),
            (EventType::Attack, "Abu Kamal"),
        ] {
            assert!(
                found.contains(&(kind, place.to_string())),
                "{place}: {found:?}"
            );
        }
        // "besieged" describes Eastern Ghouta, and the fighting "elsewhere"
        // is no clash at Abu Kamal.
        assert!(
            found.iter().all(|(t, _)| *t != EventType::Clash),
            "{found:?}"
        );
        // A bearing from the capital does not put the event in it.
        let found = kinds_and_places(
            "wire.txt",
            "BAGHDAD, Sept 16 (Xinhua) -- In Salahudin province in the north of\n\
             Baghdad, an army officer was shot dead by IS militants in a village.\n",
        );
        assert!(
            !found.contains(&(EventType::Attack, "Baghdad".to_string())),
            "{found:?}"
        );
        // "near A and another close to B": one strike at each.
        let found = kinds_and_places(
            "strikes.txt",
            "Strike release, 2 September 2016\n\n\
             In Syria on Friday, drones and rocket artillery struck an ISIL\n\
             tactical unit near Ayn Isa and another close to Tal Abyad.\n",
        );
        for place in ["Ain Issa", "Tell Abyad"] {
            assert!(
                found.contains(&(EventType::Attack, place.to_string())),
                "{place}: {found:?}"
            );
        }
    }

    #[test]
    fn a_list_of_targets_each_located_in_its_country_is_one_attack_each() {
        let found = kinds_and_places(
            "wire.txt",
            "BAGHDAD, Jan 15, 2020 (AFP) - Iran last week launched a wave of missiles\n\
             at the sprawling Ain al-Asad airbase in western Iraq and a base in Arbil,\n\
             capital of Iraq's autonomous Kurdish region, both hosting US troops.\n\n\
             Rockets hit Kirkuk, Diyala and Anbar on Monday.\n",
        );
        for place in ["Ain al-Asad Air Base", "Erbil", "Diyala", "Al-Anbar"] {
            assert!(
                found.contains(&(EventType::Attack, place.to_string())),
                "{place}: {found:?}"
            );
        }
        assert!(
            !found.contains(&(EventType::Attack, "Iraq".to_string())),
            "{found:?}"
        );
    }

    #[test]
    fn villages_the_gazetteer_lacks_are_kept_near_the_place_they_are_told_against() {
        let text = "DEIR EZZOR, 3 March 2022 - Cells attacked a checkpoint in the Maijil village,\n\
                    south of Al-Hasakah, and checkpoints in the villages of Al-Raqai and\n\
                    Al-Ashitah, west of Markada countryside, on Tuesday.\n";
        let found = extract_document(&doc("local.txt", text), embedded());
        for name in ["Al-Raqai", "Al-Ashitah"] {
            let village = found
                .iter()
                .find(|i| i.place.not_found.as_deref() == Some(name))
                .unwrap_or_else(|| panic!("{name}: {found:#?}"));
            assert_eq!(village.event_type, EventType::Attack);
            assert_eq!(village.place.canonical, "Markadah", "{village:#?}");
            assert_eq!(village.geo_precision, 2);
        }
        // One incident per village, and the checkpoint south of Al-Hasakah
        // stays there without a village's name.
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found
                .iter()
                .any(|i| i.place.canonical == "Al-Hasakah" && i.place.not_found.is_none()),
            "{found:#?}"
        );
    }

    #[test]
    fn a_name_two_places_share_is_the_one_beside_the_place_its_sentence_names() {
        let text = "Iraq security log, 3 May 2015\n\n\
                    In Diyala, a bomb hit Jalawla. Seven people were wounded during a mortar\n\
                    attack in Saidiya.\n\n\
                    A bomb went off in Saidiya in southern Baghdad, wounding two.\n";
        let gaz = embedded();
        let mentions = place_mentions(&doc("log.txt", text), gaz);
        let saidiya: Vec<&str> = mentions
            .iter()
            .filter(|m| &text[m.start..m.end] == "Saidiya")
            .map(|m| gaz.entries()[m.entry].name.as_str())
            .collect();
        // Diyala's Saadiya near Jalawla; Baghdad's Saydiya in southern Baghdad.
        assert_eq!(saidiya, ["Al-Saadiyah", "Al-Saydiya"], "{mentions:#?}");
    }

    #[test]
    fn each_item_of_a_list_of_events_keeps_the_place_that_follows_it() {
        let found = kinds_and_places(
            "weekly.txt",
            "Weekly update, 12 March 2025\n\n\
             Security remained fragile, with persistent ISIS cells active in Deir ez-Zor,\n\
             and heavy clashes between Turkish-backed factions and the SDF around the\n\
             Tishreen Dam in Aleppo.\n",
        );
        assert!(
            found.contains(&(EventType::Clash, "Tishrin Dam".to_string())),
            "the clashes are at the dam, not in Deir ez-Zor: {found:?}"
        );
    }

    #[test]
    fn a_strike_bulletin_dates_its_items_by_their_lead_and_strikes_are_attacks() {
        let text = "PRESS RELEASE | Oct. 14, 2019\n\
                    October 14: Coalition air strikes continue against the remnants of Daesh\n\
                    Release # 20191014-02\n\
                    FOR IMMEDIATE RELEASE\n\
                    BAGHDAD - On Oct. 12, Coalition military forces conducted 9 strikes \
                    consisting of 14 engagements in Syria and Iraq.\n\
                    In Iraq, Coalition military forces conducted 6 strikes.\n\
                    \u{2022}Near Huwijah, three strikes engaged two Daesh tactical units and \
                    destroyed four fighting positions.\n\
                    \u{2022}Near Qayyarah, one strike suppressed a Daesh fighting position.\n\
                    \u{2022}On Oct. 11, near Rawah, one strike destroyed a tunnel entrance.\n";
        let found = extract_document(&doc("bulletin.txt", text), embedded());
        let at = |place: &str| {
            found
                .iter()
                .find(|i| i.place.canonical.contains(place))
                .unwrap_or_else(|| panic!("nothing at {place}: {found:#?}"))
        };
        for (place, day) in [
            ("Hawija", "2019-10-12"),
            ("Qayyarah", "2019-10-12"),
            ("Rawa", "2019-10-11"),
        ] {
            let item = at(place);
            // A strike that engages a unit or destroys a fighting position is
            // an air attack, not a clash.
            assert_eq!(item.event_type, EventType::Attack, "{item:#?}");
            assert_eq!(item.date, PartialDate::parse(day), "{place}: {item:#?}");
        }
    }

    /// The incidents of one text with the gazetteer the app ships, as (type,
    /// place) pairs.
    fn kinds_and_places(name: &str, text: &str) -> Vec<(EventType, String)> {
        extract_document(&doc(name, text), embedded())
            .into_iter()
            .map(|i| (i.event_type, i.place.canonical))
            .collect()
    }

    #[test]
    fn a_region_near_the_trigger_yields_to_the_towns_inside_it() {
        let found = kinds_and_places(
            "uprising.txt",
            "Armed clashes between the SDF and Arab tribes in Deir ez-Zor province intensified \
             on Tuesday as local fighters moved to retake the towns of Dhiban and Al-Tayana on \
             the eastern bank of the Euphrates.",
        );
        let places: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
        assert!(places.contains(&"Dhiban"), "{found:?}");
        assert!(places.iter().any(|p| p.starts_with("Al-Tay")), "{found:?}");
        assert!(
            !places.contains(&"Deir ez-Zor"),
            "the province frames the towns: {found:?}"
        );
        assert!(
            found.iter().all(|(t, _)| *t == EventType::Clash),
            "{found:?}"
        );
    }

    #[test]
    fn forces_assaulting_a_town_clash_and_a_ceasefire_is_no_fight() {
        let found = kinds_and_places(
            "hit.txt",
            "From there, the army attacked Hit from the north and west on April 7.\n\n\
             A ceasefire is in effect in Sinjar between the Peshmerga and the militia after \
             weeks of fighting.",
        );
        assert!(
            found.contains(&(EventType::Clash, "Hit".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(EventType::Agreement, "Sinjar".to_string())),
            "{found:?}"
        );
        assert!(
            !found.contains(&(EventType::Clash, "Sinjar".to_string())),
            "the fighting a ceasefire ends is not reported again: {found:?}"
        );
    }

    #[test]
    fn a_sentence_about_an_event_told_before_adds_no_incident() {
        let found = kinds_and_places(
            "pipeline.txt",
            "ANKARA, July 29, 2015 – Turkey has suffered a second pipeline attack in as many \
             days. On Wednesday, the Kirkuk-Ceyhan oil pipeline suffered an attack 18 \
             kilometres from the Iraq border in Sirnak province, prompting authorities to \
             interrupt the flow of oil.\n\nThe Kirkuk-Ceyhan pipeline carries oil from Iraq \
             to the port of Ceyhan. The pipeline has a capacity of 400,000 barrels per \
             day.\n\nTurkish authorities will likely cast eyes on the PKK for Wednesday’s \
             attack. The outlawed group received the blame for Tuesday’s attack, and is known \
             to have carried out similar sabotage in the 1990s.",
        );
        assert_eq!(
            found
                .iter()
                .filter(|(t, _)| *t == EventType::Attack)
                .count(),
            1,
            "{found:?}"
        );
    }

    #[test]
    fn a_list_may_mix_a_governorate_and_a_city() {
        let found = kinds_and_places(
            "roundup.txt",
            "Between June 7 and 9, gunmen killed four civilians in Ninewa and Baghdad.",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|(t, _)| *t == EventType::Attack),
            "{found:?}"
        );
        assert!(found.iter().any(|(_, p)| p == "Baghdad"), "{found:?}");
        assert!(found.iter().any(|(_, p)| p.starts_with("Nin")), "{found:?}");
    }

    #[test]
    fn finds_takeovers_captures_camps_and_teasers_read_as_the_events_they_are() {
        let text = "Read more\n\nGunmen kill shepherd in desert\n\nRead more\n\n\
                    Floods hit the south\n\n\
                    SULAIMANI, Kurdistan Region, May 12, 2024 \u{2014} Troops on patrol found a\n\
                    cache of rockets and mortar rounds near Rutba on Saturday.\n\n\
                    Iraqi forces assumed command of the Ain al-Asad air base on Sunday after\n\
                    the last coalition advisers left.\n\n\
                    The Asayish said the mastermind of the bombing and four other militants\n\
                    were captured in Sulaimani.\n\n\
                    Two soldiers were killed in combat near Baiji on Friday.\n\n\
                    Government forces took control of al-Hol camp, and dozens of detainees\n\
                    used the chaos to flee.\n\n\
                    Baghdad announced the withdrawal of 150 Iraqi families from al-Hol camp.\n";
        let found = extract_document(&doc("wire.txt", text), embedded());
        let has = |t: EventType, place: &str| {
            found
                .iter()
                .any(|i| i.event_type == t && i.place.canonical == place)
        };
        // A find is a seizure, not an explosion.
        assert!(has(EventType::Seizure, "Rutba"), "{found:#?}");
        assert!(!has(EventType::Attack, "Rutba"), "{found:#?}");
        // Command of a base taken over without a fight is a handover.
        assert!(
            has(EventType::Handover, "Ain al-Asad Air Base"),
            "{found:#?}"
        );
        // People captured (in the passive) are arrested, at the city as the
        // Kurdish press spells it.
        assert!(has(EventType::Seizure, "Sulaymaniyah"), "{found:#?}");
        assert!(!has(EventType::Clash, "Sulaymaniyah"), "{found:#?}");
        // Killed in combat: fighting, not a one-sided attack.
        assert!(has(EventType::Clash, "Baiji"), "{found:#?}");
        // A camp taken over and its detainees escaping happen at the camp;
        // families taken out of it are handed over, not forces withdrawing.
        assert!(
            has(EventType::DetentionFacility, "Al-Hol camp"),
            "{found:#?}"
        );
        assert!(has(EventType::Handover, "Al-Hol camp"), "{found:#?}");
        assert!(!has(EventType::Withdrawal, "Al-Hol camp"), "{found:#?}");
        // The teasers before the article report nothing; the article's
        // first sentence is read although short lines came before it.
        assert!(
            !found
                .iter()
                .any(|i| i.sources.iter().any(|s| s.quote.contains("shepherd"))),
            "{found:#?}"
        );
    }

    #[test]
    fn sieges_held_ground_custody_bases_and_accidents_read_as_reported() {
        // A site's address dates it; the header above is the day it was read.
        let text = "URL: https://news.example.net/iraq/20190314081502.html\n\n\
                    Monday, June 3, 2024\n\n\
                    Prison siege ends\n\n\
                    HASAKAH, Syria \u{2014} Inmates rioted in the al-Sina\u{2019}a prison on Monday.\n\n\
                    Kurdish-led units laid siege to al-Sina\u{2019}a on Tuesday, a spokesman\n\
                    said.\n\n\
                    The towns of Anah and Rawa have been under Islamic State control since\n\
                    2014, residents said.\n\n\
                    Hundreds of suspects have been taken into custody in Mosul since the city\n\
                    was recaptured from the group in July 2017.\n\n\
                    The coalition transferred the K-1 Air Base in Kirkuk to the Iraqi army on\n\
                    Wednesday.\n\n\
                    A fire killed 12 patients at a hospital in Nasiriyah on Thursday.\n\n\
                    In Baghdad, the cleric said he withdraws from politics.\n";
        let found = extract_document(&doc("wire.txt", text), embedded());
        let find = |t: EventType, place: &str| {
            found
                .iter()
                .find(|i| i.event_type == t && i.place.canonical == place)
        };
        let date =
            |t: EventType, place: &str| find(t, place).and_then(|i| i.date.map(|d| d.to_string()));
        // The siege is fighting at the prison the text names, in the
        // spelling with a curly apostrophe; not at Sina in Dohuk.
        assert_eq!(
            date(EventType::Clash, "Ghwayran (al-Sina'a) prison").as_deref(),
            Some("2019-03-12"),
            "{found:#?}"
        );
        assert!(
            found.iter().all(|i| i.place.canonical != "Sina"),
            "{found:#?}"
        );
        // Ground held by an armed side since a year: taken then, each town.
        assert_eq!(
            date(EventType::Clash, "Anah").as_deref(),
            Some("2014"),
            "{found:#?}"
        );
        assert_eq!(
            date(EventType::Clash, "Rawa").as_deref(),
            Some("2014"),
            "{found:#?}"
        );
        // Custody is an arrest; the recapture in the clause of time is its
        // own event, of its own date.
        assert!(find(EventType::Seizure, "Mosul").is_some(), "{found:#?}");
        assert_eq!(
            date(EventType::Clash, "Mosul").as_deref(),
            Some("2017-07"),
            "{found:#?}"
        );
        // A base transferred is handed over.
        assert!(
            find(EventType::Handover, "K-1 Air Base").is_some(),
            "{found:#?}"
        );
        // Deaths in a fire are no attack; leaving politics moves no troops.
        assert!(find(EventType::Attack, "Nasiriyah").is_none(), "{found:#?}");
        assert!(find(EventType::Other, "Nasiriyah").is_some(), "{found:#?}");
        assert!(
            found.iter().all(|i| i.event_type != EventType::Withdrawal),
            "{found:#?}"
        );
    }

    #[test]
    fn each_item_of_a_wire_roundup_stands_at_its_own_dateline_and_timeline_months_in_capitals_date_entries()
     {
        let text = "URL: https://wire.example.com/article/worldNews/idUSXYZ4K7B2Q20090412\n\n\
                    FACTBOX: Security developments in Iraq, April 12\n\n\
                    (Wire) - Following are security developments in Iraq on Sunday.\n\n\
                    * MOSUL - A roadside bomb wounded two policemen in western Mosul on Sunday, police said.\n\n\
                    * KIRKUK - Gunmen killed a local official and his driver, police said.\n\n\
                    TIKRIT - Police arrested four suspected militants, a police source said.\n\n\
                    JUNE 2014: Militants overran the town of Baiji.\n\n\
                    MARCH 2015: Iraq announces the \"liberation\" of Tikrit after months of fighting. \
                    Government forces retook the town of Hit.\n\n\
                    OCTOBER: Iraqi forces claim victory in Rawa.\n";
        let found = extract_document(&doc("factbox.txt", text), embedded());
        let at = |t: EventType, place: &str| {
            found
                .iter()
                .find(|i| i.event_type == t && i.place.canonical == place)
                .unwrap_or_else(|| panic!("no {t:?} at {place}: {found:#?}"))
        };
        // The item names no place of its own: its dateline is where it is,
        // not the town of the item before.
        let kirkuk = at(EventType::Attack, "Kirkuk");
        assert!(
            kirkuk.sources[0].quote.contains("Gunmen killed"),
            "{kirkuk:#?}"
        );
        // The publication day comes from the story id in the address (April
        // 12, 2009): "on Sunday" is that day; an item with no day of its own
        // is of that day or at least its month.
        assert!(
            kirkuk.date.is_some_and(|d| d.year == 2009
                && d.month == Some(4)
                && d.day.is_none_or(|d| d == 12)),
            "{kirkuk:#?}"
        );
        assert_eq!(
            at(EventType::Attack, "Mosul").date,
            PartialDate::parse("2009-04-12")
        );
        let tikrit_arrest = at(EventType::Seizure, "Tikrit");
        assert!(tikrit_arrest.sources[0].quote.contains("arrested four"));
        // "JUNE 2014:" dates its entry to the month.
        assert_eq!(
            at(EventType::Clash, "Baiji").date,
            PartialDate::parse("2014-06")
        );
        // An announced liberation of a named town is the fighting for it.
        let tikrit = found
            .iter()
            .find(|i| i.sources.iter().any(|s| s.quote.contains("liberation")))
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_eq!(tikrit.event_type, EventType::Clash, "{tikrit:#?}");
        assert_eq!(tikrit.date, PartialDate::parse("2015-03"));
        // "after months of fighting" is how long it took, not a second clash.
        assert_eq!(
            found
                .iter()
                .filter(|i| i.place.canonical == "Tikrit" && i.event_type == EventType::Clash)
                .count(),
            1,
            "{found:#?}"
        );
        // A further sentence of the entry is of the entry's month; an entry
        // headed by its month alone is of that month (not a dateline).
        assert_eq!(
            at(EventType::Clash, "Hit").date,
            PartialDate::parse("2015-03")
        );
        assert_eq!(
            at(EventType::Clash, "Rawa").date,
            PartialDate::parse("2008-10")
        );
    }

    #[test]
    fn a_lead_told_at_the_governorate_joins_its_telling_at_the_town() {
        let text = "RAMADI, Iraq, June 4, 2024 (Wire) -- Security forces in Anbar province\n\
                    arrested five suspected militants on Tuesday, a police source said.\n\n\
                    The five were detained in a raid on a house in Hit, the source added.\n\n\
                    Separately, police in Nineveh province arrested two men smuggling\n\
                    weapons on Tuesday. In Mosul, officers also arrested a third man at\n\
                    a checkpoint.\n\n\
                    Roadside bombs in several provinces wounded seven people on Tuesday.\n\
                    A roadside bomb wounded two soldiers in Fallujah on Tuesday.\n";
        let found = extract_document(&doc("wire.txt", text), embedded());
        let seizures: Vec<&Incident> = found
            .iter()
            .filter(|i| i.event_type == EventType::Seizure)
            .collect();
        // The Anbar lead and the Hit raid are one arrest, at Hit, told twice.
        let hit = seizures
            .iter()
            .find(|i| i.place.canonical == "Hit")
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert!(
            hit.sources
                .iter()
                .any(|s| s.quote.contains("in Anbar province")),
            "{hit:#?}"
        );
        assert!(
            !seizures.iter().any(|i| i.place.canonical == "Al-Anbar"),
            "{found:#?}"
        );
        // "Separately" and "also" tell other arrests: Nineveh's and Mosul's stay two.
        assert!(
            seizures.iter().any(|i| i.place.canonical == "Ninawa"),
            "{found:#?}"
        );
        assert!(
            seizures.iter().any(|i| i.place.canonical == "Mosul"),
            "{found:#?}"
        );
        // A tally over several provinces is not the Fallujah bomb.
        let attacks = found
            .iter()
            .filter(|i| i.event_type == EventType::Attack)
            .count();
        assert_eq!(attacks, 2, "{found:#?}");
    }

    #[test]
    fn rockets_landing_talks_returns_and_towns_recovered_read_as_reported() {
        let text = "BAGHDAD, March 9, 2021 (Wire) \u{2014} Two rockets landed near the Ain\n\
                    al-Asad air base on Monday, the coalition said.\n\n\
                    Iraqi and Syrian officials at the Al-Qaim crossing discussed trade and\n\
                    border security on Tuesday.\n\n\
                    Dozens of families arrived from al-Hol camp in Mosul on Wednesday.\n\n\
                    Government forces and allied militias played a major role in recovering\n\
                    Abu Kamal in 2017.\n\n\
                    Rawa was the last town the group held in Iraq. It was liberated from the\n\
                    group in 2017.\n";
        let found = extract_document(&doc("wire.txt", text), embedded());
        let has = |t: EventType, place: &str| {
            found
                .iter()
                .any(|i| i.event_type == t && i.place.canonical == place)
        };
        assert!(has(EventType::Attack, "Ain al-Asad Air Base"), "{found:#?}");
        assert!(
            found.iter().any(|i| i.event_type == EventType::Meeting),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|i| i.event_type == EventType::Handover
                && i.sources[0].quote.contains("families arrived")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|i| i.event_type == EventType::Clash
                    && i.sources[0].quote.contains("recovering")),
            "{found:#?}"
        );
        // A place liberated is fighting, not people arrested.
        assert!(
            found.iter().all(|i| i.event_type != EventType::Seizure),
            "{found:#?}"
        );
    }

    #[test]
    fn a_page_of_dated_entries_dates_each_entry_by_its_heading() {
        let roundup = "Security log\n\n\
                       Tuesday, March 4, 2025\n\n\
                       Day 12 of the campaign, March 3, 2025\n\n\
                       Gunmen attacked a checkpoint in Samarra, killing two policemen.\n\n\
                       Monday, March 3, 2025\n\n\
                       Day 11 of the campaign, March 2, 2025\n\n\
                       A roadside bomb struck an army patrol near Baiji.\n";
        let found = extract_document(&doc("log.txt", roundup), embedded());
        let day = |place: &str| {
            found
                .iter()
                .find(|i| i.event_type == EventType::Attack && i.place.canonical == place)
                .and_then(|i| i.date.map(|d| d.to_string()))
        };
        assert_eq!(day("Samarra").as_deref(), Some("2025-03-03"), "{found:#?}");
        assert_eq!(day("Baiji").as_deref(), Some("2025-03-02"), "{found:#?}");
        // One date line is the article's own: its undated news keeps the
        // month, as the guide has it.
        let article = "Checkpoint attacked\n\n\
                       Tuesday, March 4, 2025\n\n\
                       Gunmen attacked a checkpoint in Samarra, killing two policemen.\n";
        let found = extract_document(&doc("article.txt", article), embedded());
        assert_eq!(
            found
                .iter()
                .find(|i| i.place.canonical == "Samarra")
                .and_then(|i| i.date.map(|d| d.to_string()))
                .as_deref(),
            Some("2025-03"),
            "{found:#?}"
        );
    }

    #[test]
    fn main_clauses_lists_spellings_and_speakers_place_the_events() {
        let text = "DEIR EZ-ZOR, Syria, Sept. 4, 2023 (Wire) \u{2014} Heavy fighting was reported on Sunday\n\
                    in Hawaij, Dhiban, Al-Kasra, Mohaymidah and Al-Shaheil, residents said.\n\n\
                    The clashes broke out in Hajin on August 28, a day after the SDF arrested a\n\
                    tribal commander in Hasakah.\n\n\
                    Several dozen SDF fighters fled Al-Busayrah as the fighting intensified.\n\n\
                    A spokesman for the tribal council in Damascus said the tribes would not\n\
                    lay down their arms.\n\n\
                    Turkish Foreign Minister Mevlut Cavusoglu warned on Monday that Turkish troops\n\
                    would stay at the Bashiqa camp near Mosul.\n";
        let found = extract_document(&doc("wire.txt", text), embedded());
        let has = |t: EventType, place: &str| {
            found
                .iter()
                .any(|i| i.event_type == t && i.place.canonical == place)
        };
        // Each village of the list, the one in another spelling too; the
        // unknown ones ("Hawaij", "Mohaymidah", whose consonants are those of
        // Mahmudiyah, 400 km away) give nothing of their own.
        for place in ["Dhiban", "Al-Kasrah", "Al-Shuhayl"] {
            assert!(has(EventType::Clash, place), "{place}: {found:#?}");
        }
        // The main clause's event and the one it follows, each at its place.
        assert!(has(EventType::Clash, "Hajin"), "{found:#?}");
        assert!(has(EventType::Seizure, "Al-Hasakah"), "{found:#?}");
        // "a day after": the arrest was the day before the clashes.
        let arrest = found
            .iter()
            .find(|i| i.event_type == EventType::Seizure)
            .expect("the arrest");
        assert_eq!(
            arrest.date.map(|d| d.to_string()).as_deref(),
            Some("2023-08-27"),
            "{arrest:#?}"
        );
        assert!(
            has(EventType::Withdrawal, "Al-Busayrah (town)"),
            "{found:#?}"
        );
        // A spokesman in Damascus is not the Syrian government.
        assert!(has(EventType::Statement, "Damascus"), "{found:#?}");
        // A Turkish minister's warning is Turkey's, drawn at Ankara, not at
        // the camp he speaks of.
        let warning = found
            .iter()
            .find(|i| {
                i.event_type == EventType::Statement
                    && i.sources.iter().any(|s| s.quote.contains("Cavusoglu"))
            })
            .expect("the minister's warning");
        assert_eq!(warning.place.canonical, "Turkey", "{warning:#?}");
        assert!(
            (warning.lon - 32.85).abs() < 0.1 && (warning.lat - 39.92).abs() < 0.1,
            "drawn at ({}, {})",
            warning.lon,
            warning.lat
        );
        assert!(
            !found.iter().any(|i| i.place.canonical == "Mahmudiyah"),
            "{found:#?}"
        );
    }

    #[test]
    fn what_a_parliament_does_is_drawn_at_the_capital() {
        let gaz = embedded();
        let found = extract_document(
            &doc(
                "weekly.txt",
                "On June 6, Iraq’s Parliament voted to approve seven new members of the cabinet.",
            ),
            gaz,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].event_type, EventType::Other);
        let baghdad = (44.40088, 33.34058);
        assert!(
            (found[0].lon - baghdad.0).abs() < 0.05 && (found[0].lat - baghdad.1).abs() < 0.05,
            "drawn at ({}, {})",
            found[0].lon,
            found[0].lat
        );
    }

    #[test]
    fn fighting_executions_and_a_cut_flow_are_read_in_plain_words() {
        let found = kinds_and_places(
            "liveblog.txt",
            "Iraqi soldiers and volunteers fight Islamic State militants in Tikrit.\n\n\
             The UN says it has verified reports of summary executions by militants in \
             Mosul.\n\nOfficials in Kirkuk said they had cut the oil flow through the \
             Kirkuk-Ceyhan pipeline after the fire.",
        );
        assert!(
            found.contains(&(EventType::Clash, "Tikrit".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(EventType::Attack, "Mosul".to_string())),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(t, _)| *t == EventType::Infrastructure),
            "{found:?}"
        );
    }

    #[test]
    fn talks_abroad_are_placed_where_they_were_held() {
        let found = kinds_and_places(
            "talks.txt",
            "Iraqi Prime Minister Mohammed Shia al-Sudani met with Ahmed al-Sharaa in the Qatari \
             capital on April 17 to discuss border security.",
        );
        assert!(
            found.contains(&(EventType::Meeting, "Doha".to_string())),
            "{found:?}"
        );
    }

    #[test]
    fn a_whole_neighbouring_country_is_no_place_for_an_event() {
        let found = kinds_and_places(
            "coalition.txt",
            "Officials said warplanes from Saudi Arabia and Jordan took part in the air strikes.",
        );
        assert!(
            found
                .iter()
                .all(|(_, p)| p != "Saudi Arabia" && p != "Jordan"),
            "{found:?}"
        );
    }

    #[test]
    fn a_relative_clause_between_commas_is_an_event_of_its_own() {
        let found = kinds_and_places(
            "crossing.txt",
            "AL-QAIM, Iraq, Sept 30, 2019 (AFP) - A border crossing on the highway linking \
             Iraq and Syria, seized by Islamic State jihadists in 2014, reopened on Monday, a \
             reporter said.",
        );
        assert!(
            found.contains(&(EventType::Clash, "Al-Qaim".to_string())),
            "the 2014 capture, placed at the town the story is filed from: {found:?}"
        );
        assert!(
            found.contains(&(EventType::Infrastructure, "Al-Qaim".to_string())),
            "the reopening: {found:?}"
        );
        assert!(
            found.iter().all(|(_, p)| p != "Iraq" && p != "Syria"),
            "{found:?}"
        );
    }

    #[test]
    fn explosives_found_are_no_attack_and_people_captured_are_a_seizure() {
        let found = kinds_and_places(
            "sweep.txt",
            "The operation near Baiji resulted in the detention of 39 suspected insurgents and \
             the discovery of a mobile hospital, two weapons caches and 20 roadside bombs. \
             Iraqi troops captured an al Qaeda cell member in Tikrit. Soldiers in Mosul \
             captured 58 during the operation.",
        );
        assert!(
            found.iter().all(|(t, _)| *t != EventType::Attack),
            "{found:?}"
        );
        assert!(
            found.iter().all(|(t, _)| *t != EventType::Clash),
            "{found:?}"
        );
        for place in ["Baiji", "Tikrit", "Mosul"] {
            assert!(
                found.contains(&(EventType::Seizure, place.to_string())),
                "{place}: {found:?}"
            );
        }
    }

    #[test]
    fn a_subject_naming_an_event_told_before_gives_way_to_the_new_one() {
        let found = kinds_and_places(
            "base.txt",
            "US forces have fully withdrawn from the Ain al-Asad airbase, Iraqi officials said \
             on Saturday.\n\nThe withdrawal came as part of an agreement reached between \
             Washington and Baghdad in 2024.",
        );
        assert_eq!(
            found
                .iter()
                .filter(|(t, _)| *t == EventType::Withdrawal)
                .count(),
            1,
            "{found:?}"
        );
        assert!(
            found.iter().any(|(t, _)| *t == EventType::Agreement),
            "{found:?}"
        );
    }

    #[test]
    fn arrests_in_raids_and_guarded_one_word_names() {
        let gaz = gazetteer_from_geojson(
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"place:hit","geometry":{"type":"Point","coordinates":[42.82,33.64]},"properties":{"name":"Hit","kind":"town"}},
            {"type":"Feature","id":"place:anah","geometry":{"type":"Point","coordinates":[41.98,34.37]},"properties":{"name":"Anah","kind":"town"}}]}"#,
            r#"{"type":"FeatureCollection","features":[]}"#,
            r#"{"type":"FeatureCollection","features":[]}"#,
        )
        .unwrap();
        let d = doc(
            "raid.txt",
            "In Hit, security forces raided a farmhouse and arrested three suspects. An IED hit a vehicle near Anah.",
        );
        let incidents = extract_document(&d, &gaz);
        assert_eq!(incidents[0].event_type, EventType::Seizure);
        assert_eq!(
            incidents[0].place.gazetteer_id.as_deref(),
            Some("place:hit")
        );
        assert_eq!(incidents[1].event_type, EventType::Attack);
        assert_eq!(
            incidents[1].place.gazetteer_id.as_deref(),
            Some("place:anah")
        );
        assert_eq!(incidents.len(), 2, "the verb 'hit' is no place");
    }

    #[test]
    fn a_capital_before_a_multibyte_dash_does_not_panic() {
        let d = doc(
            "dash.txt",
            "A patrol clashed with smugglers near Rutba on the Damascus–Baghdad highway.",
        );
        let incidents = extract_document(&d, &builtin_gazetteer());
        assert_eq!(incidents.len(), 1);
        assert_eq!(
            incidents[0].place.gazetteer_id.as_deref(),
            Some("place:rutba")
        );
    }

    #[test]
    fn a_place_the_gazetteer_lacks_is_said_and_can_be_placed() {
        let text = "Published: 3 March 2019\n\nClashes erupted in Khana Sor, west of Sinjar, on Sunday night, the army said.\n\nAn army patrol struck a roadside bomb 40 km west of Rutba on Monday.";
        let gaz = embedded();
        let d = doc("sinjar.txt", text);
        let before = extract_document(&d, gaz);
        let clash = before
            .iter()
            .find(|i| i.event_type == EventType::Clash)
            .unwrap();
        assert_eq!(
            clash.place.not_found.as_deref(),
            Some("Khana Sor"),
            "{clash:#?}"
        );
        assert!(
            clash
                .why
                .iter()
                .any(|w| w.starts_with("place not found: “Khana Sor”"))
        );
        // "40 km west of Rutba": the point moves west by 40 km, precision 2.
        let bomb = before
            .iter()
            .find(|i| i.event_type == EventType::Attack)
            .unwrap();
        let rutba = gaz.by_id("place:rutba").unwrap();
        assert_eq!(bomb.geo_precision, 2);
        assert!((bomb.lat - rutba.lat).abs() < 0.01, "due west");
        let km = (rutba.lon - bomb.lon) * 111.32 * rutba.lat.to_radians().cos();
        assert!((km - 40.0).abs() < 0.5, "{km} km west");
        // The analyst puts the name on the map: the clash moves there.
        let placed = gaz.with_analyst_places(&[("Khana Sor".to_string(), 41.57, 36.47)]);
        let after = extract_document(&d, &placed);
        let clash = after
            .iter()
            .find(|i| i.event_type == EventType::Clash)
            .unwrap();
        assert_eq!(
            clash.place.gazetteer_id.as_deref(),
            Some("analyst:khana-sor")
        );
        assert_eq!(clash.place.not_found, None);
        assert!((clash.lon - 41.57).abs() < 1e-9 && (clash.lat - 36.47).abs() < 1e-9);
    }

    /// Wraps text at `width` columns, as a 72-column .txt file is.
    fn hard_wrap(text: &str, width: usize) -> String {
        text.split("\n\n")
            .map(|para| {
                let mut out = String::new();
                let mut line = 0;
                for word in para.split_whitespace() {
                    if line > 0 && line + 1 + word.len() > width {
                        out.push('\n');
                        line = 0;
                    } else if line > 0 {
                        out.push(' ');
                        line += 1;
                    }
                    out.push_str(word);
                    line += word.len();
                }
                out
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn hard_wrapped_text_gives_the_same_incidents_as_unwrapped() {
        let text = "Published: 12 March 2026\n\nDEIR EZ-ZOR, Syria, March 11 (Levant Wire) - Tribal fighters clashed with SDF units in Dhiban and al-Busayrah on Tuesday, and a roadside bomb wounded three soldiers near the town of Hajin on the same day, local sources said.\n\nSecurity forces in Mayadin arrested five men suspected of smuggling weapons across the Euphrates on Monday, the interior ministry said in a statement.\n\nReporting by Levant Wire; Editing by Desk";
        let gaz = embedded();
        let summary = |name: &str, t: &str| {
            let d = doc(name, t);
            let mut v: Vec<(EventType, Option<String>, Option<String>)> = extract_document(&d, gaz)
                .into_iter()
                .map(|i| {
                    (
                        i.event_type,
                        i.place.gazetteer_id,
                        i.date.map(|d| d.to_string()),
                    )
                })
                .collect();
            v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            v
        };
        let wrapped = hard_wrap(text, 72);
        assert!(wrapped.lines().all(|l| l.len() <= 72), "{wrapped}");
        assert!(wrapped.lines().count() > 8, "the text is really wrapped");
        let flat = summary("flat.txt", text);
        assert!(flat.len() >= 3, "{flat:?}");
        assert!(
            flat.iter().any(|(t, _, _)| *t == EventType::Seizure),
            "{flat:?}"
        );
        assert_eq!(summary("wrapped.txt", &wrapped), flat);
        assert_eq!(summary("wrapped.md", &wrapped), flat);
    }

    proptest! {
        #[test]
        fn extraction_never_panics_on_awkward_text(
            pieces in proptest::collection::vec(prop_oneof![
                Just("Damascus–Baghdad ".to_string()),
                Just("RAMADI, Iraq, Oct 14, 2025 (Wire) — ".to_string()),
                Just("the town ".to_string()),
                Just("the camp's ".to_string()),
                Just("in Hit ".to_string()),
                Just("Ahmad al-Sharaa ".to_string()),
                Just("attacked ".to_string()),
                Just("took over the base ".to_string()),
                Just("withdrew, and ".to_string()),
                Just("a day after ".to_string()),
                Just("the night before ".to_string()),
                Just("on Monday ".to_string()),
                Just("• 07:40 - ".to_string()),
                Just("| 3 February | Al-Qaim | ".to_string()),
                Just("near Dayr al-Zawr ".to_string()),
                Just("in 2014 ".to_string()),
                Just("’s — … ".to_string()),
                Just(". ".to_string()),
                Just("\n\n".to_string()),
                "[a-zA-Z ]{1,12}".prop_map(|s| s),
                "\\PC{1,4}".prop_map(|s| s),
            ], 1..40)
        ) {
            let text = format!("Published: 4 March 2025\n\n{}", pieces.concat());
            let d = doc("fuzz.txt", &text);
            let gaz = builtin_gazetteer();
            for i in extract_document(&d, &gaz) {
                for s in &i.sources {
                    prop_assert!(s.start <= s.end && s.end <= d.raw.len());
                }
            }
        }
    }

    #[test]
    fn annotations_and_analyst_selection() {
        let gaz = builtin_gazetteer();
        let d = doc(
            "c.txt",
            "Nov 7, 2025\n\nThe Iraqi army took over Ain al-Asad Air Base yesterday.",
        );
        let incidents = extract_document(&d, &gaz);
        let ann = annotate_document(&d, &gaz, &incidents);
        let (ps, pe, entry) = ann.places[0];
        assert_eq!(&d.raw[ps..pe], "Ain al-Asad Air Base");
        assert_eq!(gaz.entries()[entry].id, "place:ain-al-asad-air-base");
        assert_eq!(ann.sentences.len(), 1);
        let start = d.raw.find("The Iraqi").unwrap();
        let added =
            incident_from_selection(&d, &gaz, start, d.raw.len(), Some(EventType::Handover))
                .unwrap();
        assert_eq!(added.origin, Origin::Analyst);
        assert_eq!(added.event_type, EventType::Handover);
        assert_eq!(
            added.place.gazetteer_id.as_deref(),
            Some("place:ain-al-asad-air-base")
        );
        assert_eq!(added.date, PartialDate::parse("2025-11-06"));
    }

    fn dated(name: &str, text: &str) -> Vec<(EventType, String, Option<String>)> {
        extract_document(&doc(name, text), embedded())
            .into_iter()
            .map(|i| {
                (
                    i.event_type,
                    i.place.canonical,
                    i.date.map(|d| d.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn tallies_sweeps_barriers_and_neutralised_fighters_are_events() {
        let found = dated(
            "weekly.txt",
            "WEEKLY SECURITY NOTE\nPublished: 9 April 2019\n\n\
             There were 40 incidents in Iraq this week. There was 1 incident in\n\
             Basra, 5 in Kurdistan, 9 in Anbar and 14 in Diyala.\n\n\
             In Raqqa, sweep and search operations are conducted for the third day\n\
             in a row, and this morning units began sweeping the villages east of\n\
             Tabqa.\n\n\
             On the frontier, a new section of the trench was completed on 2 April\n\
             along the border with Syria.\n\n\
             The ministry said its forces \"neutralized\" 9 PKK terrorists in the\n\
             Zakho area of northern Iraq.\n\n\
             Iran launched a wave of missiles at a base near Sulaymaniyah, days\n\
             after the killing of General Soleimani's aide Ali Hamadani in Baghdad.\n",
        );
        let at =
            |kind: EventType, place: &str| found.iter().any(|(t, p, _)| *t == kind && p == place);
        for governorate in ["Basra", "Al-Anbar", "Diyala"] {
            assert!(
                at(EventType::Attack, governorate),
                "{governorate}: {found:?}"
            );
        }
        assert!(at(EventType::Deployment, "Raqqa"), "{found:?}");
        assert!(at(EventType::Deployment, "Tabqa"), "{found:?}");
        assert!(
            found
                .iter()
                .any(|(t, _, d)| *t == EventType::Deployment && d.as_deref() == Some("2019-04-02")),
            "the trench: {found:?}"
        );
        assert!(at(EventType::Attack, "Zakho"), "{found:?}");
        assert!(at(EventType::Attack, "Sulaymaniyah"), "{found:?}");
        assert_eq!(
            found.iter().filter(|(_, p, _)| p == "Sulaymaniyah").count(),
            1,
            "a man named Soleimani is not the city: {found:?}"
        );
    }

    #[test]
    fn an_event_answered_in_retaliation_is_an_event_of_its_own_place() {
        let found = dated(
            "reprisal.txt",
            "BAGHDAD, Jan 8 (Wire) - Militias fired rockets at a base near Kirkuk\n\
             on Tuesday, in retaliation for a drone strike in Baghdad on January 3\n\
             that killed a commander.\n\nPublished 8 January 2020\n",
        );
        let attack_at = |place: &str, day: &str| {
            found
                .iter()
                .any(|(t, p, d)| *t == EventType::Attack && p == place && d.as_deref() == Some(day))
        };
        assert!(attack_at("Kirkuk", "2020-01-07"), "{found:?}");
        assert!(attack_at("Baghdad", "2020-01-03"), "{found:?}");
    }

    #[test]
    fn details_of_a_dated_lead_take_its_day() {
        let found = dated(
            "wire.txt",
            "Eleven militants killed in Anbar\n\nBy Staff Writer, AFP, March 9, 2021\n\n\
             Eleven militants were killed on Monday in an air strike near Rutba, a security \
             source said.\n\nTroops later clashed with militants who tried to attack a \
             checkpoint at Haditha, leaving two of them dead.\n",
        );
        let clash = found
            .iter()
            .find(|(t, p, _)| *t == EventType::Clash && p == "Haditha")
            .unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(clash.2.as_deref(), Some("2021-03-08"), "{found:?}");
    }

    #[test]
    fn a_day_without_a_year_takes_the_year_of_a_dated_address() {
        let found = dated(
            "ceasefire.txt",
            "URL: https://example.org/news/2026/01/truce-in-the-north\n\n\
             The government announced a new ceasefire with the SDF on Jan. 20 in Damascus.\n",
        );
        assert_eq!(
            found,
            [(
                EventType::Agreement,
                "Damascus".to_string(),
                Some("2026-01-20".to_string())
            )]
        );
    }

    #[test]
    fn the_speaker_the_title_and_the_road_are_not_where_it_happened() {
        let found = dated(
            "roles.txt",
            "Published 20 May 2016\n\nA spokesman for the coalition command in Baghdad said the \
             Iraqis had sent about 1,000 troops to Rutba.\n\nThe Iraqi prime minister received \
             the US special envoy for Syria on Sunday and discussed stability in Damascus.\n\n\
             Peshmerga units began deploying along the Sinjar-Dohuk highway at Faysh Khabur on \
             Monday.\n",
        );
        let places: Vec<(EventType, &str)> =
            found.iter().map(|(t, p, _)| (*t, p.as_str())).collect();
        assert!(
            places.contains(&(EventType::Deployment, "Rutba")),
            "{places:?}"
        );
        assert!(
            places.contains(&(EventType::Meeting, "Baghdad")),
            "{places:?}"
        );
        assert!(
            places.contains(&(EventType::Deployment, "Faysh Khabur")),
            "{places:?}"
        );
        assert!(
            !places
                .iter()
                .any(|(_, p)| *p == "Damascus" || *p == "Sinjar"),
            "{places:?}"
        );
    }

    #[test]
    fn another_bomb_is_a_second_attack_and_a_stretch_between_two_villages_is_one_place() {
        let found = dated(
            "pipeline.txt",
            "Pipeline blown up near Kirkuk, police say\n\n2019/03/11 | 09:30\n\n\
             KIRKUK - An oil pipeline was blown up in Kirkuk on Monday, a police\n\
             officer said.\n\n\
             \"A pipeline between the villages of Khirbat Sufla and Umm Jarin was blown up\n\
             and later caught fire,\" the officer said.\n\n\
             About an hour after the pipeline explosion, another IED struck a\n\
             Peshmerga patrol, he added.\n",
        );
        let attacks: Vec<_> = found
            .iter()
            .filter(|(t, _, _)| *t == EventType::Attack)
            .collect();
        assert_eq!(attacks.len(), 2, "{found:?}");
        assert!(
            attacks
                .iter()
                .all(|(_, place, date)| place == "Kirkuk" && date.as_deref() == Some("2019-03-11")),
            "{found:?}"
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn fighters_killed_without_a_weapon_named_is_fighting_and_a_strike_stays_an_attack() {
        let found = dated(
            "sweep.txt",
            "MOSUL, Iraq (Wire) -- Iraqi troops dislodged militants from the village\n\
             of Imam Gharbi on Tuesday, the army said.\n\n\
             Thirty-five militants were killed near Tal Afar during the push,\n\
             a spokesman told reporters on Wednesday.\n\n\
             Separately, five fighters were killed in a drone strike on a\n\
             vehicle near Baaj, the statement added.\n\n\
             (Reporting by the Baghdad newsroom; editing by the desk)\n\n\
             Published 18 October 2017\n",
        );
        let of = |place: &str| -> Vec<EventType> {
            found
                .iter()
                .filter(|(_, p, _)| p == place)
                .map(|(t, _, _)| *t)
                .collect()
        };
        assert!(of("Tal Afar").contains(&EventType::Clash), "{found:?}");
        assert!(!of("Tal Afar").contains(&EventType::Attack), "{found:?}");
        assert!(of("Al-Ba'aj").contains(&EventType::Attack), "{found:?}");
        assert!(!of("Al-Ba'aj").contains(&EventType::Clash), "{found:?}");
        let clashes = found.iter().filter(|(t, _, _)| *t == EventType::Clash);
        assert_eq!(clashes.count(), 2, "dislodging is fighting too: {found:?}");
    }

    #[test]
    fn a_separate_incident_in_the_same_town_and_a_raid_of_a_named_month_stay_apart() {
        let found = dated(
            "roundup.txt",
            "Security roundup\n\nPublished 10 December 2025\n\n\
             A roadside bomb struck an army patrol in Mosul on Monday, wounding\n\
             two soldiers, police said.\n\n\
             In a separate incident, a suicide bomber blew himself up at a\n\
             checkpoint in Mosul, killing a policeman.\n\n\
             During a July raid in al-Bab, U.S. forces killed an Islamic State\n\
             leader; a September raid in al-Bab killed another.\n",
        );
        let at = |place: &str| -> Vec<Option<String>> {
            found
                .iter()
                .filter(|(t, p, _)| *t == EventType::Attack && p == place)
                .map(|(_, _, d)| d.clone())
                .collect()
        };
        assert_eq!(at("Mosul").len(), 2, "{found:?}");
        let mut bab = at("Al-Bab");
        bab.sort();
        assert_eq!(
            bab,
            vec![Some("2025-07".to_string()), Some("2025-09".to_string())],
            "{found:?}"
        );
    }

    #[test]
    fn strikes_by_other_hands_stay_apart_and_a_neighbourhood_is_in_its_city() {
        let found = dated(
            "daily.txt",
            "Daily update\n\nSeptember 18, 2017\n\n\
             30 more Coalition airstrikes hit Daesh in Raqqa. [..]\n\n\
             SDF military position east of the Euphrates hit by Russian\n\
             airstrike. [..]\n\n\
             Police recovered a rocket launcher in the al-Jihad neighborhood\n\
             of Baghdad. [..]\n",
        );
        let attacks = found
            .iter()
            .filter(|(t, _, _)| *t == EventType::Attack)
            .count();
        assert_eq!(attacks, 2, "{found:?}");
        assert!(
            found
                .iter()
                .any(|(t, p, _)| *t == EventType::Seizure && p == "Baghdad"),
            "{found:?}"
        );
    }

    #[test]
    fn a_quarter_is_in_its_city_and_rockets_on_a_towns_base_are_an_attack() {
        // A city part whose name a far village shares is in the city told.
        let found = kinds_and_places(
            "quarters.txt",
            "DEIR EZZOR, Syria (Wire) — Fierce clashes broke out in\n\
             Deir Ezzor city overnight.\n\n\
             The Air Force destroyed a weapons depot in al-Hamedieh\n\
             neighborhood, the reporter added.\n",
        );
        assert!(found.iter().all(|(_, p)| p == "Deir ez-Zor"), "{found:?}");
        assert!(
            found.iter().any(|(t, _)| *t == EventType::Attack),
            "{found:?}"
        );
        // Rockets on a town's air base strike the base: no fight for the
        // town. The headline and the telling with its place are one event,
        // and "north of Baghdad" is where, not who.
        let found = kinds_and_places(
            "taji.txt",
            "Deadly rocket attack on Iraqi base used by US forces\n\n\
             Two American personnel were killed in a rocket attack on an Iraqi\n\
             military camp on Wednesday.\n\n\
             No Britons were injured in the attack on the Taji air base north of\n\
             Baghdad, officials said.\n\n\
             The last military escalation led to a US strike in January that\n\
             killed a general in Syria.\n",
        );
        let at_taji: Vec<_> = found.iter().filter(|(_, p)| p == "Taji").collect();
        assert_eq!(at_taji.len(), 1, "{found:?}");
        assert_eq!(at_taji[0].0, EventType::Attack, "{found:?}");
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Clash),
            "an escalation told by the strike it led to is the strike: {found:?}"
        );
    }

    #[test]
    fn a_roundup_places_each_line_at_the_town_it_opens_or_names() {
        let found = kinds_and_places(
            "roundup.txt",
            "171 Killed Across Iraq as Fight for Ramadi Begins\n\n\
             Ramadi: the fight to win back the city has begun.\n\
             In Baghdad, gunmen killed a civilian.\n\
             Security forces killed 60 militants in the Hawija area.\n\
             Airstrikes left 16 militants dead near Qayara.\n",
        );
        for place in ["Baghdad", "Hawija", "Al-Qayyarah"] {
            assert!(found.iter().any(|(_, p)| p == place), "{place}: {found:?}");
        }
    }

    #[test]
    fn villages_taken_after_protests_are_the_fighting_each_in_its_spelling() {
        // "Theban" is Dhiban (th and dh write one Arabic letter), found as
        // the next item of a list opened by a place named exactly.
        let found = kinds_and_places(
            "tribes.txt",
            "URL: https://news.example.org/2020/08/13/tribes\n\n\
             As a result, several villages witnessed protests, which made the\n\
             protests expand until the tribes took control of several villages,\n\
             including al Shehail and Theban.\n",
        );
        for place in ["Al-Shuhayl", "Dhiban"] {
            assert!(
                found.contains(&(EventType::Clash, place.to_string())),
                "{place}: {found:?}"
            );
        }
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Other),
            "{found:?}"
        );
    }

    #[test]
    fn people_leaving_a_town_flee_it_and_dealing_with_a_situation_is_no_deal() {
        let found = kinds_and_places(
            "sinjar.txt",
            "Officials said at least 3,000 people had left Sinjar and headed north.\n\n\
             The Kurdistan government formed a committee to deal with the situation.\n\n\
             The violence erupted when the army moved in on Sunday.\n",
        );
        assert!(
            found.contains(&(EventType::Other, "Sinjar".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(EventType::Clash, "Sinjar".to_string())),
            "{found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|(t, _)| matches!(t, EventType::Handover | EventType::Agreement)),
            "{found:?}"
        );
    }

    #[test]
    fn a_second_strike_verb_is_a_second_attack_and_the_reporters_city_is_no_place() {
        let found = kinds_and_places(
            "kirkuk.txt",
            "Clashes continue in several parts of Kirkuk. Coalition jets struck\n\
             targets in Kirkuk in the afternoon and struck the stronghold of Hawija\n\
             earlier in the day.\n\n\
             \"They were later rescued by security forces after fierce fighting,\" a\n\
             reporter for a news site in Baghdad said.\n\n\
             The fight to win back Kirkuk has begun.\n",
        );
        assert!(
            found.contains(&(EventType::Attack, "Hawija".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(EventType::Attack, "Kirkuk".to_string())),
            "{found:?}"
        );
        assert!(!found.iter().any(|(_, p)| p == "Baghdad"), "{found:?}");
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Deployment),
            "the fight for a city is fighting: {found:?}"
        );
    }

    #[test]
    fn an_event_after_another_is_a_second_event() {
        let found = dated(
            "truce.txt",
            "Published 12 January 2026\n\nThe government declared a unilateral ceasefire in \
             Aleppo after capturing the Ashrafieh district on Sunday.\n",
        );
        let types: Vec<EventType> = found.iter().map(|(t, _, _)| *t).collect();
        assert!(
            types.contains(&EventType::Agreement) && types.contains(&EventType::Clash),
            "{found:?}"
        );
    }

    #[test]
    fn each_village_of_a_list_is_an_incident_even_when_unknown() {
        let d = doc(
            "shelling.txt",
            "Published 4 September 2019\n\nTurkish artillery shelled the villages of \
             Qubbat Zarqa, Tell Warda and Umm Hajra near Tal Tamr on Tuesday.\n",
        );
        let gaz = embedded();
        let found = extract_document(&d, gaz);
        let unknown: Vec<&str> = found
            .iter()
            .filter_map(|i| i.place.not_found.as_deref())
            .collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        for name in ["Qubbat Zarqa", "Tell Warda", "Umm Hajra"] {
            assert!(unknown.contains(&name), "{name} in {unknown:?}");
        }
        assert!(
            found
                .iter()
                .all(|i| i.event_type == EventType::Attack && i.geo_precision == 2)
        );
    }

    #[test]
    fn a_village_told_in_a_towns_area_is_one_place_and_travellers_homes_are_no_place() {
        let found = dated(
            "ops.txt",
            "Details of the operations:\n\n\
             * 19 July 2022: units raided a cell in the village of al-Dashisha,\n\
               al-Shaddadi area, killing two militants.\n\n\
             * 21 July 2022: gunmen kidnapped four policemen on the main road near\n\
               the Himreen area as they were heading to their homes in Baghdad.\n",
        );
        let places: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(places, vec!["Al-Dashisha", "Hamrin Mountains"], "{found:?}");
    }

    #[test]
    fn a_clause_naming_no_place_is_where_its_sentence_is() {
        let found = dated(
            "live.txt",
            "Published 5 March 2026\n\nClashes went on in Raqqa.\n\n09:40 GMT – State media \
             says government forces have entered the town of al-Shaddadi after SDF fighters \
             pulled out overnight.\n",
        );
        let withdrawal = found
            .iter()
            .find(|(t, _, _)| *t == EventType::Withdrawal)
            .unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(withdrawal.1, "Al-Shaddadi", "{found:?}");
    }

    #[test]
    fn goods_are_seized_where_they_were_not_bound_for() {
        let found = dated(
            "pills.txt",
            "Published 9 June 2024\n\nSecurity forces in Rif Dimashq seized 600,000 pills \
             bound for Iraq on Sunday.\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0, found[0].1.as_str()),
            (EventType::Seizure, "Rif Dimashq")
        );
    }

    #[test]
    fn areas_listed_and_lists_with_unknown_names() {
        let crossing = dated(
            "crossing.txt",
            "Published 30 September 2019\n\nThe Al-Qaim border crossing on the highway linking \
             the capitals of Iraq and Syria reopened on Monday.\n",
        );
        assert_eq!(
            crossing,
            [(
                EventType::Infrastructure,
                "Al-Qaim / Abu Kamal border crossing".to_string(),
                Some("2019-09-30".to_string())
            )],
            "countries a highway links are no areas of the event"
        );
        let found = dated(
            "lists.txt",
            "Published 2 June 2020\n\nThe group seized swathes of territory in Iraq and Syria \
             in 2014.\n\nTurkish jets struck 81 targets in Sinjar, Qandil, Zapzap, Hakurk and \
             Bashiqa on Monday.\n",
        );
        let places: Vec<(EventType, &str)> =
            found.iter().map(|(t, p, _)| (*t, p.as_str())).collect();
        for want in [
            (EventType::Clash, "Iraq"),
            (EventType::Clash, "Syria"),
            (EventType::Attack, "Sinjar"),
            (EventType::Attack, "Bashiqa"),
        ] {
            assert!(places.contains(&want), "{want:?} in {places:?}");
        }
    }

    #[test]
    fn lines_broken_by_pasted_markup_read_as_one_sentence() {
        let found = dated(
            "report.txt",
            "Published 3 August 2016\n\nA series of militant assaults on<br />\n\nJuly 30, \
             2016, briefly put the Bai Hassan oil<br />\n\nfield in Kirkuk out of service.\n",
        );
        assert!(
            found.iter().any(|(t, p, d)| *t == EventType::Attack
                && p == "Kirkuk"
                && d.as_deref() == Some("2016-07-30")),
            "{found:?}"
        );
    }

    /// (type, place, place not found as written, date) of each incident.
    fn found_with_names(
        name: &str,
        text: &str,
    ) -> Vec<(EventType, String, Option<String>, Option<String>)> {
        extract_document(&doc(name, text), embedded())
            .into_iter()
            .map(|i| {
                (
                    i.event_type,
                    i.place.canonical,
                    i.place.not_found,
                    i.date.map(|d| d.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn a_list_of_villages_after_a_capture_verb_is_one_incident_each() {
        let found = found_with_names(
            "roundup.txt",
            "Published 4 March 2019\n\nIraqi troops backed by tribal fighters on Sunday\n\
             retook Umm Zubayrat, Khirbat Dhuyul and Rujm Saqr west of\nHaditha, a \
             commander said.\n",
        );
        for name in ["Umm Zubayrat", "Khirbat Dhuyul", "Rujm Saqr"] {
            assert!(
                found.iter().any(|(t, _, nf, d)| *t == EventType::Clash
                    && nf.as_deref() == Some(name)
                    && d.as_deref() == Some("2019-03-03")),
                "{name} in {found:?}"
            );
        }
        // A force named in such a list is no village.
        let found = found_with_names(
            "arrest.txt",
            "Published 4 March 2019\n\nThe army captured Umm Zubayrat and the Islamic \
             State's commander there on Sunday.\n",
        );
        assert!(
            !found
                .iter()
                .any(|(_, _, nf, _)| nf.as_deref().is_some_and(|n| n.contains("Islamic"))),
            "{found:?}"
        );
    }

    #[test]
    fn words_of_real_reporting_give_their_events() {
        let text = "BAGHDAD, Jan. 8, 2025 (Wire) -- Two drones were launched at Ain \
                    al-Asad Air Base on Tuesday, officials said.\n\nPeshmerga tanks \
                    moved toward Mosul on Monday.\n\nRebel factions surrendered \
                    control of Mayadin to the Islamic State on Sunday.\n\nGunmen \
                    opened fire on a Muharram procession in Kirkuk on Tuesday.\n\n\
                    Following the clashes, the army deployed more troops to Sinjar on \
                    Wednesday.\n\nIraqi forces launched an assault on Tal Afar on \
                    Sunday.\n\nIraq launched an air strike on an Islamic State \
                    target inside Syria on Tuesday.\n";
        let found = found_with_names("wire.txt", text);
        let has =
            |t: EventType, place: &str| found.iter().any(|(ft, p, _, _)| *ft == t && p == place);
        assert!(has(EventType::Attack, "Ain al-Asad Air Base"), "{found:?}");
        assert!(has(EventType::Deployment, "Mosul"), "{found:?}");
        assert!(has(EventType::Handover, "Mayadin"), "{found:?}");
        assert!(!has(EventType::Seizure, "Mayadin"), "{found:?}");
        assert!(
            has(EventType::Attack, "Kirkuk"),
            "an Islamic month is no place: {found:?}"
        );
        assert!(has(EventType::Deployment, "Sinjar"), "{found:?}");
        assert!(
            !has(EventType::Clash, "Sinjar"),
            "the clashes are told before: {found:?}"
        );
        assert!(
            has(EventType::Clash, "Tal Afar"),
            "an assault on a town is fighting: {found:?}"
        );
        assert!(
            has(EventType::Attack, "Syria"),
            "the country that acts is not the place: {found:?}"
        );
    }

    #[test]
    fn publication_dates_of_real_pages() {
        let date_of = |name: &str, text: &str| {
            found_with_names(name, text)
                .into_iter()
                .map(|(t, _, _, d)| (t, d))
                .collect::<Vec<_>>()
        };
        let week = date_of(
            "weekly.txt",
            "URL: https://example.org/weekly/127/\n\nSecurity monitor: August 25 – 31, 2017\n\n\
             On August 27, militants attacked a checkpoint in Hawija.\n",
        );
        assert!(
            week.contains(&(EventType::Attack, Some("2017-08-27".into()))),
            "{week:?}"
        );
        let path = date_of(
            "paper.txt",
            "URL: http://www.example.com/news/2015/may/18/ramadi-falls/\n\nThe last \
             security forces withdrew from Ramadi on Sunday.\n",
        );
        assert!(
            path.contains(&(EventType::Withdrawal, Some("2015-05-17".into()))),
            "{path:?}"
        );
        let stamp = date_of(
            "portal.txt",
            "Iraq kills 15 insurgents in Anbar\n\nLast Modified: Wednesday، 14 August 2019 \
             09:10 PM\n\nAn air strike hit an Islamic State hideout near Rutba on Tuesday.\n",
        );
        assert!(
            stamp.contains(&(EventType::Attack, Some("2019-08-13".into()))),
            "{stamp:?}"
        );
    }

    #[test]
    fn places_listed_in_the_next_sentence_are_where_the_event_happened() {
        let text = "Published: 28 October 2018\n\n\
                    DEIR EZ-ZOR — Islamic State fighters seized all the ground the SDF had\n\
                    gained across the past year, an SDF source said. The areas are the town of\n\
                    al-Susah and the villages of al-Baghouz al-Foqani and Hajin.\n\n\
                    The source gave no toll.\n";
        let found = kinds_and_places("listed.txt", text);
        for town in ["As-Susah", "Al-Baghuz Fawqani", "Hajin (town)"] {
            assert!(
                found.contains(&(EventType::Clash, town.to_string())),
                "{town}: {found:?}"
            );
        }
        assert!(
            !found.iter().any(|(_, p)| p == "Deir ez-Zor"),
            "the dateline is not where it happened: {found:?}"
        );
        let d = doc("listed.txt", text);
        let one = extract_document(&d, embedded())
            .into_iter()
            .find(|i| i.place.canonical == "As-Susah")
            .expect("an incident at al-Susah");
        assert!(
            one.sources
                .iter()
                .any(|s| s.quote.starts_with("The areas are")),
            "the listing sentence is kept as a passage: {:?}",
            one.sources
        );
        // A sentence that lists places for no event before it adds nothing.
        let idle = kinds_and_places(
            "idle.txt",
            "Published: 28 October 2018\n\nThe region is poor. The areas are the town of \
             al-Susah and the villages of Hajin.\n",
        );
        assert!(idle.is_empty(), "{idle:?}");
    }

    #[test]
    fn a_condemned_attack_not_told_before_is_the_attack() {
        let found = kinds_and_places(
            "unami.txt",
            "Baghdad, 14 November 2021 – The Deputy Special Representative strongly\n\
             condemned the deadly suicide attacks that took place in different locations\n\
             around Baghdad on 13 November.\n",
        );
        assert!(
            found.contains(&(EventType::Attack, "Baghdad".to_string())),
            "{found:?}"
        );
        // Told first, the attack is one incident; the condemnation adds none.
        let told = kinds_and_places(
            "told.txt",
            "Published: 14 November 2021\n\nA suicide bomber killed six people at a market \
             in Ramadi on Saturday. The governor condemned the bombing.\n",
        );
        assert_eq!(
            told.iter().filter(|(t, _)| *t == EventType::Attack).count(),
            1,
            "{told:?}"
        );
    }

    #[test]
    fn the_province_of_a_name_is_the_governorate() {
        let found = kinds_and_places(
            "province.txt",
            "Published: 26 September 2023\n\nThe SDF sent reinforcements to the eastern \
             province of Deir az-Zour on Tuesday.\n",
        );
        assert_eq!(
            found,
            vec![(EventType::Deployment, "Deir ez-Zor".to_string())],
            "{found:?}"
        );
        let d = doc(
            "province.txt",
            "Published: 26 September 2023\n\nThe SDF sent reinforcements to the eastern \
             province of Deir az-Zour on Tuesday.\n",
        );
        let inc = &extract_document(&d, embedded())[0];
        assert_eq!(
            inc.geo_precision, 3,
            "the governorate, not its city: {inc:?}"
        );
    }

    #[test]
    fn sites_taken_finds_told_first_and_papers_withdrawn() {
        let found = kinds_and_places(
            "fields.txt",
            "Published: 17 October 2017\n\nIraqi forces also took the Avana oil field near \
             Kirkuk on Monday.\n\nDiscovered were 35 Kalashnikov rifles, pistols and hand \
             grenades at al-Hol camp.\n\nThe activist was freed later and the lawsuit \
             against him had been withdrawn in Mosul.\n\nOn August 31, the prime minister \
             declared victory over ISIS in Tal Afar.\n",
        );
        assert!(
            found.contains(&(EventType::Clash, "Kirkuk".to_string())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(t, p)| *t == EventType::Seizure && p.contains("Hol")),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Withdrawal),
            "a lawsuit withdrawn moves no forces: {found:?}"
        );
        assert!(
            found.contains(&(EventType::Clash, "Tal Afar".to_string())),
            "{found:?}"
        );
    }

    #[test]
    fn a_country_before_its_province_only_locates_it() {
        let d = doc(
            "anbar.txt",
            "Published: 24 June 2014\n\nOver the weekend of June 22, fighters of the Islamic \
             State in Iraq and the Levant seized several towns and border crossings in \
             western Iraq's Anbar province.\n\nHashd forces reportedly have not yet entered \
             the town of Makhmur.\n",
        );
        let found = extract_document(&d, embedded());
        assert_eq!(found.len(), 1, "no entry that has not happened: {found:?}");
        assert_eq!(found[0].place.canonical, "Al-Anbar", "{found:?}");
        assert!(
            !found[0].why.iter().any(|w| w.contains("not found")),
            "Iraq is in the gazetteer: {:?}",
            found[0].why
        );
    }

    #[test]
    fn fought_off_attacks_orders_capitulations_and_forces_named_by_country() {
        let found = kinds_and_places(
            "roundup.txt",
            "TAL TAMR, Syria, 9 March 2022\n\nThe SDF foiled this morning a ground attack by the\n\
             factions on the villages near Tal Tamr.\n\n\
             Two farmers were wounded by artillery shelling by the Turkish army near\n\
             Tal Tamr.\n\n\
             In Baghdad, the prime minister signed executive order 237 obliging the\n\
             factions to close their offices.\n\n\
             Earlier in March, the Free Syrian Army capitulated in Babila.\n\n\
             Government forces, enabled by Russian airstrikes, regained the town of\n\
             Palmyra in March 2017.\n",
        );
        for want in [
            (EventType::Clash, "Tell Tamer"),
            (EventType::Attack, "Tell Tamer"),
            (EventType::Statement, "Baghdad"),
            (EventType::Handover, "Babila"),
            (EventType::Clash, "Palmyra"),
        ] {
            assert!(
                found.iter().any(|(t, p)| *t == want.0 && p == want.1),
                "{want:?} in {found:?}"
            );
        }
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Agreement),
            "an order signed is no accord: {found:?}"
        );
        assert!(
            !found.iter().any(|(_, p)| p == "Turkey"),
            "the Turkish army shells Syria, not Turkey: {found:?}"
        );
    }

    #[test]
    fn a_plot_foiled_is_not_fighting_and_time_taken_over_is_no_takeover() {
        let found = kinds_and_places(
            "plot.txt",
            "Published: 2 May 2023\n\nIraqi police foiled a suicide attack in Ramadi on\n\
             Monday.\n\nResidents say the groups kept their grip on Al-Qaim despite measures\n\
             taken over the past year.\n",
        );
        assert!(
            !found.iter().any(|(t, _)| *t == EventType::Clash),
            "{found:?}"
        );
    }

    #[test]
    fn a_roundup_of_developments_a_strike_per_quoted_place_and_land_once_captured() {
        let found = kinds_and_places(
            "weekly.md",
            "WEEKLY BRIEF | 30 September 2017\n\n\
             This week saw several turns, including the SDF capturing the Conoco gas field\n\
             in Deir ez-Zor, Iran launching a missile strike against ISIS in Deir ez-Zor and\n\
             Russia sending more troops to Palmyra.\n\n\
             \u{201c}Near Qayyarah, a strike destroyed a vehicle,\u{201d} and \u{201c}near Tal Afar,\n\
             a strike destroyed a weapons cache,\u{201d} the statement said.\n\n\
             The group has lost ground in recent months, having to hand back captured\n\
             territories in Iraq and Syria.\n\n\
             LIVE: Shelling of \u{2018}besieged\u{2019} Kobani goes on.\n",
        );
        let has = |t: EventType, p: &str| found.iter().any(|(k, c)| *k == t && c == p);
        assert!(has(EventType::Attack, "Kobani"), "{found:?}");
        assert!(!has(EventType::Clash, "Kobani"), "{found:?}");
        assert!(has(EventType::Clash, "Conoco gas field"), "{found:?}");
        assert!(has(EventType::Attack, "Deir ez-Zor"), "{found:?}");
        assert!(has(EventType::Attack, "Tal Afar"), "{found:?}");
        assert!(has(EventType::Attack, "Al-Qayyarah"), "{found:?}");
        assert!(has(EventType::Deployment, "Palmyra"), "{found:?}");
        assert!(
            !found.iter().any(|(_, c)| c == "Iraq" || c == "Syria"),
            "a trend over months told of whole countries is no incident: {found:?}"
        );
    }

    #[test]
    fn control_taken_by_arrangement_is_a_handover_and_by_force_a_clash() {
        let found = kinds_and_places(
            "handover.txt",
            "HASAKAH, Syria, Feb. 3 (wire) -- Syrian army units captured the town of\n\
             Al-Shaddadi on Monday after coordination with the Syrian Democratic Forces,\n\
             a defence ministry official said.\n\n\
             Separately, government forces captured the village of Tall Hamis after\n\
             two days of heavy fighting with the SDF.\n\n\
             Tribal media claimed that they control the villages of Dhiban and\n\
             Al-Tayana.\n",
        );
        assert!(
            found.contains(&(EventType::Clash, "Dhiban".to_string())),
            "a claim of control reports the capture: {found:?}"
        );
        assert!(
            found.contains(&(EventType::Handover, "Al-Shaddadi".to_string())),
            "{found:?}"
        );
        assert!(
            !found.contains(&(EventType::Clash, "Al-Shaddadi".to_string())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(t, p)| *t == EventType::Clash && p.starts_with("Tell Hamis")),
            "{found:?}"
        );
    }

    #[test]
    fn a_list_of_sites_keeps_its_items_across_an_apposition() {
        let found = kinds_and_places(
            "fields.txt",
            "Government troops have seized the Omar oil field, the country\u{2019}s\n\
             largest, and the Conoco gas field, in the province of Deir ez-Zor, security\n\
             sources said on Sunday.\n",
        );
        assert!(
            found.iter().any(|(_, p)| p == "Conoco gas field"),
            "{found:?}"
        );
        assert!(found.iter().any(|(_, p)| p.contains("Omar")), "{found:?}");
    }
}
