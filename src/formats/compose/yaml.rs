//! A YAML tree with spans, built on serde-saphyr.
//!
//! `serde_json::Value` and other generic values lose positions, so the tree is read through a
//! recursive visitor whose children are `serde_saphyr::Spanned<Tagged<_>>`: every node knows
//! where it is used (`referenced`: the `*alias` or the `<<` merge site) and where it was
//! written (`defined`: inside the anchor), and keeps its tag (`!reset`, `!override`).
//!
//! Settings, and why (research/compose.md §5.2):
//!
//! - merge keys are read as ordinary keys and applied here, so that both the `<<` key and the
//!   anchor stay visible to rules, and a second `<<` in one mapping is reported like any
//!   duplicate key (Compose ≥ 2.17 rejects it, docker/compose#10394; serde-saphyr's own merge
//!   would silently keep one);
//! - the alias/anchor ratio check is off (150 services sharing one anchor is a normal file),
//!   while a node budget (100,000 nodes after alias expansion) still stops a billion-laughs
//!   document at the alias that breaches it;
//! - booleans are YAML 1.2 (`true`/`false`), as go-yaml decodes untyped values; scalar types
//!   are resolved here from the text as written (`0555` stays visible as `0555`).
//!
//! Spans are byte ranges in [`SourceFile::text`]. serde-saphyr gives byte offsets for string
//! input; when it does not (some errors), the 1-based line and character column are converted.

use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::granit_parser::{Event, Parser};
use serde_saphyr::{Location, Spanned, Tagged};

use super::interpolation::{interpolate, Environment, Interpolated, VarRef};
use super::{Comment, FileId, Loc};
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// One YAML node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
    /// The tag as written (`!reset`), or a resolved core tag (`tag:yaml.org,2002:str`).
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// A `|` or `>` block, or a plain scalar folded over several lines.
    Block,
}

/// The type a plain scalar resolves to (YAML 1.2 core schema with go-yaml's octal `0755`).
/// Quoted and block scalars are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    String,
    Bool,
    Int,
    Float,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value as written, after YAML unescaping and before interpolation.
    pub text: String,
    pub style: ScalarStyle,
    pub kind: ScalarKind,
    /// Set by [`interpolate_tree`] when the text contains `$`; ranges are file offsets.
    pub interpolated: Option<Box<Interpolated>>,
    /// The file offset where `text` starts, when `text` is the file text verbatim (so that
    /// a part of the value maps to an exact span).
    pub verbatim_at: Option<usize>,
}

impl Scalar {
    /// The value after interpolation, unresolved references kept as written.
    pub fn value(&self) -> &str {
        match &self.interpolated {
            Some(i) => i.value(),
            None => &self.text,
        }
    }

    /// The variable references in the value (file offsets).
    pub fn refs(&self) -> &[VarRef] {
        self.interpolated.as_ref().map_or(&[], |i| &i.refs)
    }

    pub fn has_unresolved(&self) -> bool {
        self.interpolated
            .as_ref()
            .is_some_and(|i| i.has_unresolved())
    }

    pub fn is_quoted(&self) -> bool {
        matches!(
            self.style,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        )
    }
}

/// A key and its value. Entries brought in by a `<<` merge key keep the span of that key.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    /// The `<<` key that merged this entry in, when it was not written in this mapping.
    pub merged_by: Option<Span>,
}

impl Entry {
    /// The key's text.
    pub fn name(&self) -> &str {
        self.key.as_str().unwrap_or("")
    }
}

impl Node {
    pub fn file(&self) -> FileId {
        self.loc.file
    }

    pub fn span(&self) -> Span {
        self.loc.span
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar value after interpolation.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(Scalar::value)
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tag.as_deref() == Some(tag)
    }

    /// The entry for `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.name() == key)
    }

    /// The value for `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// A short word for the node's type, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar(_) => "a scalar",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }

    /// Whether two nodes hold the same YAML value, wherever they were written.
    pub fn same_value(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Null, Value::Null) => true,
            (Value::Scalar(a), Value::Scalar(b)) => a.value() == b.value(),
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_value(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter().all(|e| {
                        b.iter()
                            .any(|f| f.name() == e.name() && f.value.same_value(&e.value))
                    })
            }
            _ => false,
        }
    }

    /// Every variable reference in the values of this tree, in document order, with the scalar
    /// it is in. Aliased values are visited at each use, so a reference written once in an
    /// anchor may be listed several times (with the same range).
    pub fn var_refs(&self) -> Vec<(&Node, &VarRef)> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<(&'a Node, &'a VarRef)>) {
        match &self.value {
            Value::Scalar(s) => out.extend(s.refs().iter().map(|r| (self, r))),
            Value::Seq(items) => items.iter().for_each(|i| i.collect_refs(out)),
            Value::Map(entries) => entries.iter().for_each(|e| e.value.collect_refs(out)),
            Value::Null => {}
        }
    }

    /// Builds a plain string scalar (for values Compose derives, such as a short `build:`).
    pub(crate) fn synthetic_str(text: &str, loc: Loc) -> Node {
        Node {
            value: Value::Scalar(Scalar {
                text: text.to_owned(),
                style: ScalarStyle::Plain,
                kind: ScalarKind::String,
                interpolated: None,
                verbatim_at: None,
            }),
            loc,
            tag: None,
        }
    }
}

/// The result of reading one YAML file.
#[derive(Clone, Debug, Default)]
pub struct YamlFile {
    /// One root per YAML document (`---`); empty when the text could not be read at all.
    pub documents: Vec<Node>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

/// Reads `file` into spanned trees, one per document, with merge keys applied. Never panics;
/// a YAML error (including a breached alias budget) is a [`SyntaxError`] at its location.
pub fn parse_yaml(file: &SourceFile, id: FileId) -> YamlFile {
    let mut out = YamlFile {
        comments: comments(file),
        ..YamlFile::default()
    };
    let raw: Result<Vec<RawNode>, serde_saphyr::Error> =
        serde_saphyr::from_str_multiple_with_options(&file.text, options());
    match raw {
        Ok(docs) => {
            let mut cx = Convert {
                file,
                id,
                errors: Vec::new(),
            };
            for doc in docs {
                out.documents.push(cx.node(doc));
            }
            out.errors = cx.errors;
        }
        Err(err) => out.errors.push(yaml_error(file, &err)),
    }
    out
}

/// The most nodes a document may expand to, aliases included. A 2,000-service compose file
/// has a few tens of thousands; a billion-laughs document is stopped here.
const MAX_NODES: usize = 100_000;

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.budget =
        serde_saphyr::budget! { enforce_alias_anchor_ratio: false, max_nodes: MAX_NODES };
    options.merge_keys = serde_saphyr::MergeKeyPolicy::AsOrdinary;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.strict_booleans = true;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    options.with_snippet = false;
    options
}

fn yaml_error(file: &SourceFile, err: &serde_saphyr::Error) -> SyntaxError {
    use serde_saphyr::MessageFormatter;
    let mut inner = err;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    let message = serde_saphyr::DefaultMessageFormatter.format_message(inner);
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let span = err.location().map_or(Span::at(0), |l| to_span(file, &l));
    let mut error = SyntaxError::new(span, format!("invalid YAML: {message}"));
    if message.contains("budget breached") {
        error = error.with_help(
            "the document expands aliases into too many nodes (a \"billion laughs\" pattern); \
             reduce the nesting of aliases",
        );
    }
    if let Some(locations) = err.locations() {
        let defined = locations.defined_location;
        if defined != locations.reference_location && defined.line() > 0 {
            let at = file.line_col(to_span(file, &defined).start());
            error.message.push_str(&format!(
                " (value defined at line {}, column {})",
                at.line, at.column
            ));
        }
    }
    error
}

/// Converts a serde-saphyr location to a byte span in `file`.
pub(crate) fn to_span(file: &SourceFile, loc: &Location) -> Span {
    let s = loc.span();
    let text = &file.text;
    if let (Some(offset), Some(len)) = (s.byte_offset(), s.byte_len()) {
        let (start, end) = (offset as usize, (offset + len) as usize);
        if end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
            return Span::new(start, end);
        }
    }
    Span::at(line_col_offset(
        file,
        loc.line() as usize,
        loc.column() as usize,
    ))
}

/// The byte offset of a 1-based line and character column, clamped to the line.
pub(crate) fn line_col_offset(file: &SourceFile, line: usize, column: usize) -> usize {
    let Some(start) = file.line_start(line) else {
        return if line == 0 { 0 } else { file.text.len() };
    };
    let rest = file.text.get(start..).unwrap_or("");
    let mut offset = start;
    for (n, c) in rest.chars().enumerate() {
        if n + 1 >= column || c == '\n' {
            break;
        }
        offset += c.len_utf8();
    }
    offset
}

/// Every comment of the file, from the YAML event stream (so `#` inside quoted and block
/// scalars is not a comment). Stops quietly at the first YAML error.
fn comments(file: &SourceFile) -> Vec<Comment> {
    let mut out = Vec::new();
    for event in Parser::new_from_str(&file.text) {
        let Ok((event, span)) = event else { break };
        if let Event::Comment(text, _) = event {
            let (Some(start), Some(end)) = (span.start.byte_offset(), span.end.byte_offset())
            else {
                continue;
            };
            out.push(Comment {
                text: text.into_owned(),
                span: Span::new(start, end),
            });
        }
    }
    out
}

/// What the visitor reads: serde-saphyr's typed scalars and collections, each child spanned.
#[derive(Debug)]
enum Raw {
    Null,
    Typed(String),
    Str(String),
    Seq(Vec<RawNode>),
    Map(Vec<(RawNode, RawNode)>),
}

type RawNode = Spanned<Tagged<Raw>>;

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Typed(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

struct Convert<'a> {
    file: &'a SourceFile,
    id: FileId,
    errors: Vec<SyntaxError>,
}

impl Convert<'_> {
    fn loc(&self, raw: &RawNode) -> Loc {
        let span = to_span(self.file, &raw.referenced);
        let defined = to_span(self.file, &raw.defined);
        Loc {
            file: self.id,
            span,
            defined: (defined != span).then_some(defined),
        }
    }

    fn node(&mut self, raw: RawNode) -> Node {
        let loc = self.loc(&raw);
        let written = loc.defined.unwrap_or(loc.span);
        let Tagged(value, tag) = raw.value;
        let value = match value {
            Raw::Null => Value::Null,
            Raw::Typed(fallback) => {
                let source = self.file.slice(written);
                let (text, verbatim_at) = if source.is_empty() || source.starts_with(['"', '\'']) {
                    (fallback, None)
                } else {
                    (source.to_owned(), Some(written.start()))
                };
                let kind = resolve_plain(&text);
                Value::Scalar(Scalar {
                    text,
                    style: ScalarStyle::Plain,
                    kind,
                    interpolated: None,
                    verbatim_at,
                })
            }
            Raw::Str(text) => {
                let source = self.file.slice(written);
                let (style, verbatim_at) = if source.starts_with('"') {
                    let inner = source.get(1..source.len().saturating_sub(1));
                    (
                        ScalarStyle::DoubleQuoted,
                        (inner == Some(text.as_str())).then_some(written.start() + 1),
                    )
                } else if source.starts_with('\'') {
                    let inner = source.get(1..source.len().saturating_sub(1));
                    (
                        ScalarStyle::SingleQuoted,
                        (inner == Some(text.as_str())).then_some(written.start() + 1),
                    )
                } else if source == text {
                    (ScalarStyle::Plain, Some(written.start()))
                } else {
                    (ScalarStyle::Block, None)
                };
                let kind = match (style, &tag) {
                    (ScalarStyle::Plain, None) => resolve_plain(&text),
                    _ => ScalarKind::String,
                };
                Value::Scalar(Scalar {
                    text,
                    style,
                    kind,
                    interpolated: None,
                    verbatim_at,
                })
            }
            Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| self.node(i)).collect()),
            Raw::Map(entries) => Value::Map(self.mapping(entries)),
        };
        Node { value, loc, tag }
    }

    /// Converts a mapping: keys become strings, duplicates are errors, `<<` is applied.
    fn mapping(&mut self, raw: Vec<(RawNode, RawNode)>) -> Vec<Entry> {
        let mut own: Vec<Entry> = Vec::with_capacity(raw.len());
        let mut merges: Vec<(usize, Node, Node)> = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for (k, v) in raw {
            let key = self.node(k);
            let value = self.node(v);
            let Some(scalar) = key.as_scalar() else {
                if key.is_null() {
                    self.errors.push(SyntaxError::new(
                        key.loc.span,
                        "a mapping key must not be empty",
                    ));
                } else {
                    self.errors.push(SyntaxError::new(
                        key.loc.span,
                        format!("a mapping key must be a string, not {}", key.kind_name()),
                    ));
                }
                continue;
            };
            let name = scalar.text.clone();
            let is_merge = name == "<<" && scalar.style == ScalarStyle::Plain && key.tag.is_none();
            if let Some(first) = seen.get(&name) {
                let at = self.file.line_col(first.start());
                let mut error = SyntaxError::new(
                    key.loc.span,
                    format!(
                        "mapping key \"{}\" already defined at line {}",
                        super::excerpt(&name),
                        at.line
                    ),
                );
                if is_merge {
                    error = error
                        .with_help("merge several anchors with one key: `<<: [*first, *second]`");
                }
                self.errors.push(error);
                continue;
            }
            seen.insert(name, key.loc.span);
            if is_merge {
                merges.push((own.len(), key, value));
            } else {
                own.push(Entry {
                    key,
                    value,
                    merged_by: None,
                });
            }
        }
        if merges.is_empty() {
            return own;
        }
        // Merged entries never replace keys written in the mapping; among several sources
        // (`<<: [*a, *b]`) the first one wins (YAML 1.1 merge key type).
        let mut present: std::collections::HashSet<String> =
            own.iter().map(|e| e.name().to_owned()).collect();
        let mut inserts: Vec<(usize, Vec<Entry>)> = Vec::new();
        for (at, key, value) in merges {
            let sources: Vec<Node> = match value.value {
                Value::Map(_) => vec![value],
                Value::Seq(items) => items,
                _ => {
                    self.errors.push(SyntaxError::new(
                        value.loc.span,
                        format!(
                            "the merge key `<<` needs a mapping or a list of mappings, not {}",
                            value.kind_name()
                        ),
                    ));
                    continue;
                }
            };
            let mut merged = Vec::new();
            for source in sources {
                let Value::Map(entries) = source.value else {
                    self.errors.push(SyntaxError::new(
                        source.loc.span,
                        format!(
                            "the merge key `<<` can only merge mappings, not {}",
                            source.kind_name()
                        ),
                    ));
                    continue;
                };
                for entry in entries {
                    if present.insert(entry.name().to_owned()) {
                        merged.push(Entry {
                            merged_by: Some(key.loc.span),
                            ..entry
                        });
                    }
                }
            }
            inserts.push((at, merged));
        }
        let mut out =
            Vec::with_capacity(own.len() + inserts.iter().map(|(_, m)| m.len()).sum::<usize>());
        let mut inserts = inserts.into_iter().peekable();
        for (i, entry) in own.into_iter().enumerate() {
            while let Some((_, merged)) = inserts.next_if(|(at, _)| *at == i) {
                out.extend(merged);
            }
            out.push(entry);
        }
        for (_, merged) in inserts {
            out.extend(merged);
        }
        out
    }
}

/// Resolves a plain scalar the way go-yaml (YAML 1.2 core, plus `0755` octal) does.
fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarKind::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarKind::Float,
        _ => {}
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let is_int = if let Some(hex) = digits.strip_prefix("0x") {
        !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some(oct) = digits.strip_prefix("0o") {
        !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
    } else {
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if is_int {
        return ScalarKind::Int;
    }
    let float = digits.strip_prefix('.').map_or(digits, |d| d);
    let looks_float = !float.is_empty()
        && float.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && digits.parse::<f64>().is_ok();
    if looks_float {
        ScalarKind::Float
    } else {
        ScalarKind::String
    }
}

/// Interpolates every scalar value (not keys) of `node` with `env`, as Compose does for each
/// file before merging. Invalid templates are returned as syntax errors.
pub fn interpolate_tree(node: &mut Node, env: &Environment, errors: &mut Vec<SyntaxError>) {
    match &mut node.value {
        Value::Scalar(scalar) => {
            if !scalar.text.contains('$') {
                return;
            }
            let mut result = interpolate(&scalar.text, env);
            let whole = node.loc.defined.unwrap_or(node.loc.span);
            result.relocate(scalar.verbatim_at, whole.start()..whole.end());
            for e in &result.errors {
                errors.push(SyntaxError::new(
                    Span::new(e.range.start, e.range.end),
                    e.message.clone(),
                ));
            }
            scalar.interpolated = Some(Box::new(result));
        }
        Value::Seq(items) => {
            for item in items {
                interpolate_tree(item, env, errors);
            }
        }
        Value::Map(entries) => {
            for entry in entries {
                interpolate_tree(&mut entry.value, env, errors);
            }
        }
        Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (SourceFile, YamlFile) {
        let file = SourceFile::from_text("compose.yaml", text);
        let yaml = parse_yaml(&file, FileId(0));
        (file, yaml)
    }

    #[test]
    fn plain_scalars_resolve_like_go_yaml() {
        for (text, kind) in [
            ("true", ScalarKind::Bool),
            ("yes", ScalarKind::String),
            ("8069", ScalarKind::Int),
            ("0555", ScalarKind::Int),
            ("0o555", ScalarKind::Int),
            ("1.5", ScalarKind::Float),
            ("22:22", ScalarKind::String),
            ("1e3", ScalarKind::Float),
            ("e3", ScalarKind::String),
            ("-", ScalarKind::String),
        ] {
            assert_eq!(resolve_plain(text), kind, "{text}");
        }
    }

    #[test]
    fn spans_survive_crlf_and_multibyte_characters() {
        let (file, yaml) = parse("a: ça\r\nb: \"é\"\r\nc: 0555\r\n");
        assert!(yaml.errors.is_empty(), "{:?}", yaml.errors);
        let root = &yaml.documents[0];
        let b = root.get("b").unwrap();
        assert_eq!(file.slice(b.span()), "\"é\"");
        assert_eq!(b.as_scalar().unwrap().style, ScalarStyle::DoubleQuoted);
        let c = root.get("c").unwrap();
        assert_eq!(c.as_str(), Some("0555"));
        assert_eq!(file.slice(root.entry("c").unwrap().key.span()), "c");
    }

    #[test]
    fn line_and_column_fall_back_to_byte_offsets() {
        let file = SourceFile::from_text("x", "ab\nçd\n");
        assert_eq!(line_col_offset(&file, 2, 1), 3);
        assert_eq!(line_col_offset(&file, 2, 2), 5);
        assert_eq!(line_col_offset(&file, 2, 99), 6);
        assert_eq!(line_col_offset(&file, 9, 1), 7);
    }

    #[test]
    fn merge_keys_keep_use_site_and_anchor() {
        let (file, yaml) = parse("x: &x {a: 1, b: 2}\ny:\n  b: 3\n  <<: *x\n");
        assert!(yaml.errors.is_empty(), "{:?}", yaml.errors);
        let y = yaml.documents[0].get("y").unwrap();
        let names: Vec<_> = y.as_map().unwrap().iter().map(Entry::name).collect();
        assert_eq!(names, ["b", "a"]);
        let a = y.entry("a").unwrap();
        assert_eq!(file.slice(a.key.span()), "*x");
        assert_eq!(file.slice(a.key.loc.defined.unwrap()), "a");
        assert_eq!(file.slice(a.merged_by.unwrap()), "<<");
        assert_eq!(y.get("b").unwrap().as_str(), Some("3"));
    }

    #[test]
    fn two_merge_keys_are_an_error() {
        let (_, yaml) = parse("x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: *x\n  <<: *y\n");
        assert_eq!(yaml.errors.len(), 1);
        assert!(yaml.errors[0]
            .message
            .contains("\"<<\" already defined at line 4"));
        assert!(yaml.errors[0].help.is_some());
    }
}
