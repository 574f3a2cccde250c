//! Any bytes: the odoo.conf parser must not panic, its spans must stay inside the text, and
//! the option lookups and value interpretation must accept whatever it produced.
#![no_main]
use ipai::formats::odoo_conf::{interpret, lookup, options, parse, OdooVersion};
use ipai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = SourceFile::from_bytes("odoo.conf", "odoo.conf", data);
    let conf = parse(&file);
    let text = file.text.as_str();
    let in_text = |start: usize, end: usize| start <= end && text.get(start..end).is_some();
    for error in &conf.errors {
        assert!(in_text(error.span.start(), error.span.end()));
    }
    let entries = conf
        .sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .chain(&conf.orphans);
    for (i, entry) in entries.enumerate() {
        for span in [entry.key_span, entry.value_span, entry.span] {
            assert!(in_text(span.start(), span.end()));
        }
        let _ = ipai::formats::odoo_conf::value::env_references(&entry.value);
        let _ = ipai::formats::odoo_conf::value::optparse_int(&entry.value);
        let _ = ipai::formats::odoo_conf::value::python_float(&entry.value);
        // Suggestions compare a key with every option: a few entries an input keep the
        // parser the focus of the run.
        if i >= 4 {
            continue;
        }
        for version in OdooVersion::ALL {
            let _ = lookup(&entry.key, version);
            if let Some(spec) = options::spec(&entry.key, version) {
                let _ = interpret(spec, &entry.value).truthy();
            }
        }
    }
    let _ = conf.options_items();
    for (_, entry) in conf.entries() {
        let _ = conf.comments_above(entry.line);
    }
});
