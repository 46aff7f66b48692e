//! The JSON format's reader: any bytes, errors that name a path.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = alumni::import::json::parse("fuzz.json", data);
});
