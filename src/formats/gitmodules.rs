//! A repo's `.gitmodules`, in git's config syntax: `[submodule "name"]` sections of
//! `key = value` lines, each value with its span. Only what ipai reads is kept: each
//! submodule's `path`, `url` and `branch`.

use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// One `[submodule "…"]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submodule {
    pub name: String,
    pub path: Option<(String, Span)>,
    pub url: Option<(String, Span)>,
    pub branch: Option<(String, Span)>,
}

#[derive(Clone, Debug, Default)]
pub struct GitModules {
    pub submodules: Vec<Submodule>,
    pub errors: Vec<SyntaxError>,
}

/// Parses `.gitmodules`. Keys are case-insensitive, as in git; a value may be quoted; a
/// `#` or `;` starts a comment outside quotes.
pub fn parse(source: &SourceFile) -> GitModules {
    let mut modules = GitModules::default();
    let mut offset = 0;
    for raw in source.text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .split_once('"')
                .and_then(|(kind, rest)| {
                    (kind.trim() == "submodule").then(|| rest.split('"').next().unwrap_or(""))
                })
                .unwrap_or("");
            modules.submodules.push(Submodule {
                name: name.to_string(),
                ..Submodule::default()
            });
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            modules.errors.push(SyntaxError::new(
                Span::new(start + lead, start + line.len()),
                "expected `key = value` or a `[submodule \"name\"]` header",
            ));
            continue;
        };
        let Some(submodule) = modules.submodules.last_mut() else {
            continue;
        };
        let value_lead = value.len() - value.trim_start().len();
        let mut text = value.trim();
        // A comment after the value, outside quotes.
        if !text.starts_with('"') {
            if let Some(at) = text
                .find([' ', '\t'])
                .filter(|&i| text[i..].trim_start().starts_with(['#', ';']))
            {
                text = text[..at].trim_end();
            }
        }
        let value_start = start + lead + key.len() + 1 + value_lead;
        let span = Span::new(value_start, value_start + text.len());
        let unquoted = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text)
            .to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "path" => submodule.path = Some((unquoted.trim_end_matches('/').to_string(), span)),
            "url" => submodule.url = Some((unquoted, span)),
            "branch" => submodule.branch = Some((unquoted, span)),
            _ => {}
        }
    }
    modules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_submodule_with_spans() {
        let text = "[submodule \"addons/oca/web\"]\n\tpath = addons/oca/web\n\turl = https://github.com/OCA/web.git\n\tbranch = 17.0 ; pinned\n[submodule \"x\"]\r\n\tPath = \"x/\"\r\n";
        let parsed = parse(&SourceFile::from_text(".gitmodules", text));
        assert!(parsed.errors.is_empty());
        let web = &parsed.submodules[0];
        assert_eq!(web.name, "addons/oca/web");
        let (branch, span) = web.branch.as_ref().unwrap();
        assert_eq!(branch, "17.0");
        assert_eq!(&text[span.start()..span.end()], "17.0");
        assert_eq!(parsed.submodules[1].path.as_ref().unwrap().0, "x");
    }
}
