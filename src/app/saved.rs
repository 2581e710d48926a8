//! What the workspace file keeps of a session: the view, layer state, filters,
//! the analyst's corrections, added documents and edited metadata.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BadiyaApp, LeftTab};
use crate::annotate::Annotations;
use crate::camera::Camera;
use crate::docs::{DocKind, DocMeta, Document};
use crate::geodata::GeoData;
use crate::incidents::{Edit, Filter};
use crate::scene::LayerState;

/// One layer's on/off and opacity, by layer id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedLayer {
    pub id: String,
    pub visible: bool,
    pub opacity: f32,
}

/// A document the analyst added, kept whole so it survives the file moving.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedDoc {
    pub id: String,
    pub raw: String,
    pub kind: DocKind,
}

/// A place an analyst put on the map for a name the gazetteer lacks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalystPlace {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

/// The saved workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedWorkspace {
    pub camera: Option<Camera>,
    pub layers: Vec<SavedLayer>,
    pub dark: bool,
    /// The analyst turned off the area badges of incidents located only to an area.
    pub hide_area_markers: bool,
    pub left_tab: LeftTab,
    pub filter: Filter,
    pub edits: Vec<Edit>,
    pub added_docs: Vec<SavedDoc>,
    /// Metadata as the analyst edited it, by document id (seeds included).
    pub doc_meta: BTreeMap<String, DocMeta>,
    pub annotations: Annotations,
    /// Names the gazetteer lacked that the analyst placed on the map.
    pub analyst_places: Vec<AnalystPlace>,
    /// Undo and redo, kept so they go on after a restart.
    pub history: History,
    /// The form positions are shown in.
    pub coord_format: super::tools_ui::CoordFormat,
}

/// The undo/redo history of a session: the annotations' steps, where each
/// correction stands among them, and what Redo would bring back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct History {
    pub annotations: crate::annotate::AnnotationHistory,
    /// For each correction in force, the depth of the annotation history
    /// when it was made (which of the two Undo takes first).
    pub incident_steps: Vec<usize>,
    pub(crate) redo: Vec<super::RedoStep>,
}

impl SavedWorkspace {
    /// What to save of the running app.
    pub(super) fn capture(app: &BadiyaApp) -> Self {
        Self {
            camera: Some(app.camera),
            layers: app
                .data
                .layers
                .iter()
                .zip(&app.layers)
                .map(|(l, s)| SavedLayer {
                    id: l.spec.id.clone(),
                    visible: s.visible,
                    opacity: s.opacity,
                })
                .collect(),
            dark: app.dark,
            coord_format: app.tools.copy_format,
            hide_area_markers: !app.area_markers,
            left_tab: app.left_tab,
            filter: app.filter.clone(),
            edits: app.corpus.edits.clone(),
            // The documents' text goes to the store only when the set changes.
            added_docs: Vec::new(),
            doc_meta: app
                .corpus
                .docs
                .iter()
                .map(|d| (d.id.clone(), d.meta.clone()))
                .collect(),
            annotations: app.annotations.clone(),
            history: History {
                annotations: app.annotations.history(),
                incident_steps: app.incident_steps.clone(),
                redo: app.redo_steps.clone(),
            },
            analyst_places: app
                .analyst_places
                .iter()
                .map(|(name, lon, lat)| AnalystPlace {
                    name: name.clone(),
                    lon: *lon,
                    lat: *lat,
                })
                .collect(),
        }
    }

    /// The documents the analyst added, whole.
    pub(super) fn capture_docs(app: &BadiyaApp) -> Vec<SavedDoc> {
        app.corpus
            .docs
            .iter()
            .filter(|d| !crate::docs::is_seed(&d.id))
            .map(|d| SavedDoc {
                id: d.id.clone(),
                raw: d.raw.clone(),
                kind: d.kind,
            })
            .collect()
    }

    /// The seed documents and the added ones, with saved metadata applied;
    /// plus a message for every saved document that could not be restored.
    pub(crate) fn documents(&self) -> (Vec<Document>, Vec<String>) {
        let mut docs = crate::docs::seed_documents();
        let mut errors = Vec::new();
        for saved in &self.added_docs {
            if docs.iter().any(|d| d.id == saved.id) {
                errors.push(format!(
                    "workspace: document {} is listed twice; kept the first",
                    saved.id
                ));
                continue;
            }
            match kept_document(&saved.id, &saved.raw, saved.kind) {
                Ok(doc) => docs.push(doc),
                Err(e) => errors.push(format!("workspace: {e}")),
            }
        }
        for doc in &mut docs {
            if let Some(meta) = self.doc_meta.get(&doc.id) {
                doc.meta = meta.clone();
            }
        }
        (docs, errors)
    }

    /// Restores layer state by id (layers the data no longer has are ignored).
    pub(super) fn apply_layers(&self, data: &GeoData, layers: &mut [LayerState]) {
        for saved in &self.layers {
            if let Some(i) = data.layers.iter().position(|l| l.spec.id == saved.id)
                && let Some(state) = layers.get_mut(i)
            {
                state.visible = saved.visible;
                state.opacity = saved.opacity.clamp(0.0, 1.0);
            }
        }
    }
}

/// A document kept as text (in a workspace or a team store), read as it was
/// when it was added: its metadata found in the text, its kind as kept.
pub(crate) fn kept_document(id: &str, raw: &str, kind: DocKind) -> Result<Document, String> {
    let doc = crate::docs::document_from_bytes(id, raw.as_bytes()).map_err(|e| e.to_string())?;
    Ok(Document::new(&doc.id, doc.raw, kind, doc.meta))
}
