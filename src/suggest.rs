//! "Did you mean …?" suggestions.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|&(distance, c)| distance > 0 && distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
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
}
