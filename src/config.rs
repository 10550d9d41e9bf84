//! `.copydesk.toml`: per-rule settings, house style, extra entity files, a dateline
//! override and include/exclude globs. Found from a document's folder upward; read
//! the same way by the CLI and the language server. Reading it never panics: an
//! error comes back with its line and column, and the caller keeps the defaults (or
//! the last good configuration).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::analyze::{Options, RuleSetting};
use crate::kb::{HouseStyle, KbFile, KnowledgeBase};
use crate::report::Severity;

pub const FILE_NAME: &str = ".copydesk.toml";

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// A date (YYYY-MM-DD) for every story checked with this file.
    #[serde(default)]
    pub dateline: Option<String>,
    #[serde(default)]
    pub rules: HashMap<String, RuleConfig>,
    #[serde(default)]
    pub house_style: HouseStyleConfig,
    #[serde(default)]
    pub entities: EntitiesConfig,
    #[serde(default)]
    pub files: FilesConfig,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub enabled: Option<bool>,
    pub severity: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HouseStyleConfig {
    #[serde(default)]
    pub prefer: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntitiesConfig {
    /// Extra entity files (data/kb format), relative to the config file.
    #[serde(default)]
    pub files: Vec<String>,
    /// Entities written inline in the config file.
    #[serde(default)]
    pub entity: Vec<crate::kb::EntityData>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A problem in a configuration or entity file, with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// Byte range in the file, when known.
    pub span: Option<std::ops::Range<usize>>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

fn error_at(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: String,
) -> ConfigError {
    let (line, column) = match &span {
        Some(s) => {
            let idx = crate::position::LineIndex::new(text);
            let lc = idx.to_line_col(text, s.start, crate::position::Encoding::Utf32);
            (lc.line + 1, lc.col + 1)
        }
        None => (1, 1),
    };
    ConfigError {
        path: path.to_path_buf(),
        span,
        line,
        column,
        message,
    }
}

/// The nearest `.copydesk.toml` at or above `start` (a file or a folder).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let p = d.join(FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

/// A loaded configuration: the options it gives and the errors it had.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub options: Options,
    pub file: ConfigFile,
    pub errors: Vec<ConfigError>,
}

pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str::<ConfigFile>(text)
        .map_err(|e| error_at(path, text, e.span(), e.message().to_string()))
}

/// Read a configuration file and build the options it describes. On any error the
/// defaults stand for the part in error, and the error is returned beside them.
pub fn load(path: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => from_text(path, &text),
        Err(e) => Loaded {
            options: Options::default(),
            file: ConfigFile::default(),
            errors: vec![ConfigError {
                path: path.into(),
                span: None,
                line: 1,
                column: 1,
                message: format!("cannot read the configuration: {e}"),
            }],
        },
    }
}

pub fn from_text(path: &Path, text: &str) -> Loaded {
    let mut errors = Vec::new();
    let file = match parse(path, text) {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            ConfigFile::default()
        }
    };
    let options = options_from(path, text, &file, &mut errors);
    Loaded {
        options,
        file,
        errors,
    }
}

fn options_from(
    path: &Path,
    text: &str,
    file: &ConfigFile,
    errors: &mut Vec<ConfigError>,
) -> Options {
    let mut options = Options::default();
    let find = |needle: &str| text.find(needle).map(|i| i..i + needle.len());
    if let Some(d) = &file.dateline {
        match d.parse::<jiff::civil::Date>() {
            Ok(date) => options.dateline = Some(date),
            Err(_) => errors.push(error_at(
                path,
                text,
                find(d),
                format!("dateline `{d}` is not a date (YYYY-MM-DD)"),
            )),
        }
    }
    for (code, rc) in &file.rules {
        if crate::rules::find(code).is_none() {
            errors.push(error_at(
                path,
                text,
                find(code),
                format!("unknown rule `{code}` (see `copydesk rules`)"),
            ));
            continue;
        }
        let severity = match rc.severity.as_deref() {
            None => None,
            Some(s) => match Severity::parse(s) {
                Some(s) => Some(s),
                None => {
                    errors.push(error_at(
                        path,
                        text,
                        find(s),
                        format!("severity `{s}` must be error, warning, information or hint"),
                    ));
                    None
                }
            },
        };
        options.rules.insert(
            code.clone(),
            RuleSetting {
                enabled: rc.enabled,
                severity,
            },
        );
    }
    let style = HouseStyle {
        prefer: file.house_style.prefer.clone(),
        ignore: file.house_style.ignore.clone(),
    };
    let extra_needed = !file.entities.files.is_empty()
        || !file.entities.entity.is_empty()
        || style != HouseStyle::default();
    if extra_needed {
        let mut data: KbFile = KnowledgeBase::embedded_data();
        for e in &file.entities.entity {
            match crate::kb::data::validate(e) {
                Ok(()) => data.entity.push(e.clone()),
                Err(m) => errors.push(error_at(path, text, find(&e.name), m)),
            }
        }
        let base = path.parent().unwrap_or(Path::new("."));
        for f in &file.entities.files {
            let p = base.join(f);
            match std::fs::read_to_string(&p) {
                Err(e) => errors.push(error_at(
                    path,
                    text,
                    find(f),
                    format!("entity file `{}` cannot be read: {e}", p.display()),
                )),
                Ok(t) => match toml::from_str::<KbFile>(&t) {
                    Err(e) => errors.push(error_at(&p, &t, e.span(), e.message().to_string())),
                    Ok(kf) => {
                        for e in kf.entity {
                            match crate::kb::data::validate(&e) {
                                Ok(()) => data.entity.push(e),
                                Err(m) => errors.push(error_at(
                                    &p,
                                    &t,
                                    t.find(&e.name).map(|i| i..i + e.name.len()),
                                    m,
                                )),
                            }
                        }
                    }
                },
            }
        }
        options.kb = Arc::new(KnowledgeBase::build(data, &style));
    }
    options
}

/// A commented starter file for `copydesk init`.
pub const STARTER: &str = r#"# copydesk configuration. Found from a story's folder upward; read by
# `copydesk check` and by the language server (edits apply without a restart).

# A date for every story under this folder, when they carry none (YYYY-MM-DD).
# dateline = "2024-03-05"

# Turn rules off or change their severity (error, warning, information, hint).
# [rules.vague-attribution]
# enabled = false
# [rules.undated-claim]
# severity = "hint"

[house_style]
# Forms this newsroom prefers over the built-in AP defaults.
# prefer = ["Zelensky", "Volodymyr Zelensky"]
# Names never to recognize or flag.
# ignore = ["Oleschuk"]

[entities]
# Extra entity files in the data/kb format, relative to this file.
# files = ["newsroom-entities.toml"]

[files]
# Globs `copydesk check` includes or skips inside folders.
# exclude = ["drafts/**"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_positions_and_defaults_stand() {
        let p = Path::new("/x/.copydesk.toml");
        let l = from_text(p, "[rules.unattributed-quote]\nenabled = \"yes\"\n");
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].line, 2);
        assert!(l.options.rules.is_empty());
        let l = from_text(
            p,
            "[rules.no-such-rule]\nenabled = false\n[rules.undated-claim]\nseverity = \"hint\"\n",
        );
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].line, 1);
        assert_eq!(
            l.options.rules["undated-claim"].severity,
            Some(Severity::Hint)
        );
        assert!(from_text(p, STARTER).errors.is_empty());
    }
}
