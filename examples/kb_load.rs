//! What loading the knowledge base costs: the built-in one as the server loads it
//! (`KnowledgeBase::embedded`: entities, forms and indexes copied out of the image
//! build.rs compiled) and the resident memory it adds; then, for comparison, the
//! run-time path a newsroom's house style or entity files take (decode the entity
//! data, then work out every form and index: `KnowledgeBase::build`). The embedded
//! hash tables are used in place, so the memory is measured again after a look-up of
//! every form has touched them.
//! `cargo run --release --example kb_load`

use std::time::Instant;

use copydesk::kb::{KnowledgeBase, form_words};
use copydesk::text::fold::{hash, translit_key};

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
    // the hash tables are used in place: their pages become resident as look-ups
    // touch them, so touch them all
    let mut found = 0usize;
    for e in &kb.entities {
        for f in e.forms() {
            let words = form_words(&f.text);
            let keys: Vec<String> = words.iter().map(|w| translit_key(w)).collect();
            found += kb.lookup(KnowledgeBase::key(&words)).len()
                + kb.lookup_translit(KnowledgeBase::key(&keys)).len()
                + usize::from(kb.is_prefix(KnowledgeBase::key(&words[..1])))
                + kb.near_misses(words.last().map_or("", String::as_str))
                    .len()
                + usize::from(kb.demonym(hash(&words[0])).is_some());
        }
    }
    println!(
        "after a look-up of every form in every table: resident memory +{:.1} MB ({found} hits)",
        (rss_kb().saturating_sub(before)) as f64 / 1024.0
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
