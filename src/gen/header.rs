//! The managed-file header: one comment line saying who writes the file, with a checksum
//! of everything else in it. A file whose checksum no longer matches was edited by hand,
//! and `ipai-gen` leaves it alone unless told `--force`.

use super::templates::Format;
use sha2::{Digest, Sha256};

/// Text every header holds, to recognise one.
pub const MARKER: &str = "Managed by ipai-gen";

/// What the header of an existing file says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// No header: a file ipai-gen did not write.
    Unmanaged,
    /// A header whose checksum matches the rest of the file.
    Managed,
    /// A header whose checksum does not match: someone edited the file.
    HandEdited,
}

/// The file with its header: after a `#!` line when the body starts with one, else first.
pub fn wrap(format: Format, body: &str) -> String {
    let line = header_line(format, &checksum(body));
    match body.strip_prefix("#!") {
        Some(_) => {
            let (shebang, rest) = body.split_at(body.find('\n').map_or(body.len(), |i| i + 1));
            let mut out = String::with_capacity(body.len() + line.len());
            out.push_str(shebang);
            if !shebang.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&line);
            out.push_str(rest);
            out
        }
        None => line + body,
    }
}

/// Reads the header of an existing file.
pub fn provenance(contents: &str) -> Provenance {
    let Some((line_start, line_end)) = header_span(contents) else {
        return Provenance::Unmanaged;
    };
    let line = &contents[line_start..line_end];
    let Some(recorded) = line.split("sha256:").nth(1).map(|rest| {
        rest.chars()
            .take_while(char::is_ascii_hexdigit)
            .collect::<String>()
    }) else {
        return Provenance::HandEdited;
    };
    let mut body = String::with_capacity(contents.len());
    body.push_str(&contents[..line_start]);
    body.push_str(&contents[line_end..]);
    if checksum(&body) == recorded {
        Provenance::Managed
    } else {
        Provenance::HandEdited
    }
}

/// The byte range of the header line (with its newline) among the first two lines.
fn header_span(contents: &str) -> Option<(usize, usize)> {
    let mut start = 0;
    for _ in 0..2 {
        let end = contents[start..]
            .find('\n')
            .map_or(contents.len(), |i| start + i + 1);
        if contents[start..end].contains(MARKER) {
            return Some((start, end));
        }
        if end >= contents.len() {
            break;
        }
        start = end;
    }
    None
}

fn header_line(format: Format, sum: &str) -> String {
    let text = format!(
        "{MARKER} from the stack facts: do not edit; change stack.yaml or the templates and run `ipai-gen --write`. sha256:{sum}"
    );
    match format {
        Format::Ini | Format::Zone => format!("; {text}\n"),
        Format::Markdown => format!("<!-- {text} -->\n"),
        Format::Nginx | Format::Yaml | Format::DotEnv | Format::Shell => format!("# {text}\n"),
    }
}

/// The first 128 bits of SHA-256, in hex.
fn checksum(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_file_is_managed_until_edited() {
        let file = wrap(Format::Nginx, "server {\n}\n");
        assert!(file.starts_with("# Managed by ipai-gen"));
        assert_eq!(provenance(&file), Provenance::Managed);
        let edited = file.replace("server {", "server { listen 81;");
        assert_eq!(provenance(&edited), Provenance::HandEdited);
        assert_eq!(provenance("server {}\n"), Provenance::Unmanaged);
    }

    #[test]
    fn the_header_follows_a_shebang() {
        let file = wrap(Format::Shell, "#!/bin/sh\nset -eu\n");
        let mut lines = file.lines();
        assert_eq!(lines.next(), Some("#!/bin/sh"));
        assert!(lines.next().unwrap().contains(MARKER));
        assert_eq!(lines.next(), Some("set -eu"));
        assert_eq!(provenance(&file), Provenance::Managed);
        assert_eq!(
            provenance(&file.replace("set -eu", "set -e")),
            Provenance::HandEdited
        );
    }

    #[test]
    fn comment_syntax_per_format() {
        assert!(wrap(Format::Ini, "[options]\n").starts_with("; Managed"));
        assert!(wrap(Format::Zone, "$TTL 1\n").starts_with("; Managed"));
        assert!(wrap(Format::Markdown, "# T\n").starts_with("<!-- Managed"));
    }
}
