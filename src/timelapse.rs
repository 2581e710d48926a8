//! The timeline as an animation: a window of N days stepping by M days
//! through the incidents' dates, incidents fading with age inside the
//! window, and the frames written as an animated GIF, an animated PNG or a
//! numbered PNG series, each frame the page of a still export with its dates
//! in the subtitle.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};

use crate::corpus::Corpus;
use crate::export::{ExportError, MapArea, MapContent, PageSpec};
use crate::incidents::Filter;
use crate::scene::MarkerInput;

/// How the animation steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lapse {
    /// The first window's last day.
    pub first: NaiveDate,
    /// The last window's last day.
    pub last: NaiveDate,
    /// Days in each window (incidents older than this are not shown).
    pub window_days: i64,
    /// Days between frames.
    pub step_days: i64,
}

/// The most frames one animation may have.
pub const MAX_FRAMES: usize = 2000;

impl Lapse {
    /// A lapse over every dated incident the filter lets through (day or
    /// month precision), or `None` when none is dated.
    pub fn over(
        corpus: &Corpus,
        filter: &Filter,
        window_days: i64,
        step_days: i64,
    ) -> Option<Lapse> {
        let undated = Filter {
            date_from: None,
            date_to: None,
            ..filter.clone()
        };
        let dates = corpus
            .incidents()
            .iter()
            .filter(|i| undated.accepts(i))
            .filter_map(|i| i.date.filter(|d| d.month.is_some()));
        let (mut lo, mut hi): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
        for d in dates {
            lo = Some(lo.map_or(d.first_day(), |l| l.min(d.first_day())));
            hi = Some(hi.map_or(d.last_day(), |h| h.max(d.last_day())));
        }
        let window_days = window_days.max(1);
        Some(Lapse {
            first: lo? + Duration::days(window_days - 1),
            last: hi?,
            window_days,
            step_days: step_days.max(1),
        })
        .map(|l| Lapse {
            last: l.last.max(l.first),
            ..l
        })
    }

    /// The last day of every frame's window, in order (at most [`MAX_FRAMES`]).
    pub fn frame_ends(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = self.first;
        while d <= self.last && out.len() < MAX_FRAMES {
            out.push(d);
            d += Duration::days(self.step_days);
        }
        if out.last().is_some_and(|l| *l < self.last) && out.len() < MAX_FRAMES {
            out.push(self.last);
        }
        out
    }

    /// The first and last day of the window ending on `end`.
    pub fn window(&self, end: NaiveDate) -> (NaiveDate, NaiveDate) {
        (end - Duration::days(self.window_days - 1), end)
    }

    /// "2024-01-01 – 2024-01-30".
    pub fn label(&self, end: NaiveDate) -> String {
        let (a, b) = self.window(end);
        format!("{} – {}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d"))
    }

    /// The filter of the frame ending on `end`: the analyst's other filters,
    /// this window's dates, no undated incidents.
    pub fn frame_filter(&self, base: &Filter, end: NaiveDate) -> Filter {
        let (from, to) = self.window(end);
        Filter {
            date_from: Some(from),
            date_to: Some(to),
            include_undated: false,
            ..base.clone()
        }
    }

    /// The frame's markers, faded by age: an incident on the window's last
    /// day is drawn fully, one on its first day at 30 %.
    pub fn markers(
        &self,
        corpus: &Corpus,
        base: &Filter,
        end: NaiveDate,
        selected: Option<&str>,
    ) -> Vec<MarkerInput> {
        let filter = self.frame_filter(base, end);
        let overlay = crate::overlay::incident_overlay(corpus, &filter, selected);
        let incidents = corpus.incidents();
        overlay
            .markers
            .into_iter()
            .map(|mut m| {
                if let Some(date) = incidents.get(m.id).and_then(|i| i.date) {
                    // The latest day of the incident inside the window counts.
                    let seen = date.last_day().min(end);
                    #[allow(clippy::cast_precision_loss)]
                    let age =
                        (end - seen).num_days().max(0) as f32 / self.window_days.max(1) as f32;
                    m.color = m.color.faded(1.0 - 0.7 * age.clamp(0.0, 1.0));
                }
                m
            })
            .collect()
    }
}

/// What an exported animation is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LapseFormat {
    Gif,
    Apng,
    /// `name_0001.png`, `name_0002.png`, … beside the chosen path.
    PngSeries,
}

impl LapseFormat {
    pub fn from_path(path: &Path) -> Result<LapseFormat, ExportError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("gif") => Ok(LapseFormat::Gif),
            Some("apng") => Ok(LapseFormat::Apng),
            Some("png") => Ok(LapseFormat::PngSeries),
            _ => Err(ExportError::Invalid(format!(
                "{}: a time-lapse is written as .gif, .apng, or .png (a numbered series)",
                path.display()
            ))),
        }
    }
}

/// The file of frame `k` (from 1) of a PNG series.
pub fn series_path(path: &Path, k: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "frame".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}_{k:04}.png"))
}

/// Everything a time-lapse export needs, owned so it can run on a worker thread.
pub struct LapseJob<'a> {
    pub content: MapContent<'a>,
    pub corpus: &'a Corpus,
    pub filter: &'a Filter,
    pub area: MapArea,
    pub spec: PageSpec,
    pub lapse: Lapse,
    /// Milliseconds each frame is shown.
    pub frame_ms: u32,
}

/// Renders every frame and writes the animation; `progress(done, total)` is
/// called after each frame and may return false to cancel. Returns the files
/// written.
pub fn export_lapse(
    job: &LapseJob,
    path: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<PathBuf>, ExportError> {
    let format = LapseFormat::from_path(path)?;
    job.spec.validate()?;
    let ends = job.lapse.frame_ends();
    if ends.is_empty() {
        return Err(ExportError::Invalid("no dated incidents to animate".into()));
    }
    let now = chrono::Utc::now();
    let mut written = Vec::new();
    // Frames go into the encoder as they are drawn: one page in memory at a time.
    let mut encoded = Vec::new();
    let mut sink = Sink::new(format, &mut encoded, ends.len(), job.frame_ms)?;
    for (k, end) in ends.iter().enumerate() {
        let markers = job.lapse.markers(job.corpus, job.filter, *end, None);
        let content = MapContent {
            markers: &markers,
            ..job.content
        };
        let mut spec = job.spec.clone();
        spec.subtitle = if spec.subtitle.trim().is_empty() {
            job.lapse.label(*end)
        } else {
            format!("{} · {}", spec.subtitle, job.lapse.label(*end))
        };
        let page = crate::export::compose(&content, &job.area, &spec, now)?;
        if format == LapseFormat::PngSeries {
            let bytes = crate::export::render_png(&page, &spec.title)?;
            let file = series_path(path, k + 1);
            crate::export::write_atomic(&file, &bytes)?;
            written.push(file);
        } else {
            #[allow(clippy::cast_possible_truncation)]
            let svg = crate::export::svg::scene_to_svg(&page.scene, page.scale as f32);
            let pixmap = crate::export::png::rasterize(&svg, page.width_px, page.height_px)
                .map_err(ExportError::Render)?;
            // tiny-skia keeps premultiplied alpha; the page is opaque, so
            // the bytes are already straight RGBA.
            sink.frame(page.width_px, page.height_px, pixmap.data())?;
        }
        if !progress(k + 1, ends.len()) {
            for f in &written {
                let _ = std::fs::remove_file(f);
            }
            return Err(ExportError::Invalid(
                "the time-lapse export was cancelled".into(),
            ));
        }
    }
    sink.finish()?;
    if format != LapseFormat::PngSeries {
        crate::export::write_atomic(path, &encoded)?;
        written.push(path.to_owned());
    }
    Ok(written)
}

/// Where the frames of an animated file go, one at a time.
enum Sink<'a> {
    Series,
    Gif(Box<image::codecs::gif::GifEncoder<&'a mut Vec<u8>>>, u32),
    /// The PNG writer is made at the first frame, which gives the size.
    Apng {
        out: Option<&'a mut Vec<u8>>,
        writer: Option<::png::Writer<&'a mut Vec<u8>>>,
        frames: usize,
        frame_ms: u32,
    },
}

fn render_err(e: impl std::fmt::Display) -> ExportError {
    ExportError::Render(e.to_string())
}

impl<'a> Sink<'a> {
    fn new(
        format: LapseFormat,
        out: &'a mut Vec<u8>,
        frames: usize,
        frame_ms: u32,
    ) -> Result<Self, ExportError> {
        Ok(match format {
            LapseFormat::PngSeries => Sink::Series,
            LapseFormat::Gif => {
                let mut encoder = image::codecs::gif::GifEncoder::new_with_speed(out, 10);
                encoder
                    .set_repeat(image::codecs::gif::Repeat::Infinite)
                    .map_err(render_err)?;
                Sink::Gif(Box::new(encoder), frame_ms)
            }
            LapseFormat::Apng => Sink::Apng {
                out: Some(out),
                writer: None,
                frames,
                frame_ms,
            },
        })
    }

    fn frame(&mut self, w: u32, h: u32, rgba: &[u8]) -> Result<(), ExportError> {
        match self {
            Sink::Series => Ok(()),
            Sink::Gif(encoder, frame_ms) => {
                let buffer = image::RgbaImage::from_raw(w, h, rgba.to_vec())
                    .ok_or_else(|| ExportError::Render("a frame has the wrong size".into()))?;
                let frame = image::Frame::from_parts(
                    buffer,
                    0,
                    0,
                    image::Delay::from_numer_denom_ms(*frame_ms, 1),
                );
                encoder.encode_frame(frame).map_err(render_err)
            }
            Sink::Apng {
                out,
                writer,
                frames,
                frame_ms,
            } => {
                if writer.is_none() {
                    let Some(out) = out.take() else {
                        return Err(ExportError::Render(
                            "the animation was already written".into(),
                        ));
                    };
                    let mut encoder = ::png::Encoder::new(out, w, h);
                    encoder.set_color(::png::ColorType::Rgba);
                    encoder.set_depth(::png::BitDepth::Eight);
                    encoder
                        .set_animated(u32::try_from(*frames).unwrap_or(u32::MAX), 0)
                        .map_err(render_err)?;
                    let delay = u16::try_from((*frame_ms).min(65_535)).unwrap_or(u16::MAX);
                    encoder.set_frame_delay(delay, 1000).map_err(render_err)?;
                    *writer = Some(encoder.write_header().map_err(render_err)?);
                }
                match writer {
                    Some(w) => w.write_image_data(rgba).map_err(render_err),
                    None => Err(ExportError::Render("no PNG writer".into())),
                }
            }
        }
    }

    fn finish(self) -> Result<(), ExportError> {
        match self {
            Sink::Series | Sink::Gif(..) => Ok(()),
            Sink::Apng { writer, .. } => match writer {
                Some(w) => w.finish().map_err(render_err),
                None => Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{EventType, PartialDate};

    fn corpus_with(dates: &[&str]) -> Corpus {
        let (gazetteer, _) = crate::corpus::gazetteer_for(&crate::geodata::DataSource::Embedded);
        let mut corpus = Corpus::new(Vec::new(), gazetteer, Vec::new());
        let incidents = dates
            .iter()
            .enumerate()
            .map(|(k, d)| {
                crate::incidents::tests::sample(
                    &format!("i{k}"),
                    EventType::Clash,
                    PartialDate::parse(d),
                    "doc",
                )
            })
            .collect();
        corpus.set_incidents_for_tests(incidents);
        corpus
    }

    #[test]
    fn frames_step_through_the_dates_and_markers_fade_with_age() {
        let corpus = corpus_with(&["2024-01-01", "2024-01-20", "2024-03-05"]);
        let lapse = Lapse::over(&corpus, &Filter::default(), 30, 7).expect("dated");
        assert_eq!(
            lapse.first,
            NaiveDate::from_ymd_opt(2024, 1, 30).expect("date")
        );
        let ends = lapse.frame_ends();
        assert_eq!(ends.first(), Some(&lapse.first));
        assert_eq!(ends.last(), NaiveDate::from_ymd_opt(2024, 3, 5).as_ref());
        assert!(ends.windows(2).all(|w| (w[1] - w[0]).num_days() <= 7));
        // The first frame holds both January incidents; the older one is fainter.
        let m = lapse.markers(&corpus, &Filter::default(), ends[0], None);
        assert_eq!(m.len(), 2);
        let alpha = |k: usize| {
            m.iter()
                .find(|x| x.id == k)
                .map(|x| x.color.0[3])
                .expect("marker")
        };
        assert!(alpha(0) < alpha(1), "{} {}", alpha(0), alpha(1));
        assert_eq!(lapse.label(ends[0]), "2024-01-01 – 2024-01-30");
        // The last frame holds only March.
        let m = lapse.markers(
            &corpus,
            &Filter::default(),
            *ends.last().expect("frames"),
            None,
        );
        assert_eq!(m.iter().map(|x| x.id).collect::<Vec<_>>(), [2]);
        assert!(Lapse::over(&corpus_with(&[]), &Filter::default(), 30, 7).is_none());
    }

    #[test]
    fn formats_follow_the_file_name() {
        assert_eq!(
            LapseFormat::from_path(Path::new("a.GIF")).ok(),
            Some(LapseFormat::Gif)
        );
        assert_eq!(
            LapseFormat::from_path(Path::new("a.apng")).ok(),
            Some(LapseFormat::Apng)
        );
        assert_eq!(
            LapseFormat::from_path(Path::new("a.png")).ok(),
            Some(LapseFormat::PngSeries)
        );
        assert!(LapseFormat::from_path(Path::new("a.mp4")).is_err());
        assert_eq!(
            series_path(Path::new("/t/lapse.png"), 3),
            PathBuf::from("/t/lapse_0003.png")
        );
    }

    #[test]
    fn animations_are_written_with_one_frame_per_step() {
        let corpus = corpus_with(&["2024-01-01", "2024-01-20", "2024-02-10"]);
        let data = crate::geodata::GeoData::embedded();
        let index = crate::spatial::SpatialIndex::new(&data);
        let prepared = crate::scene::Prepared::new(&data, &index);
        let options = crate::scene::MapOptions::for_data(&data);
        let lapse = Lapse::over(&corpus, &Filter::default(), 30, 7).expect("dated");
        let n = lapse.frame_ends().len();
        let job = LapseJob {
            content: MapContent {
                data: &data,
                index: &index,
                prepared: &prepared,
                options: &options,
                markers: &[],
                annotations: &[],
                incident_legend: &[],
                sources: &[],
            },
            corpus: &corpus,
            filter: &Filter::default(),
            area: MapArea::BBox([38.0, 33.0, 43.0, 37.5]),
            spec: PageSpec {
                size: crate::export::PageSize::Custom { w: 320, h: 240 },
                legend: false,
                sources: false,
                dpi: 96.0,
                title: "Clashes".into(),
                ..PageSpec::default()
            },
            lapse,
            frame_ms: 400,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let gif = dir.path().join("lapse.gif");
        let mut calls = 0;
        let files = export_lapse(&job, &gif, &mut |_, _| {
            calls += 1;
            true
        })
        .expect("gif");
        assert_eq!((files.len(), calls), (1, n));
        let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(
            std::fs::File::open(&gif).expect("gif file"),
        ))
        .expect("decodes");
        use image::AnimationDecoder;
        let frames = decoder.into_frames().collect_frames().expect("frames");
        assert_eq!(frames.len(), n);
        assert_eq!(frames[0].buffer().dimensions(), (320, 240));
        // Frames differ: the date in the subtitle, the markers.
        assert_ne!(frames[0].buffer().as_raw(), frames[n - 1].buffer().as_raw());

        let apng = dir.path().join("lapse.apng");
        export_lapse(&job, &apng, &mut |_, _| true).expect("apng");
        let reader = ::png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&apng).expect("apng file"),
        ))
        .read_info()
        .expect("png header");
        let control = reader.info().animation_control.expect("animated");
        assert_eq!(control.num_frames as usize, n);

        let series = dir.path().join("lapse.png");
        let files = export_lapse(&job, &series, &mut |_, _| true).expect("series");
        assert_eq!(files.len(), n);
        assert!(dir.path().join("lapse_0001.png").is_file());
        // Cancelling leaves no partial series behind.
        let cancelled = dir.path().join("stop.png");
        assert!(export_lapse(&job, &cancelled, &mut |k, _| k < 2).is_err());
        assert!(!dir.path().join("stop_0001.png").exists());
    }
}
