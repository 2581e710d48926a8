//! Documents: the list (with adding files), and the viewer that shows a
//! document's tidy text with places and incident sentences highlighted.
//! Clicking a place flies the map there, clicking an incident sentence selects
//! the incident, and selecting text adds an incident by hand.

use std::sync::Arc;

use egui::text::{CCursor, LayoutJob};
use egui::{Color32, TextFormat};

use super::{BadiyaApp, Command, Selection};
use crate::docs::DocMeta;
use crate::extract::DocAnnotations;
use crate::incidents::Edit;

pub(super) fn documents_list_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    if ui.button("Add documents…").clicked() {
        super::panels::add_documents_dialog(app);
    }
    ui.weak("Or drop .txt, .md or .html files on the window.");
    ui.add_space(6.0);
    let mut open = None;
    for doc in &app.corpus.docs {
        let n = app
            .corpus
            .incidents()
            .iter()
            .filter(|i| i.sources.iter().any(|s| s.doc == doc.id))
            .count();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong(doc.meta.title.clone().unwrap_or_else(|| doc.id.clone()));
            let mut line = Vec::new();
            if let Some(p) = &doc.meta.publisher {
                line.push(p.clone());
            }
            line.push(
                doc.meta
                    .date
                    .map_or_else(|| "no date".to_owned(), |d| d.to_string()),
            );
            line.push(format!("{n} incidents"));
            ui.weak(line.join(" · "));
            ui.horizontal(|ui| {
                ui.small(&doc.id);
                if ui.small_button("Open").clicked() {
                    open = Some(doc.id.clone());
                }
            });
        });
    }
    if let Some(doc) = open {
        app.send(Command::OpenDocument { doc, at: None });
    }
}

/// Highlight spans in display-text byte offsets.
#[derive(Clone)]
pub(super) struct Marks {
    places: Vec<(usize, usize, usize)>,
    sentences: Vec<(usize, usize, String)>,
}

/// The viewer's highlights, computed once per document and corpus state.
fn cached_marks(app: &mut BadiyaApp, doc_id: &str) -> Option<Marks> {
    let key = (doc_id.to_owned(), app.corpus.generation());
    if let Some((k, marks)) = &app.viewer_marks
        && *k == key
    {
        return Some(marks.clone());
    }
    let marks = display_marks(app, doc_id)?;
    app.viewer_marks = Some((key, marks.clone()));
    Some(marks)
}

fn display_marks(app: &BadiyaApp, doc_id: &str) -> Option<Marks> {
    let doc = app.corpus.doc(doc_id)?;
    let DocAnnotations { places, sentences } =
        crate::extract::annotate_document(doc, &app.corpus.gazetteer, app.corpus.incidents());
    let d = doc.display();
    Some(Marks {
        places: places
            .into_iter()
            .map(|(s, e, k)| {
                let (a, b) = d.display_span(s, e);
                (a, b, k)
            })
            .collect(),
        sentences: sentences
            .into_iter()
            .map(|(s, e, id)| {
                let (a, b) = d.display_span(s, e);
                (a, b, id)
            })
            .collect(),
    })
}

fn layout(text: &str, marks: &Marks, selected: Option<&str>, dark: bool, wrap: f32) -> LayoutJob {
    let fg = if dark {
        Color32::from_gray(225)
    } else {
        Color32::from_gray(25)
    };
    let base = TextFormat {
        font_id: egui::FontId::proportional(15.0),
        color: fg,
        ..Default::default()
    };
    // Per byte: 0 plain, 1 incident sentence, 2 selected incident's sentence; places on top.
    let mut level = vec![0u8; text.len()];
    for (s, e, id) in &marks.sentences {
        let v = if Some(id.as_str()) == selected { 2 } else { 1 };
        for b in level.iter_mut().take((*e).min(text.len())).skip(*s) {
            *b = (*b).max(v);
        }
    }
    for (s, e, _) in &marks.places {
        for b in level.iter_mut().take((*e).min(text.len())).skip(*s) {
            *b |= 4;
        }
    }
    let format_for = |v: u8| {
        let mut f = base.clone();
        match v & 3 {
            1 => {
                f.background =
                    Color32::from_rgba_unmultiplied(0xff, 0xd5, 0x4f, if dark { 60 } else { 90 })
            }
            2 => {
                f.background =
                    Color32::from_rgba_unmultiplied(0xff, 0x9f, 0x1c, if dark { 110 } else { 150 })
            }
            _ => {}
        }
        if v & 4 != 0 {
            f.color = if dark {
                Color32::from_rgb(0x7c, 0xc4, 0xff)
            } else {
                Color32::from_rgb(0x0d, 0x47, 0xa1)
            };
            f.underline = egui::Stroke::new(1.0, f.color);
        }
        f
    };
    let mut job = LayoutJob::default();
    let mut start = 0;
    while start < text.len() {
        let v = level[start];
        let mut end = start + 1;
        while end < text.len() && (level[end] == v || !text.is_char_boundary(end)) {
            end += 1;
        }
        job.append(&text[start..end], 0.0, format_for(v));
        start = end;
    }
    job.wrap.max_width = wrap;
    job
}

fn byte_from_char(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

fn char_from_byte(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len()))
        .map_or(0, |s| s.chars().count())
}

pub(super) fn viewer_window(app: &mut BadiyaApp, ctx: &egui::Context) {
    let Some(viewer) = app.viewer.clone() else {
        return;
    };
    let Some(doc) = app.corpus.doc(&viewer.doc).cloned() else {
        app.viewer = None;
        return;
    };
    let Some(marks) = cached_marks(app, &doc.id) else {
        return;
    };
    let selected_incident = match &app.selection {
        Some(Selection::Incident(id)) => Some(id.clone()),
        _ => None,
    };
    let dark = app.dark;
    let text = doc.display().text.clone();
    let title = doc.meta.title.clone().unwrap_or_else(|| doc.id.clone());
    let mut open = true;
    let mut scrolled = false;
    // Opened on an incident: the window goes to the side of the map away from
    // the point the map flew to, so that the point stays in view.
    let beside = viewer
        .scroll_to
        .and(selected_incident.as_deref())
        .and_then(|id| app.corpus.incident(id))
        .and_then(|i| app.screen_pos_of(i.lon, i.lat))
        .zip(app.map_rect)
        .map(|(at, map)| {
            // To the window's edge on the far side: over the inspector or
            // the layers panel rather than over the point.
            let screen = ctx.content_rect();
            if at.x < screen.center().x {
                egui::pos2(screen.right() - 640.0 - 8.0, map.top() + 8.0)
            } else {
                egui::pos2(screen.left() + 8.0, map.top() + 8.0)
            }
        });
    let mut window = egui::Window::new(format!(
        "Document — {}",
        title.chars().take(60).collect::<String>()
    ))
    .id(egui::Id::unique("document_viewer"))
    .open(&mut open)
    .default_size([640.0, 620.0])
    .resizable(true);
    if let Some(pos) = beside {
        window = window.current_pos(pos);
    }
    window.show(ctx, |ui| {
            meta_editor(app, ui, &doc.id, &doc.meta);
            ui.horizontal(|ui| {
                ui.weak("Highlights:");
                ui.label(egui::RichText::new(" incident sentence ").background_color(Color32::from_rgba_unmultiplied(0xff, 0xd5, 0x4f, 90)));
                ui.label(egui::RichText::new("place").color(Color32::from_rgb(0x0d, 0x47, 0xa1)).underline());
                ui.weak("· click a place to fly there, a sentence to select it; select text to add an incident");
            });
            ui.separator();
            let selection_id = egui::Id::unique(("doc_selection", doc.id.as_str()));
            // Leave room below for the selection bar; the window keeps its size.
            let text_height = (ui.available_height() - 40.0).max(120.0);
            egui::ScrollArea::vertical()
                .id_salt("doc_scroll")
                .max_height(text_height)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap: f32| -> Arc<egui::Galley> {
                    let job = layout(buf.as_str(), &marks, selected_incident.as_deref(), dark, wrap);
                    ui.fonts_mut(|f| f.layout_job(job))
                };
                let mut shown: &str = text.as_str();
                let output = egui::TextEdit::multiline(&mut shown)
                    .desired_width(f32::INFINITY)
                    .frame(egui::Frame::NONE)
                    .layouter(&mut layouter)
                    .show(ui);
                if let Some(at) = viewer.scroll_to {
                    let display_at = doc.display().display_from_original(at);
                    let rect = output
                        .galley
                        .pos_from_cursor(CCursor::new(char_from_byte(&text, display_at)))
                        .translate(output.galley_pos.to_vec2());
                    ui.scroll_to_rect(rect.expand2(egui::vec2(0.0, 120.0)), Some(egui::Align::Center));
                    scrolled = true;
                }
                // A click (not a drag-selection) acts on what lies under the pointer.
                let response = &output.response.response;
                if response.clicked()
                    && let Some(p) = response.interact_pointer_pos()
                {
                    let cursor = output.galley.cursor_from_pos(p - output.galley_pos);
                    clicked_at(app, &marks, byte_from_char(&text, cursor.index.0));
                }
                if let Some(range) = output.cursor_range {
                    let (a, b) = (range.primary.index.0, range.secondary.index.0);
                    let (lo, hi) = (byte_from_char(&text, a.min(b)), byte_from_char(&text, a.max(b)));
                    ui.data_mut(|d| d.insert_temp(selection_id, (lo, hi)));
                }
            });
            let (lo, hi): (usize, usize) = ui.data_mut(|d| d.get_temp(selection_id)).unwrap_or((0, 0));
            ui.separator();
            ui.horizontal(|ui| {
                let has_selection = hi > lo;
                let button = ui.add_enabled(has_selection, egui::Button::new("Add incident from selection"));
                if button.clicked() {
                    let d = doc.display();
                    let (os, oe) = d.original_span(lo, hi);
                    match crate::extract::incident_from_selection(&doc, &app.corpus.gazetteer, os, oe, None) {
                        Some(incident) => {
                            let id = incident.id.clone();
                            app.send(Command::Edit(Edit::Add {
                                incident: Box::new(incident),
                            }));
                            app.send(Command::Select(Some(Selection::Incident(id))));
                        }
                        None => app.send(Command::Error(
                            "cannot add an incident here: the selection names no place badiya knows; select the sentence with its place".to_owned(),
                        )),
                    }
                }
                if has_selection {
                    ui.weak(format!("{} characters selected", text.get(lo..hi).map_or(0, |s| s.chars().count())));
                }
            });
        });
    if !open {
        app.send(Command::CloseDocument);
    } else if scrolled && let Some(v) = &mut app.viewer {
        v.scroll_to = None;
    }
}

fn clicked_at(app: &mut BadiyaApp, marks: &Marks, byte: usize) {
    if let Some((_, _, k)) = marks
        .places
        .iter()
        .find(|(s, e, _)| (*s..*e).contains(&byte))
    {
        if let Some(entry) = app.corpus.gazetteer.entries().get(*k) {
            let zoom = match entry.geo_precision {
                1 => 9.0,
                2 => 8.0,
                _ => 6.5,
            };
            app.send(Command::FlyTo {
                lon: entry.lon,
                lat: entry.lat,
                zoom,
            });
        }
        return;
    }
    if let Some((_, _, id)) = marks
        .sentences
        .iter()
        .find(|(s, e, _)| (*s..*e).contains(&byte))
    {
        app.send(Command::Select(Some(Selection::Incident(id.clone()))));
    }
}

fn meta_editor(app: &mut BadiyaApp, ui: &mut egui::Ui, doc_id: &str, meta: &DocMeta) {
    let key = egui::Id::unique(("meta_draft", doc_id));
    ui.collapsing("Title, publisher, date, URL", |ui| {
        let mut draft: [String; 4] = ui.data_mut(|d| d.get_temp(key)).unwrap_or_else(|| {
            [
                meta.title.clone().unwrap_or_default(),
                meta.publisher.clone().unwrap_or_default(),
                meta.date.map(|d| d.to_string()).unwrap_or_default(),
                meta.url.clone().unwrap_or_default(),
            ]
        });
        egui::Grid::new("meta_grid").num_columns(2).show(ui, |ui| {
            for (label, value) in ["Title", "Publisher", "Date (YYYY-MM-DD)", "URL"]
                .iter()
                .zip(draft.iter_mut())
            {
                let l = ui.label(*label);
                ui.add(egui::TextEdit::singleline(value).desired_width(360.0))
                    .labelled_by(l.id);
                ui.end_row();
            }
        });
        ui.weak("The publication date resolves relative dates such as “on Sunday”.");
        if ui.button("Save").clicked() {
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
            let date = if draft[2].trim().is_empty() {
                Ok(None)
            } else {
                chrono::NaiveDate::parse_from_str(draft[2].trim(), "%Y-%m-%d").map(Some)
            };
            match date {
                Ok(date) => {
                    let url = opt(&draft[3]);
                    // Without a day, the address may still give the month.
                    let month = match url.as_deref().map(crate::docs::url_date) {
                        Some(crate::docs::UrlDate::Month(y, m)) if date.is_none() => Some((y, m)),
                        _ => None,
                    };
                    app.send(Command::SetDocMeta {
                        doc: doc_id.to_owned(),
                        meta: DocMeta {
                            title: opt(&draft[0]),
                            publisher: opt(&draft[1]),
                            date,
                            url,
                            month,
                        },
                    });
                }
                Err(_) => app.send(Command::Error(format!(
                    "{:?} is not a date: write YYYY-MM-DD",
                    draft[2]
                ))),
            }
        }
        ui.data_mut(|d| d.insert_temp(key, draft));
    });
}
