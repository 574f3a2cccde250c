//! Where each scalar of a `stack.yaml` is, so a value a template cannot represent is
//! reported at its line. The stack model itself carries no spans; this reads the same text
//! a second time into a tree of [`serde_saphyr::Spanned`] nodes, only when an error needs
//! a location.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A 1-based line and column in `stack.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YamlPosition {
    pub line: usize,
    pub column: usize,
}

/// Finds the scalar a value came from: one equal to it, else the longest one it was built
/// from (a value such as an SPF record joins several facts), else one that contains it.
pub fn locate(yaml: &str, value: &str) -> Option<YamlPosition> {
    let root: Node = serde_saphyr::from_str(yaml).ok()?;
    let mut scalars = Vec::new();
    collect(&root, &mut scalars);
    let exact = || scalars.iter().find(|(text, _)| text == value);
    let part = || {
        scalars
            .iter()
            .filter(|(text, _)| text.chars().count() >= 2 && value.contains(text.as_str()))
            .max_by_key(|(text, _)| text.len())
    };
    let whole = || {
        scalars
            .iter()
            .find(|(text, _)| !value.is_empty() && text.contains(value))
    };
    exact()
        .or_else(part)
        .or_else(whole)
        .map(|(_, position)| *position)
}

fn collect(node: &Node, out: &mut Vec<(String, YamlPosition)>) {
    match &node.0.value {
        Tree::Scalar(text) => {
            let at = &node.0.referenced;
            out.push((
                text.clone(),
                YamlPosition {
                    line: at.line() as usize,
                    column: at.column() as usize,
                },
            ));
        }
        Tree::Seq(items) => items.iter().for_each(|n| collect(n, out)),
        Tree::Map(entries) => entries.iter().for_each(|n| collect(n, out)),
    }
}

struct Node(Spanned<Tree>);

enum Tree {
    Scalar(String),
    Seq(Vec<Node>),
    /// Mapping values; keys are not needed to find a value.
    Map(Vec<Node>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spanned::<Tree>::deserialize(deserializer).map(Node)
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Scalar(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(String::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(String::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Tree::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut values = Vec::new();
        while let Some(key) = map.next_key::<de::IgnoredAny>()? {
            let _ = key;
            values.push(map.next_value::<Node>()?);
        }
        Ok(Tree::Map(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_decoded_scalars() {
        let yaml = "version: 1\nsites:\n  - fqdn: \"a b.example.net\"\n    environment: production\nmail:\n  dmarc_rua: \"x\\ny\"\n";
        assert_eq!(
            locate(yaml, "a b.example.net"),
            Some(YamlPosition {
                line: 3,
                column: 11
            })
        );
        assert_eq!(locate(yaml, "x\ny").map(|p| p.line), Some(6));
        assert_eq!(locate(yaml, "nowhere"), None);
    }
}
