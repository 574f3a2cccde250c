//! Variable interpolation exactly as Compose does it.
//!
//! Sources: the Compose specification `12-interpolation.md`, the Docker docs page
//! "Set, use, and manage variables in a Compose file with interpolation"
//! (`manuals/compose/how-tos/environment-variables/variable-interpolation.md`) and the
//! reference implementation, compose-go `template/template.go`, whose pattern is
//!
//! ```text
//! \$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))
//! ```
//!
//! What that pattern and its driver code mean, and what this module reproduces:
//!
//! - `$$` is a literal `$`; a `$` not followed by a name, `{` or `$` stays literal
//!   (`"a $ string"`, `"^REGEX$"`, `"$}"`).
//! - `$NAME` and `${NAME}` substitute; names are `[_A-Za-z][_A-Za-z0-9]*` (the pattern is
//!   case-insensitive). An unset variable becomes the empty string (Compose warns).
//! - `${NAME:-d}` (unset or empty), `${NAME-d}` (unset), `${NAME:+a}` (set and non-empty),
//!   `${NAME+a}` (set), `${NAME:?msg}` (error if unset or empty), `${NAME?msg}` (error if
//!   unset). The argument is itself interpolated, eagerly (so a missing `:?` variable inside a
//!   default is an error even when the default is not used), and may nest: `${A:-${B:-c}}`.
//! - The braced argument runs to the `}` that balances the opening `{` (compose-go counts
//!   every `{`), but never past the last `}` on the same line (the pattern's `.` does not cross
//!   a newline). Anything else after `${` is an invalid template: `${`, `${}`, `${ foo}`,
//!   `${foo }`, `${foo!}`.
//!
//! A linter needs more than the value, so [`interpolate`] also returns every variable
//! reference with its byte range in the template and its state in the environment, and keeps
//! unresolved references (`${PORT}` with `PORT` unset, a missing `${X:?}`) verbatim in
//! [`Interpolated::value`] so that typed parsing (ports, volumes, image tags) still sees them.
//! [`Interpolated::compose_value`] is the string Compose itself would use.

use std::collections::BTreeMap;
use std::ops::Range;

/// How deep `${A:-${B:-...}}` may nest before the template is rejected.
const MAX_NESTING: usize = 32;

/// The variables interpolation reads: the project `.env`, `--env-file` files and the shell,
/// already combined by whoever builds it. A variable that is absent is *unset*, which is
/// different from set to the empty string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Adds every variable of `other` that is not already set here (lower precedence).
    pub fn extend_missing(&mut self, other: &Environment) {
        for (k, v) in &other.vars {
            self.vars.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }

    /// The state of a variable, as the substitution operators see it.
    pub fn state(&self, name: &str) -> VarState {
        match self.get(name) {
            None => VarState::Unset,
            Some("") => VarState::Empty,
            Some(_) => VarState::Set,
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Environment {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Environment {
            vars: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

/// The substitution operator of a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `$NAME` or `${NAME}`.
    Plain,
    /// `${NAME:-default}`: the default when unset or empty.
    DefaultIfUnsetOrEmpty,
    /// `${NAME-default}`: the default when unset.
    DefaultIfUnset,
    /// `${NAME:?message}`: an error when unset or empty.
    RequiredNonEmpty,
    /// `${NAME?message}`: an error when unset.
    Required,
    /// `${NAME:+alternative}`: the alternative when set and non-empty, else empty.
    AlternativeIfNonEmpty,
    /// `${NAME+alternative}`: the alternative when set, else empty.
    AlternativeIfSet,
}

impl Operator {
    /// The operator as written (`":-"`), empty for [`Operator::Plain`].
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Plain => "",
            Operator::DefaultIfUnsetOrEmpty => ":-",
            Operator::DefaultIfUnset => "-",
            Operator::RequiredNonEmpty => ":?",
            Operator::Required => "?",
            Operator::AlternativeIfNonEmpty => ":+",
            Operator::AlternativeIfSet => "+",
        }
    }

    /// `:?` and `?`: Compose refuses to run without a value.
    pub fn is_required(self) -> bool {
        matches!(self, Operator::RequiredNonEmpty | Operator::Required)
    }

    /// `:-` and `-`.
    pub fn has_default(self) -> bool {
        matches!(
            self,
            Operator::DefaultIfUnsetOrEmpty | Operator::DefaultIfUnset
        )
    }

    fn parse(rest: &str) -> Option<Operator> {
        let op = match rest.as_bytes() {
            [b':', b'-', ..] => Operator::DefaultIfUnsetOrEmpty,
            [b':', b'?', ..] => Operator::RequiredNonEmpty,
            [b':', b'+', ..] => Operator::AlternativeIfNonEmpty,
            [b'-', ..] => Operator::DefaultIfUnset,
            [b'?', ..] => Operator::Required,
            [b'+', ..] => Operator::AlternativeIfSet,
            _ => return None,
        };
        Some(op)
    }
}

/// Whether the environment had the variable when the template was interpolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarState {
    Set,
    Empty,
    Unset,
}

/// One `$NAME` or `${NAME...}` in a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    pub operator: Operator,
    /// The default, alternative or error message as written (before its own interpolation).
    pub argument: Option<String>,
    /// Byte range of the whole reference (`${NAME:-x}`) in the template.
    pub range: Range<usize>,
    /// Byte range of the name in the template.
    pub name_range: Range<usize>,
    pub braced: bool,
    pub state: VarState,
    /// The reference whose argument contains this one (`B` in `${A:-${B}}`).
    pub parent: Option<usize>,
}

impl VarRef {
    /// A `:?`/`?` reference whose variable does not satisfy it: `docker compose` stops with
    /// "required variable NAME is missing a value".
    pub fn is_missing_required(&self) -> bool {
        match self.operator {
            Operator::RequiredNonEmpty => self.state != VarState::Set,
            Operator::Required => self.state == VarState::Unset,
            _ => false,
        }
    }
}

/// Where a piece of the interpolated value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Text written in the template (`$$` counts, as one `$`).
    Literal,
    /// The value of the variable of reference `n`.
    Variable(usize),
    /// Literal text of the default or alternative of reference `n`.
    Argument(usize),
    /// Reference `n` could not be resolved and is kept as written.
    Unresolved(usize),
}

/// A run of the interpolated value and the template bytes it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in [`Interpolated::value`].
    pub output: Range<usize>,
    /// Byte range in the template: the literal text, or the whole reference.
    pub source: Range<usize>,
    pub origin: Origin,
}

/// A template Compose could not interpolate (`${`, `${foo!}`): `docker compose` rejects the
/// file with "Invalid template".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub range: Range<usize>,
    pub message: String,
}

/// The result of interpolating one template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interpolated {
    value: String,
    segments: Vec<Segment>,
    pub refs: Vec<VarRef>,
    pub errors: Vec<TemplateError>,
}

impl Interpolated {
    /// The interpolated text, with unresolved references kept as written, so that typed parsing
    /// of `"${PORT}:8069"` still sees two fields.
    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The value Compose would use: unresolved references become empty strings.
    pub fn compose_value(&self) -> String {
        let mut out = String::with_capacity(self.value.len());
        for seg in &self.segments {
            if !matches!(seg.origin, Origin::Unresolved(_)) {
                out.push_str(self.value.get(seg.output.clone()).unwrap_or(""));
            }
        }
        out
    }

    /// Whether some reference that contributes to the value has no value.
    pub fn has_unresolved(&self) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s.origin, Origin::Unresolved(_)))
    }

    /// Whether `output` (a byte range of the value) overlaps an unresolved reference.
    pub fn is_unresolved(&self, output: Range<usize>) -> bool {
        self.overlapping(output)
            .any(|s| matches!(s.origin, Origin::Unresolved(_)))
    }

    /// Whether `output` overlaps text that came from a variable, a default or an alternative.
    pub fn is_from_variable(&self, output: Range<usize>) -> bool {
        self.overlapping(output)
            .any(|s| !matches!(s.origin, Origin::Literal))
    }

    /// The segments overlapping `output`.
    pub fn overlapping(&self, output: Range<usize>) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(move |s| {
            s.output.start < output.end && output.start < s.output.end
                || (output.start == output.end && s.output.start == output.start)
        })
    }

    /// The template bytes that produced `output`: exact for literal text; the whole reference
    /// for text that came from a variable, a default or an alternative. `None` when `output`
    /// is empty and touches no segment.
    pub fn source_range(&self, output: Range<usize>) -> Option<Range<usize>> {
        let mut result: Option<Range<usize>> = None;
        for seg in self.overlapping(output.clone()) {
            let range = match seg.origin {
                Origin::Literal if seg.output.len() == seg.source.len() => {
                    let from = output.start.max(seg.output.start) - seg.output.start;
                    let to = output.end.min(seg.output.end) - seg.output.start;
                    seg.source.start + from..seg.source.start + to.max(from)
                }
                Origin::Argument(n) => self
                    .refs
                    .get(n)
                    .map_or(seg.source.clone(), |r| r.range.clone()),
                _ => seg.source.clone(),
            };
            result = Some(match result {
                None => range,
                Some(r) => r.start.min(range.start)..r.end.max(range.end),
            });
        }
        result
    }

    /// The references whose text overlaps `range` of the template.
    pub fn refs_in(&self, range: Range<usize>) -> impl Iterator<Item = &VarRef> {
        self.refs
            .iter()
            .filter(move |r| r.range.start < range.end && range.start < r.range.end)
    }

    /// Moves every range from template offsets to file offsets: by adding `base` when the
    /// template is the file text at `base` verbatim, else by pointing every range at `whole`
    /// (the scalar as written, when escapes or folding make offsets unmappable).
    pub fn relocate(&mut self, base: Option<usize>, whole: Range<usize>) {
        let map = |r: &mut Range<usize>| match base {
            Some(o) => *r = r.start + o..r.end + o,
            None => *r = whole.clone(),
        };
        for r in &mut self.refs {
            map(&mut r.range);
            map(&mut r.name_range);
        }
        for s in &mut self.segments {
            map(&mut s.source);
        }
        for e in &mut self.errors {
            map(&mut e.range);
        }
    }
}

/// The longest value interpolation builds. Each `.env` line may reference earlier ones, so
/// without a bound forty lines of `A=${B}${B}` would ask for a terabyte.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// Interpolates `template` with `env`, the way `docker compose` does.
pub fn interpolate(template: &str, env: &Environment) -> Interpolated {
    interpolate_layered(template, env, None)
}

/// Interpolates `template` with `first`, falling back to `then` for a variable `first` does
/// not set: a `.env` file's own earlier lines over the shell, without copying either.
pub fn interpolate_layered(
    template: &str,
    first: &Environment,
    then: Option<&Environment>,
) -> Interpolated {
    let mut run = Run {
        s: template,
        env: Layers { first, then },
        line_starts: None,
        refs: Vec::new(),
        errors: Vec::new(),
    };
    let pieces = run.eval(0, template.len(), 0, None);
    let total: usize = pieces.iter().map(|p| p.text.len()).sum();
    if total > MAX_VALUE_BYTES {
        run.errors.push(TemplateError {
            range: 0..template.len(),
            message: format!(
                "the value expands to more than {} MiB; interpolation stopped",
                MAX_VALUE_BYTES >> 20
            ),
        });
        return Interpolated {
            value: template.to_owned(),
            segments: vec![Segment {
                output: 0..template.len(),
                source: 0..template.len(),
                origin: Origin::Literal,
            }],
            refs: run.refs,
            errors: run.errors,
        };
    }
    let mut value = String::with_capacity(total);
    let mut segments: Vec<Segment> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let start = value.len();
        value.push_str(&piece.text);
        let output = start..value.len();
        // Adjacent literal runs from contiguous source merge into one segment.
        if let Some(last) = segments.last_mut() {
            if last.origin == piece.origin
                && last.output.end == output.start
                && last.source.end == piece.source.start
                && last.output.len() == last.source.len()
                && output.len() == piece.source.len()
            {
                last.output.end = output.end;
                last.source.end = piece.source.end;
                continue;
            }
        }
        segments.push(Segment {
            output,
            source: piece.source,
            origin: piece.origin,
        });
    }
    Interpolated {
        value,
        segments,
        refs: run.refs,
        errors: run.errors,
    }
}

struct Piece {
    text: String,
    source: Range<usize>,
    origin: Origin,
}

/// One environment over another: what a variable is, as interpolation reads it.
#[derive(Clone, Copy)]
struct Layers<'a> {
    first: &'a Environment,
    then: Option<&'a Environment>,
}

impl<'a> Layers<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        self.first
            .get(name)
            .or_else(|| self.then.and_then(|env| env.get(name)))
    }

    fn state(&self, name: &str) -> VarState {
        match self.get(name) {
            None => VarState::Unset,
            Some("") => VarState::Empty,
            Some(_) => VarState::Set,
        }
    }
}

struct Run<'a> {
    s: &'a str,
    env: Layers<'a>,
    /// Built on first need: the start of every line, to find the last `}` of a line.
    line_starts: Option<Vec<usize>>,
    refs: Vec<VarRef>,
    errors: Vec<TemplateError>,
}

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

impl Run<'_> {
    /// Interpolates `s[lo..hi]`. `owner` is the reference whose argument this is.
    fn eval(&mut self, lo: usize, hi: usize, depth: usize, owner: Option<usize>) -> Vec<Piece> {
        let literal = match owner {
            Some(n) => Origin::Argument(n),
            None => Origin::Literal,
        };
        let bytes = self.s.as_bytes();
        let mut pieces = Vec::new();
        let mut i = lo;
        let mut lit_start = lo;
        while i < hi {
            if bytes.get(i) != Some(&b'$') {
                i += 1;
                continue;
            }
            let p = i;
            let next = if p + 1 < hi {
                bytes.get(p + 1).copied()
            } else {
                None
            };
            match next {
                Some(b'$') => {
                    self.push_literal(&mut pieces, lit_start, p, literal);
                    pieces.push(Piece {
                        text: "$".into(),
                        source: p..p + 2,
                        origin: literal,
                    });
                    i = p + 2;
                    lit_start = i;
                }
                Some(b) if is_name_start(b) => {
                    self.push_literal(&mut pieces, lit_start, p, literal);
                    let mut q = p + 1;
                    while q < hi && bytes.get(q).copied().is_some_and(is_name_char) {
                        q += 1;
                    }
                    let name = &self.s[p + 1..q];
                    let index =
                        self.add_ref(name, Operator::Plain, None, p..q, p + 1..q, false, owner);
                    pieces.push(self.plain_value(index, p..q));
                    i = q;
                    lit_start = i;
                }
                Some(b'{') => {
                    self.push_literal(&mut pieces, lit_start, p, literal);
                    i = self.braced(p, hi, depth, owner, &mut pieces);
                    lit_start = i;
                }
                _ => i += 1,
            }
        }
        self.push_literal(&mut pieces, lit_start, hi, literal);
        pieces
    }

    fn push_literal(&self, pieces: &mut Vec<Piece>, from: usize, to: usize, origin: Origin) {
        if from < to {
            let text = self.s.get(from..to).unwrap_or("").to_owned();
            pieces.push(Piece {
                text,
                source: from..to,
                origin,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_ref(
        &mut self,
        name: &str,
        operator: Operator,
        argument: Option<String>,
        range: Range<usize>,
        name_range: Range<usize>,
        braced: bool,
        parent: Option<usize>,
    ) -> usize {
        let state = self.env.state(name);
        self.refs.push(VarRef {
            name: name.to_owned(),
            operator,
            argument,
            range,
            name_range,
            braced,
            state,
            parent,
        });
        self.refs.len() - 1
    }

    fn plain_value(&self, index: usize, range: Range<usize>) -> Piece {
        let name = self.refs.get(index).map(|r| r.name.as_str()).unwrap_or("");
        match self.env.get(name) {
            Some(value) => Piece {
                text: value.to_owned(),
                source: range,
                origin: Origin::Variable(index),
            },
            None => {
                let text = self.s.get(range.clone()).unwrap_or("").to_owned();
                Piece {
                    text,
                    source: range,
                    origin: Origin::Unresolved(index),
                }
            }
        }
    }

    /// Handles `${` at `p`; returns where scanning resumes.
    fn braced(
        &mut self,
        p: usize,
        hi: usize,
        depth: usize,
        owner: Option<usize>,
        pieces: &mut Vec<Piece>,
    ) -> usize {
        let bytes = self.s.as_bytes();
        let name_start = p + 2;
        let mut q = name_start;
        if q < hi && bytes.get(q).copied().is_some_and(is_name_start) {
            q += 1;
            while q < hi && bytes.get(q).copied().is_some_and(is_name_char) {
                q += 1;
            }
        }
        if q == name_start {
            return self.invalid(p, q.min(hi), pieces);
        }
        let name = self.s[name_start..q].to_owned();
        if bytes.get(q) == Some(&b'}') && q < hi {
            let range = p..q + 1;
            let index = self.add_ref(
                &name,
                Operator::Plain,
                None,
                range.clone(),
                name_start..q,
                true,
                owner,
            );
            pieces.push(self.plain_value(index, range));
            return q + 1;
        }
        let Some(operator) = Operator::parse(self.s.get(q..hi).unwrap_or("")) else {
            if bytes.get(q) == Some(&b'[') {
                // compose-go's named-mapping form `${name[key]}`; without named mappings
                // Compose keeps it as written.
                return q;
            }
            return self.invalid(p, q + 1, pieces);
        };
        let arg_start = q + operator.as_str().len();
        // The pattern's `(.*)}` reaches the last `}` of the line.
        let Some(last) = self.last_brace_on_line(arg_start, hi) else {
            return self.invalid(p, arg_start.min(hi), pieces);
        };
        // compose-go then cuts at the `}` that balances the opening `{`.
        let close = balanced_close(bytes, p + 1, last).unwrap_or(last);
        let range = p..close + 1;
        let argument = self.s.get(arg_start..close).unwrap_or("").to_owned();
        let index = self.add_ref(
            &name,
            operator,
            Some(argument),
            range.clone(),
            name_start..q,
            true,
            owner,
        );
        if depth >= MAX_NESTING {
            self.errors.push(TemplateError {
                range: range.clone(),
                message: format!("variable references nested more than {MAX_NESTING} deep"),
            });
            let text = self.s.get(range.clone()).unwrap_or("").to_owned();
            pieces.push(Piece {
                text,
                source: range,
                origin: Origin::Unresolved(index),
            });
            return close + 1;
        }
        let argument = self.eval(arg_start, close, depth + 1, Some(index));
        let state = self.env.state(&name);
        let value = || self.plain_value(index, range.clone());
        let take_argument = match operator {
            Operator::Plain => false,
            Operator::DefaultIfUnsetOrEmpty => state != VarState::Set,
            Operator::DefaultIfUnset => state == VarState::Unset,
            Operator::AlternativeIfNonEmpty => state == VarState::Set,
            Operator::AlternativeIfSet => state != VarState::Unset,
            Operator::RequiredNonEmpty | Operator::Required => false,
        };
        if take_argument {
            pieces.extend(argument);
        } else {
            match operator {
                Operator::RequiredNonEmpty if state != VarState::Set => {
                    pieces.push(self.unresolved(index, range));
                }
                Operator::Required if state == VarState::Unset => {
                    pieces.push(self.unresolved(index, range));
                }
                Operator::AlternativeIfNonEmpty | Operator::AlternativeIfSet
                    if state == VarState::Unset =>
                {
                    // Unset without an alternative: the empty string, not an unresolved value.
                    pieces.push(Piece {
                        text: String::new(),
                        source: range,
                        origin: Origin::Variable(index),
                    });
                }
                _ => pieces.push(value()),
            }
        }
        close + 1
    }

    fn unresolved(&self, index: usize, range: Range<usize>) -> Piece {
        let text = self.s.get(range.clone()).unwrap_or("").to_owned();
        Piece {
            text,
            source: range,
            origin: Origin::Unresolved(index),
        }
    }

    fn invalid(&mut self, p: usize, end: usize, pieces: &mut Vec<Piece>) -> usize {
        let mut end = end.max(p + 2).min(self.s.len());
        while !self.s.is_char_boundary(end) {
            end += 1;
        }
        self.errors.push(TemplateError {
            range: p..end,
            message: format!(
                "invalid interpolation format `{}`",
                super::excerpt(self.s.get(p..end).unwrap_or("${"))
            ),
        });
        // Keep the text as written; Compose would refuse the whole file.
        pieces.push(Piece {
            text: self.s.get(p..p + 2).unwrap_or("").to_owned(),
            source: p..p + 2,
            origin: Origin::Literal,
        });
        p + 2
    }

    /// The last `}` in `from..hi` that is on the same line as `from`.
    fn last_brace_on_line(&mut self, from: usize, hi: usize) -> Option<usize> {
        let s = self.s;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(
                    s.bytes()
                        .enumerate()
                        .filter(|&(_, b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        let line = starts.partition_point(|&st| st <= from).saturating_sub(1);
        let line_end = starts
            .get(line + 1)
            .map(|&next| next - 1)
            .unwrap_or(s.len());
        let end = line_end.min(hi);
        let bytes = s.as_bytes();
        (from..end).rev().find(|&i| bytes.get(i) == Some(&b'}'))
    }
}

/// compose-go's `getFirstBraceClosingIndex`: from the `{` at `open`, count every `{` (skipping
/// the byte after it) and every `}`; the `}` that brings the count to zero closes.
fn balanced_close(bytes: &[u8], open: usize, last: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i <= last {
        match bytes.get(i) {
            Some(b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            Some(b'{') => {
                depth += 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        [("FOO", "first"), ("BAR", "")].into_iter().collect()
    }

    fn compose(t: &str) -> String {
        interpolate(t, &env()).compose_value()
    }

    #[test]
    fn escapes_and_literal_dollars() {
        assert_eq!(compose("$${foo}"), "${foo}");
        for t in ["a $ string", "^REGEX$", "$}", "$", "cost: 5$"] {
            assert_eq!(compose(t), t);
            assert!(interpolate(t, &env()).errors.is_empty(), "{t}");
        }
    }

    #[test]
    fn operators_follow_compose_go() {
        let cases = [
            ("$FOO-bar", "first-bar"),
            ("This ${missing} var", "This  var"),
            ("This ${BAR} var", "This  var"),
            ("This $FOO var", "This first var"),
            ("ok ${missing:-def}", "ok def"),
            ("ok ${missing-def}", "ok def"),
            ("ok ${BAR:-def}", "ok def"),
            ("ok ${BAR-def}", "ok "),
            ("ok ${FOO:-def}", "ok first"),
            ("ok ${UNSET:+presence}", "ok "),
            ("ok ${UNSET+presence}", "ok "),
            ("ok ${FOO:+presence}", "ok presence"),
            ("ok ${FOO+presence}", "ok presence"),
            ("ok ${BAR+presence}", "ok presence"),
            ("ok ${BAR:+presence}", "ok "),
            ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
            ("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
            (":?ok ${BAR:-defaultValue}", ":?ok defaultValue"),
            ("ok ${UNSET_VAR-$FOO}", "ok first"),
            ("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
            ("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"),
            ("${UNSET_VAR-myerror?msg}", "myerror?msg"),
            ("${FOO?bar-baz}", "first"),
            ("ok ${BAR?err}", "ok "),
            ("${NESTED:-${INNER:-deep}}", "deep"),
            ("${A:-x} and ${B:-y}", "x and y"),
        ];
        for (template, expected) in cases {
            let result = interpolate(template, &env());
            assert_eq!(result.compose_value(), expected, "{template}");
            assert!(result.errors.is_empty(), "{template}: {:?}", result.errors);
        }
    }

    #[test]
    fn invalid_templates_are_errors() {
        for t in [
            "${",
            "${}",
            "${ }",
            "${ foo}",
            "${foo }",
            "${foo!}",
            "x ${1abc}",
        ] {
            assert!(!interpolate(t, &env()).errors.is_empty(), "{t}");
        }
    }

    #[test]
    fn missing_required_variables_are_reported_not_substituted() {
        let result = interpolate("db=${ODOO_DB_PASSWORD:?set it}", &env());
        assert!(result.errors.is_empty());
        let r = &result.refs[0];
        assert_eq!(r.name, "ODOO_DB_PASSWORD");
        assert_eq!(r.operator, Operator::RequiredNonEmpty);
        assert_eq!(r.argument.as_deref(), Some("set it"));
        assert!(r.is_missing_required());
        assert_eq!(r.range, 3..30);
        assert_eq!(result.value(), "db=${ODOO_DB_PASSWORD:?set it}");
        assert_eq!(result.compose_value(), "db=");
        assert!(result.has_unresolved());
    }

    #[test]
    fn nested_references_are_all_listed_with_ranges() {
        let t = "${HOST:-127.0.0.1}:${PORT:-${BASE_PORT}}:8069";
        let result = interpolate(t, &Environment::new());
        let names: Vec<_> = result.refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["HOST", "PORT", "BASE_PORT"]);
        assert_eq!(&t[result.refs[0].range.clone()], "${HOST:-127.0.0.1}");
        assert_eq!(&t[result.refs[2].range.clone()], "${BASE_PORT}");
        assert_eq!(result.refs[2].parent, Some(1));
        // The default of HOST is literal text of the template, attributed to HOST.
        assert_eq!(result.value(), "127.0.0.1:${BASE_PORT}:8069");
        assert_eq!(result.source_range(0..9), Some(0..18));
        assert_eq!(result.source_range(23..27), Some(41..45));
        assert!(result.is_from_variable(0..9));
        assert!(!result.is_from_variable(23..27));
        assert!(result.is_unresolved(10..22));
    }

    #[test]
    fn the_argument_ends_at_the_balanced_brace() {
        let result = interpolate("${A:-{x}}", &Environment::new());
        assert_eq!(result.compose_value(), "{x}");
        let result = interpolate("${A:-x}}", &Environment::new());
        assert_eq!(result.compose_value(), "x}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut t = String::new();
        for _ in 0..200 {
            t.push_str("${A:-");
        }
        t.push('x');
        for _ in 0..200 {
            t.push('}');
        }
        let result = interpolate(&t, &Environment::new());
        assert!(!result.errors.is_empty());
    }
}
