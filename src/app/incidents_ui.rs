//! Incidents around the map: the filters, the legend of incident types, the
//! inspector for one incident (its evidence, highlighted, and corrections),
//! the sortable table and the monthly timeline whose brush sets the date range.

use chrono::{Datelike, NaiveDate};
use egui::text::LayoutJob;
use egui::{Color32, RichText, Sense, TextFormat};
use egui_extras::{Column, TableBuilder};

use super::{BadiyaApp, Command, LeftTab, Selection};
use crate::incidents::{
    Edit, EventType, Filter, Incident, Origin, PartialDate, Review, TimePrecision,
};
use crate::render_egui::color32;
use crate::scene::{Symbol, event_style, symbol_ring};

/// Draws an incident type's symbol in a small square, as the map does.
pub(super) fn symbol_swatch(ui: &mut egui::Ui, event: EventType) {
    let (symbol, color) = event_style(event);
    paint_symbol(
        ui,
        symbol,
        11.0,
        color32(color),
        egui::Stroke::new(1.0, Color32::WHITE),
    );
}

/// Draws a map symbol of `size` pixels in a small square of the legend.
pub(super) fn paint_symbol(
    ui: &mut egui::Ui,
    symbol: Symbol,
    size: f32,
    fill: Color32,
    stroke: egui::Stroke,
) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), Sense::hover());
    let c = rect.center();
    let painter = ui.painter_at(rect.expand(2.0));
    if symbol == Symbol::Circle {
        painter.circle(c, size / 2.0, fill, stroke);
    } else {
        let points: Vec<egui::Pos2> = symbol_ring(symbol, [c.x, c.y], size)
            .into_iter()
            .map(|[x, y]| egui::pos2(x, y))
            .collect();
        let mesh = crate::render_egui::fill_mesh(&points, fill);
        painter.add(egui::Shape::mesh(mesh));
        painter.add(egui::Shape::closed_line(points, stroke));
    }
}

/// The legend of incident types, with counts of what the filter lets through.
pub(super) fn incident_legend_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    ui.separator();
    ui.strong("Incident types");
    let visible = app.visible_incidents();
    for t in EventType::ALL {
        let n = visible.iter().filter(|i| i.event_type == t).count();
        if n == 0 {
            continue;
        }
        ui.horizontal(|ui| {
            symbol_swatch(ui, t);
            ui.label(format!("{} ({n})", t.label()));
        });
    }
    ui.horizontal(|ui| {
        cluster_swatch(ui);
        ui.label("Cluster: the count, in a ring split by type")
            .on_hover_text("Hover for its incidents by type; click to zoom to them, or to list them when they share one spot");
    });
    if ui.small_button("Filters…").clicked() {
        app.send(Command::SetLeftTab(LeftTab::Incidents));
    }
}

/// A small cluster as the map draws it: a dark disc with a count, ringed by
/// arcs in the colours of the types it holds.
fn cluster_swatch(ui: &mut egui::Ui) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 18.0), Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let c = rect.center();
    painter.circle_filled(
        c,
        6.5,
        Color32::from_rgba_unmultiplied(0x33, 0x33, 0x33, 0xdd),
    );
    let arc = |from: f32, to: f32, color: Color32| {
        let points: Vec<egui::Pos2> = (0..=8)
            .map(|k| {
                #[allow(clippy::cast_precision_loss)]
                let a = from + (to - from) * k as f32 / 8.0;
                c + 8.0 * egui::vec2(a.cos(), a.sin())
            })
            .collect();
        egui::Shape::line(points, egui::Stroke::new(2.5, color))
    };
    let turn = std::f32::consts::TAU;
    let (clash, attack) = (
        event_style(EventType::Clash).1,
        event_style(EventType::Attack).1,
    );
    painter.add(arc(-turn / 4.0, turn * 0.4, color32(clash)));
    painter.add(arc(turn * 0.4, turn * 0.75, color32(attack)));
    painter.text(
        c,
        egui::Align2::CENTER_CENTER,
        "3",
        egui::FontId::proportional(9.0),
        Color32::WHITE,
    );
}

/// Filters by type, document and date range.
pub(super) fn filters_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let mut filter = app.filter.clone();
    let total = app.corpus.incidents().len();
    let shown = app.visible_incidents().len();
    ui.label(format!("{shown} of {total} incidents shown"));
    if ui.button("Show all").clicked() {
        filter = Filter::default();
    }
    if let Some(subset) = filter.subset.clone() {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                super::tools_ui::hint_color(ui),
                format!("Only {} ({})", subset.label, subset.ids.len()),
            );
            if ui.small_button("clear").clicked() {
                filter.subset = None;
            }
        });
    }
    ui.add_space(4.0);
    ui.strong("Type");
    for t in EventType::ALL {
        let n = app
            .corpus
            .incidents()
            .iter()
            .filter(|i| i.event_type == t)
            .count();
        ui.horizontal(|ui| {
            let mut on = filter.types.is_empty() || filter.types.contains(&t);
            symbol_swatch(ui, t);
            if ui
                .checkbox(&mut on, format!("{} ({n})", t.label()))
                .changed()
            {
                if filter.types.is_empty() {
                    filter.types = EventType::ALL.into_iter().collect();
                }
                if on {
                    filter.types.insert(t);
                } else {
                    filter.types.remove(&t);
                }
                if filter.types.len() == EventType::ALL.len() {
                    filter.types.clear();
                }
            }
        });
    }
    ui.add_space(4.0);
    ui.strong("Document");
    for doc in &app.corpus.docs {
        let mut on = filter.docs.is_empty() || filter.docs.contains(&doc.id);
        let label = doc.meta.title.clone().unwrap_or_else(|| doc.id.clone());
        if ui
            .checkbox(&mut on, shorten(&label, 40))
            .on_hover_text(&doc.id)
            .changed()
        {
            if filter.docs.is_empty() {
                filter.docs = app.corpus.docs.iter().map(|d| d.id.clone()).collect();
            }
            if on {
                filter.docs.insert(doc.id.clone());
            } else {
                filter.docs.remove(&doc.id);
            }
            if filter.docs.len() == app.corpus.docs.len() {
                filter.docs.clear();
            }
        }
    }
    ui.add_space(4.0);
    ui.strong("Date");
    ui.horizontal(|ui| {
        let l = ui.label("from");
        date_field(ui, "filter_from", &mut filter.date_from, l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("to");
        date_field(ui, "filter_to", &mut filter.date_to, l.id);
    });
    ui.checkbox(&mut filter.include_undated, "include undated incidents");
    ui.weak("Drag across the timeline to pick a range; double-click it to clear.");
    if filter != app.filter {
        app.send(Command::SetFilter(filter));
    }
    ui.add_space(6.0);
    unlocated_ui(app, ui);
}

/// The tray of incidents located no more precisely than an area or a whole
/// line: one row per area with its count, a click lists them; and the toggle
/// for their badges on the map.
fn unlocated_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let overlay = crate::overlay::incident_overlay(&app.corpus, &app.filter, None);
    ui.strong("Not located more precisely");
    if overlay.unlocated.is_empty() {
        ui.weak("Every incident shown has a town, site or nearer place.");
        return;
    }
    let mut on = app.area_markers;
    if ui
        .checkbox(&mut on, "show them as area badges on the map")
        .on_hover_text(
            "Incidents placed only in a country, governorate, region or on a whole line are \
             drawn as one dashed badge per area, never as a point in the terrain.",
        )
        .changed()
    {
        app.send(Command::SetAreaMarkers(on));
    }
    for (area, ids) in &overlay.unlocated {
        let n = ids.len();
        let noun = if n == 1 { "incident" } else { "incidents" };
        egui::CollapsingHeader::new(format!("{area} — {n} {noun} not located more precisely"))
            .id_salt(("unlocated", area))
            .show(ui, |ui| {
                for &k in ids {
                    let Some(i) = app.corpus.incidents().get(k) else {
                        continue;
                    };
                    let text = format!(
                        "{} · {} · {}",
                        i.event_type.label(),
                        i.date
                            .map_or_else(|| "undated".to_string(), |d| d.to_string()),
                        shorten(&i.summary, 60)
                    );
                    if ui.selectable_label(false, text).clicked() {
                        app.send(Command::Select(Some(Selection::Incident(i.id.clone()))));
                    }
                }
            });
    }
}

/// A YYYY-MM-DD field bound to an optional date; empty clears it.
fn date_field(ui: &mut egui::Ui, id: &str, date: &mut Option<NaiveDate>, label: egui::Id) {
    let key = egui::Id::unique(id);
    let current = date.map(|d| d.to_string()).unwrap_or_default();
    let mut text: String = ui
        .data_mut(|d| d.get_temp::<(String, String)>(key))
        .map_or_else(
            || current.clone(),
            |(shown, draft)| {
                if shown == current {
                    draft
                } else {
                    current.clone()
                }
            },
        );
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(100.0)
                .hint_text("YYYY-MM-DD"),
        )
        .labelled_by(label);
    if response.changed() {
        if text.trim().is_empty() {
            *date = None;
        } else if let Ok(d) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            *date = Some(d);
        }
    }
    let shown = date.map(|d| d.to_string()).unwrap_or_default();
    ui.data_mut(|d| d.insert_temp(key, (shown, text)));
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars - 1).collect();
        format!("{cut}…")
    }
}

/// "2025-10-22 (day)", "2025-10 (month)", "on Sunday (relative, unresolved)".
pub(super) fn date_label(i: &Incident) -> String {
    match (&i.date, &i.date_text) {
        (Some(d), _) => format!("{d} ({})", i.time_precision.as_str()),
        (None, Some(t)) if i.time_precision == TimePrecision::Relative => {
            format!("“{t}” (relative; set the document's date to resolve)")
        }
        (None, Some(t)) => format!("“{t}” ({})", i.time_precision.as_str()),
        (None, None) => "undated".to_owned(),
    }
}

/// An incident's date in a few words, for lists: the date, else the words a
/// date without a year was written in ("July 30"), else "undated".
pub(super) fn short_date(i: &Incident) -> String {
    match (&i.date, &i.date_text) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.clone(),
        (None, None) => "undated".to_owned(),
    }
}

fn geo_precision_label(p: u8) -> &'static str {
    match p {
        1 => "1 — exact site or town",
        2 => "2 — near, or part of a region",
        _ => "3 — governorate, border-wide or country",
    }
}

/// A source sentence laid out with its trigger and place words highlighted.
pub(super) fn highlighted_sentence(
    app: &BadiyaApp,
    source: &crate::incidents::Source,
    ui: &egui::Ui,
) -> Option<LayoutJob> {
    let doc = app.corpus.doc(&source.doc)?;
    let display = doc.display();
    let (ds, de) = display.display_span(source.start, source.end);
    let text = display.text.get(ds..de)?;
    let to_local = |(s, e): (usize, usize)| {
        let (a, b) = display.display_span(s, e);
        (
            a.saturating_sub(ds).min(text.len()),
            b.saturating_sub(ds).min(text.len()),
        )
    };
    let trigger = to_local(source.trigger);
    let place = source.place.map(to_local);
    let base = TextFormat {
        font_id: egui::FontId::proportional(14.0),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let trigger_fmt = TextFormat {
        color: Color32::from_rgb(0xc6, 0x28, 0x28),
        underline: egui::Stroke::new(1.5, Color32::from_rgb(0xc6, 0x28, 0x28)),
        ..base.clone()
    };
    let place_fmt = TextFormat {
        background: Color32::from_rgba_unmultiplied(0x1e, 0x88, 0xe5, 70),
        ..base.clone()
    };
    let mut marks: Vec<(usize, usize, TextFormat)> = vec![(trigger.0, trigger.1, trigger_fmt)];
    if let Some(p) = place {
        marks.push((p.0, p.1, place_fmt));
    }
    marks.sort_by_key(|m| m.0);
    let mut job = LayoutJob::default();
    let mut at = 0;
    for (s, e, fmt) in marks {
        if s < at || e <= s || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        job.append(&text[at..s], 0.0, base.clone());
        job.append(&text[s..e], 0.0, fmt);
        at = e;
    }
    if text.is_char_boundary(at) {
        job.append(&text[at..], 0.0, base);
    }
    job.wrap.max_width = ui.available_width();
    Some(job)
}

/// The inspector for one incident: what, when, where, who, the evidence, and corrections.
pub(super) fn incident_inspector_ui(app: &mut BadiyaApp, ui: &mut egui::Ui, id: &str) {
    let Some(incident) = app.corpus.incident(id).cloned() else {
        ui.weak("This incident is gone (deleted or no longer extracted).");
        return;
    };
    ui.horizontal(|ui| {
        symbol_swatch(ui, incident.event_type);
        ui.label(
            RichText::new(incident.event_type.label())
                .size(18.0)
                .strong(),
        );
    });
    let origin = match incident.origin {
        Origin::Extracted => "extracted",
        Origin::Edited => "edited by analyst",
        Origin::Analyst => "added by analyst",
    };
    let n = incident.sources.len();
    ui.weak(format!(
        "{origin} · {n} source{} · confidence {:.0}%",
        if n == 1 { "" } else { "s" },
        incident.confidence * 100.0
    ));
    if let Some(e) = app.team.as_ref().and_then(|t| t.replica.last_change(id)) {
        ui.weak(format!("last changed by {} at {}", e.author, e.at));
    }
    ui.add_space(6.0);
    // One grid per incident: a grid keeps its row heights from the frame
    // before, so a shared one would lay a new incident's rows out at the last
    // one's heights (a wrapped place drawn over its precision) for a frame.
    egui::Grid::new(("incident_facts", id))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("Date");
            ui.add(egui::Label::new(date_label(&incident)).wrap());
            ui.end_row();
            ui.strong("Place");
            let written = if incident.place.name.is_empty()
                || incident.place.name == incident.place.canonical
            {
                String::new()
            } else {
                format!(" (written “{}”)", incident.place.name)
            };
            ui.add(egui::Label::new(format!("{}{written}", incident.place.canonical)).wrap());
            ui.end_row();
            if let Some(line) = super::tools_ui::border_line(app, incident.lon, incident.lat) {
                ui.strong("Border");
                ui.add(egui::Label::new(line).wrap());
                ui.end_row();
            }
            if let Some(name) = &incident.place.not_found {
                ui.strong("Not found");
                ui.vertical(|ui| {
                    ui.add(
                        egui::Label::new(format!(
                            "place not found: “{name}” — kept at {} meanwhile",
                            incident.place.canonical
                        ))
                        .wrap(),
                    );
                    let placing = app.placing_name.as_deref() == Some(name.as_str());
                    if ui
                        .selectable_label(placing, format!("Place “{name}” on the map…"))
                        .on_hover_text(
                            "then click the map: every document uses the place from then on",
                        )
                        .clicked()
                    {
                        app.send(Command::StartPlaceName((!placing).then(|| name.clone())));
                    }
                });
                ui.end_row();
            }
            ui.strong("Precision");
            ui.label(geo_precision_label(incident.geo_precision));
            ui.end_row();
            ui.strong("Position");
            ui.label(app.tools.copy_format.show(incident.lon, incident.lat));
            ui.end_row();
            ui.strong("Actors");
            ui.add(
                egui::Label::new(if incident.actors.is_empty() {
                    "—".to_owned()
                } else {
                    incident.actors.join(", ")
                })
                .wrap(),
            );
            ui.end_row();
            if incident.review != Review::Unreviewed {
                ui.strong("Review");
                ui.label(incident.review.as_str());
                ui.end_row();
            }
            if !incident.note.is_empty() {
                ui.strong("Note");
                ui.add(egui::Label::new(&incident.note).wrap());
                ui.end_row();
            }
        });
    super::team_ui::history_ui(app, ui, id);
    if !incident.why.is_empty() {
        ui.add_space(4.0);
        egui::CollapsingHeader::new("Why: what extraction decided")
            .id_salt(("why", &incident.id))
            .default_open(true)
            .show(ui, |ui| {
                for line in &incident.why {
                    ui.add(egui::Label::new(RichText::new(format!("• {line}")).small()).wrap());
                }
            });
    }
    ui.add_space(8.0);
    ui.strong(if n == 1 {
        "Source".to_owned()
    } else {
        format!("{n} sources")
    });
    for (k, source) in incident.sources.iter().enumerate() {
        let title = app
            .corpus
            .doc(&source.doc)
            .and_then(|d| d.meta.title.clone())
            .unwrap_or_else(|| source.doc.clone());
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.weak(format!("{}. {}", k + 1, shorten(&title, 60)));
            match highlighted_sentence(app, source, ui) {
                Some(job) => {
                    ui.label(job);
                }
                None => {
                    ui.label(&source.quote);
                }
            }
            if ui.button("Open in document").clicked() {
                app.send(Command::OpenDocument {
                    doc: source.doc.clone(),
                    at: Some(source.start),
                });
            }
        });
    }
    ui.add_space(8.0);
    ui.collapsing("Correct this incident", |ui| {
        ui.horizontal(|ui| {
            ui.label("Type");
            let mut t = incident.event_type;
            egui::ComboBox::from_id_salt("edit_type")
                .selected_text(t.label())
                .show_ui(ui, |ui| {
                    for option in EventType::ALL {
                        ui.selectable_value(&mut t, option, option.label());
                    }
                });
            if t != incident.event_type {
                app.send(Command::Edit(Edit::SetType {
                    id: incident.id.clone(),
                    event_type: t,
                }));
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label("Date");
            let key = egui::Id::unique(("edit_date", incident.id.as_str()));
            let mut draft: String = ui
                .data_mut(|d| d.get_temp::<String>(key))
                .unwrap_or_else(|| incident.date.map(|d| d.to_string()).unwrap_or_default());
            ui.add(
                egui::TextEdit::singleline(&mut draft)
                    .desired_width(110.0)
                    .hint_text("YYYY[-MM[-DD]]"),
            )
            .labelled_by(l.id);
            if ui.button("Set").clicked() {
                if draft.trim().is_empty() {
                    app.send(Command::Edit(Edit::SetDate {
                        id: incident.id.clone(),
                        date: None,
                    }));
                } else if let Some(d) = PartialDate::parse(draft.trim()) {
                    app.send(Command::Edit(Edit::SetDate {
                        id: incident.id.clone(),
                        date: Some(d),
                    }));
                } else {
                    app.send(Command::Error(format!(
                        "{draft:?} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
                    )));
                }
            }
            ui.data_mut(|d| d.insert_temp(key, draft));
        });
        ui.horizontal(|ui| {
            let moving = app.moving_pin.as_deref() == Some(incident.id.as_str());
            if ui
                .selectable_label(moving, "Move pin…")
                .on_hover_text("then click the map")
                .clicked()
            {
                app.send(Command::StartMovePin(if moving {
                    None
                } else {
                    Some(incident.id.clone())
                }));
            }
            if ui.button("Delete").clicked() {
                app.send(Command::Edit(Edit::Delete {
                    id: incident.id.clone(),
                }));
            }
        });
        place_picker_ui(app, ui, &incident.id);
        ui.horizontal(|ui| {
            ui.label("Review");
            for r in Review::ALL {
                if ui
                    .selectable_label(incident.review == r, r.as_str())
                    .clicked()
                    && incident.review != r
                {
                    app.send(Command::Edit(Edit::SetReview {
                        id: incident.id.clone(),
                        review: r,
                    }));
                }
            }
        });
        // Actors, summary and note: edited in a field, applied with Set.
        let joined = incident.actors.join(", ");
        if let Some(text) = text_field(ui, &incident.id, "Actors", &joined, false) {
            let actors: Vec<String> = text
                .split([',', ';'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            app.send(Command::Edit(Edit::SetActors {
                id: incident.id.clone(),
                actors,
            }));
        }
        if let Some(summary) = text_field(ui, &incident.id, "Summary", &incident.summary, true) {
            app.send(Command::Edit(Edit::SetSummary {
                id: incident.id.clone(),
                summary,
            }));
        }
        if let Some(note) = text_field(ui, &incident.id, "Note", &incident.note, true) {
            app.send(Command::Edit(Edit::SetNote {
                id: incident.id.clone(),
                note,
            }));
        }
        ui.weak("Corrections are kept across re-extraction and restarts, and undo with Ctrl+Z.");
    });
    if ui.button("Zoom to").clicked() {
        app.send(Command::FlyTo {
            lon: incident.lon,
            lat: incident.lat,
            zoom: 8.0,
        });
    }
}

/// A labelled text field kept as a draft until Set is pressed; returns the
/// text when it is, and differs from `current`.
/// The other way to set an incident's place: type a name, pick from the
/// gazetteer's matches; the pin moves there with the place's precision.
fn place_picker_ui(app: &mut BadiyaApp, ui: &mut egui::Ui, incident: &str) {
    let key = egui::Id::unique(("place_picker", incident));
    let found_key = egui::Id::unique(("place_picker_found", incident));
    let mut query: String = ui.data_mut(|d| d.get_temp(key)).unwrap_or_default();
    ui.horizontal(|ui| {
        let l = ui.label("Place");
        ui.add(
            egui::TextEdit::singleline(&mut query)
                .hint_text("type to search the gazetteer")
                .desired_width(200.0),
        )
        .labelled_by(l.id);
    });
    let query_now = query.trim().to_owned();
    // The matches are looked up when the words change, not every frame.
    let cached: Option<(String, Vec<String>)> = ui.data_mut(|d| d.get_temp(found_key));
    let ids = match cached {
        Some((q, ids)) if q == query_now => ids,
        _ => {
            let ids: Vec<String> = if query_now.chars().count() >= 2 {
                app.corpus
                    .gazetteer
                    .lookup(&query_now)
                    .into_iter()
                    .take(8)
                    .map(|e| e.id.clone())
                    .collect()
            } else {
                Vec::new()
            };
            ui.data_mut(|d| d.insert_temp(found_key, (query_now.clone(), ids.clone())));
            ids
        }
    };
    let mut chosen = None;
    if !query_now.is_empty() && query_now.chars().count() >= 2 && ids.is_empty() {
        ui.weak("no place of that name in the gazetteer");
    }
    for id in &ids {
        let Some(e) = app.corpus.gazetteer.by_id(id) else {
            continue;
        };
        let where_ = [e.admin1.as_deref(), e.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let text = if where_.is_empty() {
            format!("{} ({:?})", e.name, e.kind)
        } else {
            format!("{} ({:?}, {where_})", e.name, e.kind)
        };
        if ui.button(text).clicked() {
            chosen = Some(e.clone());
        }
    }
    if let Some(e) = chosen {
        app.send(Command::Edit(Edit::Move {
            id: incident.to_owned(),
            lon: e.lon,
            lat: e.lat,
            place: Some(crate::incidents::Place {
                gazetteer_id: Some(e.id.clone()),
                name: e.name.clone(),
                canonical: e.name.clone(),
                not_found: None,
            }),
            geo_precision: Some(e.geo_precision),
        }));
        query.clear();
    }
    ui.data_mut(|d| d.insert_temp(key, query));
}

fn text_field(
    ui: &mut egui::Ui,
    incident: &str,
    label: &str,
    current: &str,
    multiline: bool,
) -> Option<String> {
    let key = egui::Id::unique(("edit_text", incident, label));
    let mut draft: String = ui
        .data_mut(|d| d.get_temp::<String>(key))
        .unwrap_or_else(|| current.to_owned());
    let mut set = false;
    ui.horizontal(|ui| {
        let l = ui.label(label);
        let edit = if multiline {
            egui::TextEdit::multiline(&mut draft).desired_rows(2)
        } else {
            egui::TextEdit::singleline(&mut draft)
        };
        ui.add(edit.desired_width(200.0)).labelled_by(l.id);
        set = ui.button(format!("Set {}", label.to_lowercase())).clicked();
    });
    ui.data_mut(|d| d.insert_temp(key, draft.clone()));
    (set && draft.trim() != current.trim()).then(|| draft.trim().to_owned())
}

/// Month index (year × 12 + month − 1) for the timeline's x axis.
fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0().cast_signed()
}

fn month_start(index: i32) -> Option<NaiveDate> {
    let year = index.div_euclid(12);
    let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn month_end(index: i32) -> Option<NaiveDate> {
    month_start(index + 1).and_then(|d| d.pred_opt())
}

/// Which column the table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortBy {
    Date,
    Type,
    Place,
    Sources,
}

/// The bottom panel: the monthly timeline with a range brush, and the incidents table.
pub(super) fn timeline_panel_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("incidents_panel")
        .resizable(true)
        .default_size(220.0)
        .show(ui, |ui| {
            egui::Panel::left("timeline")
                .resizable(true)
                .default_size(480.0)
                .show(ui, |ui| timeline_ui(app, ui));
            egui::CentralPanel::default().show(ui, |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt("incident_table_scroll")
                    .show(ui, |ui| table_ui(app, ui));
            });
        });
}

fn timeline_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    use egui_plot::{Bar, BarChart, Plot, PlotPoints, Polygon};
    super::tools_ui::lapse_controls_ui(app, ui);
    // Count by month what the other filters let through, so the brush shows what it would pick.
    let undated_filter = Filter {
        date_from: None,
        date_to: None,
        include_undated: true,
        ..app.filter.clone()
    };
    let mut counts: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    let mut undated = 0;
    for i in app
        .corpus
        .incidents()
        .iter()
        .filter(|i| undated_filter.accepts(i))
    {
        match i.date {
            Some(d) if d.month.is_some() => {
                *counts.entry(month_index(d.first_day())).or_default() += 1
            }
            Some(d) => *counts.entry(month_index(d.first_day())).or_default() += 0,
            None => undated += 1,
        }
    }
    let year_only = app
        .corpus
        .incidents()
        .iter()
        .filter(|i| undated_filter.accepts(i) && i.date.is_some_and(|d| d.month.is_none()))
        .count();
    ui.horizontal(|ui| {
        ui.strong("Timeline");
        ui.weak(format!(
            "by month · {undated} undated · {year_only} dated to a year only"
        ));
    });
    // The shaded range reaches the tallest bar, not the plot's top: a shade
    // as tall as the bounds would raise them again every frame.
    #[allow(clippy::cast_precision_loss)]
    let tallest = counts.values().copied().max().unwrap_or(0).max(1) as f64;
    let bars: Vec<Bar> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(m, n)| {
            #[allow(clippy::cast_precision_loss)]
            Bar::new(f64::from(*m), *n as f64).width(0.8)
        })
        .collect();
    // While the time-lapse runs, the shaded range is its window.
    let lapse_window = super::tools_ui::lapse_frame_end(app)
        .zip(app.tools.lapse.as_ref())
        .map(|(end, l)| l.lapse.window(end));
    let range = match lapse_window {
        Some((from, to)) => (Some(month_index(from)), Some(month_index(to))),
        None => (
            app.filter.date_from.map(month_index),
            app.filter.date_to.map(month_index),
        ),
    };
    let brush_id = egui::Id::unique("timeline_brush");
    let brush_before: Option<(f64, f64)> = ui
        .data_mut(|d| d.get_temp::<Option<(f64, f64)>>(brush_id))
        .flatten();
    let plot = Plot::new("timeline_plot")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .include_y(0.0)
        .include_y(tallest * 1.1)
        .y_axis_min_width(24.0)
        .x_axis_formatter(|mark, _| {
            #[allow(clippy::cast_possible_truncation)]
            let m = mark.value.round() as i32;
            month_start(m)
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default()
        });
    // The brush (drag in progress) and the range chosen this frame, if any, come
    // back out of the plot as its result.
    let (brush, new_range) = plot
        .show(ui, |plot_ui| {
            let mut brush = brush_before;
            let mut new_range: Option<Option<(f64, f64)>> = None;
            plot_ui.bar_chart(
                BarChart::new("incidents", bars).color(Color32::from_rgb(0x54, 0x6e, 0x7a)),
            );
            let shade = |a: f64, b: f64, ymax: f64| {
                Polygon::new(
                    "range",
                    PlotPoints::new(vec![[a, 0.0], [b, 0.0], [b, ymax], [a, ymax]]),
                )
                .fill_color(Color32::from_rgba_unmultiplied(0x1e, 0x88, 0xe5, 50))
            };
            let ymax = tallest;
            if let (Some(a), Some(b)) = range {
                plot_ui.polygon(shade(f64::from(a) - 0.5, f64::from(b) + 0.5, ymax));
            }
            let response = plot_ui.response().clone();
            let pointer = plot_ui.pointer_coordinate();
            // A drag starts where the button went down, not where the pointer
            // is once it has moved far enough to count as a drag: a fast
            // drag covers every month it crossed.
            let origin = plot_ui
                .ctx()
                .input(|i| i.pointer.press_origin())
                .map(|p| plot_ui.plot_from_screen(p));
            if response.drag_started() {
                brush = origin
                    .or(pointer)
                    .map(|o| (o.x, pointer.map_or(o.x, |p| p.x)));
            } else if response.dragged()
                && let (Some((a, _)), Some(p)) = (brush, pointer)
            {
                brush = Some((a, p.x));
            }
            if let Some((a, b)) = brush {
                plot_ui.polygon(shade(a.min(b), a.max(b), ymax));
            }
            if response.drag_stopped() {
                // The release may come with the last move in one frame.
                if let (Some((a, _)), Some(p)) = (brush, pointer) {
                    brush = Some((a, p.x));
                }
                new_range = Some(brush.take());
            }
            if response.double_clicked() {
                new_range = Some(None);
            }
            (brush, new_range)
        })
        .inner;
    ui.data_mut(|d| d.insert_temp(brush_id, brush));
    if let Some(choice) = new_range {
        let mut filter = app.filter.clone();
        match choice {
            Some((a, b)) => {
                #[allow(clippy::cast_possible_truncation)]
                let (lo, hi) = (a.min(b).round() as i32, a.max(b).round() as i32);
                filter.date_from = month_start(lo);
                filter.date_to = month_end(hi);
                filter.include_undated = false;
            }
            None => {
                filter.date_from = None;
                filter.date_to = None;
                filter.include_undated = true;
            }
        }
        app.send(Command::SetFilter(filter));
    }
}

/// The table's rows as last filtered and sorted (indices into the incidents).
pub(crate) struct TableRows {
    generation: u64,
    filter: crate::incidents::Filter,
    sort: SortBy,
    ascending: bool,
    rows: std::sync::Arc<Vec<usize>>,
}

fn table_ui(app: &mut BadiyaApp, ui: &mut egui::Ui) {
    let sort_id = egui::Id::unique("incident_table_sort");
    let (sort, ascending): (SortBy, bool) = ui
        .data_mut(|d| d.get_temp(sort_id))
        .unwrap_or((SortBy::Date, true));
    // The rows, filtered and sorted, are kept until the incidents, the
    // filter or the order change: a frame does not clone or sort them.
    let fresh = app.table_rows.as_ref().is_some_and(|t| {
        t.generation == app.corpus.generation()
            && t.filter == app.filter
            && t.sort == sort
            && t.ascending == ascending
    });
    if !fresh {
        let all = app.corpus.incidents();
        let mut order: Vec<usize> = (0..all.len())
            .filter(|&k| app.filter.accepts(&all[k]))
            .collect();
        order.sort_by(|&x, &y| {
            let (a, b) = (&all[x], &all[y]);
            let o = match sort {
                // Undated incidents go last either way round.
                SortBy::Date => match (a.date, b.date) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                },
                SortBy::Type => a.event_type.label().cmp(b.event_type.label()),
                SortBy::Place => a.place.canonical.cmp(&b.place.canonical),
                SortBy::Sources => a.sources.len().cmp(&b.sources.len()),
            };
            let o = o.then_with(|| a.id.cmp(&b.id));
            if ascending { o } else { o.reverse() }
        });
        app.table_rows = Some(TableRows {
            generation: app.corpus.generation(),
            filter: app.filter.clone(),
            sort,
            ascending,
            rows: std::sync::Arc::new(order),
        });
    }
    let order = app
        .table_rows
        .as_ref()
        .map(|t| std::sync::Arc::clone(&t.rows))
        .unwrap_or_default();
    let all = app.corpus.incidents();
    let rows: Vec<&Incident> = order.iter().filter_map(|&k| all.get(k)).collect();
    let selected = match &app.selection {
        Some(Selection::Incident(id)) => Some(id.clone()),
        _ => None,
    };
    let mut new_sort = None;
    let mut clicked: Option<Incident> = None;
    let header =
        |ui: &mut egui::Ui, label: &str, by: SortBy, new_sort: &mut Option<(SortBy, bool)>| {
            let arrow = if sort == by {
                if ascending { " ^" } else { " v" }
            } else {
                ""
            };
            if ui.button(format!("{label}{arrow}")).clicked() {
                *new_sort = Some((by, if sort == by { !ascending } else { true }));
            }
        };
    // A selection made elsewhere (on the map, in the search) scrolls the
    // table to its row, once; a click in the table itself does not.
    let shown_id = egui::Id::unique("incident_table_shown_selection");
    let shown: Option<String> = ui.data_mut(|d| d.get_temp(shown_id)).flatten();
    let scroll_to = (selected != shown)
        .then(|| {
            selected
                .as_deref()
                .and_then(|id| rows.iter().position(|r| r.id == id))
        })
        .flatten();
    ui.data_mut(|d| d.insert_temp(shown_id, selected.clone()));
    // Text in the cells is not selectable, so a click anywhere on a row
    // selects its incident.
    ui.style_mut().interaction.selectable_labels = false;
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .column(Column::initial(86.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::initial(140.0).at_least(60.0).clip(true))
        .column(Column::initial(66.0).at_least(50.0))
        .column(Column::initial(62.0).at_least(50.0))
        .column(Column::initial(62.0).at_least(50.0))
        .column(Column::remainder().at_least(80.0).clip(true));
    if let Some(index) = scroll_to {
        table = table.scroll_to_row(index, Some(egui::Align::Center));
    }
    table
        .header(22.0, |mut h| {
            h.col(|ui| header(ui, "Date", SortBy::Date, &mut new_sort));
            h.col(|ui| header(ui, "Type", SortBy::Type, &mut new_sort));
            h.col(|ui| header(ui, "Place", SortBy::Place, &mut new_sort));
            h.col(|ui| {
                ui.strong("Precision")
                    .on_hover_text("1: the place itself; 2: near it, or an area; 3: a governorate, country or whole line");
            });
            h.col(|ui| header(ui, "Sources", SortBy::Sources, &mut new_sort));
            h.col(|ui| {
                ui.strong("Origin");
            });
            h.col(|ui| {
                ui.strong("Actors");
            });
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                row.set_selected(selected.as_deref() == Some(i.id.as_str()));
                row.col(|ui| {
                    ui.label(i.date.map_or_else(|| "—".to_owned(), |d| d.to_string()));
                });
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        symbol_swatch(ui, i.event_type);
                        ui.label(i.event_type.label());
                    });
                });
                row.col(|ui| {
                    ui.label(&i.place.canonical);
                });
                row.col(|ui| {
                    ui.label(i.geo_precision.to_string());
                });
                row.col(|ui| {
                    ui.label(i.sources.len().to_string());
                });
                row.col(|ui| {
                    let origin = match i.origin {
                        Origin::Extracted => "extracted",
                        Origin::Edited => "edited",
                        Origin::Analyst => "analyst",
                    };
                    match i.review {
                        Review::Unreviewed => ui.label(origin),
                        r => ui.label(format!("{origin}, {}", r.as_str())),
                    };
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(i.actors.join(", ")).truncate());
                });
                if row.response().clicked() {
                    clicked = Some(i.clone());
                }
            });
        });
    if let Some(s) = new_sort {
        ui.data_mut(|d| d.insert_temp(sort_id, s));
    }
    if let Some(i) = clicked {
        app.send(Command::Select(Some(Selection::Incident(i.id.clone()))));
        app.send(Command::FlyTo {
            lon: i.lon,
            lat: i.lat,
            zoom: 7.0,
        });
    }
}
