//! Records written back in presentation form, one line each: absolute owner, TTL, class,
//! type and data, escapes canonical. Used by messages, tests and the differential check.

use std::fmt::Write as _;

use super::model::{CharString, RData, Record, Zone};

impl Zone {
    /// The record as one master-file line, e.g.
    /// `www.insightpulseai.net. 3600 IN CNAME insightpulseai.net.insightpulseai.net.`
    pub fn record_text(&self, record: &Record) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "{} {} {} {} ",
            self.name(record.owner.id),
            record.ttl.value,
            record.class,
            record.rtype
        );
        self.write_rdata(&record.rdata, &mut out);
        out
    }

    /// The record data in presentation form.
    pub fn rdata_text(&self, rdata: &RData) -> String {
        let mut out = String::new();
        self.write_rdata(rdata, &mut out);
        out
    }

    fn write_rdata(&self, rdata: &RData, out: &mut String) {
        let _ = match rdata {
            RData::A(a) => write!(out, "{}", a.value),
            RData::Aaaa(a) => write!(out, "{}", a.value),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) | RData::Dname(n) => {
                write!(out, "{}", self.name(n.id))
            }
            RData::Mx(mx) => write!(out, "{} {}", mx.preference.value, self.name(mx.exchange.id)),
            RData::Txt(strings) | RData::Spf(strings) => {
                self.write_strings(strings, out);
                Ok(())
            }
            RData::Soa(soa) => write!(
                out,
                "{} {} {} {} {} {} {}",
                self.name(soa.mname.id),
                self.name(soa.rname.id),
                soa.serial.value,
                soa.refresh.value,
                soa.retry.value,
                soa.expire.value,
                soa.minimum.value
            ),
            RData::Srv(srv) => write!(
                out,
                "{} {} {} {}",
                srv.priority.value,
                srv.weight.value,
                srv.port.value,
                self.name(srv.target.id)
            ),
            RData::Caa(caa) => {
                let _ = write!(out, "{} ", caa.flags.value);
                out.push_str(&String::from_utf8_lossy(self.bytes(caa.tag.value)));
                out.push(' ');
                quote(self.bytes(caa.value.value), out);
                Ok(())
            }
            RData::Generic(g) => {
                let _ = write!(out, "\\# {}", g.length.value);
                if !g.data.value.is_empty() {
                    out.push(' ');
                }
                for b in self.bytes(g.data.value) {
                    let _ = write!(out, "{b:02X}");
                }
                Ok(())
            }
            RData::Raw(tokens) => {
                for (i, t) in tokens.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let text = String::from_utf8_lossy(self.bytes(t.text));
                    if t.quoted {
                        let _ = write!(out, "\"{text}\"");
                    } else {
                        out.push_str(&text);
                    }
                }
                Ok(())
            }
        };
    }

    fn write_strings(&self, strings: &[CharString], out: &mut String) {
        for (i, s) in strings.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            quote(self.bytes(s.data), out);
        }
    }
}

/// A quoted character-string: `"` and `\` escaped, octets outside printable ASCII as `\DDD`.
fn quote(bytes: &[u8], out: &mut String) {
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out.push('"');
}
