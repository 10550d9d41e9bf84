//! Embeds the knowledge base: every data/kb/*.toml is parsed and validated here, and
//! written as one compact JSON file that the binary includes (fast to load at start-up).

#[path = "src/kb/data.rs"]
#[allow(dead_code)]
mod data;

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("data/kb");
    println!("cargo:rerun-if-changed=data/kb");
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
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("kb.json");
    fs::write(out, serde_json::to_string(&all).unwrap()).unwrap();
}
