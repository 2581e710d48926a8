//! Coordinate formatting for the status bar and the inspector: decimal
//! degrees and degrees–minutes–seconds, lat/lon with hemispheres.

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
    fn rounding_carries_into_minutes() {
        assert_eq!(dms_angle(10.999_999), "11°00′00.0″");
        assert_eq!(decimal(-1.5, -2.25), "2.25000° S, 1.50000° W");
    }
}
