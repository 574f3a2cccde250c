#![no_main]
//! Any bytes through the compose pipeline: YAML with anchors, interpolation, the merge of a
//! file over itself (resets, unicity), the typed view, and the `.env` parser. Nothing may
//! panic, and every span must lie inside the text.

use ipai::formats::compose::{ComposeFile, Environment, FileId, LoadOptions, Project};
use ipai::formats::dotenv;
use ipai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::from_bytes("compose.yaml", "compose.yaml", data);
    let len = source.text.len();
    let env: Environment = [("SET", "value"), ("EMPTY", "")].into_iter().collect();

    let file = ComposeFile::parse(&source, FileId(0), &env);
    for e in &file.errors {
        assert!(e.span.start() <= e.span.end() && e.span.end() <= len);
    }
    for c in &file.comments {
        assert!(c.span.end() <= len);
    }
    let model = file.model();
    for service in &model.services {
        assert!(service.key.span.end() <= len);
        for port in &service.ports {
            assert!(port.loc.span.end() <= len);
        }
    }

    let options = LoadOptions {
        env,
        ..LoadOptions::default()
    };
    let project = Project::from_sources(vec![source.clone(), source.clone()], None, &options);
    for e in &project.errors {
        assert!(e.error.span.end() <= len);
    }

    let parsed = dotenv::parse(&source, &Environment::new());
    for entry in &parsed.entries {
        assert!(entry.span.end() <= len);
    }
});
