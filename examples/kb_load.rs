//! What loading the knowledge base costs: the built-in one as the server loads it
//! (`KnowledgeBase::embedded`: entities, forms and indexes copied out of the image
//! build.rs compiled) and the resident memory it adds; then, for comparison, the
//! run-time path a newsroom's house style or entity files take (decode the entity
//! data, then work out every form and index: `KnowledgeBase::build`).
//! `cargo run --release --example kb_load`

use std::time::Instant;

use copydesk::kb::KnowledgeBase;

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

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let before = rss_kb();
    let t = Instant::now();
    let kb = KnowledgeBase::embedded();
    let embedded = t.elapsed();
    let after = rss_kb();
    println!(
        "knowledge base: {} entities; embedded load {:.1} ms; resident memory +{:.1} MB",
        kb.entities.len(),
        ms(embedded),
        (after.saturating_sub(before)) as f64 / 1024.0
    );
    let t = Instant::now();
    let data = KnowledgeBase::embedded_data();
    let decoded = t.elapsed();
    let built = KnowledgeBase::build(data, &Default::default());
    let total = t.elapsed();
    println!(
        "run-time build (house style): decode data {:.1} ms, forms and index {:.1} ms, total {:.1} ms",
        ms(decoded),
        ms(total - decoded),
        ms(total)
    );
    assert_eq!(built.entities.len(), kb.entities.len());
}
