use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Directive, Word};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no header value nginx sends holds a line break: the value of
    /// `add_header`, `add_trailer` and `proxy_set_header`, and the `Name: value` headers of
    /// headers-more's `more_set_headers` and `more_set_input_headers` (not their `-t` or
    /// `-s` filters). A quoted value written over several lines, or with `\n`, has one.
    ///
    /// ## Why is this bad?
    /// nginx copies the value into the header as it is. A line break followed by spaces
    /// is the obsolete line folding that RFC 9112 forbids a sender to generate: clients and
    /// proxies reject the response or read the header differently. A line break followed
    /// by anything else ends the header there and starts a new, malformed one. A long
    /// `Content-Security-Policy` laid out over several lines for reading is the usual
    /// cause: browsers may drop the whole policy.
    ///
    /// ## Example
    /// ```nginx
    /// add_header Content-Security-Policy "
    ///     default-src 'self';
    ///     img-src 'self' data:";
    /// ```
    ///
    /// ## Fix
    /// Write the value on one line:
    /// ```nginx
    /// add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:";
    /// ```
    ///
    /// ## Source
    /// RFC 9112 section 5.2, "A sender MUST NOT generate a message that includes line
    /// folding" (<https://www.rfc-editor.org/rfc/rfc9112#section-5.2>); nginx `add_header`
    /// (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header>); headers-more
    /// `more_set_headers` (<https://github.com/openresty/headers-more-nginx-module#more_set_headers>);
    /// gixy-next plugin `add_header_multiline`.
    pub struct HeaderValueOneLine {
        code: "NGX038",
        name: "header-value-one-line",
        severity: Warning,
        peers: ["gixy-next/add_header_multiline"],
    }
}

/// The words of a directive that become header values.
fn header_words(d: &Directive) -> Vec<&Word> {
    match d.name() {
        "add_header" | "add_trailer" | "proxy_set_header" => d.args.get(1).into_iter().collect(),
        "more_set_headers" | "more_set_input_headers" => {
            let mut words = Vec::new();
            let mut args = d.args.iter();
            while let Some(word) = args.next() {
                match word.as_str() {
                    // A filter and its value: `-t 'text/html text/plain'`, `-s 404`.
                    "-t" | "-s" => {
                        args.next();
                    }
                    "-r" | "-a" => {}
                    _ => words.push(word),
                }
            }
            words
        }
        _ => Vec::new(),
    }
}

impl Rule for HeaderValueOneLine {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            for word in header_words(d) {
                if !word.as_str().contains(['\n', '\r']) {
                    continue;
                }
                let header = match d.name() {
                    "more_set_headers" | "more_set_input_headers" => {
                        word.as_str().split(':').next().unwrap_or("").trim()
                    }
                    _ => d.arg(0).unwrap_or(""),
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, word.span),
                        format!(
                            "the value of `{}` in `{}` spans several lines: nginx sends the line break, which clients reject or read as a broken header",
                            header,
                            d.name()
                        ),
                    )
                    .help("write the value on one line"),
                );
            }
        });
    }
}
