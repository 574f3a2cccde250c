//! "Did you mean …?" suggestions.

/// Words longer than this get no suggestion: no option, rule code or host name is, and the
/// edit distance costs the product of the two lengths.
const MAX_WORD_LEN: usize = 255;

/// Only this many candidates are compared, so one look-up stays bounded however long the list
/// (a stack with thousands of sites); typos are looked for among the first ones.
const MAX_CANDIDATES: usize = 1_000;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > MAX_WORD_LEN {
        return None;
    }
    let word_lower = word.to_ascii_lowercase();
    let word_bag = ByteBag::of(&word_lower);
    let allowed = |c: &str| (c.len().max(word.len()) / 3).max(1);
    // The bag distance (bytes one side has and the other lacks) never exceeds the edit
    // distance, and costs one pass: most candidates are ruled out before the quadratic one.
    let may_be_near = |c: &&str| {
        c.len().abs_diff(word.len()) <= allowed(c)
            && word_bag.distance(&ByteBag::of(&c.to_ascii_lowercase())) <= allowed(c)
    };
    candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .filter(may_be_near)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|&(distance, c)| distance > 0 && distance <= allowed(c))
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
}

/// How many times each byte occurs in a word.
struct ByteBag([u16; 256]);

impl ByteBag {
    fn of(word: &str) -> Self {
        let mut counts = [0u16; 256];
        for byte in word.bytes() {
            counts[usize::from(byte)] = counts[usize::from(byte)].saturating_add(1);
        }
        ByteBag(counts)
    }

    /// The larger of the bytes only `self` has and those only `other` has: a lower bound
    /// of the Damerau–Levenshtein distance (a substitution, insertion or deletion changes
    /// each side by at most one; a transposition changes neither).
    fn distance(&self, other: &ByteBag) -> usize {
        let (mut extra, mut missing) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                extra += usize::from(a - b);
            } else {
                missing += usize::from(b - a);
            }
        }
        extra.max(missing)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_only_near_misses() {
        let options = ["gevent_port", "http_port", "proxy_mode"];
        assert_eq!(super::closest("gevnet_port", options), Some("gevent_port"));
        assert_eq!(super::closest("proxymode", options), Some("proxy_mode"));
        assert_eq!(super::closest("session_store", options), None);
    }

    #[test]
    fn huge_words_get_no_suggestion() {
        let huge = "a".repeat(1 << 20);
        assert_eq!(super::closest(&huge, ["a"]), None);
    }
}
