use std::collections::BTreeSet;

use super::*;
use crate::incidents::EventType;

fn set_type(id: &str, t: EventType) -> Edit {
    Edit::SetType {
        id: id.to_owned(),
        event_type: t,
    }
}

/// What the server does: numbers changes in the order it takes them.
struct Server {
    log: Vec<Entry>,
}

impl Server {
    fn take(&mut self, client: &str, author: &str, out: &[Outgoing]) {
        for o in out {
            let seq = self.log.len() as i64 + 1;
            self.log.push(Entry {
                seq,
                client: client.to_owned(),
                client_seq: o.client_seq,
                author: author.to_owned(),
                at: "2026-12-02T10:00:00Z".to_owned(),
                base: o.base,
                change: o.change.clone(),
            });
        }
    }
    fn since(&self, seq: i64) -> Vec<Entry> {
        self.log.iter().filter(|e| e.seq > seq).cloned().collect()
    }
}

#[test]
fn two_analysts_changing_one_field_at_once_both_stay_in_the_history_and_the_later_wins() {
    let mut server = Server { log: Vec::new() };
    let mut a = Replica::new("a".into(), Vec::new(), Vec::new());
    let mut b = Replica::new("b".into(), Vec::new(), Vec::new());
    let mut ws_a = SavedWorkspace::default();
    ws_a.edits.push(set_type("x", EventType::Clash));
    let out_a = a.diff(&ws_a, Some(&ws_a.added_docs), &BTreeSet::new());
    let mut ws_b = SavedWorkspace::default();
    ws_b.edits.push(set_type("x", EventType::Attack));
    let out_b = b.diff(&ws_b, Some(&ws_b.added_docs), &BTreeSet::new());
    // Neither had seen the other's when sending; A's reached the server first.
    server.take("a", "alice", &out_a);
    server.take("b", "bob", &out_b);
    let ca = a.receive(&server.since(a.last_seq()));
    let cb = b.receive(&server.since(b.last_seq()));
    assert!(a.pending().is_empty() && b.pending().is_empty());
    // Both copies replay to the same corrections: both kept, B's last.
    assert_eq!(a.derive().edits.len(), 2);
    assert_eq!(
        a.derive()
            .edits
            .iter()
            .map(|(_, e, _)| e.clone())
            .collect::<Vec<_>>(),
        b.derive()
            .edits
            .iter()
            .map(|(_, e, _)| e.clone())
            .collect::<Vec<_>>()
    );
    let winner = &a.derive().edits[1].1;
    assert_eq!(winner, &set_type("x", EventType::Attack));
    // Each analyst is told, in their own terms.
    let to_alice = ca[0].message_for("a").expect("alice is told");
    assert!(to_alice.contains("bob changed the type of x"), "{to_alice}");
    assert!(
        to_alice.contains("Yours is kept in the history"),
        "{to_alice}"
    );
    let to_bob = cb[0].message_for("b").expect("bob is told");
    assert!(
        to_bob.starts_with("You and alice changed the type of x"),
        "{to_bob}"
    );
    assert!(
        to_bob.contains("yours reached the team store last"),
        "{to_bob}"
    );
}

#[test]
fn a_change_made_after_seeing_the_other_is_no_conflict() {
    let mut server = Server { log: Vec::new() };
    let mut a = Replica::new("a".into(), Vec::new(), Vec::new());
    let mut b = Replica::new("b".into(), Vec::new(), Vec::new());
    let mut ws = SavedWorkspace::default();
    ws.edits.push(set_type("x", EventType::Clash));
    let out = a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new());
    server.take("a", "alice", &out);
    assert!(b.receive(&server.since(0)).is_empty());
    let mut ws_b = SavedWorkspace::default();
    super::apply_derived(&mut ws_b, &b.derive(), &HashMap::new());
    ws_b.edits.push(set_type("x", EventType::Attack));
    let out = b.diff(&ws_b, Some(&ws_b.added_docs), &BTreeSet::new());
    assert_eq!(out.len(), 1, "only the new correction goes up");
    server.take("b", "bob", &out);
    assert!(a.receive(&server.since(a.last_seq())).is_empty());
}

#[test]
fn undoing_takes_back_this_analysts_correction_not_anothers() {
    let mut server = Server { log: Vec::new() };
    let mut a = Replica::new("a".into(), Vec::new(), Vec::new());
    let mut ws = SavedWorkspace::default();
    ws.edits.push(set_type("x", EventType::Clash));
    server.take(
        "a",
        "alice",
        &a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new()),
    );
    server.take(
        "b",
        "bob",
        &[Outgoing {
            client_seq: 1,
            base: 1,
            change: Change::Edit {
                uid: "b:1".into(),
                edit: set_type("y", EventType::Handover),
            },
            raw: None,
        }],
    );
    a.receive(&server.since(0));
    assert_eq!(a.own_edit_positions(), vec![0]);
    // The window took back position 0 (alice's); bob's stays.
    let mut ws = SavedWorkspace::default();
    ws.edits.push(set_type("y", EventType::Handover));
    let out = a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new());
    assert_eq!(out.len(), 1);
    assert!(matches!(&out[0].change, Change::Undo { incident, .. } if incident == "x"));
    let d = a.derive();
    assert_eq!(d.edits.len(), 1);
    assert_eq!(d.edits[0].1, set_type("y", EventType::Handover));
}

#[test]
fn annotations_places_metadata_and_documents_travel_as_changes() {
    let mut a = Replica::new("a".into(), Vec::new(), Vec::new());
    let mut ws = SavedWorkspace::default();
    let mut annos = crate::annotate::Annotations::new();
    annos.add(crate::annotate::Annotation::new(
        crate::annotate::AnnotationKind::Pin {
            at: [41.0, 34.4],
            note: String::new(),
        },
    ));
    ws.annotations = annos;
    ws.analyst_places.push(AnalystPlace {
        name: "Wadi X".into(),
        lon: 40.5,
        lat: 34.1,
    });
    ws.added_docs.push(SavedDoc {
        id: "late.txt".into(),
        raw: "Gunmen attacked a checkpoint near Rutba.".into(),
        kind: DocKind::Text,
    });
    let out = a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new());
    let kinds: Vec<&str> = out.iter().map(|o| o.change.kind()).collect();
    assert_eq!(kinds, ["annotation", "place", "document"]);
    assert!(out[2].raw.is_some(), "the text goes with the document");
    // Nothing changed since: nothing more to send.
    assert!(
        a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new())
            .is_empty()
    );
    let d = a.derive();
    let mut texts = HashMap::new();
    texts.insert(
        content_hash(&ws.added_docs[0].raw),
        ws.added_docs[0].raw.clone(),
    );
    let mut back = SavedWorkspace::default();
    apply_derived(&mut back, &d, &texts);
    assert_eq!(back.added_docs, ws.added_docs);
    assert_eq!(back.analyst_places, ws.analyst_places);
    assert_eq!(back.annotations.items(), ws.annotations.items());
    // Removing the annotation is a change too.
    ws.annotations = crate::annotate::Annotations::new();
    let out = a.diff(&ws, Some(&ws.added_docs), &BTreeSet::new());
    assert!(matches!(
        &out[0].change,
        Change::Annotation {
            annotation: None,
            ..
        }
    ));
}
