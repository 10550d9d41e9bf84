//! What the typing examples type, and where: `tools/lsp_bench.py`'s news passage,
//! at the end of the paragraph nearest the middle of the story (as the harness
//! does). Included by `analyze_file.rs` and `typing_allocations.rs`.

/// What `tools/lsp_bench.py` types (its `TYPED`).
pub const PASSAGE: &str = concat!(
    " Later, Mayor Lena Kovac of Port Aldmere spoke to reporters. \"We will rebuild",
    " every school, and we will do it this year,\" Kovac said on Thursday. Officials",
    " said more than 4,000 people had been moved. The minister flew to Kiev on",
    " Friday, March 8, 2024, to meet Volodymyr Zelensky. \"Nobody expected the water",
    " to rise so fast.\" Crews from the Red Cross worked through the night in the",
    " eastern suburbs, and about 1,200 homes remain without power, according to",
    " sources close to the operation. The council will meet next Tuesday to approve",
    " an emergency budget of 15 million dollars, the Kyiv office of the agency said."
);

/// The end of the paragraph nearest the middle of `text` (the middle itself when
/// it has one paragraph).
pub fn paragraph_end_nearest_middle(text: &str) -> usize {
    let mid = text.len() / 2;
    [
        text[..mid].rfind("\n\n"),
        text[mid..].find("\n\n").map(|i| i + mid),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|&i| i.abs_diff(mid))
    .unwrap_or(mid)
}
