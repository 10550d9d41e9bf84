//! What loading the knowledge base costs: time to parse the embedded data and build
//! the index, and the resident memory it adds.
//! `cargo run --release --example kb_load`

use std::time::Instant;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let before = rss_kb();
    let t = Instant::now();
    let data = copydesk::kb::KnowledgeBase::embedded_data();
    let parsed = t.elapsed();
    let kb = copydesk::kb::KnowledgeBase::build(data, &Default::default());
    let total = t.elapsed();
    let after = rss_kb();
    println!(
        "knowledge base: {} entities; parse {:.1} ms, index {:.1} ms, total {:.1} ms; resident memory +{:.1} MB",
        kb.entities.len(),
        parsed.as_secs_f64() * 1e3,
        (total - parsed).as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        (after.saturating_sub(before)) as f64 / 1024.0
    );
}
