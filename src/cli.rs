//! Text the command line prints that is not a lint report.

use crate::engine::all_rules;
use crate::lint::Setup;
use crate::stack::StackOrigin;

/// `ipai-lint rules`: one line a rule.
pub fn rules_table() -> String {
    let rules = all_rules();
    let width = rules.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in rules {
        let meta = rule.meta();
        out.push_str(&format!(
            "{:<8} {:<8} {:<width$}  {}\n",
            meta.code,
            meta.severity.as_str(),
            meta.name,
            meta.summary()
        ));
    }
    out
}

/// `ipai-lint explain CODE`: the rule's whole doc.
pub fn explain(code: &str) -> Result<String, String> {
    let Some(rule) = crate::rules::find(code) else {
        let codes = all_rules().iter().map(|r| r.meta().code);
        let hint = crate::suggest::closest(code, codes)
            .map(|c| format!("; did you mean {c}?"))
            .unwrap_or_default();
        return Err(format!(
            "no rule `{code}`{hint} (`ipai-lint rules` lists them)"
        ));
    };
    let meta = rule.meta();
    Ok(format!(
        "# {} {}\n\nDefault severity: {}\n\n{}",
        meta.code,
        meta.name,
        meta.severity,
        meta.doc_text()
    ))
}

/// `ipai-lint --print-stack`: the effective facts, and where they came from.
pub fn print_stack(setup: &Setup) -> String {
    let origin = match &setup.origin {
        StackOrigin::File(name) => {
            format!("# stack facts from {}\n", setup.root.join(name).display())
        }
        StackOrigin::Embedded => {
            "# no stack.yaml in this repo: the embedded InsightPulse snapshot facts apply\n"
                .to_string()
        }
    };
    origin + &setup.stack.to_yaml()
}
