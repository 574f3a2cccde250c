//! Version numbers the stack's facts name.

use std::fmt;

/// An nginx version, compared numerically (`1.25.1` < `1.27`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NginxVersion(pub u32, pub u32, pub u32);

impl NginxVersion {
    /// The release that added the `http2` directive and deprecated `listen … http2`.
    pub const HTTP2_DIRECTIVE: NginxVersion = NginxVersion(1, 25, 1);

    pub fn has_http2_directive(self) -> bool {
        self >= Self::HTTP2_DIRECTIVE
    }
}

impl std::str::FromStr for NginxVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim().split('.').map(str::parse::<u32>);
        let mut next = || {
            parts
                .next()
                .transpose()
                .map_err(|_| format!("`{s}` is not an nginx version like 1.27 or 1.22.1"))
        };
        let major = next()?.ok_or_else(|| format!("`{s}` is not an nginx version"))?;
        let minor = next()?.unwrap_or(0);
        let patch = next()?.unwrap_or(0);
        Ok(NginxVersion(major, minor, patch))
    }
}

impl fmt::Display for NginxVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}
