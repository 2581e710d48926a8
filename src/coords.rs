//! Coordinate formatting for the status bar and the inspector: decimal
//! degrees, degrees–minutes–seconds, and MGRS (military grid reference,
//! from UTM on WGS84), the forms analysts read positions in.

/// Whether a longitude/latitude pair is finite and in range (RFC 7946 order).
pub fn valid_lon_lat(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

/// `33.78560° N, 42.44120° E`.
pub fn decimal(lon: f64, lat: f64) -> String {
    format!(
        "{:.5}° {}, {:.5}° {}",
        lat.abs(),
        if lat >= 0.0 { 'N' } else { 'S' },
        lon.abs(),
        if lon >= 0.0 { 'E' } else { 'W' }
    )
}

/// One angle as `33°47′08.2″`.
pub fn dms_angle(value: f64) -> String {
    let total_tenths = (value.abs() * 36_000.0).round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let total_tenths = total_tenths as u64;
    let deg = total_tenths / 36_000;
    let min = (total_tenths / 600) % 60;
    let sec_tenths = total_tenths % 600;
    format!("{deg}°{min:02}′{:02}.{}″", sec_tenths / 10, sec_tenths % 10)
}

/// `33°47′08.2″N 42°26′28.3″E`.
pub fn dms(lon: f64, lat: f64) -> String {
    format!(
        "{}{} {}{}",
        dms_angle(lat),
        if lat >= 0.0 { 'N' } else { 'S' },
        dms_angle(lon),
        if lon >= 0.0 { 'E' } else { 'W' }
    )
}

/// MGRS at 1 m precision, e.g. `38S LC 12345 67890`; `None` outside the UTM
/// latitudes (80°S..84°N).
pub fn mgrs(lon: f64, lat: f64) -> Option<String> {
    let band = utm::lat_to_zone_letter(lat)?;
    let zone = utm::lat_lon_to_zone_number(lat, lon);
    // The crate's northing carries the false northing south of the equator.
    let (northing, easting, _) = utm::to_utm_wgs84(lat, lon, zone);
    const COLUMNS: [&[u8; 8]; 3] = [b"ABCDEFGH", b"JKLMNPQR", b"STUVWXYZ"];
    const ROWS: &[u8; 20] = b"ABCDEFGHJKLMNPQRSTUV";
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (e, n) = (easting.floor() as i64, northing.floor() as i64);
    let column_set = COLUMNS[usize::from((zone - 1) % 3)];
    let column = usize::try_from(e / 100_000 - 1)
        .ok()
        .and_then(|i| column_set.get(i))?;
    let row_shift = if zone.is_multiple_of(2) { 5 } else { 0 };
    let row = ROWS[usize::try_from((n / 100_000 + row_shift) % 20).ok()?];
    Some(format!(
        "{zone}{band} {}{} {:05} {:05}",
        char::from(*column),
        char::from(row),
        e % 100_000,
        n % 100_000
    ))
}

/// A position read from what an analyst typed, with how it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadPosition {
    pub lon: f64,
    pub lat: f64,
    /// How the text was read ("MGRS", "latitude, longitude", …), and, when
    /// the order was a guess, what the other reading would have been.
    pub reading: String,
}

/// The region the map is about, for telling latitude from longitude when the
/// text does not (lon 34–50 °E, lat 28–39 °N, with a margin).
fn in_region(lon: f64, lat: f64) -> bool {
    (33.0..=51.0).contains(&lon) && (27.0..=40.0).contains(&lat)
}

/// Reads a position typed as decimal degrees, degrees–minutes–seconds or
/// MGRS: latitude and longitude in either order, with hemisphere letters
/// (N/S/E/W, before or after the number) or signs. Without letters the order
/// is taken as latitude, longitude, unless only the other order is a valid
/// position, or only the other order falls in the region; the reading says
/// which was taken.
pub fn parse_position(text: &str) -> Result<ReadPosition, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            "type a position: 34.38, 40.98 or 34°22′N 40°59′E or 37S FU 12345 67890".into(),
        );
    }
    if let Some(p) = parse_mgrs(trimmed) {
        return p;
    }
    parse_degrees(trimmed)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Number(f64, bool),
    Hemisphere(char),
    Unit(u8),
    Break,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit()
            || ((c == '-' || c == '+' || c == '.')
                && chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == '.'))
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
            out.push(Token::Number(v, s.starts_with('-')));
            continue;
        }
        match c.to_ascii_uppercase() {
            'N' | 'S' | 'E' | 'W' => out.push(Token::Hemisphere(c.to_ascii_uppercase())),
            '°' | 'º' | '˚' => out.push(Token::Unit(0)),
            '\'' | '′' | '’' | '‘' => out.push(Token::Unit(1)),
            '"' | '″' | '”' | '“' => out.push(Token::Unit(2)),
            ',' | ';' | '/' => out.push(Token::Break),
            c if c.is_whitespace() => {}
            other => return Err(format!("cannot read {other:?} in a position")),
        }
        i += 1;
    }
    Ok(out)
}

/// One coordinate from up to three numbers (degrees, minutes, seconds).
fn angle(numbers: &[(f64, bool)]) -> Result<(f64, bool), String> {
    let (deg, negative) = match numbers {
        [] => return Err("a coordinate has no number".into()),
        [first, ..] => (first.0.abs(), first.1),
    };
    let min = numbers.get(1).map_or(0.0, |n| n.0);
    let sec = numbers.get(2).map_or(0.0, |n| n.0);
    if numbers.len() > 3 {
        return Err("a coordinate has more than degrees, minutes and seconds".into());
    }
    if numbers.len() > 1 && (deg.fract() != 0.0 || !(0.0..60.0).contains(&min)) {
        return Err(format!("{min} is not a minute value (0–59)"));
    }
    if numbers.len() > 2 && (min.fract() != 0.0 || !(0.0..60.0).contains(&sec)) {
        return Err(format!("{sec} is not a second value (0–59)"));
    }
    Ok((deg + min / 60.0 + sec / 3600.0, negative))
}

/// One coordinate's numbers (value, written negative) and its hemisphere letter.
type Coordinate = (Vec<(f64, bool)>, Option<char>);

fn parse_degrees(text: &str) -> Result<ReadPosition, String> {
    let toks = tokens(text)?;
    let hemis: Vec<char> = toks
        .iter()
        .filter_map(|t| match t {
            Token::Hemisphere(h) => Some(*h),
            _ => None,
        })
        .collect();
    let numbers = |ts: &[Token]| -> Vec<(f64, bool)> {
        ts.iter()
            .filter_map(|t| match t {
                Token::Number(v, neg) => Some((*v, *neg)),
                _ => None,
            })
            .collect()
    };
    // Split the tokens into two coordinates.
    let parts: Vec<Coordinate> = if hemis.len() == 2 {
        let prefix = matches!(toks.first(), Some(Token::Hemisphere(_)));
        let mut parts = Vec::new();
        let mut current = Vec::new();
        let mut letter = None;
        for t in &toks {
            match t {
                Token::Hemisphere(h) if prefix => {
                    if letter.is_some() {
                        parts.push((numbers(&current), letter));
                        current.clear();
                    }
                    letter = Some(*h);
                }
                Token::Hemisphere(h) => {
                    parts.push((numbers(&current), Some(*h)));
                    current.clear();
                }
                other => current.push(*other),
            }
        }
        if prefix {
            parts.push((numbers(&current), letter));
        } else if !numbers(&current).is_empty() {
            return Err("numbers after the last hemisphere letter".into());
        }
        parts
    } else if hemis.is_empty() {
        let breaks = toks.iter().filter(|t| matches!(t, Token::Break)).count();
        if breaks == 1 {
            let at = toks
                .iter()
                .position(|t| matches!(t, Token::Break))
                .unwrap_or(0);
            vec![
                (numbers(&toks[..at]), None),
                (numbers(&toks[at + 1..]), None),
            ]
        } else {
            let all = numbers(&toks);
            // A degree sign after the first coordinate's last number starts the second.
            let degree_marks: Vec<usize> = toks
                .iter()
                .enumerate()
                .filter(|(_, t)| matches!(t, Token::Unit(0)))
                .map(|(i, _)| i)
                .collect();
            if degree_marks.len() == 2 {
                let second_start = degree_marks[1] - 1;
                vec![
                    (numbers(&toks[..second_start]), None),
                    (numbers(&toks[second_start..]), None),
                ]
            } else if all.len() % 2 == 0 && (2..=6).contains(&all.len()) {
                let half = all.len() / 2;
                vec![(all[..half].to_vec(), None), (all[half..].to_vec(), None)]
            } else {
                return Err(format!("cannot tell the two coordinates apart in {text:?}"));
            }
        }
    } else {
        return Err("give a hemisphere letter for both coordinates, or for neither".into());
    };
    let [(a_nums, a_h), (b_nums, b_h)] = &parts[..] else {
        return Err(format!("expected two coordinates in {text:?}"));
    };
    let (a, a_neg) = angle(a_nums)?;
    let (b, b_neg) = angle(b_nums)?;
    let signed = |v: f64, negative: bool, h: Option<char>| {
        if negative || matches!(h, Some('S' | 'W')) {
            -v
        } else {
            v
        }
    };
    let (a, b) = (signed(a, a_neg, *a_h), signed(b, b_neg, *b_h));
    let form = if a_nums.len() > 1 || b_nums.len() > 1 {
        "degrees–minutes–seconds"
    } else {
        "decimal degrees"
    };
    let is_lat = |h: char| matches!(h, 'N' | 'S');
    let (lon, lat, reading) = match (a_h, b_h) {
        (Some(x), Some(y)) if is_lat(*x) && !is_lat(*y) => {
            (b, a, format!("{form}, latitude first"))
        }
        (Some(x), Some(y)) if !is_lat(*x) && is_lat(*y) => {
            (a, b, format!("{form}, longitude first"))
        }
        (Some(_), Some(_)) => {
            return Err("one coordinate needs N or S and the other E or W".into());
        }
        _ => {
            let lat_first = valid_lon_lat(b, a);
            let lon_first = valid_lon_lat(a, b);
            match (lat_first, lon_first) {
                (true, false) => (b, a, format!("{form}, latitude first")),
                (false, true) => (
                    a,
                    b,
                    format!("{form}, longitude first (the first number is over 90)"),
                ),
                (false, false) => return Err(format!("{text:?} is not a position on Earth")),
                (true, true) => {
                    if !in_region(b, a) && in_region(a, b) {
                        (
                            a,
                            b,
                            format!(
                                "{form}, read as longitude, latitude: in the other order, latitude {a}, longitude {b}, it is outside the region"
                            ),
                        )
                    } else {
                        (
                            b,
                            a,
                            format!(
                                "{form}, read as latitude, longitude (type N/E letters to be sure; the other order would be latitude {b}, longitude {a})"
                            ),
                        )
                    }
                }
            }
        }
    };
    if !valid_lon_lat(lon, lat) {
        return Err(format!(
            "{text:?} is out of range (latitude within ±90°, longitude within ±180°)"
        ));
    }
    Ok(ReadPosition { lon, lat, reading })
}

/// MGRS, with or without spaces: `37SFU1234567890`, `37S FU 12345 67890`.
fn parse_mgrs(text: &str) -> Option<Result<ReadPosition, String>> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let digits_at = compact.find(|c: char| !c.is_ascii_digit())?;
    if !(1..=2).contains(&digits_at) {
        return None;
    }
    let zone: u8 = compact[..digits_at].parse().ok()?;
    let rest: Vec<char> = compact[digits_at..].chars().collect();
    if rest.len() < 3 || !rest[..3].iter().all(char::is_ascii_alphabetic) {
        return None;
    }
    let (band, col, row) = (rest[0], rest[1], rest[2]);
    let numeric: String = rest[3..].iter().collect();
    if !numeric.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(mgrs_position(zone, band, col, row, &numeric, text))
}

fn mgrs_position(
    zone: u8,
    band: char,
    col: char,
    row: char,
    numeric: &str,
    text: &str,
) -> Result<ReadPosition, String> {
    const BANDS: &str = "CDEFGHJKLMNPQRSTUVWX";
    const COLUMNS: [&str; 3] = ["ABCDEFGH", "JKLMNPQR", "STUVWXYZ"];
    const ROWS: &str = "ABCDEFGHJKLMNPQRSTUV";
    if !(1..=60).contains(&zone) {
        return Err(format!("MGRS zone {zone} does not exist (1–60)"));
    }
    let band_index = BANDS
        .find(band)
        .ok_or_else(|| format!("MGRS band {band} does not exist"))?;
    if !numeric.len().is_multiple_of(2) || numeric.len() > 10 {
        return Err(format!(
            "MGRS {text:?}: easting and northing need the same number of digits"
        ));
    }
    let column = COLUMNS[usize::from((zone - 1) % 3)]
        .find(col)
        .ok_or_else(|| format!("MGRS column letter {col} is not used in zone {zone}"))?;
    let row_index = ROWS
        .find(row)
        .ok_or_else(|| format!("MGRS row letter {row} does not exist"))?;
    let half = numeric.len() / 2;
    let scale = 10f64.powi(i32::try_from(5 - half).unwrap_or(0));
    let part = |s: &str| -> f64 {
        if s.is_empty() {
            0.0
        } else {
            s.parse::<f64>().unwrap_or(0.0)
        }
    };
    // The centre of the square the digits name.
    let (de, dn) = (
        part(&numeric[..half]) * scale + scale / 2.0,
        part(&numeric[half..]) * scale + scale / 2.0,
    );
    #[allow(clippy::cast_precision_loss)]
    let easting = (column + 1) as f64 * 100_000.0 + de;
    let row_shift = if zone.is_multiple_of(2) { 5 } else { 0 };
    #[allow(clippy::cast_precision_loss)]
    let row_northing = ((row_index + 20 - row_shift) % 20) as f64 * 100_000.0 + dn;
    // The band's southern edge fixes which 2,000 km cycle the row letter is in.
    #[allow(clippy::cast_precision_loss)]
    let band_south = -80.0 + 8.0 * band_index as f64;
    let central = f64::from(zone) * 6.0 - 183.0;
    // (The crate's northing carries the false northing south of the equator.)
    let (band_northing, _, _) = utm::to_utm_wgs84(band_south, central, zone);
    let mut northing = row_northing;
    while northing < band_northing - 100_000.0 {
        northing += 2_000_000.0;
    }
    let (lat, lon) = utm::wsg84_utm_to_lat_lon(easting, northing, zone, band)
        .map_err(|e| format!("MGRS {text:?} is not a valid grid reference: {e:?}"))?;
    Ok(ReadPosition {
        lon,
        lat,
        reading: format!(
            "MGRS, zone {zone}{band}, square {col}{row}, {} m precision",
            scale.max(1.0)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn al_hol_camp_in_dms_matches_its_published_form() {
        // Published as 36°22′32″N 41°08′55″E; decimal 41.14861, 36.37556.
        let text = dms(41.14861, 36.37556);
        assert!(text.starts_with("36°22′32.0″N 41°08′55.0″E"), "{text}");
    }

    #[test]
    fn mgrs_matches_published_references() {
        // The Washington Monument, a standard MGRS example: 18S UJ 23487 06483
        // (the digits agree within the few metres of the monument's footprint).
        let text = mgrs(-77.035_244, 38.889_469).expect("in range");
        let parts: Vec<&str> = text.split(' ').collect();
        assert_eq!(parts[..2], ["18S", "UJ"], "{text}");
        let e: i64 = parts[2].parse().expect("easting");
        let n: i64 = parts[3].parse().expect("northing");
        assert!(
            (e - 23_487).abs() <= 10 && (n - 6_483).abs() <= 10,
            "{text}"
        );
        // Ain al-Asad lies in zone 38, band S (lon 42–48, lat 32–40).
        let ain = mgrs(42.4412, 33.7856).expect("in UTM range");
        assert!(ain.starts_with("38S "), "{ain}");
        // Al-Qaim crossing, west of 42°E: zone 37.
        assert!(mgrs(40.977, 34.3975).expect("in range").starts_with("37S "));
        assert_eq!(mgrs(10.0, 85.0), None);
    }

    #[test]
    fn rounding_carries_into_minutes() {
        assert_eq!(dms_angle(10.999_999), "11°00′00.0″");
        assert_eq!(decimal(-1.5, -2.25), "2.25000° S, 1.50000° W");
    }

    #[test]
    fn positions_read_in_every_form() {
        let close = |p: &ReadPosition, lon: f64, lat: f64| {
            (p.lon - lon).abs() < 1e-4 && (p.lat - lat).abs() < 1e-4
        };
        // Al-Hol camp, 36°22′32″N 41°08′55″E.
        for text in [
            "36.37556, 41.14861",
            "36.37556 41.14861",
            "36.37556N 41.14861E",
            "41.14861E 36.37556N",
            "N36.37556 E41.14861",
            "36°22′32″N 41°08′55″E",
            "36°22'32\"N, 41°08'55\"E",
            "36 22 32 N 41 08 55 E",
            "E 41° 08' 55\" N 36° 22' 32\"",
            "36°22′32″ 41°08′55″",
        ] {
            let p = parse_position(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(
                close(&p, 41.14861, 36.37556) || (p.lon - 41.14861).abs() < 2e-4,
                "{text}: {p:?}"
            );
            assert!((p.lat - 36.37556).abs() < 2e-4, "{text}: {p:?}");
        }
        // Signs: the southern and western hemispheres.
        let p = parse_position("-33.9, -70.6").expect("reads");
        assert!(close(&p, -70.6, -33.9), "{p:?}");
        // Longitude first: only that order is a position.
        let p = parse_position("120.5, 10.25").expect("reads");
        assert!(
            close(&p, 120.5, 10.25) && p.reading.contains("longitude first"),
            "{p:?}"
        );
        // Ambiguous numbers: the region decides, and the reading says so.
        let p = parse_position("40.98, 34.38").expect("reads");
        assert!(close(&p, 40.98, 34.38), "{p:?}");
        assert!(p.reading.contains("longitude, latitude"), "{}", p.reading);
        let p = parse_position("34.38, 40.98").expect("reads");
        assert!(
            close(&p, 40.98, 34.38) && p.reading.contains("latitude, longitude"),
            "{p:?}"
        );
        // Nonsense is refused with a reason.
        for bad in ["", "hello", "95, 200", "36°75′N 41°E", "36N 41N", "1 2 3"] {
            assert!(parse_position(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mgrs_reads_back_what_it_writes() {
        for (lon, lat) in [
            (41.14861, 36.37556),
            (40.977, 34.3975),
            (42.4412, 33.7856),
            (-77.035_244, 38.889_469),
            (18.42406, -33.92487),
        ] {
            let grid = mgrs(lon, lat).expect("in range");
            for text in [grid.clone(), grid.replace(' ', "")] {
                let p = parse_position(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                let m = geo::Distance::distance(
                    &geo::Geodesic,
                    geo::Point::new(lon, lat),
                    geo::Point::new(p.lon, p.lat),
                );
                assert!(m < 2.0, "{text}: {m} m off");
                assert!(p.reading.starts_with("MGRS"), "{}", p.reading);
            }
        }
        // The Washington Monument's published reference, at 1 m.
        let p = parse_position("18S UJ 23487 06483").expect("reads");
        assert!(
            (p.lat - 38.8895).abs() < 1e-3 && (p.lon + 77.0353).abs() < 1e-3,
            "{p:?}"
        );
        // A 1 km reference is read as the centre of its square.
        let p = parse_position("37SFU 12 34").expect("reads");
        assert!(p.reading.contains("1000 m"), "{}", p.reading);
        assert!(parse_position("37S FU 1234 567").is_err());
        assert!(parse_position("61S FU 12345 67890").is_err());
    }
}
