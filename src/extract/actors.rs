//! Actors: a lexicon of the armed groups, forces and governments active around
//! the Iraq–Syria border, each with its canonical name and the ways texts name it.

use std::sync::LazyLock;

use regex::Regex;

/// (canonical name, pattern). Patterns are case-sensitive where acronyms would
/// otherwise collide with words ("IS" is not "is").
const LEXICON: [(&str, &str); 28] = [
    (
        "Islamic State",
        r"\b(?:Islamic State(?: of Iraq and (?:Syria|the Levant))?|ISIS|ISIL|Daesh|Da'esh|IS)\b",
    ),
    (
        "SDF",
        r"\b(?:Syrian Democratic Forces|SDF|Kurdish-led (?:security |armed )?forces)\b",
    ),
    (
        "Asayish",
        r"\b(?:Asayish|Asayesh|Asaish)(?: internal security(?: police| forces)?)?\b",
    ),
    (
        "Iraqi security forces",
        r"\b(?:Iraqi (?:[Ss]ecurity |[Aa]rmed )?[Ff]orces|Iraqi (?:[Aa]rmy|[Mm]ilitary|troops|soldiers|border guards?)|Iraq's (?:army|military)|ISF|Joint Operations Command|Counter-Terrorism Service|Iraqi security force)\b",
    ),
    (
        "Popular Mobilization Forces",
        r"\b(?:Popular Mobili[sz]ation (?:Forces|Units|Committee)|PMF|PMU|Hashd(?: al-Shaabi)?|al-Hashd)\b",
    ),
    (
        "International coalition",
        r"\b(?:(?:US-led|U\.S\.-led|[Ii]nternational|Global|anti-ISIS|anti-IS) [Cc]oalition|[Cc]oalition (?:forces|advisers|advisors|troops|aircraft|base|bases|garrison|partners|strikes?|airstrikes?|air strikes?|precision strikes?|jets|warplanes|drones?|officials?|spokes(?:man|woman|person)|commander)|CJTF-OIR|Operation Inherent Resolve)\b|\b[Tt]he coalition\b(?: of)?|\b(?:[Tt]he|a|by|with) Coalition\b",
    ),
    (
        "US forces",
        r"\b(?:US|U\.S\.|American|United States) (?:forces|troops|military|soldiers|personnel|aircraft|jets|warplanes|drones?)\b",
    ),
    (
        "United States",
        r"\b(?:the United States|Washington|US (?:government|administration|officials|envoy|Secretary of (?:State|Defense))|U\.S\. (?:government|administration|officials)|Pentagon|State Department|Department of Defense)\b",
    ),
    (
        "Kataib Hezbollah",
        r"\bKata'?ib Hez?b[ou]llah|\bKataib Hizballah\b",
    ),
    (
        "Harakat al-Nujaba",
        r"\b(?:Harakat al-Nujaba|al-Nujaba|Nujaba)\b",
    ),
    (
        "Kataib Sayyid al-Shuhada",
        r"\bKata'?ib Sayy?id al-Shuhada\b",
    ),
    ("Badr Organization", r"\bBadr(?: Organi[sz]ation)?\b"),
    (
        "Islamic Resistance in Iraq",
        r"\bIslamic Resistance(?: in Iraq)?\b",
    ),
    ("Hezbollah", r"\bHezbollah\b"),
    (
        "Syrian government",
        r"\b(?:Syrian (?:government|[Aa]rmy|authorities|regime|Arab Army|forces|security forces|Interior Ministry|Defen[cs]e Ministry|transitional government)|Syria's (?:Interior|Defen[cs]e) Ministry|Syria's (?:new )?(?:government|leadership|army)|Damascus|Assad (?:regime|government)|government forces|factions linked to Damascus)\b",
    ),
    (
        "Iraqi government",
        r"\b(?:Iraqi (?:government|authorities|officials|[Pp]rime [Mm]inister|Interior Ministry|Defen[cs]e Ministry)|Iraq's (?:Interior Ministry|Defen[cs]e Ministry|government|defense minister|prime minister)|Baghdad|al-Sudani|Sudani)\b",
    ),
    (
        "Turkey",
        r"\b(?:Turkey|Türkiye|Ankara|Turkish (?:forces|army|military|government|drones?|aircraft|jets|warplanes|troops|artillery|defen[cs]e ministry))\b",
    ),
    (
        "Iran",
        r"\b(?:Iran|Tehran|IRGC|Qu?ods Force|Iranian (?:forces|government|officials))\b",
    ),
    (
        "Russia",
        r"\b(?:Russia|Moscow|Russian (?:forces|troops|military))\b",
    ),
    (
        "Kurdish forces",
        r"\b(?:YPG|YPJ|Kurdish (?:forces|fighters|militias?|groups))\b",
    ),
    ("Peshmerga", r"\bPeshmerga\b"),
    ("HTS", r"\b(?:Hay'?at Tahrir al-Sham|HTS)\b"),
    (
        "Tribal forces",
        r"\b(?:[Tt]ribes?|[Tt]ribal (?:forces|fighters|militias?|leaders|gunmen)|[Tt]ribesmen|[Cc]lans|[Cc]lansmen|[Cc]lan (?:fighters|members|gunmen))\b",
    ),
    (
        "Israel",
        r"\b(?:Israel|Israeli (?:forces|military|army|strikes?|air ?strikes?|aircraft|jets|warplanes|drones?|air force))\b",
    ),
    ("Jordan", r"\b(?:Jordan|Jordanian (?:forces|army))\b"),
    (
        "Sadrist movement",
        r"\b(?:Muqtada al-Sadr|Sadr|Sadrists?)\b",
    ),
    (
        "Armed factions",
        r"\b(?:armed (?:factions|groups)|Iraqi factions|(?:Iran|Iranian|Turkish|Turkey|Tehran|Ankara)-(?:backed|aligned|allied|affiliated) (?:armed )?(?:factions?|groups?|militias?|fighters)|militias?)\b",
    ),
    (
        "Narcotics authorities",
        r"\b(?:Anti-Narcotics Directorate|General Directorate for Narcotics[\w ]{0,40}|narcotics police)\b",
    ),
];

/// A capital that stands for its government when it acts ("Baghdad said").
static CAPITAL_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:Baghdad|Damascus|Washington|Tehran|Ankara|Moscow)$")
        .expect("valid pattern")
});

/// Words before a capital that make it a place: "in", "north of", "outside".
static PLACE_PREPOSITION_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)\b(?:in|at|near|outside|around|into|towards|across|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+(?:of\s+)?|of)\s+(?:the\s+)?(?:(?:city|capital|outskirts|suburbs|center|centre|streets)\s+of\s+)?$",
    )
    .expect("valid pattern")
});

static COMPILED: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    LEXICON
        .iter()
        .map(|(name, pat)| {
            (
                *name,
                crate::pattern::compile(pat).expect("actor patterns are valid regular expressions"),
            )
        })
        .collect()
});

/// An actor named in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    /// Canonical name.
    pub canonical: &'static str,
    /// Start byte in the searched text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

/// Finds actors named in `text`; a mention inside a longer one is dropped
/// ("Hezbollah" inside "Kataib Hezbollah"). In text order.
pub fn find_actors(text: &str) -> Vec<ActorMention> {
    thread_local! {
        static RECENT: std::cell::RefCell<Vec<(String, Vec<ActorMention>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    super::memo::remembered(
        &RECENT,
        |k| k == text,
        || text.to_string(),
        || find_actors_uncached(text),
    )
}

fn find_actors_uncached(text: &str) -> Vec<ActorMention> {
    let mut all: Vec<ActorMention> = Vec::new();
    for (name, re) in COMPILED.iter() {
        for m in re.find_iter(text) {
            let s = m.as_str();
            // "the coalition of parties" is not the international coalition.
            if *name == "International coalition" && s.ends_with(" of") {
                continue;
            }
            // "Iran-backed militias" are not Iran itself.
            let rest = &text[m.end()..];
            if let Some(after) = rest
                .strip_prefix('-')
                .or_else(|| rest.strip_prefix('‑'))
                .or_else(|| rest.strip_prefix('‐'))
                && ["backed", "aligned", "allied", "linked"]
                    .iter()
                    .any(|w| after.starts_with(w))
            {
                continue;
            }
            // "north of Baghdad", "the road to Damascus": a capital named as
            // a place is no government.
            if CAPITAL_WORD.is_match(s) && PLACE_PREPOSITION_BEFORE.is_match(&text[..m.start()]) {
                continue;
            }
            all.push(ActorMention {
                canonical: name,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    let snapshot = all.clone();
    all.retain(|a| {
        !snapshot
            .iter()
            .any(|b| b.start <= a.start && a.end <= b.end && (b.end - b.start) > (a.end - a.start))
    });
    all.sort_by_key(|a| a.start);
    all
}

/// The country a state actor belongs to ("Syrian government" → "Syria").
pub fn home_country(canonical: &str) -> Option<&'static str> {
    Some(match canonical {
        "Syrian government" => "Syria",
        "Iraqi government" | "Iraqi security forces" | "Popular Mobilization Forces" => "Iraq",
        "Turkey" => "Turkey",
        "Iran" => "Iran",
        "Israel" => "Israel",
        "Jordan" => "Jordan",
        _ => return None,
    })
}

/// Canonical actor names in order of first mention, without repeats.
pub fn actor_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for a in find_actors(text) {
        if !names.iter().any(|n| n == a.canonical) {
            names.push(a.canonical.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_and_acronyms() {
        assert_eq!(
            actor_names(
                "IS fighters clashed with the SDF; Daesh is weak and ISIS is not; Kataib Hezbollah and the PMF"
            ),
            [
                "Islamic State",
                "SDF",
                "Kataib Hezbollah",
                "Popular Mobilization Forces"
            ]
        );
        assert_eq!(
            actor_names("Iraqi forces and the US-led international coalition"),
            ["Iraqi security forces", "International coalition"]
        );
        assert!(actor_names("this is a coalition of parties").is_empty());
        // A non-breaking hyphen, as pages set "Iran‑backed", is a hyphen too.
        for text in [
            "Iran-backed militias",
            "Iran\u{2011}backed militias",
            "Iran\u{2010}backed",
        ] {
            assert!(!actor_names(text).contains(&"Iran".to_string()), "{text}");
        }
        assert_eq!(
            actor_names("Damascus and Ankara"),
            ["Syrian government", "Turkey"]
        );
        assert_eq!(actor_names("Iran-backed militias"), ["Armed factions"]);
        // A capital named as a place is not its government.
        assert!(actor_names("the Taji air base north of Baghdad").is_empty());
        assert!(actor_names("protests in Damascus and the road towards Baghdad").is_empty());
        assert_eq!(
            actor_names("Baghdad said it would respond"),
            ["Iraqi government"]
        );
    }
}
