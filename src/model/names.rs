//! The annotator and source names the code itself writes. SQL binds them as parameters;
//! nothing retypes them as literals.

/// The annotator recorded on pre-tagger suggestions.
pub const ANNOTATOR_PRETAG: &str = "pretag";
/// The annotator recorded on imported annotations unless the caller names one.
pub const ANNOTATOR_IMPORT: &str = "import";
/// The annotator of the adjudicated layer.
pub const ANNOTATOR_GOLD: &str = "gold";
/// The annotator logged on schema edits when nobody is named.
pub const ANNOTATOR_SCHEMA: &str = "schema";

/// The `source` of an annotation an annotator made by hand.
pub const SOURCE_MANUAL: &str = "manual";
/// The `source` of an annotation that came in with an imported file.
pub const SOURCE_IMPORT: &str = "import";
/// The `source` of a span drawn over suggestions, which it supersedes.
pub const SOURCE_CORRECTED: &str = "corrected";
/// The `source` of entities made by "label every occurrence".
pub const SOURCE_PROPAGATED: &str = "propagated";
/// The `source` of entities made by "label all hits" of the corpus search.
pub const SOURCE_SEARCH: &str = "search";
/// The `source` of gold entities decided in review.
pub const SOURCE_ADJUDICATION: &str = "adjudication";

/// The longest label or relation type name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Whether `name` may name a label or relation type: not empty, at most
/// [`MAX_NAME_CHARS`] characters, no control characters, and no whitespace but single
/// ASCII spaces between words. Every name that enters the schema passes here.
pub fn check_label_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a label or relation type name is empty".to_owned());
    }
    let n_chars = name.chars().count();
    if n_chars > MAX_NAME_CHARS {
        return Err(format!(
            "the name {name:?} has {n_chars} characters, more than {MAX_NAME_CHARS}"
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the name {name:?} holds the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_whitespace() && *c != ' ') {
        return Err(format!("the name {name:?} holds the whitespace U+{:04X}", u32::from(c)));
    }
    if name.starts_with(' ') || name.ends_with(' ') || name.contains("  ") {
        return Err(format!(
            "the name {name:?} has spaces at an end or side by side (only single spaces between words)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_are_checked() {
        for good in ["PER", "任职", "Ren_Zhi", "date of birth", &"长".repeat(64)] {
            assert_eq!(check_label_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            " PER",
            "PER ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{3000}b",
            "a\u{0}b",
            &"长".repeat(65),
        ] {
            assert!(check_label_name(bad).is_err(), "{bad:?}");
        }
    }
}
