//! "Did you mean": the known name nearest to a misspelt one.

/// The known name closest to `k` by edit distance (case-insensitive), if
/// any is close enough: at most 2 edits, or a quarter of its length.
pub fn closest<'a>(k: &str, known: &[&'a str]) -> Option<&'a str> {
    let lk = k.to_ascii_lowercase();
    known
        .iter()
        .filter(|c| **c != k)
        .map(|c| (edit_distance(&lk, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub fn did_you_mean(k: &str, known: &[&str]) -> String {
    match closest(k, known) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    }
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names() {
        assert_eq!(
            closest("palcement", &["placement", "subnets"]),
            Some("placement")
        );
        assert_eq!(closest("GroupIdd", &["GroupId", "VpcId"]), Some("GroupId"));
        assert_eq!(closest("Reff", &["Ref", "Sub"]), Some("Ref"));
        assert_eq!(closest("zzzzzz", &["placement"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
