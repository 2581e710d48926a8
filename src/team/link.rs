//! The team store on a thread of its own: it connects (and reconnects when
//! the server drops), sends what is queued, listens for others' changes
//! (LISTEN/NOTIFY, so they arrive within a fraction of a second), keeps the
//! incidents table current and answers spatial questions. The window never
//! waits for the network.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::remote::Remote;
use super::{Change, Entry, Outgoing, StoreUrl, TeamError};
use crate::incidents::Incident;

/// How long the thread waits for word of a change before looking again.
const WAIT: Duration = Duration::from_millis(150);
/// How soon after a failed connection it tries again.
const RETRY: Duration = Duration::from_secs(2);

/// What the window asks of the thread.
pub enum ToLink {
    /// Changes made here (already in the local queue).
    Push(Vec<Outgoing>),
    /// The incidents as this copy now sees them, for the shared table.
    Incidents(Arc<Vec<Incident>>),
    /// Texts of documents the local copy lacks, by hash.
    Texts(Vec<String>),
    /// A spatial question for PostGIS.
    Ask {
        id: u64,
        geometry: geo::Geometry<f64>,
        km: f64,
    },
}

/// What the thread tells the window.
#[derive(Debug)]
pub enum FromLink {
    Status(LinkStatus),
    /// Changes the server took (with the texts of added documents, by hash).
    Received {
        entries: Vec<Entry>,
        texts: HashMap<String, String>,
    },
    /// Texts asked for, by hash.
    Texts(HashMap<String, String>),
    /// The server will not take this copy's changes; they stay queued.
    Refused(String),
    Error(String),
    Answer {
        id: u64,
        result: Result<Vec<(String, f64)>, String>,
    },
}

/// The connection as the status bar shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkStatus {
    pub connected: bool,
    /// The role the connection acts as.
    pub author: String,
    pub editor: bool,
    /// Why it is not connected.
    pub error: Option<String>,
    /// Changes made here that the server has not taken yet.
    pub unsent: usize,
}

/// Called by the thread after each report, so a window that sleeps until
/// something happens wakes to take it in.
pub type Waker = Arc<std::sync::Mutex<Option<Box<dyn Fn() + Send>>>>;

/// The handle the window keeps.
pub struct Link {
    tx: Sender<ToLink>,
    rx: Receiver<FromLink>,
    stop: Arc<AtomicBool>,
    waker: Waker,
}

impl Link {
    /// Starts the thread for `url`; `pending` is what the local queue holds,
    /// `after` the newest change the local copy has.
    pub fn spawn(url: StoreUrl, client: String, pending: Vec<Outgoing>, after: i64) -> Self {
        let (tx, inbox) = channel();
        let (report, rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let waker: Waker = Arc::default();
        let wake = Arc::clone(&waker);
        let spawned = std::thread::Builder::new()
            .name("team-store".into())
            .spawn(move || {
                let report = Reporter { tx: report, wake };
                run(&url, &client, pending, after, &inbox, &report, &stopping);
            });
        if let Err(e) = spawned {
            log::error!("cannot start the team store thread: {e}");
        }
        Self {
            tx,
            rx,
            stop,
            waker,
        }
    }

    /// What to call when a report is ready (a window's repaint request).
    pub fn set_waker(&self, wake: impl Fn() + Send + 'static) {
        if let Ok(mut w) = self.waker.lock() {
            *w = Some(Box::new(wake));
        }
    }

    pub fn send(&self, message: ToLink) {
        let _ = self.tx.send(message);
    }

    /// What the thread reported since the last call.
    pub fn poll(&self) -> Vec<FromLink> {
        self.rx.try_iter().collect()
    }

    /// Waits up to `timeout` for a report (tests and tools).
    pub fn wait(&self, timeout: Duration) -> Option<FromLink> {
        self.rx.recv_timeout(timeout).ok()
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // What was not sent is in the local queue; the thread ends at its next look.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The thread's side of the report channel: every report wakes the window.
struct Reporter {
    tx: Sender<FromLink>,
    wake: Waker,
}

impl Reporter {
    fn send(&self, m: FromLink) -> Result<(), std::sync::mpsc::SendError<FromLink>> {
        let r = self.tx.send(m);
        if let Ok(w) = self.wake.lock()
            && let Some(f) = w.as_ref()
        {
            f();
        }
        r
    }
}

#[allow(clippy::too_many_lines)]
fn run(
    url: &StoreUrl,
    client: &str,
    mut unsent: Vec<Outgoing>,
    mut after: i64,
    inbox: &Receiver<ToLink>,
    report: &Reporter,
    stop: &AtomicBool,
) {
    let mut remote: Option<Remote> = None;
    let mut next_try = Instant::now();
    let mut refused = false;
    let mut incidents: Option<Arc<Vec<Incident>>> = None;
    let mut wanted: Vec<String> = Vec::new();
    let mut asks: Vec<(u64, geo::Geometry<f64>, f64)> = Vec::new();
    let mut status = LinkStatus::default();
    let mut told = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        loop {
            match inbox.try_recv() {
                Ok(ToLink::Push(v)) => unsent.extend(v),
                Ok(ToLink::Incidents(list)) => incidents = Some(list),
                Ok(ToLink::Texts(h)) => wanted.extend(h),
                Ok(ToLink::Ask { id, geometry, km }) => asks.push((id, geometry, km)),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        if remote.is_none() && Instant::now() >= next_try {
            match Remote::connect(url).and_then(|mut r| r.listen().map(|()| r)) {
                Ok(r) => {
                    status.connected = true;
                    status.author.clone_from(&r.author);
                    status.editor = r.editor;
                    status.error = None;
                    remote = Some(r);
                }
                Err(e) => {
                    status.connected = false;
                    status.error = Some(e.to_string());
                    next_try = Instant::now() + RETRY;
                }
            }
        }
        if let Some(r) = remote.as_mut() {
            let step = (|| -> Result<(), TeamError> {
                if !unsent.is_empty() && !refused {
                    if r.editor {
                        match r.push(client, &unsent) {
                            Ok(()) => unsent.clear(),
                            Err(e @ TeamError::Refused { .. }) => {
                                refused = true;
                                let _ = report.send(FromLink::Refused(e.to_string()));
                            }
                            Err(e) => return Err(e),
                        }
                    } else {
                        refused = true;
                        let _ = report.send(FromLink::Refused(format!(
                            "the team store {} gives {} read access only: changes made here are not sent",
                            url.display(),
                            r.author
                        )));
                    }
                }
                // Everything new, in pages, handed over at once (a copy
                // joining a large store takes its documents in one go).
                let mut entries = Vec::new();
                let mut texts = HashMap::new();
                loop {
                    let page = r.fetch(after, 2000)?;
                    let Some(last) = page.last() else { break };
                    after = last.seq;
                    let hashes: Vec<String> = page
                        .iter()
                        .filter_map(|e| match &e.change {
                            Change::Document { hash: Some(h), .. } => Some(h.clone()),
                            _ => None,
                        })
                        .collect();
                    texts.extend(r.texts(&hashes)?);
                    let full = page.len() == 2000;
                    entries.extend(page);
                    if !full {
                        break;
                    }
                }
                if !entries.is_empty() {
                    let _ = report.send(FromLink::Received { entries, texts });
                }
                if !wanted.is_empty() {
                    let texts = r.texts(&wanted)?;
                    wanted.clear();
                    let _ = report.send(FromLink::Texts(texts));
                }
                for (id, geometry, km) in asks.drain(..) {
                    let result = r.within(&geometry, km).map_err(|e| e.to_string());
                    let _ = report.send(FromLink::Answer { id, result });
                }
                if r.editor
                    && !refused
                    && let Some(list) = incidents.take()
                    && let Err(e) = r.write_incidents(&list)
                {
                    incidents = Some(list);
                    return Err(e);
                }
                r.wait(WAIT)?;
                Ok(())
            })();
            if let Err(e) = step {
                if r.is_closed() {
                    remote = None;
                    status.connected = false;
                    status.error = Some(e.to_string());
                    next_try = Instant::now() + Duration::from_millis(500);
                } else {
                    let _ = report.send(FromLink::Error(e.to_string()));
                    std::thread::sleep(WAIT);
                }
            }
        } else {
            std::thread::sleep(Duration::from_millis(100));
        }
        status.unsent = unsent.len();
        if told.as_ref() != Some(&status) {
            told = Some(status.clone());
            let _ = report.send(FromLink::Status(status.clone()));
        }
    }
}
