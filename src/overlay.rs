//! Incidents as the map and the export show them: markers (ids index the
//! corpus's incidents), legend entries for the types present, and the source
//! documents each marker cites.

use crate::corpus::Corpus;
use crate::export::{LegendEntry, SourceRef};
use crate::incidents::{EventType, Filter};
use crate::scene::{MarkerInput, event_style};

/// What the incidents add to a map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncidentOverlay {
    pub markers: Vec<MarkerInput>,
    pub legend: Vec<LegendEntry>,
    pub sources: Vec<SourceRef>,
    /// Incidents located no more precisely than an area or a whole line, by
    /// area name (in order of first appearance), with the incidents' indices.
    pub unlocated: Vec<(String, Vec<usize>)>,
}

/// Whether an incident is located only to an area (a country, governorate or
/// region) or to a whole line (the border, a pipeline), not to a point.
pub fn is_area_level(i: &crate::incidents::Incident) -> bool {
    i.geo_precision >= 3
        || i.place
            .gazetteer_id
            .as_deref()
            .is_some_and(|id| id.starts_with("border:") || id.starts_with("pipeline:"))
}

/// The markers of the incidents `filter` lets through, with `selected` (an
/// incident id) marked: what the map draws, without the legend and sources
/// an export also needs.
pub fn incident_markers(
    corpus: &Corpus,
    filter: &Filter,
    selected: Option<&str>,
) -> Vec<MarkerInput> {
    corpus
        .incidents()
        .iter()
        .enumerate()
        .filter(|(_, i)| filter.accepts(i))
        .map(|(k, i)| {
            let (symbol, color) = event_style(i.event_type);
            // An area badge sits at the area's own point (its label), not
            // where the incident's coordinates were drawn (a capital).
            let anchor = is_area_level(i)
                .then_some(i.place.gazetteer_id.as_deref())
                .flatten()
                .and_then(|id| corpus.gazetteer.by_id(id))
                .map_or((i.lon, i.lat), |e| (e.lon, e.lat));
            MarkerInput {
                id: k,
                lon: anchor.0,
                lat: anchor.1,
                symbol,
                color,
                selected: selected == Some(i.id.as_str()),
                area: is_area_level(i).then(|| i.place.canonical.clone()),
            }
        })
        .collect()
}

/// The incidents `filter` lets through, with `selected` (an incident id)
/// marked: markers, legend, sources and the incidents not located.
pub fn incident_overlay(
    corpus: &Corpus,
    filter: &Filter,
    selected: Option<&str>,
) -> IncidentOverlay {
    let incidents = corpus.incidents();
    let markers = incident_markers(corpus, filter, selected);
    let legend = EventType::ALL
        .into_iter()
        .filter(|t| markers.iter().any(|m| incidents[m.id].event_type == *t))
        .map(|t| {
            let (symbol, color) = event_style(t);
            LegendEntry {
                label: t.label().to_owned(),
                symbol,
                color,
            }
        })
        .collect();
    // Which markers cite each document: one pass over the markers' sources
    // (not a pass over every marker for each document).
    let mut citing: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for m in &markers {
        for s in &incidents[m.id].sources {
            let list = citing.entry(s.doc.as_str()).or_default();
            if list.last() != Some(&m.id) {
                list.push(m.id);
            }
        }
    }
    let sources = corpus
        .docs
        .iter()
        .filter_map(|doc| {
            let cited_by = citing.remove(doc.id.as_str())?;
            Some(SourceRef {
                title: doc.meta.title.clone().unwrap_or_default(),
                publisher: doc.meta.publisher.clone().unwrap_or_default(),
                date: doc.meta.date.map(|d| d.to_string()).unwrap_or_default(),
                doc: doc.id.clone(),
                cited_by,
            })
        })
        .collect();
    let mut unlocated: Vec<(String, Vec<usize>)> = Vec::new();
    for m in &markers {
        if let Some(name) = &m.area {
            match unlocated.iter_mut().find(|(n, _)| n == name) {
                Some((_, ids)) => ids.push(m.id),
                None => unlocated.push((name.clone(), vec![m.id])),
            }
        }
    }
    IncidentOverlay {
        markers,
        legend,
        sources,
        unlocated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_cites_a_listed_source() {
        let corpus = Corpus::seeds();
        let overlay = incident_overlay(&corpus, &Filter::default(), None);
        assert_eq!(overlay.markers.len(), corpus.incidents().len());
        for m in &overlay.markers {
            assert!(overlay.sources.iter().any(|s| s.cited_by.contains(&m.id)));
        }
        assert!(!overlay.legend.is_empty());
    }

    #[test]
    fn filter_narrows_markers_legend_and_sources() {
        let corpus = Corpus::seeds();
        let only = corpus.incidents()[0].event_type;
        let filter = Filter {
            types: [only].into_iter().collect(),
            ..Filter::default()
        };
        let overlay = incident_overlay(&corpus, &filter, None);
        assert!(
            overlay
                .markers
                .iter()
                .all(|m| corpus.incidents()[m.id].event_type == only)
        );
        assert_eq!(overlay.legend.len(), 1);
        assert_eq!(overlay.legend[0].label, only.label());
    }
}
