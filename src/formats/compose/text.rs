//! [`Text`]: a scalar of the typed view, and the splitting of scalars into spanned parts.

use std::ops::Range;

use super::interpolation::VarRef;
use super::yaml::{Node, Scalar, ScalarKind, ScalarStyle};
use super::Loc;
use crate::source::Span;

/// A scalar value of the typed view, or a part of one (the host IP of a port string).
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The value after interpolation. References that could not be resolved are kept as
    /// written (`${PORT}`), so a rule can still see them.
    pub value: String,
    pub loc: Loc,
    /// Variable references inside this value; their ranges are offsets in `loc.file`.
    pub refs: Vec<VarRef>,
    pub style: ScalarStyle,
    pub kind: ScalarKind,
    /// Some of the value is an unresolved reference.
    pub unresolved: bool,
    /// Some of the value came from a variable, a default or an alternative.
    pub from_variable: bool,
}

impl Text {
    /// The text of a scalar node; `None` for mappings, sequences and null.
    pub fn from_node(node: &Node) -> Option<Text> {
        ScalarRef::new(node).map(|s| s.whole())
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Written without any variable reference.
    pub fn is_literal(&self) -> bool {
        self.refs.is_empty()
    }

    /// A boolean the way Compose reads `true`/`"true"` (Go's `strconv.ParseBool`).
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_str() {
            "1" | "t" | "T" | "true" | "True" | "TRUE" => Some(true),
            "0" | "f" | "F" | "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    pub fn span(&self) -> Span {
        self.loc.span
    }
}

/// A scalar node with the helpers to cut its value into spanned parts.
pub(crate) struct ScalarRef<'a> {
    pub node: &'a Node,
    pub scalar: &'a Scalar,
    /// Output ranges of unresolved references kept in the value, in order.
    unresolved: Vec<Range<usize>>,
}

impl<'a> ScalarRef<'a> {
    pub fn new(node: &'a Node) -> Option<Self> {
        let scalar = node.as_scalar()?;
        let unresolved = scalar
            .interpolated
            .as_ref()
            .map(|i| {
                i.segments()
                    .iter()
                    .filter(|s| matches!(s.origin, super::interpolation::Origin::Unresolved(_)))
                    .map(|s| s.output.clone())
                    .collect()
            })
            .unwrap_or_default();
        Some(ScalarRef {
            node,
            scalar,
            unresolved,
        })
    }

    pub fn value(&self) -> &'a str {
        self.scalar.value()
    }

    pub fn whole(&self) -> Text {
        self.part(0..self.value().len())
    }

    /// The part of the value in `range` (byte offsets in [`Scalar::value`]).
    pub fn part(&self, range: Range<usize>) -> Text {
        let value = self.value();
        let start = range.start.min(value.len());
        let end = range.end.clamp(start, value.len());
        let range = start..end;
        let text = value.get(range.clone()).unwrap_or("").to_owned();
        let whole = range.start == 0 && range.end == value.len();
        let written = self.node.loc.written();
        let span = if whole {
            written
        } else {
            self.written_span(range.clone()).unwrap_or(written)
        };
        let (refs, unresolved, from_variable) = match &self.scalar.interpolated {
            Some(i) => {
                let refs = if whole {
                    i.refs.clone()
                } else {
                    i.refs_in(span.start()..span.end()).cloned().collect()
                };
                (
                    refs,
                    i.is_unresolved(range.clone()),
                    i.is_from_variable(range),
                )
            }
            None => (Vec::new(), false, false),
        };
        let loc = if self.node.loc.is_aliased() {
            Loc {
                defined: Some(span),
                ..self.node.loc
            }
        } else {
            Loc {
                span,
                ..self.node.loc
            }
        };
        Text {
            value: text,
            loc,
            refs,
            style: self.scalar.style,
            kind: self.scalar.kind,
            unresolved,
            from_variable,
        }
    }

    /// The file span that produced `range` of the value, when it can be known exactly.
    fn written_span(&self, range: Range<usize>) -> Option<Span> {
        match &self.scalar.interpolated {
            Some(i) => {
                self.scalar.verbatim_at?;
                i.source_range(range).map(|r| Span::new(r.start, r.end))
            }
            None => {
                let at = self.scalar.verbatim_at?;
                Some(Span::new(at + range.start, at + range.end))
            }
        }
    }

    /// Whether `pos` is inside an unresolved reference kept in the value.
    fn in_unresolved(&self, pos: usize) -> bool {
        let i = self.unresolved.partition_point(|r| r.end <= pos);
        self.unresolved
            .get(i)
            .is_some_and(|r| r.start < pos && pos < r.end)
    }

    /// Splits `range` of the value on `sep`, never inside an unresolved `${...}`.
    pub fn split(&self, range: Range<usize>, sep: char) -> Vec<Range<usize>> {
        let value = self.value();
        let mut parts = Vec::new();
        let mut start = range.start;
        for (i, c) in value.get(range.clone()).unwrap_or("").char_indices() {
            let at = range.start + i;
            if c == sep && !self.in_unresolved(at) {
                parts.push(start..at);
                start = at + c.len_utf8();
            }
        }
        parts.push(start..range.end);
        parts
    }

    /// The last `sep` in `range` outside unresolved references.
    pub fn rfind(&self, range: Range<usize>, sep: char) -> Option<usize> {
        let value = self.value();
        value
            .get(range.clone())?
            .char_indices()
            .rev()
            .map(|(i, c)| (range.start + i, c))
            .find(|&(at, c)| c == sep && !self.in_unresolved(at))
            .map(|(at, _)| at)
    }

    /// The first `sep` in `range` outside unresolved references.
    pub fn find(&self, range: Range<usize>, sep: char) -> Option<usize> {
        let value = self.value();
        value
            .get(range.clone())?
            .char_indices()
            .map(|(i, c)| (range.start + i, c))
            .find(|&(at, c)| c == sep && !self.in_unresolved(at))
            .map(|(at, _)| at)
    }
}
