//! The vCard reader: folding, quoted-printable, charsets, any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = alumni::import::vcf::parse("fuzz.vcf", data, None, &|_| false);
});
