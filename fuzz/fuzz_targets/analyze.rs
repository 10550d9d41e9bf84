//! `analyze` on arbitrary bytes, decoded lossily, as Markdown and as plain text:
//! no panic, and every span in the report is a char-boundary range of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    copydesk_fuzz::check_analyze(data);
});
