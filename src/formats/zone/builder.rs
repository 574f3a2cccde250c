//! The zone's shared storage while parsing: interned names, the data arena and scratch
//! buffers reused from record to record so that parsing allocates little.

use super::model::{Bytes, CharString, Name, NameForm, NameId};
use super::names::{NameKind, NameTable, Prepared};
use crate::formats::SyntaxError;
use crate::source::Span;

pub(crate) struct Builder {
    pub names: NameTable,
    pub data: Vec<u8>,
    /// Set once the arena reached its 4 GiB limit; later data is dropped.
    pub data_full: bool,
    pub name_buf: Vec<u8>,
    /// The owner of the record being read (see `NameTable::prepare`).
    pub owner_buf: Vec<u8>,
    pub scratch: Vec<u8>,
    pub strings: Vec<CharString>,
}

impl Builder {
    /// `lines`: the number of lines of the root file, an estimate of the number of names.
    pub fn new(lines: usize) -> Self {
        Builder {
            names: NameTable::with_capacity(lines),
            data: Vec::new(),
            data_full: false,
            name_buf: Vec::with_capacity(256),
            owner_buf: Vec::with_capacity(256),
            scratch: Vec::with_capacity(256),
            strings: Vec::with_capacity(8),
        }
    }

    /// Appends octets to the data arena.
    pub fn push_data(&mut self, bytes: &[u8]) -> Bytes {
        let start = self.data.len();
        match (u32::try_from(start), u32::try_from(start + bytes.len())) {
            (Ok(start32), Ok(_)) => {
                self.data.extend_from_slice(bytes);
                Bytes {
                    start: start32,
                    len: bytes.len() as u32,
                }
            }
            _ => {
                self.data_full = true;
                Bytes::default()
            }
        }
    }

    /// Reads a name as written; `span` is reported with it and with any error.
    pub fn name(&mut self, text: &str, span: Span, origin: NameId) -> Result<Name, SyntaxError> {
        match self
            .names
            .parse(text.as_bytes(), origin, &mut self.name_buf)
        {
            Ok((id, kind)) => Ok(Name {
                id,
                span,
                form: form(kind),
            }),
            Err(e) => Err(SyntaxError::new(span, e.message(text))),
        }
    }

    /// Reads the owner name, to be interned by [`Builder::owner`] after the record data.
    pub fn prepare_owner(
        &mut self,
        text: &str,
        span: Span,
        origin: NameId,
    ) -> Result<Prepared, SyntaxError> {
        self.names
            .prepare(text.as_bytes(), origin, &mut self.owner_buf)
            .map_err(|e| SyntaxError::new(span, e.message(text)))
    }

    pub fn owner(&mut self, prepared: Prepared, span: Span) -> Name {
        let (id, kind) = self.names.intern_prepared(&self.owner_buf, prepared);
        Name {
            id,
            span,
            form: form(kind),
        }
    }
}

fn form(kind: NameKind) -> NameForm {
    match kind {
        NameKind::Absolute => NameForm::Absolute,
        NameKind::Relative => NameForm::Relative,
        NameKind::Origin => NameForm::Origin,
    }
}
