//! The incident model: event types, partial dates, places, provenance, filters,
//! merging of reports of the same event, analyst edits, and export to GeoJSON and
//! ACLED-like CSV. Pure data: no I/O and no GUI.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Serialize};

/// What kind of event an incident reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Goods, weapons, drugs, cash or vehicles seized; people arrested or
    /// captured by security forces.
    Seizure,
    /// Armed fighting between organised sides, and the capture or recapture
    /// of a town, area or site by force.
    Clash,
    /// One-sided violence: bombing, IED, air or drone strike, shelling,
    /// rocket fire, ambush, raid, assassination, kidnapping, an assault on a
    /// prison or base.
    Attack,
    /// Forces leaving a base, an area or a country.
    Withdrawal,
    /// Control of a base, site or area, or custody of people, passing from one
    /// party to another without fighting (detainees transferred, camp
    /// residents repatriated).
    Handover,
    /// Forces sent, reinforced or positioned; border security measures.
    Deployment,
    /// An agreement, deal, ceasefire, accord or authorisation.
    Agreement,
    /// Talks, a visit, a summit or a call between officials.
    Meeting,
    /// A declaration that is news in itself: warning, threat, demand,
    /// accusation, denial, claim of responsibility, policy announcement.
    Statement,
    /// A crossing, pipeline, road, bridge, dam or field opened, closed, shut,
    /// restarted, built or damaged other than by an attack.
    Infrastructure,
    /// What happens at a prison or camp: a break-out, riot, escape, recapture
    /// of escapees, a change of who controls it.
    DetentionFacility,
    /// A reported event that fits none of the others (protest, election,
    /// displacement, accident).
    Other,
}

impl EventType {
    /// Every event type, in display order.
    pub const ALL: [EventType; 12] = [
        EventType::Seizure,
        EventType::Clash,
        EventType::Attack,
        EventType::Withdrawal,
        EventType::Handover,
        EventType::Deployment,
        EventType::Agreement,
        EventType::Meeting,
        EventType::Statement,
        EventType::Infrastructure,
        EventType::DetentionFacility,
        EventType::Other,
    ];

    /// Human-readable label, e.g. "Detention facility".
    pub fn label(&self) -> &'static str {
        match self {
            EventType::Seizure => "Seizure",
            EventType::Clash => "Clash",
            EventType::Attack => "Attack",
            EventType::Withdrawal => "Withdrawal",
            EventType::Handover => "Handover",
            EventType::Deployment => "Deployment",
            EventType::Agreement => "Agreement",
            EventType::Meeting => "Meeting",
            EventType::Statement => "Statement",
            EventType::Infrastructure => "Infrastructure",
            EventType::DetentionFacility => "Detention facility",
            EventType::Other => "Other",
        }
    }

    /// The snake_case name used in files, e.g. "detention_facility".
    pub fn as_str(&self) -> &'static str {
        match self {
            EventType::Seizure => "seizure",
            EventType::Clash => "clash",
            EventType::Attack => "attack",
            EventType::Withdrawal => "withdrawal",
            EventType::Handover => "handover",
            EventType::Deployment => "deployment",
            EventType::Agreement => "agreement",
            EventType::Meeting => "meeting",
            EventType::Statement => "statement",
            EventType::Infrastructure => "infrastructure",
            EventType::DetentionFacility => "detention_facility",
            EventType::Other => "other",
        }
    }

    /// The ACLED `event_type` and `sub_event_type` this type maps to (the
    /// labelling guide's table; where several sub-types fit, the usual one).
    pub fn acled(&self) -> (&'static str, &'static str) {
        match self {
            EventType::Seizure => ("Strategic developments", "Arrests"),
            EventType::Clash => ("Battles", "Armed clash"),
            EventType::Attack => ("Explosions/Remote violence", "Air/drone strike"),
            EventType::Withdrawal => ("Strategic developments", "Change to group/activity"),
            EventType::Handover => (
                "Strategic developments",
                "Non-violent transfer of territory",
            ),
            EventType::Deployment => ("Strategic developments", "Change to group/activity"),
            EventType::Agreement => ("Strategic developments", "Agreement"),
            EventType::Meeting => ("Strategic developments", "Other"),
            EventType::Statement => ("Strategic developments", "Other"),
            EventType::Infrastructure => ("Strategic developments", "Other"),
            EventType::DetentionFacility => ("Strategic developments", "Other"),
            EventType::Other => ("Strategic developments", "Other"),
        }
    }

    /// Parses the snake_case name (as written by [`EventType::as_str`]).
    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A date known to the day, the month or only the year. Serialised as
/// "2025-10-22", "2025-10" or "2025". Orders by year, then month, then day, an
/// unknown part sorting before any known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month 1–12, if known.
    pub month: Option<u32>,
    /// Day of the month, if known (only with a month).
    pub day: Option<u32>,
}

impl PartialDate {
    /// A full date.
    pub fn from_date(date: NaiveDate) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// A month of a year.
    pub fn month(year: i32, month: u32) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: None,
        }
    }

    /// A year.
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// First day of the period the date covers.
    pub fn first_day(&self) -> NaiveDate {
        let month = self.month.unwrap_or(1).clamp(1, 12);
        let day = self.day.unwrap_or(1).max(1);
        NaiveDate::from_ymd_opt(self.year, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(self.year, month, 1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the period the date covers.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(m), None) => {
                let m = m.clamp(1, 12);
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(self.year, m + 1, 1)
                };
                next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    /// The precision this date is known to.
    pub fn precision(&self) -> TimePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => TimePrecision::Day,
            (Some(_), None) => TimePrecision::Month,
            _ => TimePrecision::Year,
        }
    }

    /// Whether the two periods overlap (e.g. "2024" and "2024-12").
    pub fn overlaps(&self, other: &PartialDate) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }

    /// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub fn parse(text: &str) -> Option<PartialDate> {
        let mut parts = text.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: Option<u32> = match parts.next() {
            Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day: Option<u32> = match parts.next() {
            Some(d) => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        let date = PartialDate { year, month, day };
        if day.is_some() && NaiveDate::from_ymd_opt(year, month?, day?).is_none() {
            return None;
        }
        Some(date)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PartialDate::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not a date like 2025-10-22, 2025-10 or 2025: {text:?}"
            ))
        })
    }
}

/// How precisely an incident's date is known (ACLED's time precision, extended).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// The day is known.
    Day,
    /// Known to within about a week ("last week", "about ten days ago").
    Week,
    /// The month is known.
    Month,
    /// Only the year is known.
    Year,
    /// Relative to an unknown publication date ("on Sunday"): see `date_text`.
    Relative,
    /// No date found.
    #[default]
    Unknown,
}

impl TimePrecision {
    /// Lower-case name, e.g. "day".
    pub fn as_str(&self) -> &'static str {
        match self {
            TimePrecision::Day => "day",
            TimePrecision::Week => "week",
            TimePrecision::Month => "month",
            TimePrecision::Year => "year",
            TimePrecision::Relative => "relative",
            TimePrecision::Unknown => "unknown",
        }
    }
}

/// Where an incident came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Found by the extractor and untouched.
    #[default]
    Extracted,
    /// Found by the extractor, then corrected by an analyst.
    Edited,
    /// Added by an analyst.
    Analyst,
}

/// The place an incident is pinned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Place {
    /// Gazetteer id, if the place came from the gazetteer.
    pub gazetteer_id: Option<String>,
    /// The name as written in the source.
    pub name: String,
    /// The gazetteer's canonical name.
    pub canonical: String,
    /// A place the text names that the gazetteer lacks, as written: the
    /// incident keeps the best enclosing area meanwhile.
    #[serde(default)]
    pub not_found: Option<String>,
}

/// One passage that reports an incident. Offsets are byte offsets into the
/// original file named by `doc`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// Document id (its file name).
    pub doc: String,
    /// Start of the sentence.
    pub start: usize,
    /// End of the sentence (exclusive).
    pub end: usize,
    /// Span of the trigger word(s).
    pub trigger: (usize, usize),
    /// Span of the place word(s), if the place was named in the sentence.
    pub place: Option<(usize, usize)>,
    /// The sentence as quoted.
    pub quote: String,
}

/// One event on the map, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id: derived from document, sentence span and type.
    pub id: String,
    /// Kind of event.
    pub event_type: EventType,
    /// When it happened, as precisely as known.
    pub date: Option<PartialDate>,
    /// The date words as written ("on Sunday", "late 2024").
    pub date_text: Option<String>,
    /// How precisely the date is known.
    pub time_precision: TimePrecision,
    /// Where it happened.
    pub place: Place,
    /// Longitude (WGS84 degrees).
    pub lon: f64,
    /// Latitude (WGS84 degrees).
    pub lat: f64,
    /// 1 exact site or town, 2 near / part of a region, 3 governorate, border-wide or country.
    pub geo_precision: u8,
    /// Canonical actor names.
    pub actors: Vec<String>,
    /// Readable one-sentence summary.
    pub summary: String,
    /// Passages reporting it (several when documents agree).
    pub sources: Vec<Source>,
    /// 0–1: how sure the extractor is.
    pub confidence: f32,
    /// Extracted, edited or added by an analyst.
    pub origin: Origin,
    /// What each extraction stage decided and why (trigger, place candidates
    /// and the reason the winner won, date rule), for the inspector.
    #[serde(default)]
    pub why: Vec<String>,
    /// The analyst's free note.
    #[serde(default)]
    pub note: String,
    /// Whether an analyst has verified or disputed it.
    #[serde(default)]
    pub review: Review,
}

/// An analyst's judgement of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Nobody has judged it yet.
    #[default]
    Unreviewed,
    /// Checked against the sources and found right.
    Verified,
    /// Doubted: the sources disagree, or it may be wrong.
    Disputed,
}

impl Review {
    pub const ALL: [Review; 3] = [Review::Unreviewed, Review::Verified, Review::Disputed];

    pub fn as_str(self) -> &'static str {
        match self {
            Review::Unreviewed => "unreviewed",
            Review::Verified => "verified",
            Review::Disputed => "disputed",
        }
    }
}

/// Which incidents to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Event types to show; empty shows all.
    pub types: BTreeSet<EventType>,
    /// Documents to show; empty shows all.
    pub docs: BTreeSet<String>,
    /// Earliest date shown (inclusive).
    pub date_from: Option<NaiveDate>,
    /// Latest date shown (inclusive).
    pub date_to: Option<NaiveDate>,
    /// Whether incidents without a date pass a date range.
    pub include_undated: bool,
    /// The answer to a spatial question used as a filter: only these incidents.
    pub subset: Option<Subset>,
}

/// A set of incidents chosen by a question ("within 25 km of the border").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subset {
    /// The question, as the filter list shows it.
    pub label: String,
    pub ids: BTreeSet<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            types: BTreeSet::new(),
            docs: BTreeSet::new(),
            date_from: None,
            date_to: None,
            include_undated: true,
            subset: None,
        }
    }
}

impl Filter {
    /// Whether the incident passes the filter. A partial date passes when its
    /// period overlaps the range.
    pub fn accepts(&self, incident: &Incident) -> bool {
        if !self.types.is_empty() && !self.types.contains(&incident.event_type) {
            return false;
        }
        if !self.docs.is_empty() && !incident.sources.iter().any(|s| self.docs.contains(&s.doc)) {
            return false;
        }
        if let Some(subset) = &self.subset
            && !subset.ids.contains(&incident.id)
        {
            return false;
        }
        match incident.date {
            None => self.include_undated || (self.date_from.is_none() && self.date_to.is_none()),
            Some(date) => {
                let after_start = self.date_from.is_none_or(|from| date.last_day() >= from);
                let before_end = self.date_to.is_none_or(|to| date.first_day() <= to);
                after_start && before_end
            }
        }
    }
}

/// One analyst correction, keyed by incident id so it survives re-extraction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// Change the event type.
    SetType {
        /// Incident id.
        id: String,
        /// New type.
        event_type: EventType,
    },
    /// Change or clear the date.
    SetDate {
        /// Incident id.
        id: String,
        /// New date, or none.
        date: Option<PartialDate>,
    },
    /// Move the pin.
    Move {
        /// Incident id.
        id: String,
        /// New longitude.
        lon: f64,
        /// New latitude.
        lat: f64,
        /// The place the pin now stands for: the gazetteer place it was
        /// dropped on or picked from, or a custom point (no gazetteer id).
        /// Absent in corrections saved before places moved with pins.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        place: Option<Place>,
        /// The precision that place gives (1 for a custom point).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geo_precision: Option<u8>,
    },
    /// Replace the actors.
    SetActors {
        /// Incident id.
        id: String,
        /// The actors, in order.
        actors: Vec<String>,
    },
    /// Replace the one-sentence summary.
    SetSummary {
        /// Incident id.
        id: String,
        /// The new summary.
        summary: String,
    },
    /// Replace the analyst's note.
    SetNote {
        /// Incident id.
        id: String,
        /// The note (empty to clear it).
        note: String,
    },
    /// Mark verified, disputed or unreviewed.
    SetReview {
        /// Incident id.
        id: String,
        /// The judgement.
        review: Review,
    },
    /// Remove the incident.
    Delete {
        /// Incident id.
        id: String,
    },
    /// Add an incident by hand.
    Add {
        /// The new incident (its origin becomes `Analyst`).
        incident: Box<Incident>,
    },
}

impl Edit {
    /// The id of the incident the edit applies to.
    pub fn id(&self) -> &str {
        match self {
            Edit::SetType { id, .. }
            | Edit::SetDate { id, .. }
            | Edit::Move { id, .. }
            | Edit::SetActors { id, .. }
            | Edit::SetSummary { id, .. }
            | Edit::SetNote { id, .. }
            | Edit::SetReview { id, .. }
            | Edit::Delete { id } => id,
            Edit::Add { incident } => &incident.id,
        }
    }
}

/// Applies analyst edits in order to freshly extracted incidents. Edits whose
/// incident no longer exists are skipped; edited incidents become
/// [`Origin::Edited`], added ones [`Origin::Analyst`].
pub fn apply_edits(extracted: Vec<Incident>, edits: &[Edit]) -> Vec<Incident> {
    // Slots by id, so each correction finds its incident at once: the work
    // is linear in incidents plus corrections, however many pile up.
    let mut slots: Vec<Option<Incident>> = extracted.into_iter().map(Some).collect();
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::with_capacity(slots.len());
    for (k, i) in slots.iter().enumerate() {
        if let Some(i) = i {
            by_id.entry(i.id.clone()).or_default().push(k);
        }
    }
    for edit in edits {
        match edit {
            Edit::Add { incident } => {
                let mut added = (**incident).clone();
                added.origin = Origin::Analyst;
                for k in by_id.remove(&added.id).unwrap_or_default() {
                    slots[k] = None;
                }
                by_id.insert(added.id.clone(), vec![slots.len()]);
                slots.push(Some(added));
            }
            Edit::Delete { id } => {
                for k in by_id.remove(id).unwrap_or_default() {
                    slots[k] = None;
                }
            }
            // Every other correction changes one incident in place.
            _ => {
                if let Some(i) = find_slot(&mut slots, &by_id, edit.id()) {
                    change(i, edit);
                }
            }
        }
    }
    slots.into_iter().flatten().collect()
}

/// Applies one correction in place: what [`apply_edits`] does with it.
pub fn apply_edit(incidents: &mut Vec<Incident>, edit: &Edit) {
    match edit {
        Edit::Add { incident } => {
            let mut added = (**incident).clone();
            added.origin = Origin::Analyst;
            incidents.retain(|i| i.id != added.id);
            incidents.push(added);
        }
        Edit::Delete { id } => incidents.retain(|i| &i.id != id),
        // Every other correction changes one incident in place.
        _ => {
            if let Some(i) = incidents.iter_mut().find(|i| i.id == edit.id()) {
                change(i, edit);
            }
        }
    }
}

/// What a correction of a field does to its incident.
fn change(i: &mut Incident, edit: &Edit) {
    match edit {
        Edit::SetType { event_type, .. } => i.event_type = *event_type,
        Edit::SetDate { date, .. } => {
            i.date = *date;
            i.time_precision = date.map_or(TimePrecision::Unknown, |d| d.precision());
        }
        Edit::Move {
            lon,
            lat,
            place,
            geo_precision,
            ..
        } => {
            i.lon = *lon;
            i.lat = *lat;
            if let Some(place) = place {
                i.place = place.clone();
                i.why
                    .retain(|w| !w.starts_with("place") && !w.starts_with("candidates"));
                i.why.push(format!(
                    "place: {} — where the analyst moved the pin",
                    place.canonical
                ));
            }
            if let Some(p) = geo_precision {
                i.geo_precision = *p;
            }
        }
        Edit::SetActors { actors, .. } => i.actors.clone_from(actors),
        Edit::SetSummary { summary, .. } => i.summary.clone_from(summary),
        Edit::SetNote { note, .. } => i.note.clone_from(note),
        Edit::SetReview { review, .. } => i.review = *review,
        Edit::Add { .. } | Edit::Delete { .. } => return,
    }
    mark_edited(i);
}

/// The live incident with this id.
fn find_slot<'a>(
    slots: &'a mut [Option<Incident>],
    by_id: &HashMap<String, Vec<usize>>,
    id: &str,
) -> Option<&'a mut Incident> {
    let k = *by_id.get(id)?.first()?;
    slots.get_mut(k)?.as_mut()
}

fn mark_edited(incident: &mut Incident) {
    if incident.origin == Origin::Extracted {
        incident.origin = Origin::Edited;
    }
}

/// A short, stable hexadecimal id for an incident found in `doc` at the
/// sentence span `start..end` with type `event_type` (64-bit FNV-1a, 12 hex digits).
pub fn incident_id(doc: &str, start: usize, end: usize, event_type: EventType) -> String {
    let key = format!("{doc}\u{1f}{start}\u{1f}{end}\u{1f}{}", event_type.as_str());
    format!("{:012x}", fnv1a64(key.as_bytes()) >> 16)
}

/// 64-bit FNV-1a hash: deterministic across runs and platforms.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Whether report `b` can join the event `a` already holds: same type, same
/// gazetteer place and compatible dates. Within one document an undated report
/// joins the event reported before it; across documents both must be dated and
/// their dates overlap.
/// Whether `b` reports the event `a` is (same type and gazetteer place are
/// the bucket's); `a_docs` are the documents `a` already cites.
fn same_event(a: &Incident, seen: &Seen, b: &Incident) -> bool {
    let same_doc = b.sources.iter().any(|t| seen.docs.contains(&t.doc));
    // A report at a place the gazetteer lacks ("captured the village of
    // Albu Saif south of Mosul") is kept at the town near it: another named
    // place than the event already there, so another event; and one
    // sentence's two places ("the villages of A and B") are two.
    let same_sentence = || {
        b.sources
            .iter()
            .any(|t| seen.sentences.contains(&(t.doc.clone(), t.start)))
    };
    if a.place.not_found != b.place.not_found && (b.place.not_found.is_some() || same_sentence()) {
        return false;
    }
    // "Another IED blew up …", "three more rockets struck …": the writer
    // counts it as an event beside the one told before.
    if same_doc
        && b.sources
            .iter()
            .any(|s| one_more(s) || tells_separate(&s.quote))
    {
        return false;
    }
    // "Coalition airstrikes hit Daesh in Raqqa" and "an SDF position was
    // hit by a Russian airstrike": one-sided violence by other hands, with
    // no side in common, is another event.
    if same_doc
        && a.event_type == EventType::Attack
        && !a.actors.is_empty()
        && !b.actors.is_empty()
        && !b.actors.iter().any(|x| a.actors.contains(x))
    {
        return false;
    }
    match (a.date, b.date) {
        (Some(x), Some(y)) => x.overlaps(&y),
        // A later undated mention refers back to the event already reported,
        // unless it names a day whose year the text does not give ("January
        // 18: …" in a timeline): that is the event of that day; a dated
        // report never joins an undated one (it may be another event).
        (_, None) => {
            same_doc
                && day_named(b.date_text.as_deref())
                    .is_none_or(|day| day_named(a.date_text.as_deref()) == Some(day))
        }
        (None, Some(_)) => false,
    }
}

/// Whether a sentence opens by saying it tells another event than the one
/// before: "Separately, …", "Elsewhere, …", "In a separate incident, …",
/// "In another attack, …".
fn tells_separate(quote: &str) -> bool {
    static SEPARATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(
            r"(?i)^\W*(?:separately|elsewhere|in (?:a )?separate (?:incidents?|attacks?|operations?|developments?|raids?)|in (?:an)?other (?:incidents?|attacks?|operations?|raids?))\b",
        )
        .expect("valid pattern")
    });
    SEPARATE.is_match(quote)
}

/// Whether a report counts its event as one more of a kind told before:
/// "another IED", "a second explosion", "two more rockets", "a further
/// attack". Only the words at the report's own trigger count: "after the
/// first explosion" in the same sentence refers back.
fn one_more(source: &Source) -> bool {
    // Where the trigger stands in the quote (a plain text's quote is its
    // bytes; a page's is re-spaced, so there any such words count).
    let at = source
        .trigger
        .0
        .checked_sub(source.start)
        .filter(|_| source.end - source.start == source.quote.len());
    one_more_at(&source.quote, at)
}

/// Whether `text` counts an event as one more of a kind ("another IED
/// struck …") with the words standing at the trigger at byte `at` (or
/// anywhere, when `at` is not known).
pub fn one_more_at(text: &str, at: Option<usize>) -> bool {
    static MORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(concat!(
            r"(?i)\b(?:another|a (?:second|third|fourth|further|new)|(?:two|three|four|five|six|\d+) (?:more|further|other))",
            r"\s+(?:[\w-]+\s+){0,2}?",
            r"(?:attacks?|blasts?|bombs?|bombings?|car bombs?|IEDs?|explosions?|explosive devices?|strikes?|air ?strikes?|drone strikes?|rockets?|missiles?|mortars?|shells?|drones?|raids?|ambush(?:es)?|clash(?:es)?|assaults?|suicide bombers?)\b",
        ))
        .expect("valid pattern")
    });
    MORE.find_iter(text)
        .any(|m| at.is_none_or(|at| (m.start()..=m.end() + 40).contains(&at)))
}

/// The month and day a date's words name ("January 14", "14 Jan."), if any.
fn day_named(text: Option<&str>) -> Option<(u32, u32)> {
    static DAY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(r"(?i)\b(?:(?P<m1>[a-z]{3,9})\.?\s+(?P<d1>\d{1,2})\b|(?P<d2>\d{1,2})\s+(?P<m2>[a-z]{3,9})\b)")
            .expect("valid pattern")
    });
    let caps = DAY.captures(text?)?;
    let (m, d) = match (caps.name("m1"), caps.name("d1")) {
        (Some(m), Some(d)) => (m, d),
        _ => (caps.name("m2")?, caps.name("d2")?),
    };
    let month = crate::docs::month_from_name(m.as_str())?;
    Some((month, d.as_str().parse().ok()?))
}

/// What a merged incident's sources are, looked up without a scan.
#[derive(Default, Clone)]
struct Seen {
    docs: HashSet<String>,
    /// (document, sentence start).
    sentences: HashSet<(String, usize)>,
    passages: HashSet<SourceKey>,
}

impl Seen {
    fn add(&mut self, s: &Source) -> bool {
        self.docs.insert(s.doc.clone());
        self.sentences.insert((s.doc.clone(), s.start));
        self.passages.insert(source_key(s))
    }
}

/// What identifies a source passage: document, sentence and trigger.
type SourceKey = (String, usize, usize, (usize, usize));

fn source_key(s: &Source) -> SourceKey {
    (s.doc.clone(), s.start, s.end, s.trigger)
}

/// Merges reports of the same event (see the rules on same type, place and
/// date) into one incident with several sources. The first report (in input
/// order) keeps its id; the most precise date wins. Reports are bucketed by
/// type and gazetteer place, so the work stays near-linear in their number.
pub fn merge_incidents(incidents: Vec<Incident>) -> Vec<Incident> {
    let mut merger = Merger::default();
    for incident in incidents {
        merger.push(incident);
    }
    merger.merged
}

/// The merge as it goes: reports pushed in order join the merged incident
/// of the same event or start one. Kept, it takes a further document's
/// reports without merging the earlier ones again.
#[derive(Default, Clone)]
pub struct Merger {
    merged: Vec<Incident>,
    seen: Vec<Seen>,
    buckets: HashMap<(EventType, String), Bucket>,
}

impl Merger {
    /// The merged incidents, in the order their first reports came.
    pub fn merged(&self) -> &[Incident] {
        &self.merged
    }

    /// Merges one more report; returns the index of the merged incident it
    /// joined or started.
    pub fn push(&mut self, incident: Incident) -> usize {
        let key = incident
            .place
            .gazetteer_id
            .clone()
            .map(|g| (incident.event_type, g));
        let (merged, seen) = (&self.merged, &self.seen);
        let target = key
            .as_ref()
            .and_then(|k| self.buckets.get(k))
            .and_then(|bucket| {
                bucket
                    .candidates(&incident)
                    .into_iter()
                    .find(|&m| same_event(&merged[m], &seen[m], &incident))
            });
        match (target, key) {
            (Some(m), Some(k)) => {
                let before = self.merged[m].date;
                let docs_before = self.seen[m].docs.len();
                absorb(&mut self.merged[m], &mut self.seen[m], incident);
                if let Some(bucket) = self.buckets.get_mut(&k) {
                    if self.merged[m].date != before {
                        bucket.redate(m, before, self.merged[m].date);
                    }
                    if self.seen[m].docs.len() != docs_before {
                        for doc in &self.seen[m].docs {
                            bucket.add_doc(doc, m);
                        }
                    }
                }
                m
            }
            (_, key) => {
                let m = self.merged.len();
                let mut s = Seen::default();
                for source in &incident.sources {
                    s.add(source);
                }
                if let Some(k) = key {
                    let bucket = self.buckets.entry(k).or_default();
                    bucket.insert(m, incident.date);
                    for doc in &s.docs {
                        bucket.add_doc(doc, m);
                    }
                }
                self.seen.push(s);
                self.merged.push(incident);
                m
            }
        }
    }
}

/// The merged incidents of one type at one place, found by when they
/// happened (a dated report can join only one whose period overlaps its
/// own) and by document (an undated one only one from its document), so the
/// merge stays near-linear however many reports a place gathers.
#[derive(Default, Clone)]
struct Bucket {
    /// Dated members by the first day of their period.
    by_first_day: BTreeMap<NaiveDate, Vec<usize>>,
    /// The longest period of a member, in days: how far back a period
    /// starting earlier can still reach.
    longest_days: i64,
    /// Members by the documents they come from.
    by_doc: HashMap<String, Vec<usize>>,
}

impl Bucket {
    fn insert(&mut self, m: usize, date: Option<PartialDate>) {
        if let Some(d) = date {
            let days = (d.last_day() - d.first_day()).num_days();
            self.longest_days = self.longest_days.max(days);
            self.by_first_day.entry(d.first_day()).or_default().push(m);
        }
    }

    fn redate(&mut self, m: usize, before: Option<PartialDate>, after: Option<PartialDate>) {
        if let Some(d) = before
            && let Some(list) = self.by_first_day.get_mut(&d.first_day())
        {
            list.retain(|&k| k != m);
        }
        self.insert(m, after);
    }

    fn add_doc(&mut self, doc: &str, m: usize) {
        let list = self.by_doc.entry(doc.to_owned()).or_default();
        if !list.contains(&m) {
            list.push(m);
        }
    }

    /// Every member that could be the same event as `b`, in merge order.
    fn candidates(&self, b: &Incident) -> Vec<usize> {
        let mut out: Vec<usize> = match b.date {
            Some(y) => {
                let from = y
                    .first_day()
                    .checked_sub_signed(chrono::Duration::days(self.longest_days))
                    .unwrap_or(NaiveDate::MIN);
                self.by_first_day
                    .range(from..=y.last_day())
                    .flat_map(|(_, list)| list.iter().copied())
                    .collect()
            }
            None => b
                .sources
                .iter()
                .filter_map(|s| self.by_doc.get(&s.doc))
                .flatten()
                .copied()
                .collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Joins `other` to `target` as a further report of the same event: its
/// passages, actors and (when finer) its date; the target keeps its place.
pub fn fold_report(target: &mut Incident, other: Incident) {
    let mut seen = Seen::default();
    for source in &target.sources {
        seen.add(source);
    }
    absorb(target, &mut seen, other);
}

fn absorb(target: &mut Incident, seen: &mut Seen, other: Incident) {
    let better_date = match (target.date, other.date) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => precision_rank(b.precision()) < precision_rank(a.precision()),
        _ => false,
    };
    if better_date {
        target.date = other.date;
        target.date_text = other.date_text.clone();
        target.time_precision = other.time_precision;
    } else if target.date.is_none() && target.date_text.is_none() && other.date_text.is_some() {
        target.date_text = other.date_text.clone();
        target.time_precision = other.time_precision;
    }
    if other.geo_precision < target.geo_precision {
        target.geo_precision = other.geo_precision;
    }
    for actor in other.actors {
        if !target.actors.contains(&actor) {
            target.actors.push(actor);
        }
    }
    let new_docs = other.sources.iter().any(|s| !seen.docs.contains(&s.doc));
    for source in other.sources {
        if seen.add(&source) {
            target.sources.push(source);
        }
    }
    let bonus = if new_docs { 0.1 } else { 0.03 };
    target.confidence = (target.confidence.max(other.confidence) + bonus).min(0.99);
}

fn precision_rank(p: TimePrecision) -> u8 {
    match p {
        TimePrecision::Day => 0,
        TimePrecision::Week => 1,
        TimePrecision::Month => 2,
        TimePrecision::Year => 3,
        TimePrecision::Relative => 4,
        TimePrecision::Unknown => 5,
    }
}

/// GeoJSON FeatureCollection with one Point feature per incident.
pub fn to_geojson(incidents: &[Incident]) -> serde_json::Value {
    use rayon::prelude::*;
    let features: Vec<serde_json::Value> = incidents
        .par_iter()
        .map(|i| {
            let sources: Vec<serde_json::Value> = i
                .sources
                .iter()
                .map(|s| serde_json::json!({"doc": s.doc, "start": s.start, "end": s.end, "quote": s.quote}))
                .collect();
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round5(i.lon), round5(i.lat)]},
                "properties": {
                    "id": i.id,
                    "event_type": i.event_type.as_str(),
                    "date": i.date.map(|d| d.to_string()),
                    "date_text": i.date_text,
                    "time_precision": i.time_precision.as_str(),
                    "place": i.place.canonical,
                    "place_as_written": i.place.name,
                    "place_not_found": i.place.not_found,
                    "gazetteer_id": i.place.gazetteer_id,
                    "geo_precision": i.geo_precision,
                    "actors": i.actors,
                    "summary": i.summary,
                    "confidence": (f64::from(i.confidence) * 100.0).round() / 100.0,
                    "origin": match i.origin { Origin::Extracted => "extracted", Origin::Edited => "edited", Origin::Analyst => "analyst" },
                    "acled_event_type": i.event_type.acled().0,
                    "acled_sub_event_type": i.event_type.acled().1,
                    "why": i.why,
                    "review": i.review.as_str(),
                    "note": i.note,
                    "sources": sources,
                }
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// ACLED-like CSV (RFC 4180 quoting, `\n` line ends) with the columns
/// event_id_cnty, event_date, time_precision, event_type (ours),
/// acled_event_type and sub_event_type (ACLED's, see [`EventType::acled`]),
/// actor1, actor2, assoc_actor_1 (every further actor, "; "-separated),
/// location, latitude, longitude, geo_precision, source, notes
/// (the summary), then badiya's review (unreviewed, verified, disputed) and
/// the analyst's note.
pub fn to_csv(incidents: &[Incident]) -> String {
    let mut out = String::from(
        "event_id_cnty,event_date,time_precision,event_type,acled_event_type,sub_event_type,actor1,actor2,assoc_actor_1,location,latitude,longitude,geo_precision,source,notes,review,analyst_note\n",
    );
    for i in incidents {
        let docs: BTreeMap<&str, ()> = i.sources.iter().map(|s| (s.doc.as_str(), ())).collect();
        let source = docs.keys().copied().collect::<Vec<_>>().join("; ");
        let row = [
            i.id.clone(),
            i.date.map(|d| d.to_string()).unwrap_or_default(),
            i.time_precision.as_str().to_string(),
            i.event_type.as_str().to_string(),
            i.event_type.acled().0.to_string(),
            i.event_type.acled().1.to_string(),
            i.actors.first().cloned().unwrap_or_default(),
            i.actors.get(1).cloned().unwrap_or_default(),
            i.actors
                .get(2..)
                .map(|rest| rest.join("; "))
                .unwrap_or_default(),
            i.place.canonical.clone(),
            format!("{:.5}", i.lat),
            format!("{:.5}", i.lon),
            i.geo_precision.to_string(),
            source,
            i.summary.clone(),
            i.review.as_str().to_string(),
            i.note.clone(),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn sample(
        id: &str,
        event_type: EventType,
        date: Option<PartialDate>,
        doc: &str,
    ) -> Incident {
        Incident {
            id: id.to_string(),
            event_type,
            date,
            date_text: None,
            time_precision: date.map_or(TimePrecision::Unknown, |d| d.precision()),
            place: Place {
                gazetteer_id: Some("raqqa".into()),
                name: "Raqqa".into(),
                canonical: "Raqqa".into(),
                not_found: None,
            },
            lon: 39.0,
            lat: 35.95,
            geo_precision: 1,
            actors: vec!["SDF".into()],
            summary: "Heavy fighting, \"ongoing\" near the prison.".into(),
            sources: vec![Source {
                doc: doc.into(),
                start: 10,
                end: 50,
                trigger: (12, 20),
                place: None,
                quote: "q".into(),
            }],
            confidence: 0.5,
            origin: Origin::Extracted,
            why: Vec::new(),
            note: String::new(),
            review: Review::Unreviewed,
        }
    }

    #[test]
    fn timeline_days_without_a_year_stay_apart_and_a_plain_follow_up_joins() {
        let at = |id: &str, start: usize, date_text: Option<&str>| {
            let mut i = sample(id, EventType::Clash, None, "timeline.txt");
            i.sources[0].start = start;
            i.sources[0].end = start + 40;
            i.date_text = date_text.map(String::from);
            i
        };
        let merged = merge_incidents(vec![
            at("a", 0, Some("January 14")),
            at("b", 100, Some("January 18")),
            // A sentence with no date of its own joins an event already told.
            at("c", 200, None),
            at("d", 300, Some("18 January")),
        ]);
        assert_eq!(merged.len(), 2, "{merged:#?}");
        assert_eq!(merged[0].sources.len(), 2, "the follow-up joined the first");
        assert_eq!(
            merged[1].sources.len(),
            2,
            "January 18 told twice is one day"
        );
    }

    #[test]
    fn partial_dates_round_trip_through_serde() {
        for text in ["2025-10-22", "2025-10", "2025"] {
            let d = PartialDate::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<PartialDate>(&json).unwrap(), d);
        }
        assert!(PartialDate::parse("2025-02-30").is_none());
        assert!(serde_json::from_str::<PartialDate>("\"yesterday\"").is_err());
    }

    #[test]
    fn partial_date_periods() {
        let m = PartialDate::month(2024, 2);
        assert_eq!(m.first_day(), NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert!(PartialDate::year(2024).overlaps(&PartialDate::month(2024, 12)));
        assert!(!PartialDate::month(2024, 11).overlaps(&PartialDate::month(2024, 12)));
        assert!(PartialDate::year(2024) < PartialDate::month(2024, 1));
    }

    proptest! {
        #[test]
        fn partial_date_order_matches_first_day(y1 in 1990i32..2030, m1 in 1u32..=12, y2 in 1990i32..2030, m2 in 1u32..=12) {
            let a = PartialDate::month(y1, m1);
            let b = PartialDate::month(y2, m2);
            prop_assert_eq!(a.cmp(&b), a.first_day().cmp(&b.first_day()));
            prop_assert!(a.first_day() <= a.last_day());
        }

        #[test]
        fn ids_are_stable_and_short(doc in "[a-z0-9_.]{1,20}", start in 0usize..10_000, len in 1usize..500) {
            let a = incident_id(&doc, start, start + len, EventType::Clash);
            prop_assert_eq!(a.len(), 12);
            prop_assert_eq!(&a, &incident_id(&doc, start, start + len, EventType::Clash));
            prop_assert_ne!(a, incident_id(&doc, start, start + len, EventType::Attack));
        }
    }

    #[test]
    fn id_is_known_value() {
        // FNV-1a of the empty string is the offset basis.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn filter_by_type_doc_and_date() {
        let dated = sample(
            "a",
            EventType::Clash,
            Some(PartialDate::month(2025, 10)),
            "d1",
        );
        let undated = sample("b", EventType::Attack, None, "d2");
        let mut f = Filter::default();
        assert!(f.accepts(&dated) && f.accepts(&undated));
        f.types.insert(EventType::Clash);
        assert!(f.accepts(&dated) && !f.accepts(&undated));
        f.types.clear();
        f.date_from = NaiveDate::from_ymd_opt(2025, 10, 20);
        assert!(f.accepts(&dated), "a month overlapping the range passes");
        f.include_undated = false;
        assert!(!f.accepts(&undated));
        f.date_from = NaiveDate::from_ymd_opt(2025, 11, 1);
        assert!(!f.accepts(&dated));
        f.date_from = None;
        f.docs.insert("d2".into());
        assert!(!f.accepts(&dated));
    }

    #[test]
    fn edits_survive_and_mark_origin() {
        let incidents = vec![
            sample("a", EventType::Clash, None, "d"),
            sample("b", EventType::Attack, None, "d"),
            sample("c", EventType::Attack, None, "d"),
        ];
        let mut added = sample("x", EventType::Meeting, None, "d");
        added.origin = Origin::Extracted;
        let edits = vec![
            Edit::SetType {
                id: "a".into(),
                event_type: EventType::Seizure,
            },
            Edit::Move {
                id: "b".into(),
                lon: 40.0,
                lat: 34.0,
                place: None,
                geo_precision: None,
            },
            Edit::Delete { id: "c".into() },
            Edit::SetDate {
                id: "gone".into(),
                date: None,
            },
            Edit::Add {
                incident: Box::new(added),
            },
            Edit::SetDate {
                id: "x".into(),
                date: PartialDate::parse("2025-10"),
            },
        ];
        let json = serde_json::to_string(&edits).unwrap();
        let edits: Vec<Edit> = serde_json::from_str(&json).unwrap();
        let out = apply_edits(incidents, &edits);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].event_type, EventType::Seizure);
        assert_eq!(out[0].origin, Origin::Edited);
        assert_eq!(
            (out[1].lon, out[1].lat, out[1].origin),
            (40.0, 34.0, Origin::Edited)
        );
        assert_eq!(out[2].origin, Origin::Analyst);
        assert_eq!(out[2].time_precision, TimePrecision::Month);
    }

    /// The merge as first written: every member of a (type, place) bucket
    /// tried in turn. The indexed merge must give exactly what it gives.
    fn merge_by_scanning(incidents: Vec<Incident>) -> Vec<Incident> {
        let mut merged: Vec<Incident> = Vec::new();
        let mut seen: Vec<Seen> = Vec::new();
        for incident in incidents {
            let target = (0..merged.len()).find(|&m| {
                merged[m].event_type == incident.event_type
                    && merged[m].place.gazetteer_id.is_some()
                    && merged[m].place.gazetteer_id == incident.place.gazetteer_id
                    && same_event(&merged[m], &seen[m], &incident)
            });
            match target {
                Some(m) => absorb(&mut merged[m], &mut seen[m], incident),
                None => {
                    let mut s = Seen::default();
                    for source in &incident.sources {
                        s.add(source);
                    }
                    seen.push(s);
                    merged.push(incident);
                }
            }
        }
        merged
    }

    #[test]
    fn the_indexed_merge_gives_what_trying_every_report_gives() {
        let mut rng = crate::stress::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move |n: u64| rng.below(n);
        let places = ["raqqa", "hajin", "rutba"];
        let types = [EventType::Clash, EventType::Attack];
        for round in 0..40 {
            let reports: Vec<Incident> = (0..300)
                .map(|k| {
                    let date = match next(5) {
                        0 => None,
                        1 => PartialDate::parse(&format!("2025-{:02}", 1 + next(3))),
                        2 => PartialDate::parse("2025"),
                        _ => PartialDate::parse(&format!(
                            "2025-{:02}-{:02}",
                            1 + next(3),
                            1 + next(28)
                        )),
                    };
                    let mut i = sample(
                        &format!("r{round}-{k}"),
                        types[next(2) as usize],
                        date,
                        &format!("d{}", next(12)),
                    );
                    i.place.gazetteer_id = Some(places[next(3) as usize].into());
                    i.sources[0].start = next(40) as usize;
                    if next(10) == 0 {
                        i.place.not_found = Some("a village".into());
                    }
                    i
                })
                .collect();
            let indexed = merge_incidents(reports.clone());
            let scanned = merge_by_scanning(reports);
            assert_eq!(indexed, scanned, "round {round}");
        }
    }

    #[test]
    fn merging_joins_same_event_across_documents() {
        let a = sample(
            "a",
            EventType::Clash,
            PartialDate::parse("2025-10-22"),
            "d1",
        );
        let b = sample("b", EventType::Clash, PartialDate::parse("2025-10"), "d2");
        let c = sample("c", EventType::Clash, PartialDate::parse("2025-09"), "d3");
        let d = sample("d", EventType::Clash, None, "d4");
        let merged = merge_incidents(vec![b, a, c, d]);
        assert_eq!(
            merged.len(),
            3,
            "undated reports from other documents stay apart"
        );
        assert_eq!(merged[0].id, "b");
        assert_eq!(merged[0].sources.len(), 2);
        assert_eq!(merged[0].date, PartialDate::parse("2025-10-22"));
    }

    #[test]
    fn csv_quotes_and_geojson_has_sources() {
        let i = sample(
            "a",
            EventType::Clash,
            PartialDate::parse("2025-10-22"),
            "d1",
        );
        let csv = to_csv(std::slice::from_ref(&i));
        let mut lines = csv.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("event_id_cnty,event_date,time_precision,event_type,acled_event_type,sub_event_type,actor1")
        );
        let row = lines.next().unwrap();
        assert!(row.starts_with(
            "a,2025-10-22,day,clash,Battles,Armed clash,SDF,,,Raqqa,35.95000,39.00000,1,d1,"
        ));
        assert!(row.ends_with("\"Heavy fighting, \"\"ongoing\"\" near the prison.\",unreviewed,"));
        // A third actor and beyond are kept, in ACLED's associated-actor column.
        let mut many = i.clone();
        many.actors = ["SDF", "Islamic State", "Tribal fighters", "Coalition"]
            .map(String::from)
            .to_vec();
        let csv = to_csv(std::slice::from_ref(&many));
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.contains(",SDF,Islamic State,Tribal fighters; Coalition,Raqqa,"),
            "{row}"
        );
        let gj = to_geojson(&[i]);
        let f = &gj["features"][0];
        assert_eq!(f["geometry"]["coordinates"][0], 39.0);
        assert_eq!(f["properties"]["sources"][0]["doc"], "d1");
        assert_eq!(f["properties"]["sources"][0]["start"], 10);
        assert_eq!(f["properties"]["time_precision"], "day");
        assert_eq!(f["properties"]["event_type"], "clash");
        assert_eq!(f["properties"]["acled_event_type"], "Battles");
        assert_eq!(f["properties"]["acled_sub_event_type"], "Armed clash");
    }
}
