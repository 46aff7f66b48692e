//! Dates as coordinators write them, and their serde form (ISO `YYYY-MM-DD`).

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// What a date may look like, for error messages.
pub const DATE_FORMS: &str = "YYYY-MM-DD, YYYY/M/D, YYYY-MM or YYYY年M月D日";

/// Parses the date forms HR exports use: `2001-04-01`, `2001/4/1`, `2001-04`
/// (first of month), `2001年4月1日` (also `2001年4月`). Full-width digits are
/// accepted. Anything else is an error naming the accepted forms.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    // The form alumni itself writes, without the allocations below (an
    // import of 100,000 rows parses a quarter of a million dates).
    let d = match iso_fast(raw.as_bytes()) {
        Some(d) => d,
        None => parse_forms(raw)?,
    };
    // Year 0 has four digits but is no year the JSON format (or anyone's
    // calendar) knows.
    if chrono::Datelike::year(&d) < 1 {
        return Err(format!("not a date: {:?} (year 0)", raw.trim()));
    }
    Ok(d)
}

fn parse_forms(raw: &str) -> Result<NaiveDate, String> {
    let s: String = if raw.is_ascii() {
        raw.trim().to_string()
    } else {
        raw.trim().nfkc().collect()
    };
    let bad = || format!("not a date: {:?} (use {DATE_FORMS})", raw.trim());
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年').ok_or_else(bad)?;
        let (m, d) = rest.split_once('月').ok_or_else(bad)?;
        vec![y, m, d]
    } else if let Some(rest) = s.strip_suffix('月') {
        let (y, m) = rest.split_once('年').ok_or_else(bad)?;
        vec![y, m]
    } else if s.contains('-') && !s.contains('/') {
        s.split('-').collect()
    } else {
        s.split('/').collect()
    };
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        let p = p.trim();
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    if parts[0].trim().len() != 4 {
        return Err(bad());
    }
    let y = num(parts[0], 4).ok_or_else(bad)? as i32;
    let m = num(parts[1], 2).ok_or_else(bad)?;
    let d = match parts.get(2) {
        Some(p) => num(p, 2).ok_or_else(bad)?,
        None => 1,
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        format!(
            "not a date: {:?} (no such day: {y:04}-{m:02}-{d:02})",
            raw.trim()
        )
    })
}

/// A date as the store keeps it (`%Y-%m-%d`), read by hand when it is
/// `YYYY-MM-DD`: chrono's format parser took 8 % of loading a million
/// people. Other spellings go to chrono, as before.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    iso_fast(s.as_bytes()).or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// `YYYY-MM-DD` exactly, when it is a real day.
fn iso_fast(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)
}

/// Strict ISO dates for the JSON format: `Option<NaiveDate>` as `"YYYY-MM-DD"` or null.
/// `2024-04-01` for a date of the years 1 to 9999, written by hand: chrono's
/// formatting machinery cost a bulk import more than the rest of a stint's
/// JSON. `None` for other years (`format("%Y-%m-%d")` writes their sign).
pub fn iso_bytes(d: NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1..=9999).contains(&y) {
        return None;
    }
    let digit = |n: u32| b'0' + n as u8;
    let y = y as u32;
    Some([
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(m / 10),
        digit(m % 10),
        b'-',
        digit(day / 10),
        digit(day % 10),
    ])
}

pub mod iso_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => match super::iso_bytes(*d) {
                Some(b) => s.serialize_str(std::str::from_utf8(&b).expect("ASCII digits")),
                None => s.collect_str(&d.format("%Y-%m-%d")),
            },
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("not a date: {s:?} (use YYYY-MM-DD)"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_by_hand_is_what_chrono_writes() {
        let iso = |day: NaiveDate| String::from_utf8(iso_bytes(day).unwrap().to_vec()).unwrap();
        let mut day = d(1, 1, 1);
        let mut seen = 0;
        while day < d(9999, 12, 31) {
            assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
            day += chrono::Duration::days(3_001);
            seen += 1;
        }
        assert!(seen > 1_000);
        for day in [d(1, 1, 1), d(2024, 2, 29), d(1999, 12, 31), d(9999, 12, 31)] {
            assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
        }
        assert_eq!(iso_bytes(d(0, 1, 1)), None);
        assert_eq!(iso_bytes(d(10_000, 1, 1)), None);
    }

    #[test]
    fn reading_the_stores_dates_by_hand_is_what_chrono_reads() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut day = d(1, 1, 1);
        while day < d(9999, 12, 31) {
            let s = day.format("%Y-%m-%d").to_string();
            assert_eq!(parse_iso(&s), Some(day), "{s}");
            day += chrono::Duration::days(997);
        }
        for s in [
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "0000-01-01",
            "2024-4-1",
            "2024-04-1",
            "+12345-01-01",
            "2024/04/01",
            "2024-04-01 ",
            " 2024-04-01",
            "２０２４-04-01",
            "2024-04-0a",
            "",
            "2024-04",
            "20240401",
            "-001-01-01",
        ] {
            assert_eq!(parse_iso(s), chrono(s), "{s:?}");
        }
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(parse_date("2001-04-01"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("2001/4/1"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("2001/04/01"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("2001-04"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("2001年4月1日"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("２００１年４月１日"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date("2001年4月"), Ok(d(2001, 4, 1)));
        assert_eq!(parse_date(" 2003/4/1 "), Ok(d(2003, 4, 1)));
    }

    #[test]
    fn the_iso_shortcut_agrees_with_the_general_parser() {
        for y in ["0000", "1999", "2001", "2024", "9999", "20x1"] {
            for m in 0..=13 {
                for day in 0..=32 {
                    let s = format!("{y}-{m:02}-{day:02}");
                    if let Some(fast) = iso_fast(s.as_bytes()) {
                        assert_eq!(parse_forms(&s), Ok(fast), "{s}");
                    } else {
                        assert!(parse_forms(&s).is_err(), "{s} is a day the shortcut missed");
                    }
                }
            }
        }
        assert_eq!(iso_fast(b"2001-04-1 "), None);
        assert_eq!(iso_fast(b"2001/04/01"), None);
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "2001-13-01",
            "2001-02-30",
            "01/04/2001",
            "April 2001",
            "2001",
            "2001.04.01",
            "2001-4-1-1",
            "20010401",
            "2001/4/",
            "",
            "2001年4月1",
            "-2001-04-01",
            "2001-+4-01",
            "0000-04-01",
            "0000/4/1",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} should be rejected");
        }
        let e = parse_date("2001-13-01").unwrap_err();
        assert!(e.contains("2001-13-01"), "{e}");
    }
}
