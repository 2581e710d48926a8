//! Export: draws the same scene as the screen into PNG or SVG files, laid out
//! on a page (A4, A3, the current view or a pixel size, at a chosen DPI) with
//! title, legend, scale bar, north arrow, sources and attribution; writes a
//! world file and a `.prj` beside a PNG so GIS software places it; and runs the
//! headless `badiya export` command. Files are written through a temporary file
//! in the same folder, so a failed export never leaves half a file behind.
//!
//! The app calls [`export_to_file`] (or [`compose`] for a preview); the command
//! line calls [`run_cli`].

pub mod page;
pub mod png;
pub mod svg;
pub mod world;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::annotate::{AnnotateError, Annotation};
use crate::camera::REGION;
use crate::geodata::GeoData;
use crate::scene::{MapOptions, MarkerInput, Prepared};
use crate::spatial::SpatialIndex;

pub use page::{
    LegendEntry, MapArea, MapContent, Orientation, Page, PageSize, PageSpec, SourceRef, compose,
    parse_page_size,
};
pub use svg::scene_to_svg;
pub use world::{WEB_MERCATOR_PRJ, WorldFile};

/// The file formats an export can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The format named by a path's extension (`.png` or `.svg`, any case).
    pub fn from_path(path: &Path) -> Result<Self, ExportError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(Self::Png),
            Some("svg") => Ok(Self::Svg),
            _ => Err(ExportError::Format {
                path: path.to_owned(),
            }),
        }
    }
}

/// Why an export failed. Messages name the file and say what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("cannot export to {}: unknown format (use .png or .svg)", path.display())]
    Format { path: PathBuf },
    #[error("no place named {0:?} in the data (try a country, governorate or site name)")]
    NoSuchPlace(String),
    #[error("invalid export settings: {0}")]
    Invalid(String),
    #[error("cannot render the page: {0}")]
    Render(String),
    /// The reason is part of the message (not an error source, so a printed
    /// error chain does not say it twice).
    #[error("cannot use the annotations in {}: {problem}", path.display())]
    Annotations {
        path: PathBuf,
        problem: AnnotateError,
    },
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportReport {
    pub path: PathBuf,
    pub format: Format,
    pub width_px: u32,
    pub height_px: u32,
    /// Size of the image file in bytes.
    pub bytes: u64,
    /// The `.pgw` and `.prj` written beside a PNG.
    pub sidecars: Vec<PathBuf>,
    pub elapsed: Duration,
    /// Citations listed on the page.
    pub sources: usize,
}

impl std::fmt::Display for ExportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[allow(clippy::cast_precision_loss)]
        let kib = self.bytes as f64 / 1024.0;
        write!(
            f,
            "wrote {} ({}×{} px, {kib:.0} KiB) in {:.2} s",
            self.path.display(),
            self.width_px,
            self.height_px,
            self.elapsed.as_secs_f64()
        )?;
        for extra in &self.sidecars {
            write!(f, "; {}", extra.display())?;
        }
        Ok(())
    }
}

/// The page as SVG text (paper sizes carry their size in millimetres).
pub fn render_svg(page: &Page, spec: &PageSpec) -> String {
    let (w, h) = spec.svg_size_attrs();
    svg::scene_to_svg_sized(&page.scene, &w, &h)
}

/// The page as PNG bytes at its physical size, with its DPI in `pHYs`.
pub fn render_png(page: &Page, title: &str) -> Result<Vec<u8>, ExportError> {
    #[allow(clippy::cast_possible_truncation)]
    let svg = svg::scene_to_svg(&page.scene, page.scale as f32);
    let pixmap =
        png::rasterize(&svg, page.width_px, page.height_px).map_err(ExportError::Render)?;
    let meta = png::PngMeta {
        dpi: page.dpi,
        title: title.to_owned(),
        description: page.attribution.clone().unwrap_or_default(),
    };
    png::encode(&pixmap, &meta).map_err(ExportError::Render)
}

/// The world file of a composed page.
pub fn world_file(page: &Page) -> WorldFile {
    WorldFile::for_page(&page.map_camera, [page.frame[0], page.frame[1]], page.scale)
}

/// A plain reason for an I/O error ("permission denied", "disk full").
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::StorageFull => "disk full".into(),
        K::ReadOnlyFilesystem => "read-only file system".into(),
        K::NotFound => "the folder does not exist".into(),
        K::QuotaExceeded => "disk quota exceeded".into(),
        K::IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

/// A file being written: a temporary file beside the target, renamed over it
/// only when complete and removed if anything fails.
struct PendingFile {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl PendingFile {
    /// Creates the temporary file now, so an unwritable folder fails before any rendering.
    fn create(target: &Path) -> Result<(Self, std::fs::File), ExportError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".to_owned());
        let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| ExportError::Write {
            path: target.to_owned(),
            reason: io_reason(&e),
        })?;
        Ok((
            Self {
                tmp,
                target: target.to_owned(),
                done: false,
            },
            file,
        ))
    }

    fn finish(mut self, mut file: std::fs::File, bytes: &[u8]) -> Result<(), ExportError> {
        use std::io::Write as _;
        let fail = |e: &std::io::Error| ExportError::Write {
            path: self.target.clone(),
            reason: io_reason(e),
        };
        file.write_all(bytes).map_err(|e| fail(&e))?;
        file.sync_all().map_err(|e| fail(&e))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.target).map_err(|e| fail(&e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let (pending, file) = PendingFile::create(path)?;
    pending.finish(file, bytes)
}

/// Composes the page and writes it to `path` (`.png` or `.svg`); beside a PNG
/// also `path.pgw` (world file) and `path.prj` (EPSG:3857). The page is stamped
/// with the current time.
pub fn export_to_file(
    content: &MapContent,
    area: &MapArea,
    spec: &PageSpec,
    path: &Path,
) -> Result<ExportReport, ExportError> {
    export_to_file_at(content, area, spec, path, chrono::Utc::now())
}

/// [`export_to_file`] with the time for the date stamp given.
pub fn export_to_file_at(
    content: &MapContent,
    area: &MapArea,
    spec: &PageSpec,
    path: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ExportReport, ExportError> {
    let started = Instant::now();
    let format = Format::from_path(path)?;
    spec.validate()?;
    let (pending, file) = PendingFile::create(path)?;
    let page = compose(content, area, spec, now)?;
    let bytes = match format {
        Format::Png => render_png(&page, &spec.title)?,
        Format::Svg => render_svg(&page, spec).into_bytes(),
    };
    pending.finish(file, &bytes)?;
    let mut sidecars = Vec::new();
    if format == Format::Png {
        let pgw = path.with_extension("pgw");
        let prj = path.with_extension("prj");
        let written = write_atomic(&pgw, world_file(&page).to_text().as_bytes())
            .and_then(|()| write_atomic(&prj, WEB_MERCATOR_PRJ.as_bytes()));
        if let Err(e) = written {
            // A PNG without its georeference would mislead: none of the three stays.
            for p in [path, pgw.as_path(), prj.as_path()] {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        sidecars.push(pgw);
        sidecars.push(prj);
    }
    Ok(ExportReport {
        path: path.to_owned(),
        format,
        width_px: page.width_px,
        height_px: page.height_px,
        bytes: bytes.len() as u64,
        sidecars,
        elapsed: started.elapsed(),
        sources: page.sources.len(),
    })
}

/// The options of `badiya export`, as the command line parsed them.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportArgs {
    /// Show this place (country, governorate or site; names and aliases).
    pub place: Option<String>,
    /// Show this box: min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    /// Page size (`a4`, `a3` or pixels: see [`parse_page_size`]).
    pub size: PageSize,
    pub orientation: Orientation,
    pub dpi: f32,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Annotations to draw, from a GeoJSON file.
    pub annotations: Option<PathBuf>,
    /// Leave incident markers (and their legend entries and sources) out.
    pub no_incidents: bool,
    pub output: PathBuf,
}

impl Default for ExportArgs {
    fn default() -> Self {
        Self {
            place: None,
            bbox: None,
            size: PageSize::A4,
            orientation: Orientation::Landscape,
            dpi: 300.0,
            title: None,
            subtitle: None,
            annotations: None,
            no_incidents: false,
            output: PathBuf::from("map.png"),
        }
    }
}

/// The incidents the CLI draws: markers, their legend entries and the documents
/// they cite (built by the caller from the incidents module).
#[derive(Clone, Copy, Debug, Default)]
pub struct Overlay<'a> {
    pub markers: &'a [MarkerInput],
    pub legend: &'a [LegendEntry],
    pub sources: &'a [SourceRef],
}

/// Margin around a single point chosen with `--place`, in degrees.
const POINT_PLACE_PAD_DEG: f64 = 0.35;

/// The lon/lat box of a named place: its geometry's bounds, with room around a point.
pub fn place_bbox(data: &GeoData, name: &str) -> Result<[f64; 4], ExportError> {
    use geo::BoundingRect;
    let (_, feature) = data
        .feature_named(name)
        .ok_or_else(|| ExportError::NoSuchPlace(name.to_owned()))?;
    let rect = feature
        .geometry
        .bounding_rect()
        .ok_or_else(|| ExportError::NoSuchPlace(name.to_owned()))?;
    let (min, max) = (rect.min(), rect.max());
    let pad_x = if max.x - min.x < 0.05 {
        POINT_PLACE_PAD_DEG
    } else {
        0.0
    };
    let pad_y = if max.y - min.y < 0.05 {
        POINT_PLACE_PAD_DEG
    } else {
        0.0
    };
    Ok([min.x - pad_x, min.y - pad_y, max.x + pad_x, max.y + pad_y])
}

/// Runs `badiya export`: the headless export with the same renderer as the app.
/// How far beyond the region the map's data reaches (degrees).
const DATA_MARGIN: f64 = 3.0;

/// A box is cut to where the map has data: `--bbox -180,-90,180,90` shows the
/// whole of the data, not the region small in a corner of an empty world.
fn clip_to_data(b: [f64; 4]) -> Result<[f64; 4], ExportError> {
    let clipped = [
        b[0].max(REGION.0[0] - DATA_MARGIN),
        b[1].max(REGION.0[1] - DATA_MARGIN),
        b[2].min(REGION.1[0] + DATA_MARGIN),
        b[3].min(REGION.1[1] + DATA_MARGIN),
    ];
    if clipped[0] >= clipped[2] || clipped[1] >= clipped[3] {
        return Err(ExportError::Invalid(format!(
            "the box {b:?} lies outside the map's data ({}..{}°E, {}..{}°N)",
            REGION.0[0] - DATA_MARGIN,
            REGION.1[0] + DATA_MARGIN,
            REGION.0[1] - DATA_MARGIN,
            REGION.1[1] + DATA_MARGIN
        )));
    }
    Ok(clipped)
}

pub fn run_cli(
    args: &ExportArgs,
    data: &GeoData,
    overlay: &Overlay,
) -> Result<ExportReport, ExportError> {
    let bbox = match (&args.place, args.bbox) {
        (Some(name), _) => place_bbox(data, name)?,
        (None, Some(b)) => clip_to_data(b)?,
        (None, None) => [REGION.0[0], REGION.0[1], REGION.1[0], REGION.1[1]],
    };
    let annotations: Vec<Annotation> = match &args.annotations {
        Some(path) => {
            crate::annotate::load_geojson(path).map_err(|problem| ExportError::Annotations {
                path: path.clone(),
                problem,
            })?
        }
        None => Vec::new(),
    };
    let index = SpatialIndex::new(data);
    let prepared = Prepared::new(data, &index);
    let mut options = MapOptions::for_data(data);
    options.furniture = false;
    let empty = Overlay::default();
    let overlay = if args.no_incidents { &empty } else { overlay };
    let content = MapContent {
        data,
        index: &index,
        prepared: &prepared,
        options: &options,
        markers: overlay.markers,
        annotations: &annotations,
        incident_legend: overlay.legend,
        sources: overlay.sources,
    };
    let spec = PageSpec {
        size: args.size,
        orientation: args.orientation,
        dpi: args.dpi,
        title: args.title.clone().unwrap_or_default(),
        subtitle: args.subtitle.clone().unwrap_or_default(),
        ..PageSpec::default()
    };
    export_to_file(&content, &MapArea::BBox(bbox), &spec, &args.output)
}
