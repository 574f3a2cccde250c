//! The nginx parser on the cases a person runs into: quoting, comments, Lua blocks,
//! includes, errors with exact positions, odd encodings; plus property tests.

use std::path::{Path, PathBuf};

use ipai::formats::nginx::{
    self, Config, Directive, FileSystem, Limits, Loader, MemoryFs, ParsedFile, Quote, RealFs,
};
use ipai::source::{Encoding, LineCol, SourceFile};
use proptest::prelude::*;

fn parse(text: &str) -> ParsedFile {
    nginx::parse(SourceFile::from_text("test.conf", text))
}

fn parse_ok(text: &str) -> ParsedFile {
    let file = parse(text);
    assert!(
        file.errors.is_empty(),
        "unexpected errors: {:#?}",
        file.errors
    );
    file
}

fn only(file: &ParsedFile) -> &Directive {
    assert_eq!(file.directives.len(), 1, "{:#?}", file.directives);
    &file.directives[0]
}

/// Line and column of each error, with its message.
fn errors_at(file: &ParsedFile) -> Vec<(usize, usize, String)> {
    file.errors
        .iter()
        .map(|error| {
            let LineCol { line, column } = file.source.line_col(error.span.start());
            (line, column, error.message.clone())
        })
        .collect()
}

// ---------------------------------------------------------------- quoting and escapes

#[test]
fn quoted_words_keep_their_quote_kind_and_raw_span() {
    let file = parse_ok(r#"add_header X-Test "a \"quoted\" word" 'it\'s';"#);
    let directive = only(&file);
    assert_eq!(directive.name(), "add_header");
    let values: Vec<&str> = directive.arg_values().collect();
    assert_eq!(values, ["X-Test", r#"a "quoted" word"#, "it's"]);
    let quotes: Vec<Quote> = directive.args.iter().map(|arg| arg.quote).collect();
    assert_eq!(quotes, [Quote::None, Quote::Double, Quote::Single]);
    assert_eq!(
        directive.args[1].raw(&file.source),
        r#""a \"quoted\" word""#
    );
    assert_eq!(
        file.slice(directive.args[1].content_span()),
        r#"a \"quoted\" word"#
    );
    assert_eq!(directive.args[2].raw(&file.source), r"'it\'s'");
}

#[test]
fn escapes_resolve_like_nginx_and_unknown_ones_keep_the_backslash() {
    let file = parse_ok(r#"x "tab\there" "cr\rlf\n" "back\\slash" "a\qb" a\ b "\$host";"#);
    let values: Vec<&str> = only(&file).arg_values().collect();
    assert_eq!(
        values,
        [
            "tab\there",
            "cr\rlf\n",
            r"back\slash",
            r"a\qb",
            r"a\ b",
            r"\$host"
        ]
    );
}

#[test]
fn a_quote_inside_a_word_is_an_ordinary_character() {
    let file = parse_ok(r#"add_header X-Right right-"quote";"#);
    let arg = &only(&file).args[1];
    assert_eq!(arg.as_str(), r#"right-"quote""#);
    assert_eq!(arg.quote, Quote::None);
}

#[test]
fn quoted_strings_hold_separators_braces_and_hashes() {
    let file = parse_ok("return 200 'a; {b} # c';\n\"\" x;");
    assert_eq!(file.directives[0].arg(1), Some("a; {b} # c"));
    // nginx lets the name be quoted, even empty
    assert_eq!(file.directives[1].name(), "");
    assert_eq!(file.directives[1].name.quote, Quote::Double);
}

#[test]
fn variables_and_parameter_expansion_stay_in_the_word() {
    let file = parse_ok("set $target ${scheme}://${host}x$uri;");
    assert_eq!(
        only(&file).arg_values().collect::<Vec<_>>(),
        ["$target", "${scheme}://${host}x$uri"]
    );
}

#[test]
fn a_closing_quote_followed_by_a_character_is_nginx_unexpected() {
    let file = parse("server {\n    add_header X \"left\"-quote;\n}\n");
    assert_eq!(errors_at(&file), [(2, 24, "unexpected \"-\"".to_owned())]);
    // the rest still parses: the word after the quote becomes the next argument
    let add_header = &file.directives[0].children()[0];
    assert_eq!(
        add_header.arg_values().collect::<Vec<_>>(),
        ["X", "left", "-quote"]
    );
}

#[test]
fn a_closing_quote_may_touch_a_closing_parenthesis() {
    let file = parse_ok("if ($http_x = \"a\") { return 403; }");
    let directive = only(&file);
    assert_eq!(
        directive.arg_values().collect::<Vec<_>>(),
        ["($http_x", "=", "a", ")"]
    );
    assert_eq!(directive.if_condition(), Some(vec!["$http_x", "=", "a"]));
}

#[test]
fn if_conditions_are_exposed_without_parentheses() {
    let file = parse_ok("if ( $a ) { }\nif (-f $request_filename) { }\nif ($x ~* \"(a|b)\"){ }");
    let conditions: Vec<Vec<&str>> = file
        .directives
        .iter()
        .filter_map(Directive::if_condition)
        .collect();
    assert_eq!(
        conditions,
        [
            vec!["$a"],
            vec!["-f", "$request_filename"],
            vec!["$x", "~*", "(a|b)"]
        ]
    );
    assert_eq!(parse_ok("set $a 1;").directives[0].if_condition(), None);
}

#[test]
fn regex_locations_lex_like_nginx() {
    let file = parse_ok(
        "location ~* \\.php$ { }\nlocation ~ ^/[^/]+/static/.+$ { }\nlocation ~ \"^/a{2}$\" { }",
    );
    let patterns: Vec<Vec<&str>> = file
        .directives
        .iter()
        .map(|d| d.arg_values().collect())
        .collect();
    assert_eq!(
        patterns,
        [
            vec!["~*", r"\.php$"],
            vec!["~", "^/[^/]+/static/.+$"],
            vec!["~", "^/a{2}$"]
        ]
    );

    // Unquoted, the `{` of a quantifier opens a block, exactly as in nginx.
    let file = parse("location ~ ^/a{2}$ { return 204; }\n");
    assert_eq!(
        file.directives[0].arg_values().collect::<Vec<_>>(),
        ["~", "^/a"]
    );
    assert_eq!(file.directives[0].children()[0].name(), "2}$");
    assert_eq!(
        errors_at(&file),
        [(2, 1, "unexpected end of file, expecting \"}\"".to_owned())]
    );
}

#[test]
fn close_brace_is_special_only_at_the_start_of_a_word() {
    let file = parse("location / { return 200 ok} }");
    assert_eq!(errors_at(&file), [(1, 29, "unexpected \"}\"".to_owned())]);
    assert_eq!(file.directives[0].children()[0].arg(1), Some("ok}"));
}

// ---------------------------------------------------------------- comments

#[test]
fn comments_are_kept_with_spans_where_they_belong() {
    let text = "# header\n\
                upstream odoo { # after brace\n\
                \x20   server odoo:8069; # ipai-lint: ignore[NGX001] -- reason\n\
                \x20   # alone in block\n\
                }\n\
                listen # between\n\
                \x20 80;\n\
                a#b;\n";
    let file = parse_ok(text);
    assert_eq!(
        file.comments.iter().map(|c| &*c.text).collect::<Vec<_>>(),
        ["# header"]
    );
    let upstream = &file.directives[0];
    let block = upstream.block.as_deref().unwrap();
    assert_eq!(
        block.comments.iter().map(|c| &*c.text).collect::<Vec<_>>(),
        ["# after brace", "# alone in block"]
    );
    let server = &upstream.children()[0];
    assert_eq!(server.comments().len(), 1);
    assert_eq!(
        server.comments()[0].body(),
        " ipai-lint: ignore[NGX001] -- reason"
    );
    assert_eq!(
        file.source.line_col(server.comments()[0].span.start()),
        LineCol {
            line: 3,
            column: 23
        }
    );
    let listen = &file.directives[1];
    assert_eq!(listen.arg(0), Some("80"));
    assert_eq!(listen.comments()[0].text.as_ref(), "# between");
    // `#` inside a word is not a comment
    assert_eq!(file.directives[2].name(), "a#b");

    let all: Vec<&str> = file
        .all_comments()
        .iter()
        .map(|c| file.slice(c.span))
        .collect();
    assert_eq!(
        all,
        [
            "# header",
            "# after brace",
            "# ipai-lint: ignore[NGX001] -- reason",
            "# alone in block",
            "# between"
        ]
    );
}

#[test]
fn a_comment_after_a_closing_brace_trails_that_block_directive() {
    let file = parse_ok("server {\n} # end of server\n# next\n");
    assert_eq!(
        file.directives[0].comments()[0].text.as_ref(),
        "# end of server"
    );
    assert_eq!(file.comments[0].text.as_ref(), "# next");
}

#[test]
fn crlf_line_endings_are_whitespace_and_not_part_of_comments() {
    let file = parse_ok("server {\r\n\tlisten\t80; # note\r\n}\r\n");
    let listen = &file.directives[0].children()[0];
    assert_eq!(listen.arg(0), Some("80"));
    assert_eq!(listen.comments()[0].text.as_ref(), "# note");
    assert_eq!(
        file.source.line_col(listen.span.start()),
        LineCol { line: 2, column: 2 }
    );
}

// ---------------------------------------------------------------- lua blocks

#[test]
fn lua_block_bodies_are_one_raw_argument() {
    let text = "content_by_lua_block {\n  local t = { a = '}' } -- }\n  local s = [==[ ]] } ]==]\n  --[[ { ]]\n  ngx.say(\"{\")\n}\nnext;";
    let file = parse_ok(text);
    let lua = &file.directives[0];
    assert!(lua.block.is_none());
    assert_eq!(lua.args.len(), 1);
    assert_eq!(lua.args[0].quote, Quote::LuaBlock);
    assert_eq!(
        lua.lua_code(),
        Some("\n  local t = { a = '}' } -- }\n  local s = [==[ ]] } ]==]\n  --[[ { ]]\n  ngx.say(\"{\")\n")
    );
    assert!(lua.args[0].raw(&file.source).starts_with('{'));
    assert!(lua.args[0].raw(&file.source).ends_with('}'));
    assert_eq!(file.slice(lua.span), &text[..text.len() - "\nnext;".len()]);
    assert_eq!(file.directives[1].name(), "next");
}

#[test]
fn set_by_lua_block_keeps_its_variable() {
    let file = parse_ok("set_by_lua_block $x { return \"}\" }");
    let values: Vec<&str> = only(&file).arg_values().collect();
    assert_eq!(values, ["$x", " return \"}\" "]);
}

#[test]
fn an_unbalanced_lua_block_is_an_error() {
    let file = parse("location / {\n  content_by_lua_block {\n    if x then {\n}\n");
    assert_eq!(
        errors_at(&file),
        [(
            3,
            15,
            "unexpected end of file, expecting terminating characters for lua code block"
                .to_owned()
        )]
    );
    let file = parse("content_by_lua_block { local s = [=[ never closed }");
    assert_eq!(
        file.errors[0].message,
        "Lua code block missing the closing long bracket \"]=]\""
    );
}

// ---------------------------------------------------------------- errors and recovery

#[test]
fn a_missing_semicolon_before_a_brace_keeps_the_directive() {
    let file = parse(
        "server {\n    location / {\n        proxy_pass http://odoo\n    }\n    listen 80;\n}\n",
    );
    assert_eq!(errors_at(&file), [(4, 5, "unexpected \"}\"".to_owned())]);
    let server = &file.directives[0];
    let location = server.find_first("location").unwrap();
    assert_eq!(location.children()[0].arg(0), Some("http://odoo"));
    assert_eq!(location.children()[0].semicolon(), None);
    // the block is closed by that brace and parsing goes on
    assert_eq!(
        server.find_first("listen").and_then(|d| d.arg(0)),
        Some("80")
    );
}

#[test]
fn end_of_file_errors_use_nginx_messages() {
    let file = parse("server {\n    listen 80;\n");
    assert_eq!(
        errors_at(&file),
        [(3, 1, "unexpected end of file, expecting \"}\"".to_owned())]
    );
    assert_eq!(
        file.errors[0].help.as_deref(),
        Some("the \"server\" block opened on line 1 is never closed; add the missing `}`")
    );
    assert_eq!(file.directives[0].block.as_ref().unwrap().close, None);

    let file = parse("client_max_body_size 100M");
    assert_eq!(
        errors_at(&file),
        [(
            1,
            26,
            "unexpected end of file, expecting \";\" or \"}\"".to_owned()
        )]
    );
    assert_eq!(file.directives[0].arg(0), Some("100M"));
}

#[test]
fn stray_tokens_are_reported_and_skipped() {
    let file = parse("listen 80;;\n}\n{ return 1; }\nserver_name a;\n");
    assert_eq!(
        errors_at(&file),
        [
            (1, 11, "unexpected \";\"".to_owned()),
            (2, 1, "unexpected \"}\"".to_owned()),
            (3, 1, "unexpected \"{\"".to_owned()),
        ]
    );
    let names: Vec<&str> = file.directives.iter().map(Directive::name).collect();
    assert_eq!(names, ["listen", "server_name"]);
}

#[test]
fn unterminated_quote_points_at_the_opening_quote() {
    let file = parse("server {\n    add_header X \"max-age=1;\n    location / { }\n}\n");
    assert_eq!(
        errors_at(&file),
        [(
            2,
            18,
            "unexpected end of file, expecting \";\" or \"}\"".to_owned()
        )]
    );
    assert!(file.errors[0]
        .help
        .as_deref()
        .unwrap()
        .contains("never closed"));
}

#[test]
fn too_long_parameter_boundaries_match_nginx() {
    // Each boundary below was checked against nginx 1.22.1 (see tests/nginx_differential.rs,
    // which replays them against the real binary when it is installed).
    let word = |n: usize| "a".repeat(n);
    let cases = [
        (format!("x {} ;\n", word(4094)), false),
        (format!("x {} ;\n", word(4095)), true),
        (format!("x {};\n", word(4095)), false),
        (format!("x {};\n", word(4096)), true),
        (format!("x \"{}\";\n", word(4094)), false),
        (format!("x \"{}\" ;\n", word(4094)), true),
        (format!("x \"{}\";\n", word(4095)), true),
        (format!("#{}\nx;\n", word(4094)), false),
        (format!("#{}\nx;\n", word(4095)), true),
    ];
    for (text, too_long) in cases {
        let file = parse(&text);
        let reported = file
            .errors
            .iter()
            .any(|e| e.message.starts_with("too long parameter"));
        assert_eq!(reported, too_long, "{:?}", &text[..12]);
    }
    let file = parse(&format!("x \"{}\";\n", word(4096)));
    assert_eq!(
        file.errors[0].message,
        "too long parameter, probably missing terminating \"\"\" character"
    );
    let file = parse(&format!("x {} ;\n", word(5000)));
    assert_eq!(
        file.errors[0].message,
        "too long parameter \"aaaaaaaaaa...\" started"
    );
}

#[test]
fn nesting_is_bounded_without_overflowing_the_stack() {
    let depth = 100_000;
    let text = format!("{}{}", "a {".repeat(depth), "}".repeat(depth));
    let file = parse(&text);
    assert_eq!(file.errors.len(), 1);
    assert_eq!(
        file.errors[0].message,
        format!("blocks nested more than {} levels deep", nginx::MAX_NESTING)
    );
    let mut levels = 0;
    let mut directive = file.directives.first();
    while let Some(current) = directive {
        levels += 1;
        directive = current.children().first();
    }
    assert_eq!(levels, nginx::MAX_NESTING + 1);
}

#[test]
fn errors_are_capped() {
    let file = parse(&";".repeat(10_000));
    assert_eq!(file.errors.len(), 101);
    assert_eq!(
        file.errors[100].message,
        "too many syntax errors, 9900 more not shown"
    );
}

// ---------------------------------------------------------------- encodings

#[test]
fn latin1_bytes_are_read_lossily() {
    let source = SourceFile::from_bytes(
        "l.conf",
        "l.conf",
        b"add_header X \"caf\xe9\"; # \xe0\nlisten 80;\n",
    );
    assert!(matches!(source.encoding, Encoding::Lossy { .. }));
    let file = nginx::parse(source);
    assert!(file.errors.is_empty());
    assert_eq!(file.directives[0].arg(1), Some("caf\u{fffd}"));
    assert_eq!(file.directives[1].arg(0), Some("80"));
    assert_eq!(
        file.source.line_col(file.directives[1].span.start()),
        LineCol { line: 2, column: 1 }
    );
}

#[test]
fn a_byte_order_mark_is_reported_because_nginx_reads_it_as_text() {
    let file = nginx::parse(SourceFile::from_bytes(
        "b.conf",
        "b.conf",
        b"\xef\xbb\xbfupstream odoo { }\n",
    ));
    assert_eq!(file.directives[0].name(), "upstream");
    assert_eq!(file.errors.len(), 1);
    assert!(file.errors[0].message.contains("byte order mark"));
}

// ---------------------------------------------------------------- spans

#[test]
fn spans_map_to_exact_lines_and_columns() {
    let text = "http {\n    server {\n        listen 443 ssl;\n        location /websocket { proxy_pass http://odoo_im; }\n    }\n}\n";
    let file = parse_ok(text);
    let server = &file.directives[0].children()[0];
    let listen = &server.children()[0];
    let at = |offset| file.source.line_col(offset);
    assert_eq!(at(listen.name.span.start()), LineCol { line: 3, column: 9 });
    assert_eq!(
        at(listen.args[1].span.start()),
        LineCol {
            line: 3,
            column: 20
        }
    );
    assert_eq!(
        at(listen.semicolon().unwrap().start()),
        LineCol {
            line: 3,
            column: 23
        }
    );
    assert_eq!(file.slice(listen.span), "listen 443 ssl;");
    assert_eq!(file.slice(listen.args_span()), "443 ssl");
    let location = &server.children()[1];
    let block = location.block.as_deref().unwrap();
    assert_eq!(
        at(block.open.start()),
        LineCol {
            line: 4,
            column: 29
        }
    );
    assert_eq!(file.slice(block.close.unwrap()), "}");
    assert_eq!(
        file.slice(location.span),
        "location /websocket { proxy_pass http://odoo_im; }"
    );
    assert_eq!(
        file.slice(server.span),
        "server {\n        listen 443 ssl;\n        location /websocket { proxy_pass http://odoo_im; }\n    }"
    );
}

// ---------------------------------------------------------------- queries

#[test]
fn walk_gives_each_directive_its_context() {
    let file = parse_ok(
        "http { server { listen 80; location / { proxy_pass http://odoo; } location /websocket { proxy_pass http://odoo_im; } } }",
    );
    let config = Config::from_file(file);
    let mut seen = Vec::new();
    config.walk(|visit| {
        seen.push(format!(
            "{} :: {}",
            visit.context().collect::<Vec<_>>().join(" > "),
            visit.directive.name()
        ));
    });
    assert_eq!(
        seen,
        [
            " :: http",
            "http :: server",
            "http > server :: listen",
            "http > server :: location",
            "http > server > location :: proxy_pass",
            "http > server :: location",
            "http > server > location :: proxy_pass",
        ]
    );
    let mut pass_in_locations = 0;
    config.walk(|visit| {
        if visit.directive.is("proxy_pass") && visit.in_context(&["http", "server", "location"]) {
            assert_eq!(
                visit.enclosing("server").map(Directive::name),
                Some("server")
            );
            pass_in_locations += 1;
        }
    });
    assert_eq!(pass_in_locations, 2);
}

#[test]
fn a_site_file_parses_without_context_complaints_and_can_be_given_one() {
    let text = "upstream odoo { server odoo:8069; }\nserver { listen 443 ssl http2; location / { proxy_pass http://odoo; } }\n";
    let config = Config::from_file(parse_ok(text)).with_base_context(["http"]);
    let mut contexts = Vec::new();
    config.walk(|visit| {
        if visit.directive.is("proxy_pass") {
            contexts.push(visit.context().map(str::to_owned).collect::<Vec<_>>());
        }
    });
    assert_eq!(contexts, [vec!["http", "server", "location"]]);
    let servers: Vec<&Directive> = config.find_top_level("server").collect();
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0].find("location").count(), 1);
}

// ---------------------------------------------------------------- includes

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ipai-nginx-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn names_in_order(config: &Config) -> Vec<String> {
    config
        .all_directives()
        .map(|d| format!("{}:{}", config.file(d.file).unwrap().source.name, d.name()))
        .collect()
}

#[test]
fn globs_expand_sorted_skip_dotfiles_and_may_match_nothing() {
    let dir = TempDir::new("glob");
    let main = dir.write(
        "nginx.conf",
        "http {\n    include conf.d/*.conf;\n    include missing.d/*.conf;\n    server_tokens off;\n}\n",
    );
    dir.write("conf.d/20-b.conf", "b;");
    dir.write("conf.d/10-a.conf", "a;");
    dir.write("conf.d/.hidden.conf", "hidden;");
    dir.write("conf.d/notes.txt", "txt;");
    let config = Loader::new().load(&main).unwrap();
    assert!(
        !config.has_errors(),
        "{:#?}",
        config.errors().collect::<Vec<_>>()
    );
    assert_eq!(
        names_in_order(&config),
        [
            "nginx.conf:http",
            "nginx.conf:include",
            "conf.d/10-a.conf:a",
            "conf.d/20-b.conf:b",
            "nginx.conf:include",
            "nginx.conf:server_tokens",
        ]
    );
}

#[test]
fn relative_includes_resolve_against_the_main_files_directory() {
    let dir = TempDir::new("rel");
    let main = dir.write("nginx.conf", "include sites/odoo.conf;");
    // inside sites/odoo.conf, `snippets/proxy.conf` means <main dir>/snippets/proxy.conf
    dir.write(
        "sites/odoo.conf",
        "server { location / { include snippets/proxy.conf; } }",
    );
    dir.write(
        "snippets/proxy.conf",
        "proxy_set_header X-Real-IP $remote_addr;",
    );
    dir.write("sites/snippets/proxy.conf", "wrong_file;");
    let config = Loader::new().load(&main).unwrap();
    assert!(!config.has_errors());
    let names = names_in_order(&config);
    assert_eq!(
        names.last().unwrap(),
        "snippets/proxy.conf:proxy_set_header"
    );
    assert!(!names.iter().any(|n| n.contains("wrong_file")));
}

#[test]
fn a_missing_literal_include_is_an_error_at_the_include() {
    let dir = TempDir::new("missing");
    let main = dir.write(
        "site.conf",
        "server {\n    include snippets/absent.conf;\n}\n",
    );
    let config = Loader::new().load(&main).unwrap();
    let errors: Vec<_> = config.errors().collect();
    assert_eq!(errors.len(), 1);
    let (file, error) = errors[0];
    assert_eq!(file.slice(error.span), "include snippets/absent.conf;");
    assert_eq!(
        file.source.line_col(error.span.start()),
        LineCol { line: 2, column: 5 }
    );
    let expected = format!(
        "open() \"{}\" failed (2: No such file or directory)",
        dir.0.join("snippets/absent.conf").display()
    );
    assert_eq!(error.message, expected);
    assert!(Loader::new().load(&dir.0.join("nope.conf")).is_err());
}

#[test]
fn include_cycles_are_reported_not_followed() {
    let dir = TempDir::new("cycle");
    let main = dir.write("nginx.conf", "include a.conf;");
    dir.write("a.conf", "a;\ninclude b.conf;");
    dir.write("b.conf", "b;\ninclude a.conf;\ninclude nginx.conf;");
    let config = Loader::new().load(&main).unwrap();
    let messages: Vec<String> = config
        .errors()
        .map(|(f, e)| format!("{}: {}", f.source.name, e.message))
        .collect();
    assert_eq!(
        messages,
        [
            "b.conf: include cycle: a.conf -> b.conf -> a.conf",
            "b.conf: include cycle: nginx.conf -> a.conf -> b.conf -> nginx.conf",
        ]
    );
    assert_eq!(config.files().len(), 3);
    assert_eq!(config.all_directives().count(), 6);
}

#[test]
fn include_depth_is_bounded() {
    let mut fs = MemoryFs::new();
    for i in 0..50 {
        fs.insert(
            format!("/etc/nginx/{i}.conf"),
            format!("level{i};\ninclude {}.conf;", i + 1),
        );
    }
    let limits = Limits {
        max_include_depth: 5,
        ..Limits::default()
    };
    let config = Loader::with_fs(fs)
        .limits(limits)
        .load(Path::new("/etc/nginx/0.conf"))
        .unwrap();
    assert_eq!(config.files().len(), 6);
    let errors: Vec<_> = config.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0.source.name, "5.conf");
    assert_eq!(
        errors[0].1.message,
        "includes nested more than 5 levels deep"
    );
}

#[test]
fn a_file_included_twice_is_parsed_once_and_expanded_in_each_context() {
    let fs = MemoryFs::new()
        .with("/etc/nginx/site.conf", "server {\n  location / { include proxy.conf; }\n  location /websocket { include proxy.conf; }\n}\n")
        .with("/etc/nginx/proxy.conf", "proxy_set_header X-Forwarded-Proto $scheme;\n");
    let config = Loader::with_fs(fs)
        .base_context(["http"])
        .load(Path::new("/etc/nginx/site.conf"))
        .unwrap();
    assert!(!config.has_errors());
    assert_eq!(config.files().len(), 2);
    let mut seen = Vec::new();
    config.walk(|visit| {
        if visit.directive.is("proxy_set_header") {
            let location = visit.enclosing("location").and_then(|l| l.arg(0)).unwrap();
            let file = &config.file(visit.directive.file).unwrap().source.name;
            seen.push(format!("{location} {file}"));
        }
    });
    assert_eq!(seen, ["/ proxy.conf", "/websocket proxy.conf"]);
    // a non-recursive find sees through the include
    let server = config.root().directives.first().unwrap();
    let location = server.find_first("location").unwrap();
    assert_eq!(config.find(location, "proxy_set_header").count(), 1);
    assert_eq!(location.find("proxy_set_header").count(), 0);
}

#[test]
fn directives_after_an_include_stay_attributed_to_their_own_file() {
    // crossplane 0.5.8 attributes them to the included file (research/nginx.md, 3.1)
    let fs = MemoryFs::new()
        .with(
            "/c/nginx.conf",
            "events { include snippets/proxy.conf; worker_connections 512; }\n",
        )
        .with("/c/snippets/proxy.conf", "a;\nb;\n");
    let config = Loader::with_fs(fs)
        .load(Path::new("/c/nginx.conf"))
        .unwrap();
    let worker = config
        .all_directives()
        .find(|d| d.is("worker_connections"))
        .unwrap();
    assert_eq!(config.source_of(worker).unwrap().name, "nginx.conf");
    let b = config.all_directives().find(|d| d.is("b")).unwrap();
    let source = config.source_of(b).unwrap();
    assert_eq!(source.name, "snippets/proxy.conf");
    assert_eq!(
        source.line_col(b.span.start()),
        LineCol { line: 2, column: 1 }
    );
}

#[test]
fn include_errors_large_files_and_non_utf8_includes() {
    let fs = MemoryFs::new()
        .with(
            "/n/main.conf",
            "include big.conf;\ninclude latin1.conf;\ninclude;\ninclude a b;\ninclude \"[\";\n",
        )
        .with("/n/big.conf", vec![b'#'; 2048])
        .with("/n/latin1.conf", b"add_header X \"caf\xe9\";".to_vec());
    let limits = Limits {
        max_file_size: 1024,
        ..Limits::default()
    };
    let config = Loader::with_fs(fs)
        .limits(limits)
        .load(Path::new("/n/main.conf"))
        .unwrap();
    let messages: Vec<&str> = config.errors().map(|(_, e)| e.message.as_str()).collect();
    assert_eq!(messages[0], "\"/n/big.conf\" is larger than 1024 bytes");
    assert_eq!(
        messages[1],
        "invalid number of arguments in \"include\" directive"
    );
    assert_eq!(
        messages[2],
        "invalid number of arguments in \"include\" directive"
    );
    assert!(
        messages[3].starts_with("glob() \"/n/[\" failed"),
        "{}",
        messages[3]
    );
    let latin1 = config
        .files()
        .iter()
        .find(|f| f.source.name == "latin1.conf")
        .unwrap();
    assert!(matches!(latin1.source.encoding, Encoding::Lossy { .. }));
    assert_eq!(latin1.directives[0].arg(1), Some("caf\u{fffd}"));
}

#[test]
fn include_errors_are_capped() {
    let fs = MemoryFs::new().with("/m/main.conf", "include absent.conf;\n".repeat(50_000));
    let config = Loader::with_fs(fs).load(Path::new("/m/main.conf")).unwrap();
    assert_eq!(config.errors().count(), 100);
    assert!(config
        .errors()
        .all(|(_, e)| e.message.starts_with("open() \"/m/absent.conf\" failed")));
}

#[test]
fn the_expanded_size_is_bounded() {
    // each level includes the next one twice: 2^20 copies of the leaf without the bound
    let mut fs = MemoryFs::new();
    for i in 0..20 {
        fs.insert(
            format!("/x/{i}.conf"),
            format!("d;\ninclude {n}.conf;\ninclude {n}.conf;\n", n = i + 1),
        );
    }
    fs.insert("/x/20.conf", "leaf;");
    let limits = Limits {
        max_expanded_directives: 10_000,
        ..Limits::default()
    };
    let config = Loader::with_fs(fs)
        .limits(limits)
        .load(Path::new("/x/0.conf"))
        .unwrap();
    assert!(config
        .errors()
        .any(|(_, e)| e.message.contains("beyond 10000 directives")));
    assert!(config.all_directives().count() <= 10_000);
}

#[test]
fn the_real_file_system_reports_oversized_files_without_reading_them() {
    let dir = TempDir::new("size");
    let path = dir.write("big.conf", vec![b' '; 5000]);
    let err = RealFs.read(&path, 4096).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
    assert_eq!(RealFs.read(&path, 5000).unwrap().len(), 5000);
}

#[test]
fn generated_output_can_be_checked_in_memory() {
    let fs = MemoryFs::new().with(
        "/etc/nginx/snippets/hsts.conf",
        "add_header Strict-Transport-Security \"max-age=31536000\" always;",
    );
    let rendered = SourceFile::from_text(
        "/etc/nginx/conf.d/erp.conf",
        "server { include snippets/hsts.conf; }",
    );
    let config = Loader::with_fs(fs)
        .conf_dir("/etc/nginx")
        .load_source(rendered);
    assert!(!config.has_errors());
    let server = &config.root().directives[0];
    assert_eq!(config.find(server, "add_header").count(), 1);
}

// ---------------------------------------------------------------- fixtures

fn fixture_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/nginx")
        .join(kind)
}

#[test]
fn every_valid_fixture_loads_without_errors() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixture_dir("valid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "conf") {
            let config = Loader::new().base_context(["http"]).load(&path).unwrap();
            let errors: Vec<_> = config
                .errors()
                .map(|(f, e)| (f.source.name.clone(), e.clone()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            count += 1;
        }
    }
    assert!(count >= 10);
}

#[test]
fn the_glob_fixture_includes_what_nginx_includes() {
    let config = Loader::new()
        .load(&fixture_dir("valid").join("includes-glob.conf"))
        .unwrap();
    let names: Vec<&str> = config
        .files()
        .iter()
        .map(|f| f.source.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "includes-glob.conf",
            "includes-glob.d/10-upstreams.conf",
            "includes-glob.d/20-map.conf",
            "includes-glob.d/proxy-headers.inc"
        ]
    );
    let websocket = config
        .all_directives()
        .find(|d| d.is("location") && d.arg(0) == Some("/websocket"))
        .unwrap();
    let headers: Vec<&str> = config
        .find(websocket, "proxy_set_header")
        .filter_map(|d| d.arg(0))
        .collect();
    assert_eq!(
        headers,
        [
            "X-Forwarded-Host",
            "X-Forwarded-For",
            "X-Forwarded-Proto",
            "X-Real-IP",
            "Upgrade",
            "Connection"
        ]
    );
}

#[test]
fn every_invalid_fixture_has_an_error() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixture_dir("invalid")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "conf") {
            let config = Loader::new().load(&path).unwrap();
            assert!(
                config.has_errors(),
                "{} parsed without errors",
                path.display()
            );
            count += 1;
        }
    }
    assert!(count >= 10);
}

// ---------------------------------------------------------------- properties

/// Every span of the tree lies inside the text, on character boundaries, and nests.
fn check_spans(file: &ParsedFile) {
    let text = &file.source.text;
    let ok = |span: ipai::source::Span| {
        span.start() <= span.end()
            && span.end() <= text.len()
            && text.is_char_boundary(span.start())
            && text.is_char_boundary(span.end())
    };
    for error in &file.errors {
        assert!(ok(error.span), "error span {:?}", error.span);
    }
    for comment in file.all_comments() {
        assert!(ok(comment.span));
        assert_eq!(file.slice(comment.span), &*comment.text);
    }
    for directive in file.all_directives() {
        assert!(ok(directive.span));
        for word in std::iter::once(&directive.name).chain(&directive.args) {
            assert!(ok(word.span), "word span {:?}", word.span);
            assert!(
                ok(word.content_span()),
                "content span {:?}",
                word.content_span()
            );
            assert!(
                directive.span.start() <= word.span.start()
                    && word.span.end() <= directive.span.end()
            );
            if word.quote == Quote::None {
                assert_eq!(nginx_unescape(file.slice(word.span)), &*word.value);
            }
        }
        if let Some(block) = &directive.block {
            assert!(ok(block.open) && block.close.is_none_or(ok));
            for child in &block.directives {
                assert!(
                    directive.span.start() <= child.span.start()
                        && child.span.end() <= directive.span.end()
                );
            }
        }
    }
}

/// The reference rule for bare words, written independently of the lexer.
fn nginx_unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('"') | Some('\'') | Some('\\') => out.push(chars.next().unwrap()),
                Some('t') => {
                    chars.next();
                    out.push('\t')
                }
                Some('r') => {
                    chars.next();
                    out.push('\r')
                }
                Some('n') => {
                    chars.next();
                    out.push('\n')
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A word and how it is written.
#[derive(Clone, Debug)]
enum GenWord {
    Bare(String),
    Double(String),
    Single(String),
}

impl GenWord {
    fn render(&self) -> String {
        let escape = |s: &str, q: char| s.replace('\\', "\\\\").replace(q, &format!("\\{q}"));
        match self {
            GenWord::Bare(s) => s.clone(),
            GenWord::Double(s) => format!("\"{}\"", escape(s, '"')),
            GenWord::Single(s) => format!("'{}'", escape(s, '\'')),
        }
    }

    fn value(&self) -> &str {
        match self {
            GenWord::Bare(s) | GenWord::Double(s) | GenWord::Single(s) => s,
        }
    }
}

#[derive(Clone, Debug)]
struct GenDirective {
    name: String,
    args: Vec<GenWord>,
    comment: Option<String>,
    block: Option<Vec<GenDirective>>,
}

fn gen_word() -> impl Strategy<Value = GenWord> {
    prop_oneof![
        "[a-z_$/~^.*:0-9-]{1,12}".prop_map(GenWord::Bare),
        "[ -~é;{}#]{0,12}".prop_map(GenWord::Double),
        "[ -~ü;{}#]{0,12}".prop_map(GenWord::Single),
    ]
}

fn gen_directive() -> impl Strategy<Value = GenDirective> {
    let leaf = (
        "[a-z_]{1,10}",
        prop::collection::vec(gen_word(), 0..4),
        prop::option::of("[ -~]{0,10}"),
    )
        .prop_map(|(name, args, comment)| GenDirective {
            name,
            args,
            comment,
            block: None,
        });
    leaf.prop_recursive(4, 40, 5, |inner| {
        (
            "[a-z_]{1,10}",
            prop::collection::vec(gen_word(), 0..3),
            prop::collection::vec(inner, 0..5),
        )
            .prop_map(|(name, args, children)| GenDirective {
                name,
                args,
                comment: None,
                block: Some(children),
            })
    })
}

fn render(directives: &[GenDirective], indent: usize, out: &mut String) {
    for directive in directives {
        out.push_str(&"  ".repeat(indent));
        out.push_str(&directive.name);
        for arg in &directive.args {
            out.push(' ');
            out.push_str(&arg.render());
        }
        match &directive.block {
            Some(children) => {
                out.push_str(" {\r\n");
                render(children, indent + 1, out);
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
            None => out.push(';'),
        }
        if let Some(comment) = &directive.comment {
            out.push_str(" #");
            out.push_str(comment);
        }
        out.push('\n');
    }
}

fn same_tree(generated: &[GenDirective], parsed: &[Directive], file: &ParsedFile) {
    assert_eq!(generated.len(), parsed.len());
    for (g, p) in generated.iter().zip(parsed) {
        assert_eq!(p.name(), g.name);
        let values: Vec<&str> = p.arg_values().collect();
        let expected: Vec<&str> = g.args.iter().map(GenWord::value).collect();
        assert_eq!(values, expected);
        for (arg, gen) in p.args.iter().zip(&g.args) {
            assert_eq!(arg.raw(&file.source), gen.render());
        }
        assert_eq!(
            p.comments().first().map(|c| c.body().to_owned()),
            g.comment.clone()
        );
        match (&g.block, &p.block) {
            (Some(children), Some(block)) => same_tree(children, &block.directives, file),
            (None, None) => {}
            _ => panic!("block mismatch for {}", g.name),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_in_bounds(text in "\\PC{0,300}") {
        check_spans(&parse(&text));
    }

    #[test]
    fn nginx_like_text_never_panics_and_spans_stay_in_bounds(
        text in "([a-z ]{0,5}[\"'{};#\\\\$\n\r\t()\\[\\]=-]{0,3}){0,60}"
    ) {
        let file = parse(&text);
        check_spans(&file);
        let with_lua = nginx::parse(SourceFile::from_text("l.conf", format!("content_by_lua_block {{{text}")));
        check_spans(&with_lua);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_spans(&nginx::parse(SourceFile::from_bytes("b.conf", "b.conf", &bytes)));
    }

    #[test]
    fn generated_configs_parse_back_to_the_same_tree(tree in prop::collection::vec(gen_directive(), 0..6)) {
        let mut text = String::new();
        render(&tree, 0, &mut text);
        let file = parse(&text);
        prop_assert!(file.errors.is_empty(), "{:#?}\n{}", file.errors, text);
        check_spans(&file);
        same_tree(&tree, &file.directives, &file);
    }
}
