//! `$GENERATE range lhs [ttl] [class] type rhs` (a BIND extension, BIND 9 ARM "The
//! $GENERATE Directive").
//!
//! The range is `start-stop[/step]` with each number at most 2^31-1 and `start <= stop`,
//! `step >= 1`. In `lhs` and `rhs`, `$` is the iterator, `$$` a literal `$`, `\$` an
//! escaped one, and `${offset[,width[,base]]}` formats `iterator + offset`, zero-padded to
//! `width`, in base `d`, `o`, `x`, `X`, or `n`/`N` (reversed nibbles with dots, for
//! ip6.arpa names; the width then counts the dots too). The rhs is one token (quote it to
//! hold spaces) read as the record data after expansion. The number of generated records
//! is bounded by [`super::ParseOptions::max_generated_records`], each expansion by 2048
//! bytes and all expansions of a zone by 16 MiB.
//!
//! Generated records point at the directive: the owner's span is `lhs`, every rdata span is
//! `rhs`, and [`super::Record::generated`] is set.

use std::fmt::Write as _;

use super::fields::{self, Modifier};
use super::lexer::{Entry, Lexer, Token};
use super::model::{FileId, Generate, Record};
use super::parser::{Parser, RecordHead, Scope};
use super::rdata::Input;
use crate::formats::SyntaxError;
use crate::source::Span;

/// The longest expanded lhs or rhs accepted (BIND's buffer is 2048 bytes).
const MAX_EXPANDED: usize = 2048;

/// The most expanded text all `$GENERATE` directives of a zone may produce, so that a short
/// line cannot make hundreds of megabytes of record data.
const MAX_EXPANDED_TOTAL: usize = 16 << 20;

pub(crate) fn run(
    p: &mut Parser<'_, '_>,
    text: &str,
    file: FileId,
    entry: Entry,
    args: &[Token],
    scope: &Scope,
) -> Result<Generate, SyntaxError> {
    let word = |t: &Token| text.get(t.span.start()..t.span.end()).unwrap_or("");
    let missing = |what: &str| {
        SyntaxError::new(
            Span::at(entry.span.end()),
            format!("unexpected end of line: $GENERATE needs {what}"),
        )
    };
    let range = *args.first().ok_or_else(|| missing("a range like 1-254"))?;
    let (start, stop, step) = parse_range(word(&range))
        .filter(|_| !range.quoted)
        .ok_or_else(|| {
            SyntaxError::new(range.span, format!("$GENERATE: invalid range '{}'", word(&range))).with_help(
                "write start-stop or start-stop/step with start <= stop, step >= 1, numbers below 2^31",
            )
        })?;
    let lhs = *args.get(1).ok_or_else(|| missing("an owner template"))?;
    if lhs.quoted {
        return Err(SyntaxError::new(
            lhs.span,
            "$GENERATE: the owner template cannot be quoted",
        ));
    }
    let rest = args.get(2..).unwrap_or(&[]);
    let head = RecordHead::read(text, rest, entry.span.end())?;
    let rhs = *rest
        .get(head.rdata_from)
        .ok_or_else(|| missing("a data template"))?;
    if let Some(extra) = rest.get(head.rdata_from + 1) {
        return Err(SyntaxError::new(
            extra.span,
            format!("extra input text '{}': the $GENERATE data template is one token; quote it to include spaces", word(extra)),
        ));
    }
    if let Some(c) = head.class {
        if c.value != p.class {
            return Err(SyntaxError::new(
                c.span,
                format!(
                    "class '{}' does not match the zone class '{}'",
                    c.value, p.class
                ),
            ));
        }
    }
    let count = ((stop - start) / step) as usize + 1;
    if p.generated + count > p.opts.max_generated_records {
        return Err(SyntaxError::new(
            range.span,
            format!(
                "$GENERATE would make {count} records; the limit for a zone is {} (ParseOptions::max_generated_records)",
                p.opts.max_generated_records
            ),
        ));
    }
    let lhs_text = word(&lhs);
    let rhs_text = text
        .get(rhs.content().start()..rhs.content().end())
        .unwrap_or("");
    let first_record = p.records.len();
    let mut lhs_buf = String::new();
    let mut rhs_buf = String::new();
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let mut lex_errors = Vec::new();
    let result = (|| -> Result<(), SyntaxError> {
        let mut value = u64::from(start);
        while value <= u64::from(stop) {
            expand(lhs_text, value as i64, &mut lhs_buf)
                .map_err(|m| SyntaxError::new(lhs.span, m))?;
            expand(rhs_text, value as i64, &mut rhs_buf)
                .map_err(|m| SyntaxError::new(rhs.span, m))?;
            let owner =
                p.b.name(&lhs_buf, lhs.span, scope.origin)
                    .map_err(|e| generated_error(e, value))?;
            let mut lexer = Lexer::new(&rhs_buf);
            tokens.clear();
            lex_errors.clear();
            let lexed = lexer.next_entry(&mut tokens, &mut comments, &mut lex_errors);
            if let Some(e) = lex_errors.first() {
                return Err(SyntaxError::new(
                    rhs.span,
                    format!("$GENERATE: in '{rhs_buf}': {}", e.message),
                ));
            }
            if lexed.is_some()
                && lexer
                    .next_entry(&mut Vec::new(), &mut comments, &mut lex_errors)
                    .is_some()
            {
                return Err(SyntaxError::new(
                    rhs.span,
                    format!("$GENERATE: the data '{rhs_buf}' spans several lines"),
                ));
            }
            let mut input = Input {
                text: &rhs_buf,
                tokens: &tokens,
                pos: 0,
                end: rhs_buf.len(),
                fixed_span: Some(rhs.span),
                origin: scope.origin,
            };
            let rdata =
                p.b.rdata(head.rtype.value, &mut input)
                    .map_err(|e| generated_error(e, value))?;
            let ttl = p.resolve_ttl_for(head.ttl, head.rtype, &rdata)?;
            p.records.push(Record {
                span: entry.span,
                owner,
                ttl,
                rtype_span: head.rtype.span,
                rdata,
                origin: scope.origin,
                file,
                class: head.class.map_or(p.class, |c| c.value),
                rtype: head.rtype.value,
                generated: true,
            });
            p.generated += 1;
            p.generated_bytes += lhs_buf.len() + rhs_buf.len();
            if p.generated_bytes > MAX_EXPANDED_TOTAL {
                return Err(SyntaxError::new(
                    range.span,
                    format!(
                        "$GENERATE output exceeds {} MiB of text for this zone",
                        MAX_EXPANDED_TOTAL >> 20
                    ),
                ));
            }
            value += u64::from(step);
        }
        Ok(())
    })();
    if let Err(e) = result {
        p.records.truncate(first_record);
        return Err(e);
    }
    Ok(Generate {
        start,
        stop,
        step,
        range: range.span,
        lhs: lhs.span,
        ttl: head.ttl,
        class: head.class,
        rtype: head.rtype,
        rhs: rhs.span,
        records: first_record..p.records.len(),
    })
}

fn generated_error(e: SyntaxError, value: u64) -> SyntaxError {
    SyntaxError {
        message: format!("$GENERATE (iteration {value}): {}", e.message),
        ..e
    }
}

/// `start-stop[/step]`, bounded as BIND 9.18 does. Text after a complete range is ignored,
/// as BIND's `sscanf` does, except a dangling `/`.
fn parse_range(text: &str) -> Option<(u32, u32, u32)> {
    const MAX: u32 = i32::MAX as u32;
    let (start, stop, step) = fields::generate_range(text)?;
    let step = step.unwrap_or(1);
    (start <= stop && stop <= MAX && (1..=MAX).contains(&step)).then_some((start, stop, step))
}

/// Expands a template for one iterator value.
fn expand(template: &str, value: i64, out: &mut String) -> Result<(), String> {
    out.clear();
    let mut rest = template;
    while let Some(pos) = rest.find(['$', '\\']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix('\\') {
            // Keep the escape and the character it protects.
            out.push('\\');
            let mut chars = after.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        } else if let Some(after) = tail.strip_prefix("$$") {
            out.push('$');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("${") {
            let (modifier, after) = fields::generate_modifier(after).ok_or_else(|| {
                "$GENERATE: bad modifier: write ${offset}, ${offset,width} or ${offset,width,base} with base d, o, x, X, n or N"
                    .to_string()
            })?;
            format_value(value, modifier, out)?;
            rest = after;
        } else {
            format_value(
                value,
                Modifier {
                    offset: 0,
                    width: 0,
                    base: 'd',
                },
                out,
            )?;
            rest = &tail[1..];
        }
        if out.len() > MAX_EXPANDED {
            return Err(format!(
                "$GENERATE: the expanded text is longer than {MAX_EXPANDED} characters"
            ));
        }
    }
    out.push_str(rest);
    if out.len() > MAX_EXPANDED {
        return Err(format!(
            "$GENERATE: the expanded text is longer than {MAX_EXPANDED} characters"
        ));
    }
    Ok(())
}

fn format_value(value: i64, m: Modifier, out: &mut String) -> Result<(), String> {
    if m.width > 255 {
        return Err(format!(
            "$GENERATE: modifier width {} is too large",
            m.width
        ));
    }
    let v = value.saturating_add(m.offset);
    let width = m.width as usize;
    // As in C's printf: %d is signed, the other bases print the 32-bit pattern.
    let unsigned = v as i32 as u32;
    let _ = match m.base {
        'o' => write!(out, "{unsigned:0width$o}"),
        'x' => write!(out, "{unsigned:0width$x}"),
        'X' => write!(out, "{unsigned:0width$X}"),
        'n' | 'N' => {
            nibbles(unsigned, width, m.base == 'N', out);
            Ok(())
        }
        _ => write!(out, "{:0width$}", v as i32),
    };
    Ok(())
}

/// Reversed hex nibbles, each followed by a dot while the width (which counts the dots) or
/// the value has more to give: 0x0a with width 4 is `a.0.`, with width 3 `a.0`.
fn nibbles(mut value: u32, mut width: usize, upper: bool, out: &mut String) {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    loop {
        out.push(digits[(value & 0xf) as usize] as char);
        value >>= 4;
        width = width.saturating_sub(1);
        if width > 0 || value != 0 {
            out.push('.');
            width = width.saturating_sub(1);
        }
        if value == 0 && width == 0 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(template: &str, value: i64) -> String {
        let mut out = String::new();
        expand(template, value, &mut out).unwrap();
        out
    }

    #[test]
    fn templates_expand_like_bind() {
        assert_eq!(exp("host$", 3), "host3");
        assert_eq!(exp("h${1,3,d}", 1), "h002");
        assert_eq!(exp("t${0,2,x}.x.", 9), "t09.x.");
        assert_eq!(exp("r${0,4,n}", 10), "ra.0.");
        assert_eq!(exp("q${0,3,n}", 10), "qa.0");
        assert_eq!(exp("k${0,0,n}", 10), "ka");
        assert_eq!(exp("p${0,2,n}", 10), "pa.");
        assert_eq!(exp("t${1,2,X}${0,2,N}", 1), "t021.");
        assert_eq!(exp("val $ \\$ $$", 250), "val 250 \\$ $");
        assert_eq!(exp("p${-5}", 2), "p-3");
        assert_eq!(exp("q${-5,3,x}", 1), "qfffffffc");
        assert_eq!(exp("u${+1}", 1), "u2");
        assert!(expand("t${1,2,d", 1, &mut String::new()).is_err());
        assert!(expand("t${1,3,q}", 1, &mut String::new()).is_err());
        assert!(expand("t${}", 1, &mut String::new()).is_err());
    }

    #[test]
    fn ranges_are_bounded() {
        assert_eq!(parse_range("1-254"), Some((1, 254, 1)));
        assert_eq!(parse_range("1-10/4"), Some((1, 10, 4)));
        assert_eq!(parse_range("5-1"), None);
        assert_eq!(parse_range("1-5/0"), None);
        assert_eq!(parse_range("0-2147483648"), None);
        assert_eq!(parse_range("1-3/2147483648"), None);
    }
}
