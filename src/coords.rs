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
    let (mut northing, easting, _) = utm::to_utm_wgs84(lat, lon, zone);
    if lat < 0.0 {
        northing += 10_000_000.0;
    }
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
}
