//! Splits shell text into simple commands: words with their unquoted values and byte spans,
//! the operator that joins each command to the next, and the bodies of here-documents.
//!
//! One pass over the bytes, each read once: quotes, `$(…)`, `${…}` and backquotes are
//! skipped as parts of a word, never expanded. What is not a simple command (`if`, `for`,
//! `case` patterns, function headers) comes out as commands whose first word is a reserved
//! word or garbage that no extractor recognises. Unterminated quotes and here-documents end
//! at the end of the range. Sources: POSIX.1-2017 XCU §2.3 "Token Recognition", §2.7.4
//! "Here-Document", §2.9.1 "Simple Commands"; bash(1) "QUOTING" and "REDIRECTION".

use crate::source::Span;

/// One word as the shell splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word with its quotes removed; expansions (`$X`, `$(…)`) are kept as written.
    pub value: String,
    /// The word as written.
    pub span: Span,
    /// Some part of it was quoted.
    pub quoted: bool,
    /// It holds an unquoted or double-quoted expansion (`$X`, `${X}`, `$(…)`, `` `…` ``), so
    /// its value is known only when the script runs.
    pub dynamic: bool,
    /// When the whole word is one quoted string: the span of the text between its quotes.
    pub inner: Option<Span>,
}

/// What joins a command to the one after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// `;`, a newline, `&` or the end: the next runs whatever this one did.
    Sequence,
    /// `&&` or `||`: the next depends on this one's status, which is thus handled.
    Condition,
    /// `|`: this one's status is lost unless `pipefail` is set.
    Pipe,
    /// `(`, `)`, `{`-less structure: a subshell or group starts or ends.
    Group,
}

/// A here-document fed to a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDoc {
    /// The delimiter's word was quoted (`<< 'EOF'`): the body is passed as written.
    pub quoted: bool,
    /// The body, from the line after the command to the line before the delimiter.
    pub body: Span,
    /// The delimiter line was found; otherwise the body runs to the end of the range.
    pub terminated: bool,
}

/// One simple command as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawCommand {
    pub words: Vec<Word>,
    pub span: Span,
    pub heredocs: Vec<HereDoc>,
    /// How it is joined to the previous command and to the next.
    pub before: Joiner,
    pub after: Joiner,
}

/// The simple commands of `text[range]`, spans relative to `text`.
pub fn commands(text: &str, range: std::ops::Range<usize>) -> Vec<RawCommand> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        text,
        at: range.start.min(text.len()),
        end: range.end.min(text.len()),
        out: Vec::new(),
        words: Vec::new(),
        heredocs: Vec::new(),
        pending: Vec::new(),
        before: Joiner::Sequence,
    };
    lexer.run();
    lexer.out
}

struct Lexer<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    end: usize,
    out: Vec<RawCommand>,
    words: Vec<Word>,
    heredocs: Vec<HereDoc>,
    /// Here-documents whose bodies start after the current line: (command index or `None`
    /// for the command being read, delimiter, strip tabs, quoted).
    pending: Vec<(Option<usize>, String, bool, bool)>,
    before: Joiner,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        let i = self.at + ahead;
        (i < self.end).then(|| self.bytes[i])
    }

    fn run(&mut self) {
        while self.at < self.end {
            let b = self.bytes[self.at];
            match b {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\\' if self.peek(1) == Some(b'\n') => self.at += 2,
                b'#' => {
                    while self.at < self.end && self.bytes[self.at] != b'\n' {
                        self.at += 1;
                    }
                }
                b'\n' => {
                    self.at += 1;
                    self.finish(Joiner::Sequence);
                    self.read_heredoc_bodies();
                }
                b';' => {
                    self.at += if self.peek(1) == Some(b';') { 2 } else { 1 };
                    self.finish(Joiner::Sequence);
                }
                b'&' if self.peek(1) == Some(b'&') => {
                    self.at += 2;
                    self.finish(Joiner::Condition);
                }
                b'&' if self.peek(1) == Some(b'>') => self.redirection(),
                b'&' => {
                    self.at += 1;
                    self.finish(Joiner::Sequence);
                }
                b'|' if self.peek(1) == Some(b'|') => {
                    self.at += 2;
                    self.finish(Joiner::Condition);
                }
                b'|' => {
                    self.at += if self.peek(1) == Some(b'&') { 2 } else { 1 };
                    self.finish(Joiner::Pipe);
                }
                b'(' | b')' => {
                    self.at += 1;
                    self.finish(Joiner::Group);
                }
                b'<' | b'>' => self.redirection(),
                _ => self.word(),
            }
        }
        self.finish(Joiner::Sequence);
        // Bodies of here-documents opened on the last line run to the end.
        self.read_heredoc_bodies();
    }

    /// Ends the command being read, if any.
    fn finish(&mut self, after: Joiner) {
        if self.words.is_empty() {
            // `( a; b ) || exit 1`: the group's status, which is its last command's, is
            // handled.
            if after == Joiner::Condition && self.before == Joiner::Group {
                if let Some(last) = self.out.last_mut().filter(|c| c.after == Joiner::Group) {
                    last.after = Joiner::Condition;
                }
            }
            // `) ;` or a blank line: the joiner still tells how the next one runs.
            if after != Joiner::Sequence || self.before == Joiner::Group {
                self.before = after;
            }
            self.heredocs.clear();
            return;
        }
        let words = std::mem::take(&mut self.words);
        let span = words[0].span.to(words[words.len() - 1].span);
        let index = self.out.len();
        for pending in self.pending.iter_mut().filter(|p| p.0.is_none()) {
            pending.0 = Some(index);
        }
        self.out.push(RawCommand {
            words,
            span,
            heredocs: std::mem::take(&mut self.heredocs),
            before: self.before,
            after,
        });
        self.before = after;
    }

    /// `<<`, `<<-`, `<<<`, `>`, `>>`, `2>&1`, `&>`, `<&`: the target word is read and
    /// dropped; a here-document's delimiter is queued.
    fn redirection(&mut self) {
        let start = self.at;
        let mut heredoc = false;
        let mut strip_tabs = false;
        if self.bytes[start] == b'<' && self.peek(1) == Some(b'<') {
            if self.peek(2) == Some(b'<') {
                self.at += 3;
            } else {
                heredoc = true;
                self.at += 2;
                if self.peek(0) == Some(b'-') {
                    strip_tabs = true;
                    self.at += 1;
                }
            }
        } else {
            while self
                .peek(0)
                .is_some_and(|b| matches!(b, b'<' | b'>' | b'&' | b'|'))
                && self.at - start < 3
            {
                self.at += 1;
            }
        }
        // A file descriptor written right before the operator (`2>`) is not a word.
        if let Some(last) = self.words.last() {
            if last.span.end() == start
                && !last.quoted
                && !last.value.is_empty()
                && last.value.bytes().all(|b| b.is_ascii_digit())
            {
                self.words.pop();
            }
        }
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.at += 1;
        }
        // `>&2`, `2>&-`: the target is a descriptor, already read with the operator when
        // written without a space; otherwise the next word.
        match self.peek(0) {
            None | Some(b'\n' | b';' | b'|' | b'(' | b')') => {}
            Some(b'&') => {}
            Some(_) => {
                let before = self.words.len();
                self.word();
                if self.words.len() > before {
                    let target = self.words.pop();
                    if heredoc {
                        if let Some(target) = target {
                            self.pending
                                .push((None, target.value, strip_tabs, target.quoted));
                        }
                    }
                }
            }
        }
    }

    /// Reads the bodies of the here-documents queued on the line just ended.
    fn read_heredoc_bodies(&mut self) {
        for (command, delimiter, strip_tabs, quoted) in std::mem::take(&mut self.pending) {
            let body_start = self.at;
            let mut terminated = false;
            let mut body_end = self.end;
            while self.at < self.end {
                let line_start = self.at;
                let line_end = memchr_newline(&self.bytes[line_start..self.end])
                    .map_or(self.end, |i| line_start + i);
                let mut line = &self.text[line_start..line_end];
                line = line.strip_suffix('\r').unwrap_or(line);
                if strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                self.at = (line_end + 1).min(self.end);
                if line == delimiter {
                    terminated = true;
                    body_end = line_start;
                    break;
                }
            }
            let doc = HereDoc {
                quoted,
                body: Span::new(body_start, body_end.max(body_start)),
                terminated,
            };
            match command.and_then(|i| self.out.get_mut(i)) {
                Some(command) => command.heredocs.push(doc),
                None => self.heredocs.push(doc),
            }
        }
    }

    /// Reads one word from `self.at`.
    fn word(&mut self) {
        let start = self.at;
        let mut value = String::new();
        let mut quoted = false;
        let mut dynamic = false;
        let mut quote_spans = 0usize;
        let mut inner = None;
        while self.at < self.end {
            let b = self.bytes[self.at];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => {
                    break
                }
                b'\\' => {
                    if self.peek(1) == Some(b'\n') {
                        self.at += 2;
                        continue;
                    }
                    self.at += 1;
                    if self.at < self.end {
                        let c = self.char_at();
                        value.push_str(c);
                        self.at += c.len();
                    }
                }
                b'\'' => {
                    quoted = true;
                    quote_spans += 1;
                    let open = self.at + 1;
                    let close = find_byte(self.bytes, open, self.end, b'\'');
                    value.push_str(&self.text[open..close]);
                    inner = Some(Span::new(open, close));
                    self.at = (close + 1).min(self.end);
                }
                b'$' if self.peek(1) == Some(b'\'') => {
                    quoted = true;
                    quote_spans += 1;
                    let open = self.at + 2;
                    let close = self.skip_ansi_c(open);
                    value.push_str(&self.text[open..close]);
                    self.at = (close + 1).min(self.end);
                }
                b'"' => {
                    quoted = true;
                    quote_spans += 1;
                    let open = self.at + 1;
                    self.at = open;
                    let close = self.double_quoted(&mut value, &mut dynamic);
                    inner = Some(Span::new(open, close));
                    self.at = (close + 1).min(self.end);
                }
                b'$' | b'`' => {
                    dynamic = true;
                    let from = self.at;
                    self.expansion();
                    value.push_str(&self.text[from..self.at]);
                }
                _ => {
                    let c = self.char_at();
                    value.push_str(c);
                    self.at += c.len();
                }
            }
        }
        if self.at == start {
            // A lone byte no branch consumed cannot happen; keep moving all the same.
            self.at += 1;
            return;
        }
        let span = Span::new(start, self.at);
        let whole_quote = quote_spans == 1
            && inner.is_some_and(|i: Span| i.start() == start + 1 && i.end() + 1 == self.at);
        self.words.push(Word {
            value,
            span,
            quoted,
            dynamic,
            inner: if whole_quote { inner } else { None },
        });
    }

    /// The character at `self.at` (the text is UTF-8; every delimiter is ASCII).
    fn char_at(&self) -> &str {
        let mut end = self.at + 1;
        while end < self.end && !self.text.is_char_boundary(end) {
            end += 1;
        }
        &self.text[self.at..end.min(self.end)]
    }

    /// Inside `"…"` from `self.at`: appends the unquoted text, returns the closing quote's
    /// offset (or the end).
    fn double_quoted(&mut self, value: &mut String, dynamic: &mut bool) -> usize {
        while self.at < self.end {
            match self.bytes[self.at] {
                b'"' => return self.at,
                b'\\' => {
                    let next = self.peek(1);
                    match next {
                        Some(b'"' | b'\\' | b'$' | b'`') => {
                            value.push(next.unwrap_or(b'\\') as char);
                            self.at += 2;
                        }
                        Some(b'\n') => self.at += 2,
                        _ => {
                            value.push('\\');
                            self.at += 1;
                        }
                    }
                }
                b'$' | b'`' => {
                    *dynamic = true;
                    let from = self.at;
                    self.expansion();
                    value.push_str(&self.text[from..self.at]);
                }
                _ => {
                    let c = self.char_at();
                    value.push_str(c);
                    self.at += c.len();
                }
            }
        }
        self.end
    }

    /// Skips one expansion starting at `self.at` (`$X`, `${…}`, `$(…)`, `$((…))`, `` `…` ``).
    fn expansion(&mut self) {
        if self.bytes[self.at] == b'`' {
            let close = find_unescaped(self.bytes, self.at + 1, self.end, b'`');
            self.at = (close + 1).min(self.end);
            return;
        }
        self.at += 1;
        match self.peek(0) {
            Some(b'(') => self.balanced(b'(', b')'),
            Some(b'{') => self.balanced(b'{', b'}'),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                while self
                    .peek(0)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.at += 1;
                }
            }
            Some(b) if b.is_ascii_digit() || b"@*#?$!-".contains(&b) => self.at += 1,
            _ => {}
        }
    }

    /// From an opening bracket at `self.at` to past its match, over nested quotes.
    fn balanced(&mut self, open: u8, close: u8) {
        let mut depth = 0usize;
        while self.at < self.end {
            let b = self.bytes[self.at];
            match b {
                b'\\' => {
                    self.at += 2;
                    continue;
                }
                b'\'' if open == b'(' => {
                    self.at = find_byte(self.bytes, self.at + 1, self.end, b'\'');
                }
                b'"' => {
                    self.at = find_unescaped(self.bytes, self.at + 1, self.end, b'"');
                }
                _ if b == open => depth += 1,
                _ if b == close => {
                    depth -= 1;
                    if depth == 0 {
                        self.at += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
        self.at = self.end;
    }

    /// The closing quote of `$'…'` from `from`, over backslash escapes.
    fn skip_ansi_c(&self, from: usize) -> usize {
        find_unescaped(self.bytes, from, self.end, b'\'')
    }
}

/// The first `needle` in `bytes[from..end]`, or `end`.
fn find_byte(bytes: &[u8], from: usize, end: usize, needle: u8) -> usize {
    let from = from.min(end);
    bytes[from..end]
        .iter()
        .position(|&b| b == needle)
        .map_or(end, |i| from + i)
}

/// The first `needle` not escaped by a backslash in `bytes[from..end]`, or `end`.
fn find_unescaped(bytes: &[u8], from: usize, end: usize, needle: u8) -> usize {
    let mut i = from;
    while i < end {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == needle => return i,
            _ => i += 1,
        }
    }
    end
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        commands(text, 0..text.len())
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.value).collect())
            .collect()
    }

    #[test]
    fn splits_commands_and_unquotes_words() {
        assert_eq!(
            values("cd /opt && docker compose exec -T 'odoo' odoo -d \"x y\" # note\necho $(a; b) done"),
            vec![
                vec!["cd", "/opt"],
                vec!["docker", "compose", "exec", "-T", "odoo", "odoo", "-d", "x y"],
                vec!["echo", "$(a; b)", "done"],
            ]
        );
        assert_eq!(
            values("pg_dump -U odoo odoo > \"$DIR/x.sql\" 2>&1\n"),
            vec![vec!["pg_dump", "-U", "odoo", "odoo"]]
        );
    }

    #[test]
    fn reads_heredoc_bodies() {
        let text = "ssh root@h << 'EOF'\ncd /x\nEOF\necho after\n";
        let commands = commands(text, 0..text.len());
        assert_eq!(commands.len(), 2);
        let doc = &commands[0].heredocs[0];
        assert!(doc.quoted && doc.terminated);
        assert_eq!(&text[doc.body.range()], "cd /x\n");
        assert_eq!(commands[1].words[0].value, "echo");
        // Unterminated: the body runs to the end.
        let text = "ssh h <<EOF\r\nuptime\r\n";
        let commands = super::commands(text, 0..text.len());
        assert!(!commands[0].heredocs[0].terminated);
        assert_eq!(&text[commands[0].heredocs[0].body.range()], "uptime\r\n");
    }
}
