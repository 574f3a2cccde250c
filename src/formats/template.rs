//! Configuration files kept as templates: `odoo_nginx.conf.j2` (Ansible, Jinja),
//! `nginx.conf.tmpl` (confd, Go templates). A template is read as the file it renders to,
//! with each `{{ value }}` taken as an opaque value and each statement (`{% if %}`,
//! `{{ if … }}`, `{{ $x := … }}`) and comment (`{# … #}`, `{{/* … */}}`) as blank space.
//!
//! The stand-in text has the template's exact length and line breaks, so every span a
//! parser keeps points into the template as written. A value becomes an nginx variable
//! (`$____`), which every rule already treats as known only at run time; a value alone on
//! its line renders whole directives and is blank.

/// The suffixes a template's file name adds to the name of the file it renders to.
const SUFFIXES: [&str; 7] = [
    ".j2",
    ".jinja",
    ".jinja2",
    ".tmpl",
    ".tpl",
    ".template",
    ".gotmpl",
];

/// The name a template renders to (`nginx/odoo.conf.j2` → `nginx/odoo.conf`), if the name
/// has a template suffix.
pub fn rendered_name(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    SUFFIXES
        .iter()
        .find(|suffix| lower.ends_with(*suffix) && lower.len() > suffix.len())
        .map(|suffix| &name[..name.len() - suffix.len()])
}

/// Go template actions that are statements, not values (`{{ if … }}`, `{{ end }}`).
const GO_KEYWORDS: [&str; 10] = [
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
];

/// The template with every tag replaced by same-length text: values by `$` and `_`,
/// statements and comments by spaces (line breaks kept). Text outside tags is unchanged;
/// an unclosed tag is left as written.
pub fn stand_in(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let close = match (bytes[i], bytes[i + 1]) {
            (b'{', b'{') => "}}",
            (b'{', b'%') => "%}",
            (b'{', b'#') => "#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(len) = text[i + 2..].find(close) else {
            break;
        };
        let end = i + 2 + len + 2;
        let inner = &text[i + 2..end - 2];
        out.push_str(&text[copied..i]);
        // A value alone on its line renders directives (`{{ extra_config }}`), not a word.
        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
        let alone = text[line_start..i].trim().is_empty() && text[end..line_end].trim().is_empty();
        if close == "}}" && is_value(inner) && !inner.contains('\n') && !alone {
            out.push('$');
            out.extend(std::iter::repeat_n('_', end - i - 1));
        } else {
            for c in text[i..end].chars() {
                match c {
                    '\n' => out.push('\n'),
                    // A multi-byte character keeps its byte length as spaces.
                    _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
        }
        copied = end;
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A message quoting a template's words, with each value's stand-in (`$____`) shown as the
/// template value it is (`{{…}}`).
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("$_") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("$_") {
        let run = rest[at + 1..].bytes().take_while(|&b| b == b'_').count();
        let after = rest.as_bytes().get(at + 1 + run);
        out.push_str(&rest[..at]);
        if after.is_some_and(|b| b.is_ascii_alphanumeric()) {
            // A real variable (`$_x`): kept as written.
            out.push_str(&rest[at..at + 1 + run]);
        } else {
            out.push_str("{{…}}");
        }
        rest = &rest[at + 1 + run..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether a `{{ … }}` tag renders a value (`{{ domain }}`, `{{ $host }}`, `{{.}}`) rather
/// than acting (a Go `if`, `range`, `end`, an assignment, a comment).
fn is_value(inner: &str) -> bool {
    let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
    if inner.is_empty() || inner.starts_with("/*") || inner.contains(":=") {
        return false;
    }
    let first = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    !GO_KEYWORDS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_rendered_file() {
        assert_eq!(
            rendered_name("ansible/odoo.conf.j2"),
            Some("ansible/odoo.conf")
        );
        assert_eq!(
            rendered_name("nginx/nginx.conf.TMPL"),
            Some("nginx/nginx.conf")
        );
        assert_eq!(rendered_name("nginx/default.conf"), None);
        assert_eq!(rendered_name(".j2"), None);
    }

    #[test]
    fn keeps_length_and_lines() {
        let text =
            "server_name {{ domain }};\n{% if ssl %}\nlisten 443 ssl;\n{% endif %}\n{# note #}\n";
        let out = stand_in(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.starts_with(&format!("server_name ${};\n", "_".repeat(11))));
        assert!(out.contains("\nlisten 443 ssl;\n"));
        assert!(!out.contains('{'));
    }

    #[test]
    fn go_statements_are_blank_and_values_are_variables() {
        let text = "{{ $h := getenv \"H\" }}\nproxy_pass http://{{ $h }}:8069;\n{{ if getenv \"X\" }}a;{{end}}\nlocation {{.}} {}\n";
        let out = stand_in(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("proxy_pass http://$_______:8069;"));
        assert!(out.contains(&format!("{}a;{}\n", " ".repeat(19), " ".repeat(7))));
        assert!(!out.contains("getenv"));
        assert!(out.contains("location $____ {}"));
    }

    #[test]
    fn messages_show_values_as_template_values() {
        assert_eq!(
            shown("redirects http://$_____ to https://"),
            "redirects http://{{…}} to https://"
        );
        assert_eq!(shown("$_x and $host"), "$_x and $host");
        assert_eq!(shown("no value"), "no value");
    }

    #[test]
    fn a_value_alone_on_its_line_is_blank() {
        let text = "server {\n    {{ nginx_extra }}\n    listen 80;\n}\n";
        let out = stand_in(text);
        assert_eq!(out, "server {\n                     \n    listen 80;\n}\n");
    }

    #[test]
    fn unclosed_tags_and_multibyte_text_are_safe() {
        for text in ["a {{ b", "{{", "{", "x {% é %} y", "{{ 'é' }}", "{#é\n#}"] {
            let out = stand_in(text);
            assert_eq!(out.len(), text.len(), "{text:?}");
        }
    }
}
