//! The CSV reader: any bytes, any encoding, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _encoding)) = alumni::import::decode::decode(data, None) {
        let _ = alumni::import::csv::parse("fuzz.csv", &text);
    }
});
