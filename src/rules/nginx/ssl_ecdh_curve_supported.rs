use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the key exchange groups of `ssl_ecdh_curve` for post-quantum hybrid groups
    /// that many OpenSSL builds lack: the ML-KEM groups (`X25519MLKEM768`,
    /// `SecP256r1MLKEM768`, …), which OpenSSL has from 3.5, and the pre-standard Kyber
    /// drafts (`X25519Kyber768Draft00`), which only BoringSSL and the oqs provider ever
    /// knew. A group written with OpenSSL 3.5's `?` prefix (`?X25519MLKEM768`: skip it when
    /// missing) is left alone.
    ///
    /// ## Why is this bad?
    /// nginx hands the list to OpenSSL when it reads the configuration; an unknown group
    /// makes `SSL_CTX_set1_curves_list` fail, and nginx refuses to start
    /// (`SSL_CTX_set1_curves_list(...) failed`). Debian 12, Ubuntu 24.04 and the nginx
    /// images built on them ship OpenSSL 3.0, which has no ML-KEM; no OpenSSL release has
    /// the Kyber drafts, which browsers dropped in favour of `X25519MLKEM768`. A list
    /// copied from a guide written for another build stops nginx at the next upgrade or
    /// image change.
    ///
    /// ## Example
    /// ```nginx
    /// ssl_ecdh_curve X25519Kyber768Draft00:X25519;
    /// ```
    ///
    /// ## Fix
    /// Name the standard hybrid group, and only where nginx's OpenSSL is 3.5 or later, with
    /// `?` so that a build without it skips it; otherwise leave the groups to OpenSSL:
    /// ```nginx
    /// ssl_ecdh_curve ?X25519MLKEM768:X25519:prime256v1;
    /// ```
    ///
    /// ## Source
    /// nginx `ssl_ecdh_curve` (<https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_ecdh_curve>);
    /// OpenSSL `SSL_CTX_set1_groups_list` (<https://docs.openssl.org/3.5/man3/SSL_CTX_set1_curves/>:
    /// "If a group name is preceded with the ? character, it will be ignored if an
    /// implementation is missing"); OpenSSL 3.5 release notes, ML-KEM
    /// (<https://openssl-library.org/news/openssl-3.5-notes/>); gixy-next plugin
    /// `ssl_ecdh_curve`.
    pub struct SslEcdhCurveSupported {
        code: "NGX029",
        name: "ssl-ecdh-curve-supported",
        severity: Warning,
        applies: Start,
        peers: ["gixy-next/ssl_ecdh_curve"],
    }
}

/// Why a group of the list may be unknown to nginx's TLS library, if it may.
fn unportable(group: &str) -> Option<&'static str> {
    let lower = group.to_ascii_lowercase();
    if lower.contains("kyber") {
        Some("a pre-standard Kyber draft that no OpenSSL release knows (only BoringSSL and the oqs provider did)")
    } else if lower.contains("mlkem") {
        Some("an ML-KEM hybrid that OpenSSL has only from 3.5 (Debian 12, Ubuntu 24.04 and the images built on them ship 3.0)")
    } else {
        None
    }
}

impl Rule for SslEcdhCurveSupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("ssl_ecdh_curve") {
                return;
            }
            let Some(word) = d.args.first() else {
                return;
            };
            // OpenSSL 3.5 separates tuples with `/` and marks key shares with `*`.
            for group in word.as_str().split([':', '/']) {
                let group = group.trim_start_matches('*');
                if group.starts_with('?') || group.starts_with('-') {
                    continue;
                }
                let Some(reason) = unportable(group) else {
                    continue;
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, word.span),
                        format!(
                            "`ssl_ecdh_curve` names `{group}`, {reason}: where nginx's TLS library lacks it, nginx refuses to start"
                        ),
                    )
                    .help("write it `?X25519MLKEM768` (OpenSSL 3.5 skips a missing group marked `?`), or drop it"),
                );
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::unportable;

    #[test]
    fn hybrid_groups_are_unportable() {
        assert!(unportable("X25519Kyber768Draft00").is_some());
        assert!(unportable("X25519MLKEM768").is_some());
        assert!(unportable("SecP256r1MLKEM768").is_some());
        assert!(unportable("X25519").is_none());
        assert!(unportable("prime256v1").is_none());
    }
}
