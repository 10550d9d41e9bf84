//! Compiles the knowledge base: every data/kb/*.toml is parsed and validated here,
//! every entity's forms and every index are computed with the crate's own code
//! (src/kb/index.rs, over src/text/fold.rs and src/text/words.rs, included below),
//! and the result is written as a compact image (src/kb/image.rs) that the binary
//! includes and reads at start-up without parsing, folding or hashing.

// The modules the knowledge-base compiler needs, at the same paths as in the crate.
#[allow(dead_code)]
#[path = "src/kb"]
mod kb {
    pub mod data;
    pub mod image;
    pub mod index;
}

#[allow(dead_code)]
#[path = "src/text"]
mod text {
    pub mod fold;
    pub mod words;
}

mod report {
    pub type Span = std::ops::Range<usize>;
}

use kb::data;
use std::{env, fs, path::Path};

/// The source files included above: a change to any of them changes the image.
const SOURCES: [&str; 5] = [
    "src/kb/data.rs",
    "src/kb/image.rs",
    "src/kb/index.rs",
    "src/text/fold.rs",
    "src/text/words.rs",
];

fn main() {
    let dir = Path::new("data/kb");
    println!("cargo:rerun-if-changed=data/kb");
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
    }
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("data/kb exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut all = data::KbFile::default();
    let mut dates = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let file: data::KbFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        if let Some(d) = file.knowledge_date {
            dates.push(d);
        }
        for e in file.entity {
            if let Err(msg) = data::validate(&e) {
                panic!("{}: {msg}", f.display());
            }
            if !e.id.is_empty() && !ids.insert(e.id.clone()) {
                panic!("{}: duplicate entity id `{}`", f.display(), e.id);
            }
            all.entity.push(e);
        }
    }
    dates.sort();
    all.knowledge_date = dates.pop();
    // what `KnowledgeBase::build` does with the default house style
    let entities: Vec<(data::EntityData, Vec<kb::index::Form>)> = all
        .entity
        .into_iter()
        .map(|d| {
            let forms = kb::index::forms(&d);
            (d, forms)
        })
        .collect();
    let indexes = kb::index::Indexes::build(entities.iter().map(|(d, f)| (d, f.as_slice())), &[]);
    let (words, text) = kb::image::write(all.knowledge_date.as_deref(), &entities, &indexes);
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out.join("kb.bin"), words).unwrap();
    fs::write(out.join("kb.txt"), text).unwrap();
}
