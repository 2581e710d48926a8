//! Dates in text: absolute ("Nov 7, 2025", "October 22", "March 2023", "late
//! 2024"), partial ones whose year is inferred from the publication date, and
//! relative ones ("on Sunday", "last week", "about ten days ago") resolved
//! against the publication date when it is known and kept as relative when not.

use std::sync::LazyLock;

use chrono::{Datelike as _, Days, Months, NaiveDate, Weekday};
use regex::Regex;

use crate::docs::month_from_name;
use crate::incidents::{PartialDate, TimePrecision};

/// Days after publication still taken as "this year" for a date without a year
/// (articles mention events scheduled a few days ahead).
const FUTURE_WINDOW_DAYS: u64 = 14;

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Start byte in the searched text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The words as written.
    pub text: String,
    /// The resolved date, if it could be resolved.
    pub date: Option<PartialDate>,
    /// How precise it is (`Relative` when it could not be resolved).
    pub precision: TimePrecision,
    /// Days after the event reported just before ("the same day": 0, "two
    /// days later": 2, "the day before": -1): resolved against that event's
    /// date by the caller, since it depends on what came before.
    pub shift_days: Option<i64>,
}

const MONTH: &str = r"(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|JAN\.?|FEB\.?|MAR\.?|APR\.?|JUN\.?|JUL\.?|AUG\.?|SEPT?\.?|OCT\.?|NOV\.?|DEC\.?|January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
/// Month names in full, capitalised: what a month standing before a noun
/// ("a July raid") is written as.
const FULL_MONTH: &str =
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUMBER: &str = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a few|several|a couple of)";

static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let p = |s: String| {
        crate::pattern::compile(&s).expect("date patterns are valid regular expressions")
    };
    vec![
        (Kind::MonthDayYear, p(format!(r"\b(?P<mon>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"))),
        (Kind::DayMonthYear, p(format!(r"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH}),?\s+(?P<year>(?:19|20)\d\d)\b"))),
        (Kind::MonthYear, p(format!(r"(?i:\b(?:early|mid-?|late|the end of|end of|the beginning of|the start of)\s*)?\b(?P<mon>{MONTH})\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b"))),
        (Kind::MonthDay, p(format!(r"\b(?P<mon>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?:19|20)\d\d)?"))),
        (Kind::DayMonth, p(format!(r"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH})\b"))),
        (Kind::QualifiedYear, p(r"(?i)\b(?:early|mid-?|late|the end of|end of|the beginning of|the start of|the first half of|the second half of)\s*(?P<year>(?:19|20)\d\d)\b".to_string())),
        (Kind::Ago, p(format!(r"(?i)\b(?:about |around |nearly |some |roughly |almost |more than |over |just )?(?P<n>{NUMBER})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b"))),
        (Kind::Shift, p(r"(?i)\b(?:the same day|that same day|later that day|that day|hours later|minutes later|shortly afterwards?|the next day|the following day|the night before|the previous night|the previous evening|(?P<n>a|one|two|three|four|five|six|seven|\d{1,2}) days? (?P<dir>later|earlier)|the previous day|the day before)\b".to_string())),
        (Kind::WeekdayRef, p(format!(r"(?i:\b(?:late |early )?(?:on |last |this |past )?)(?P<wd>{WEEKDAY})\b"))),
        (Kind::Named, p(r"(?i)\b(?P<named>the day before yesterday|yesterday|today|tonight|this morning|last night|over the weekend|last weekend|this weekend|the weekend|earlier this week|this week|last week|earlier this month|this month|last month|earlier this year|this year|last year)\b".to_string())),
        (Kind::MonthAlone, p(format!(r"\b(?i:in|since|by|until|during|early|mid-?|late|last|this|next|from|before|after|of)\s+(?P<mon>{MONTH})\b"))),
        // A month standing before the noun it dates: "during a July raid",
        // "the March offensive" (the noun is checked in `resolve`).
        (Kind::MonthAlone, p(format!(r"\b(?i:a|an|the|its|their|that)\s+(?P<mon>{FULL_MONTH})\b"))),
        // A timeline's entry headed by its month alone: "OCTOBER: Iraqi forces …".
        (Kind::MonthAlone, p(format!(r"^[\s*•-]*(?P<mon>{MONTH})\s*[:–—]"))),
        (Kind::Year, p(r"(?:\b(?i:in|since|by|until|during|from|before|after|of|throughout|the|year|around)\s+)?\b(?P<year>(?:19|20)\d\d)\b(?:s\b)?".to_string())),
    ]
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    MonthDayYear,
    DayMonthYear,
    MonthYear,
    MonthDay,
    DayMonth,
    QualifiedYear,
    Ago,
    Shift,
    WeekdayRef,
    Named,
    MonthAlone,
    Year,
}

fn number_word(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    Some(match lower.as_str() {
        "one" => 1,
        "two" | "a couple of" => 2,
        "three" | "a few" | "several" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        _ => lower.parse().ok()?,
    })
}

/// The year for a month (and day) given without one: the latest year in which
/// the date is not after the publication date plus a small window.
fn infer_year(month: u32, day: Option<u32>, publication: NaiveDate) -> Option<i32> {
    let limit = publication.checked_add_days(Days::new(FUTURE_WINDOW_DAYS))?;
    (publication.year() - 1..=publication.year() + 1)
        .rev()
        .find(|y| NaiveDate::from_ymd_opt(*y, month, day.unwrap_or(1)).is_some_and(|d| d <= limit))
}

/// The date of a month and day written without a year ("on Jan. 20") when
/// the publication is known only to the month (a source address with
/// `/2026/01/`): the latest such day not after that month's end.
pub fn day_in_published_month(text: &str, (year, month): (i32, u32)) -> Option<PartialDate> {
    let end = NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()?;
    PATTERNS
        .iter()
        .filter(|(kind, _)| matches!(kind, Kind::MonthDay | Kind::DayMonth))
        .find_map(|(_, re)| {
            let caps = re.captures(text)?;
            let m = month_from_name(caps.name("mon")?.as_str())?;
            let d: u32 = caps.name("day")?.as_str().parse().ok()?;
            let y = infer_year(m, Some(d), end)?;
            NaiveDate::from_ymd_opt(y, m, d)?;
            Some(PartialDate {
                year: y,
                month: Some(m),
                day: Some(d),
            })
        })
}

fn weekday_from(name: &str) -> Option<Weekday> {
    name.to_ascii_lowercase().get(..3)?.parse::<Weekday>().ok()
}

/// Finds date expressions in `text`, longest and most specific first, never
/// overlapping, in text order. `publication` anchors years and relative dates.
pub fn find_dates(text: &str, publication: Option<NaiveDate>) -> Vec<DateMention> {
    type Key = (Option<NaiveDate>, String);
    thread_local! {
        static RECENT: std::cell::RefCell<Vec<(Key, Vec<DateMention>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    super::memo::remembered(
        &RECENT,
        |(p, t)| *p == publication && t == text,
        || (publication, text.to_string()),
        || find_dates_uncached(text, publication),
    )
}

fn find_dates_uncached(text: &str, publication: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found: Vec<DateMention> = Vec::new();
    for (kind, re) in PATTERNS.iter() {
        for caps in re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            if found
                .iter()
                .any(|f| whole.start() < f.end && f.start < whole.end())
            {
                continue;
            }
            if let Some(mention) = resolve(*kind, &caps, text, publication) {
                // Keep prepositions that change the meaning ("since 2003"), drop the rest.
                let mut start = whole.start();
                let mut shown = whole.as_str();
                for lead in [
                    "in ", "In ", "of ", "Of ", "the ", "The ", "during ", "During ",
                ] {
                    if let Some(rest) = shown.strip_prefix(lead)
                        && rest.starts_with(|c: char| c.is_ascii_digit())
                    {
                        start += lead.len();
                        shown = rest;
                    }
                }
                found.push(DateMention {
                    start,
                    end: whole.end(),
                    text: shown.trim().to_string(),
                    ..mention
                });
            }
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

fn resolve(
    kind: Kind,
    caps: &regex::Captures<'_>,
    text: &str,
    publication: Option<NaiveDate>,
) -> Option<DateMention> {
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
    let month = caps.name("mon").and_then(|m| month_from_name(m.as_str()));
    let blank = |date: Option<PartialDate>, precision: TimePrecision| DateMention {
        start: 0,
        end: 0,
        text: String::new(),
        date,
        precision,
        shift_days: None,
    };
    match kind {
        Kind::MonthDayYear | Kind::DayMonthYear => {
            let (y, m, d) = (num("year")? as i32, month?, num("day")? as u32);
            NaiveDate::from_ymd_opt(y, m, d)?;
            Some(blank(
                Some(PartialDate {
                    year: y,
                    month: Some(m),
                    day: Some(d),
                }),
                TimePrecision::Day,
            ))
        }
        Kind::MonthYear => Some(blank(
            Some(PartialDate::month(num("year")? as i32, month?)),
            TimePrecision::Month,
        )),
        Kind::MonthDay | Kind::DayMonth => {
            let (m, d) = (month?, num("day")? as u32);
            if !(1..=31).contains(&d) {
                return None;
            }
            // "May 5" needs a capital: the pattern is case-sensitive for months.
            match publication.and_then(|p| infer_year(m, Some(d), p)) {
                Some(y) => {
                    NaiveDate::from_ymd_opt(y, m, d)?;
                    Some(blank(
                        Some(PartialDate {
                            year: y,
                            month: Some(m),
                            day: Some(d),
                        }),
                        TimePrecision::Day,
                    ))
                }
                None => Some(blank(None, TimePrecision::Relative)),
            }
        }
        Kind::MonthAlone => {
            let m = month?;
            let word = caps
                .get(0)?
                .as_str()
                .split_whitespace()
                .next()?
                .to_ascii_lowercase();
            if matches!(word.as_str(), "a" | "an" | "the" | "its" | "their" | "that") {
                // Only a month before a word of lower case is one dating a
                // noun ("a July raid"); "the May 9 attack" is a day, and "a
                // May" or "the March of Time" is none.
                let after = &text[caps.get(0)?.end()..];
                let next = after.strip_prefix(' ')?;
                if !next.starts_with(char::is_lowercase) || next.starts_with("of ") {
                    return None;
                }
            }
            let pubd = publication?;
            let year = match word.as_str() {
                "next" => pubd.year() + i32::from(m <= pubd.month()),
                "last" => pubd.year() - i32::from(m >= pubd.month()),
                _ => infer_year(m, None, pubd)?,
            };
            Some(blank(
                Some(PartialDate::month(year, m)),
                TimePrecision::Month,
            ))
        }
        Kind::QualifiedYear | Kind::Year => {
            let whole = caps.get(0)?;
            let after = &text[whole.end()..];
            // Not a year: "2014-kilometer", "2,014", a decade ("1980s").
            if after.starts_with(['-', '%'])
                || text[..whole.start()].ends_with(['$', ',', '.'])
                || whole.as_str().ends_with('s')
            {
                return None;
            }
            Some(blank(
                Some(PartialDate::year(num("year")? as i32)),
                TimePrecision::Year,
            ))
        }
        Kind::Ago => {
            let n = number_word(caps.name("n")?.as_str())?;
            let unit = caps.name("unit")?.as_str().to_ascii_lowercase();
            let approx = caps.get(0)?.as_str().split_whitespace().count() > 3 || n >= 3;
            let Some(p) = publication else {
                return Some(blank(None, TimePrecision::Relative));
            };
            if unit.starts_with("day") {
                let d = p.checked_sub_days(Days::new(n))?;
                Some(blank(
                    Some(PartialDate::from_date(d)),
                    if approx {
                        TimePrecision::Week
                    } else {
                        TimePrecision::Day
                    },
                ))
            } else if unit.starts_with("week") {
                let d = p.checked_sub_days(Days::new(7 * n))?;
                Some(blank(Some(PartialDate::from_date(d)), TimePrecision::Week))
            } else if unit.starts_with("month") {
                let d = p.checked_sub_months(Months::new(u32::try_from(n).ok()?))?;
                Some(blank(
                    Some(PartialDate::month(d.year(), d.month())),
                    TimePrecision::Month,
                ))
            } else {
                Some(blank(
                    Some(PartialDate::year(p.year() - i32::try_from(n).ok()?)),
                    TimePrecision::Year,
                ))
            }
        }
        Kind::Shift => {
            let lower = caps.get(0)?.as_str().to_ascii_lowercase();
            let days = if let Some(n) = caps.name("n") {
                let n = match n.as_str().to_ascii_lowercase().as_str() {
                    "a" => 1,
                    other => i64::try_from(number_word(other)?).ok()?,
                };
                if caps
                    .name("dir")
                    .is_some_and(|d| d.as_str().eq_ignore_ascii_case("earlier"))
                {
                    -n
                } else {
                    n
                }
            } else if lower.contains("next") || lower.contains("following") {
                1
            } else if lower.contains("previous") || lower.contains("before") {
                // "the day before", "the night before", "the previous night"
                -1
            } else {
                0
            };
            Some(DateMention {
                shift_days: Some(days),
                ..blank(None, TimePrecision::Relative)
            })
        }
        Kind::WeekdayRef => {
            let wd = weekday_from(caps.name("wd")?.as_str())?;
            // Weekday names need a capital letter.
            if !caps.name("wd")?.as_str().starts_with(char::is_uppercase) {
                return None;
            }
            let Some(p) = publication else {
                return Some(blank(None, TimePrecision::Relative));
            };
            let lower = caps.get(0)?.as_str().to_ascii_lowercase();
            let mut back = (7 + p.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            if back == 0 && (lower.contains("last") || lower.contains("past")) {
                back = 7;
            }
            let d = p.checked_sub_days(Days::new(u64::from(back)))?;
            Some(blank(Some(PartialDate::from_date(d)), TimePrecision::Day))
        }
        Kind::Named => {
            let named = caps.name("named")?.as_str().to_ascii_lowercase();
            let Some(p) = publication else {
                return Some(blank(None, TimePrecision::Relative));
            };
            let days_back = |n: u64| p.checked_sub_days(Days::new(n)).map(PartialDate::from_date);
            Some(match named.as_str() {
                "the day before yesterday" => blank(days_back(2), TimePrecision::Day),
                "yesterday" | "last night" => blank(days_back(1), TimePrecision::Day),
                "today" | "tonight" | "this morning" => blank(days_back(0), TimePrecision::Day),
                "this week" | "earlier this week" => blank(days_back(0), TimePrecision::Week),
                "last week" => blank(days_back(7), TimePrecision::Week),
                "this month" | "earlier this month" => blank(
                    Some(PartialDate::month(p.year(), p.month())),
                    TimePrecision::Month,
                ),
                "last month" => {
                    let d = p.checked_sub_months(Months::new(1))?;
                    blank(
                        Some(PartialDate::month(d.year(), d.month())),
                        TimePrecision::Month,
                    )
                }
                "last year" => blank(Some(PartialDate::year(p.year() - 1)), TimePrecision::Year),
                // The Saturday of the weekend just past (or under way).
                w if w.ends_with("weekend") => {
                    let back = (p.weekday().num_days_from_monday() + 2) % 7;
                    blank(days_back(u64::from(back)), TimePrecision::Week)
                }
                _ => blank(Some(PartialDate::year(p.year())), TimePrecision::Year),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pubd() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2025, 11, 7)
    }

    fn one(text: &str, publication: Option<NaiveDate>) -> (Option<String>, TimePrecision, String) {
        let found = find_dates(text, publication);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (
            found[0].date.map(|d| d.to_string()),
            found[0].precision,
            found[0].text.clone(),
        )
    }

    #[test]
    fn absolute_and_partial_dates() {
        assert_eq!(
            one("Nov 7, 2025", None),
            (
                Some("2025-11-07".into()),
                TimePrecision::Day,
                "Nov 7, 2025".into()
            )
        );
        assert_eq!(
            one("after the March 2023 shutdown", None).0.as_deref(),
            Some("2023-03")
        );
        assert_eq!(
            one("In December 2021, the mission", None).1,
            TimePrecision::Month
        );
        assert_eq!(
            one("fell in late 2024 when", None),
            (Some("2024".into()), TimePrecision::Year, "late 2024".into())
        );
        assert_eq!(one("shut down since 2003", None).0.as_deref(), Some("2003"));
        assert_eq!(
            one("on 22 October 2025 they", None).0.as_deref(),
            Some("2025-10-22")
        );
        assert!(find_dates("a 600-kilometer border, 1,200 men, the 1990s", None).is_empty());
        assert!(find_dates("they may attack", pubd()).is_empty());
        // A month before the noun it dates.
        assert_eq!(
            one("During a July raid in al-Bab, U.S. forces", pubd())
                .0
                .as_deref(),
            Some("2025-07")
        );
        assert_eq!(
            one("since the March offensive", pubd()).0.as_deref(),
            Some("2025-03")
        );
        assert!(find_dates("a May Day rally and the March of Dimes", pubd()).is_empty());
    }

    #[test]
    fn missing_years_come_from_the_publication_date() {
        assert_eq!(
            one("announced on October 22 that", pubd()).0.as_deref(),
            Some("2025-10-22")
        );
        assert_eq!(
            one("the November 11 election", pubd()).0.as_deref(),
            Some("2025-11-11"),
            "a few days ahead is fine"
        );
        assert_eq!(
            one("on December 25 they met", pubd()).0.as_deref(),
            Some("2024-12-25")
        );
        assert_eq!(
            one("the summit held in Baghdad in May", pubd())
                .0
                .as_deref(),
            Some("2025-05")
        );
        assert_eq!(
            one("On July 30, the directorate", None),
            (None, TimePrecision::Relative, "July 30".into())
        );
        // Timeline entries headed in capitals, with or without the year.
        assert_eq!(
            one("JUNE 2014: The group seized the city", pubd())
                .0
                .as_deref(),
            Some("2014-06")
        );
        assert_eq!(
            one("OCTOBER: Forces claim victory in the town", pubd())
                .0
                .as_deref(),
            Some("2025-10")
        );
        // "MAY" in a capitals headline is a month only with a number.
        assert!(find_dates("IRAQ MAY CLOSE THE CROSSING", pubd()).is_empty());
    }

    #[test]
    fn relative_dates_resolve_against_publication() {
        // 2025-11-07 is a Friday.
        assert_eq!(
            one("announced Monday that", pubd()).0.as_deref(),
            Some("2025-11-03")
        );
        assert_eq!(
            one("In a post on X on Sunday, he", pubd()).0.as_deref(),
            Some("2025-11-02")
        );
        assert_eq!(
            one("late on Friday", pubd()).0.as_deref(),
            Some("2025-11-07")
        );
        assert_eq!(
            one("it happened yesterday", pubd()).0.as_deref(),
            Some("2025-11-06")
        );
        assert_eq!(
            one("called him about ten days ago", pubd()),
            (
                Some("2025-10-28".into()),
                TimePrecision::Week,
                "about ten days ago".into()
            )
        );
        assert_eq!(one("met last week", pubd()).1, TimePrecision::Week);
        assert_eq!(
            one("On Sunday, the committee", None),
            (None, TimePrecision::Relative, "On Sunday".into())
        );
    }
}
