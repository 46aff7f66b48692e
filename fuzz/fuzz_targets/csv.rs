//! The CSV reader: any bytes, any encoding, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = alumni::import::decode::decode(data, None) {
        let _ = alumni::import::csv::parse_decoded("fuzz.csv", &d.text, d.encoding, &d.bad, &mut |_| {});
    }
});
