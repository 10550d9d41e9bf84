// The knowledge-base file format (data/kb/README.md). Shared by build.rs, which
// validates the embedded files, and by the runtime loader for newsroom files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KbFile {
    #[serde(default)]
    pub knowledge_date: Option<String>,
    #[serde(default)]
    pub entity: Vec<EntityData>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityData {
    #[serde(default)]
    pub id: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    #[serde(default)]
    pub roles: Vec<RoleData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub common_word: bool,
    #[serde(default)]
    pub well_known: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoleData {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// What is wrong with one entity, if anything.
pub fn validate(e: &EntityData) -> Result<(), String> {
    if !matches!(
        e.kind.as_str(),
        "person" | "place" | "organization" | "other"
    ) {
        return Err(format!(
            "entity `{}`: kind must be person, place, organization or other, not `{}`",
            e.name, e.kind
        ));
    }
    if e.name.trim().is_empty() {
        return Err("an entity has an empty name".into());
    }
    for r in &e.roles {
        for d in [&r.start, &r.end].into_iter().flatten() {
            if !valid_partial_date(d) {
                return Err(format!(
                    "entity `{}`: role date `{d}` is not YYYY, YYYY-MM or YYYY-MM-DD",
                    e.name
                ));
            }
        }
    }
    if let Some(g) = &e.gender {
        if !matches!(g.as_str(), "m" | "f" | "x") {
            return Err(format!("entity `{}`: gender must be m, f or x", e.name));
        }
    }
    Ok(())
}

pub fn valid_partial_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}
