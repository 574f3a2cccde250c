#![no_main]
//! Arbitrary bytes through the nginx parser, and through the include loader with the input
//! as every file (so that `include *.conf;` in the input meets cycles and globs).

use std::path::Path;

use ipai::formats::nginx::{self, Limits, Loader, MemoryFs};
use ipai::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = nginx::parse(SourceFile::from_bytes("fuzz.conf", "fuzz.conf", data));
    let len = file.source.text.len();
    for error in &file.errors {
        assert!(error.span.start() <= error.span.end() && error.span.end() <= len);
    }
    for directive in file.all_directives() {
        assert!(directive.span.end() <= len);
        for word in std::iter::once(&directive.name).chain(&directive.args) {
            assert!(
                word.span.start() <= word.span.end() && word.span.end() <= directive.span.end()
            );
            assert!(file
                .source
                .text
                .get(word.span.start()..word.span.end())
                .is_some());
        }
    }

    let fs = MemoryFs::new()
        .with("/f/main.conf", data)
        .with("/f/a.conf", data)
        .with("/f/sub/b.conf", data);
    let limits = Limits {
        max_include_depth: 4,
        max_expanded_directives: 20_000,
        ..Limits::default()
    };
    if let Ok(config) = Loader::with_fs(fs)
        .limits(limits)
        .load(Path::new("/f/main.conf"))
    {
        let mut visited = 0usize;
        config.walk(|_| visited += 1);
        assert!(visited <= 20_000 + config.root().all_directives().count());
    }
});
