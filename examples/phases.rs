//! Time each phase of `analyze` on files, to see where the time goes:
//! `cargo run --release --example phases -- FILE... [--runs N]`

use std::time::Instant;

use copydesk::rules::{self, Context};
use copydesk::text::{Document, Format, markdown, quotes, sentences, words};
use copydesk::{Options, attribution, entities, temporal};

// the binary's allocator (src/memory.rs)
copydesk::process_allocator!();

fn main() {
    copydesk::memory::keep_freed_memory();
    let mut files = Vec::new();
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            _ => files.push(a),
        }
    }
    let options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    let _ = copydesk::analyze("Warm-up.", &options);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut acc: Vec<(String, f64)> = Vec::new();
        let add = |acc: &mut Vec<(String, f64)>, name: &str, t: &mut Instant| {
            let e = t.elapsed().as_secs_f64();
            *t = Instant::now();
            if let Some(x) = acc.iter_mut().find(|x| x.0 == name) {
                x.1 += e
            } else {
                acc.push((name.to_string(), e))
            }
        };
        for _ in 0..runs {
            let mut t = Instant::now();
            let masked = markdown::mask(&text, options.format);
            add(&mut acc, "mask", &mut t);
            let ps = sentences::paragraphs(&masked.prose, &masked.block_starts);
            add(&mut acc, "paragraphs", &mut t);
            let toks = words::tokenize(&masked.prose);
            add(&mut acc, "tokenize", &mut t);
            let (pa, se) = sentences::split(&masked.prose, &ps, &toks, options.format);
            add(&mut acc, "sentences", &mut t);
            let q = quotes::find(&masked.prose, &ps);
            add(&mut acc, "quotes", &mut t);
            drop((pa, se, q, toks));
            let doc = Document::new(&text, options.format);
            let mut t = Instant::now();
            let dateline = temporal::detect_dateline(&doc);
            add(&mut acc, "dateline", &mut t);
            let rec = entities::recognize(&doc, &options.kb);
            add(&mut acc, "entities", &mut t);
            let kinds: Vec<_> = doc
                .quotes
                .iter()
                .map(|q| attribution::classify(&doc, q))
                .collect();
            add(&mut acc, "classify", &mut t);
            let mut atts = Vec::new();
            for i in 0..doc.quotes.len() {
                let a = attribution::attribute(&doc, &rec, i, &atts);
                atts.push(a);
            }
            add(&mut acc, "attribute", &mut t);
            let temporals = temporal::find(&doc, dateline.as_ref());
            add(&mut acc, "temporal", &mut t);
            let cx = Context {
                doc: &doc,
                entities: &rec,
                kb: &options.kb,
                quote_kinds: &kinds,
                attributions: &atts,
                temporals: &temporals,
                dateline: dateline.as_ref(),
            };
            let mut d = Vec::new();
            for r in rules::ALL {
                (r.check)(&cx, &mut d);
                add(&mut acc, r.doc.code, &mut t);
            }
            copydesk::suppress::apply(&text, &doc, &mut d);
            add(&mut acc, "suppress", &mut t);
            drop(d);
            let _ = copydesk::analyze(&text, &options);
            add(&mut acc, "TOTAL analyze", &mut t);
        }
        println!("{f}: {} bytes", text.len());
        for (n, s) in acc {
            println!(
                "  {n:24} {:9.3} ms  {:6.1} MB/s",
                s / runs as f64 * 1e3,
                text.len() as f64 / (s / runs as f64) / 1e6
            );
        }
    }
}
