//! Position conversions in UTF-8, UTF-16 and UTF-32: round trips at every char
//! boundary, arbitrary line/col never panics and lands on a boundary, rope and
//! string agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, probes) = copydesk_fuzz::decode_positions(data);
    copydesk_fuzz::check_positions(&text, &probes);
});
