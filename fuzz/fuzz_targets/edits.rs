//! Incremental edits: a rope edited through `position::rope_offset` (as the server
//! applies didChange) equals a string edited through `LineIndex::to_offset`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (enc, initial, edits) = copydesk_fuzz::decode_edits(data);
    copydesk_fuzz::check_edits(&initial, &edits, enc);
});
