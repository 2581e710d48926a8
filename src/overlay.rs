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
}

/// The incidents `filter` lets through, with `selected` (an incident id) marked.
pub fn incident_overlay(
    corpus: &Corpus,
    filter: &Filter,
    selected: Option<&str>,
) -> IncidentOverlay {
    let incidents = corpus.incidents();
    let markers: Vec<MarkerInput> = incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| filter.accepts(i))
        .map(|(k, i)| {
            let (symbol, color) = event_style(i.event_type);
            MarkerInput {
                id: k,
                lon: i.lon,
                lat: i.lat,
                symbol,
                color,
                selected: selected == Some(i.id.as_str()),
            }
        })
        .collect();
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
    let sources = corpus
        .docs
        .iter()
        .filter_map(|doc| {
            let cited_by: Vec<usize> = markers
                .iter()
                .filter(|m| incidents[m.id].sources.iter().any(|s| s.doc == doc.id))
                .map(|m| m.id)
                .collect();
            (!cited_by.is_empty()).then(|| SourceRef {
                title: doc.meta.title.clone().unwrap_or_default(),
                publisher: doc.meta.publisher.clone().unwrap_or_default(),
                date: doc.meta.date.map(|d| d.to_string()).unwrap_or_default(),
                doc: doc.id.clone(),
                cited_by,
            })
        })
        .collect();
    IncidentOverlay {
        markers,
        legend,
        sources,
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
