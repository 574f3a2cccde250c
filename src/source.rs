//! Source files as the linter sees them: decoded text, a line index, and byte spans.
//!
//! Every parser works on a [`SourceFile`] and reports positions as [`Span`]s, byte ranges
//! into [`SourceFile::text`]. Lines and columns are computed only when a finding is shown.

use std::path::{Path, PathBuf};

/// A half-open byte range `start..end` into one source file's text. Offsets are stored in
/// 32 bits (files over [`crate::workspace::MAX_FILE_BYTES`] are never parsed), which keeps
/// the models of large files small: a million-record zone holds several spans a record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    /// An empty span at `offset`, for "something is missing here" findings.
    pub const fn at(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    pub const fn start(&self) -> usize {
        self.start as usize
    }

    pub const fn end(&self) -> usize {
        self.end as usize
    }

    /// The byte range, for slicing.
    pub const fn range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    pub const fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// An offset in 32 bits; one past the limit stays past every text's end.
const fn offset(at: usize) -> u32 {
    if at > u32::MAX as usize {
        u32::MAX
    } else {
        at as u32
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// How the bytes of a file were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// A UTF-8 byte order mark was present and removed.
    Utf8WithBom,
    /// The bytes were not valid UTF-8; invalid sequences became U+FFFD.
    Lossy {
        first_invalid_byte: usize,
    },
}

/// One file of the linted repository.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the linted root, with `/` separators; what findings show.
    pub name: String,
    /// Where the file is on disk, if it came from disk.
    pub path: PathBuf,
    /// The decoded text. Spans index into this.
    pub text: String,
    pub encoding: Encoding,
    /// Byte offset where each line starts, in 32 bits like [`Span`].
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Builds a source file from raw bytes. Never fails: a UTF-8 BOM is dropped and invalid
    /// UTF-8 is replaced, with [`SourceFile::encoding`] saying so.
    pub fn from_bytes(name: impl Into<String>, path: impl Into<PathBuf>, bytes: &[u8]) -> Self {
        let (text, encoding) = decode(bytes);
        Self::from_decoded(name.into(), path.into(), text, encoding)
    }

    /// Like [`SourceFile::from_bytes`], taking ownership: valid UTF-8 without a byte order
    /// mark becomes the text without a copy (a large zone file is read once).
    pub fn from_vec(name: impl Into<String>, path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        if !bytes.starts_with(b"\xEF\xBB\xBF") {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    return Self::from_decoded(name.into(), path.into(), text, Encoding::Utf8)
                }
                Err(err) => return Self::from_bytes(name, path, err.as_bytes()),
            }
        }
        Self::from_bytes(name, path, &bytes)
    }

    /// A source file from text already in memory (tests, generated output).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name = name.into();
        let path = PathBuf::from(&name);
        let mut text = text.into();
        let encoding = if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
            Encoding::Utf8WithBom
        } else {
            Encoding::Utf8
        };
        Self::from_decoded(name, path, text, encoding)
    }

    /// Reads a file from disk.
    pub fn read(name: impl Into<String>, path: &Path) -> std::io::Result<Self> {
        let bytes = std::fs::read(path)?;
        Ok(Self::from_bytes(name, path, &bytes))
    }

    fn from_decoded(name: String, path: PathBuf, text: String, encoding: Encoding) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            name,
            path,
            text,
            encoding,
            line_starts,
        }
    }

    /// The 1-based line and column of a byte offset. Offsets past the end clamp to the end;
    /// an offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..]
            .char_indices()
            .take_while(|&(i, _)| start + i < offset)
            .count();
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The 1-based line holding a byte offset (offsets past the end count as the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start as usize <= offset.min(self.text.len()))
    }

    /// The byte offset where a 1-based line starts, if the file has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.line_starts.get(i).map(|&start| start as usize))
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&end| end as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text a span covers (empty if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

fn decode(bytes: &[u8]) -> (String, Encoding) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (body, had_bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) if had_bom => (text.to_owned(), Encoding::Utf8WithBom),
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(err) => {
            let first_invalid_byte = err.valid_up_to() + if had_bom { BOM.len() } else { 0 };
            (
                String::from_utf8_lossy(body).into_owned(),
                Encoding::Lossy { first_invalid_byte },
            )
        }
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| offset(i + 1)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::from_text("a.conf", "ab\nçd e\r\nlast");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' follows the two-byte 'ç'
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(10), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_col(999), LineCol { line: 3, column: 5 });
        assert_eq!(file.line_text(2), "çd e");
    }

    #[test]
    fn bom_is_dropped_and_invalid_utf8_is_replaced() {
        let file = SourceFile::from_bytes("x", "x", b"\xEF\xBB\xBFa = 1\n");
        assert_eq!(file.text, "a = 1\n");
        assert_eq!(file.encoding, Encoding::Utf8WithBom);

        let file = SourceFile::from_bytes("x", "x", b"server_name caf\xE9;\n");
        assert_eq!(
            file.encoding,
            Encoding::Lossy {
                first_invalid_byte: 15
            }
        );
        assert!(file.text.contains('\u{fffd}'));
    }
}
