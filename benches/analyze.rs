//! `cargo bench`: `analyze` on each seed and on a document of about 1 MB built from
//! the seeds and the development corpus, in MB/s.

use std::time::Duration;

use copydesk::{Format, Options, analyze};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn stories() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["seeds", "tests/corpus"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
            .collect();
        paths.sort();
        for p in paths {
            if p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("README")
            {
                continue;
            }
            out.push((
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    let all = stories();
    let mut g = c.benchmark_group("seed");
    for (name, text) in all.iter().filter(|(n, _)| n.as_bytes()[0].is_ascii_digit()) {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name.as_str(), |b| b.iter(|| analyze(text, &options)));
    }
    g.finish();
    // about 1 MB of varied stories, one after another
    let mut big = String::new();
    while big.len() < 1_000_000 {
        for (_, t) in &all {
            big.push_str(t);
            big.push_str("\n\n");
        }
    }
    let mut g = c.benchmark_group("document");
    g.measurement_time(Duration::from_secs(10)).sample_size(20);
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("1MB", |b| b.iter(|| analyze(&big, &options)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
