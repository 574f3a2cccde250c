//! Presentation-format checks of the known types whose data ipai keeps as raw tokens
//! ([`super::RData::Raw`]): each type's fields are read as BIND 9.18's `named-checkzone`
//! reads them, and the first field it would refuse is a syntax error at that token.
//!
//! A check never moves the input: the tokens are then stored as they are.

use super::builder::Builder;
use super::rdata::Input;
use super::types::RType;
use crate::formats::SyntaxError;

impl Builder {
    /// Checks the data of a type kept as raw tokens, if ipai knows its format.
    pub(super) fn check_presentation(
        &mut self,
        rtype: RType,
        input: &mut Input<'_>,
    ) -> Result<(), SyntaxError> {
        let start = input.pos;
        let result = match rtype.0 {
            64 | 65 => self.check_svcb(input),
            _ => return Ok(()),
        }
        .and_then(|()| input.finish());
        input.pos = start;
        result
    }
}
