#![no_main]
//! Zone parser on arbitrary bytes: it must not panic, and every span it returns must slice
//! the text. `$INCLUDE` is followed through an in-memory reader that serves the input itself,
//! so include cycles and depth limits are exercised too.

use ipai::formats::zone::{self, ParseOptions};
use ipai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile::from_bytes("fuzz.zone", "fuzz.zone", data);
    let opts = ParseOptions {
        max_generated_records: 4096,
        max_includes: 8,
        ..ParseOptions::default()
    };
    let mut reader = |path: &std::path::Path| {
        Ok(SourceFile::from_bytes(
            path.display().to_string(),
            path,
            data,
        ))
    };
    let zone = zone::load(&source, "example.com", &opts, &mut reader);
    for error in &zone.errors {
        let text = &zone.source(&source, error.file).text;
        assert!(text
            .get(error.error.span.start()..error.error.span.end())
            .is_some());
    }
    for record in &zone.records {
        let text = &zone.source(&source, record.file).text;
        for span in [
            record.span,
            record.owner.span,
            record.rtype_span,
            record.ttl.span,
        ] {
            assert!(text.get(span.start()..span.end()).is_some());
        }
        let _ = zone.record_text(record);
    }
});
