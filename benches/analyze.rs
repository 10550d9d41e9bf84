//! `cargo bench`: `analyze` on each seed, and on documents of varied generated news
//! text (see `newsgen.rs`) of 1,000, 10,000 and 100,000 words, 1 MB and 10 MB,
//! in bytes per second (decimal: criterion prints MB/s).
//!
//! `cargo bench --bench analyze -- seed` runs the seeds only; `-- words` or
//! `-- bytes` one size group; `-- publish` times what the server does after an
//! analysis of the 10,000-word document: the `publishDiagnostics` notification
//! serialized from its report, in each position encoding, whole and after a
//! keystroke (copying what the edit left as it was from the last one).

use std::time::Duration;

use copydesk::{Format, Options, analyze};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

// the binary's allocator (src/memory.rs)
copydesk::process_allocator!();

mod newsgen;

fn seeds() -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir("seeds")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .filter(|p| p.file_name().unwrap().as_encoded_bytes()[0].is_ascii_digit())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn options() -> Options {
    // as the binary does at start-up (src/memory.rs)
    copydesk::memory::keep_freed_memory();
    Options {
        format: Format::PlainText,
        ..Options::default()
    }
}

fn bench_seeds(c: &mut Criterion) {
    let options = options();
    let mut g = c.benchmark_group("seed");
    for (name, text) in seeds() {
        g.throughput(Throughput::BytesDecimal(text.len() as u64));
        g.bench_function(name.as_str(), |b| b.iter(|| analyze(&text, &options)));
    }
    g.finish();
}

fn bench_words(c: &mut Criterion) {
    let options = options();
    let mut g = c.benchmark_group("words");
    for (label, words, samples, secs) in [
        ("1000", 1_000, 100, 5),
        ("10000", 10_000, 30, 8),
        ("100000", 100_000, 10, 15),
    ] {
        let text = newsgen::document(words, 1);
        g.sample_size(samples)
            .measurement_time(Duration::from_secs(secs));
        if words >= 100_000 {
            g.sampling_mode(SamplingMode::Flat);
        }
        g.throughput(Throughput::BytesDecimal(text.len() as u64));
        g.bench_function(label, |b| b.iter(|| analyze(&text, &options)));
    }
    g.finish();
}

fn bench_bytes(c: &mut Criterion) {
    let options = options();
    let mut g = c.benchmark_group("bytes");
    g.sampling_mode(SamplingMode::Flat);
    for (label, bytes, samples, secs) in [("1MB", 1_000_000, 10, 15), ("10MB", 10_000_000, 10, 30)]
    {
        let text = newsgen::document_bytes(bytes, 2);
        g.sample_size(samples)
            .measurement_time(Duration::from_secs(secs));
        g.throughput(Throughput::BytesDecimal(text.len() as u64));
        g.bench_function(label, |b| b.iter(|| analyze(&text, &options)));
    }
    g.finish();
}

fn bench_publish(c: &mut Criterion) {
    use copydesk::lsp::{Analysis, publish_body};
    use copydesk::position::{Encoding, LineIndex};
    use std::sync::Arc;
    let analysis = |text: &str, version: i32| {
        let options = options();
        Arc::new(Analysis {
            version,
            rev: version as u64,
            index: LineIndex::new(text),
            report: analyze(text, &options),
            text: text.into(),
            options,
        })
    };
    let text = newsgen::document(10_000, 1);
    // the same after a character typed at the end of the paragraph nearest the
    // middle, as `tools/lsp_bench.py` types
    let at = text[..text.len() / 2]
        .rfind("\n\n")
        .unwrap_or(text.len() / 2);
    let typed = format!("{} L{}", &text[..at], &text[at..]);
    let (before, after) = (analysis(&text, 1), analysis(&typed, 2));
    let uri = "file:///news/story.txt".parse().unwrap();
    let mut g = c.benchmark_group("publish");
    for (label, enc) in [
        ("utf-8", Encoding::Utf8),
        ("utf-16", Encoding::Utf16),
        ("utf-32", Encoding::Utf32),
    ] {
        let bytes = publish_body(&uri, &after, enc, None).unwrap().body().len();
        g.throughput(Throughput::BytesDecimal(bytes as u64));
        g.bench_function(label, |b| b.iter(|| publish_body(&uri, &after, enc, None)));
        let last = publish_body(&uri, &before, enc, None).unwrap();
        g.bench_function(format!("{label} after a keystroke"), |b| {
            b.iter(|| publish_body(&uri, &after, enc, Some(&last)))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_seeds,
    bench_words,
    bench_bytes,
    bench_publish
);
criterion_main!(benches);
