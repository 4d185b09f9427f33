//! Pre-tagging: entity suggestions for a text, in layers.
//!
//! - jieba POS tags (nr, ns, nt) as one signal among several ([`rules`]);
//! - lexicons of places, organization and zone suffixes, titles and surnames ([`lexicon`]);
//! - patterns: titles before names, bylines, photo credits, transliterated names,
//!   region + core + suffix organizations, place + zone names ([`rules`]);
//! - numeric figures with `regex` ([`figures`]);
//! - relations between the suggestions: titles and organizations before a name, bylines,
//!   investments and places ([`relations`]);
//! - the project gazetteer: strings annotators accepted, suggested wherever they recur,
//!   and rejected ones never offered again ([`Gazetteer`]);
//! - a model learned from the project's accepted annotations ([`learned`], over
//!   [`crate::learn`]): when a project has one, its spans replace the rules' for the labels
//!   it knows, and the rules' and gazetteer's spans become evidence it weighs.
//!
//! Overlaps are resolved deterministically, longest and most confident first: the
//! output never holds overlapping entities.

mod figures;
pub mod learned;
pub mod lexicon;
mod relations;
mod rules;

pub use learned::{Learned, SOURCE_MODEL, TrainPhase, TrainSettings, Trained};

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::{CharSpan, IndexedRelation};
use crate::text::{CharIndex, Segmenter, UserDictEntry};

/// The source name of suggestions read off jieba's POS tags.
pub const SOURCE_JIEBA_POS: &str = "jieba-pos";
/// The source name of suggestions from the project gazetteer.
pub const SOURCE_GAZETTEER: &str = "gazetteer";

/// A proposed entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub char_start: usize,
    pub char_end: usize,
    /// One of the default schema's labels.
    pub label: &'static str,
    /// The rule that produced it.
    pub source: &'static str,
    /// In `[0, 1]`.
    pub confidence: f64,
}

impl Suggestion {
    pub(crate) fn new(
        char_start: usize,
        char_end: usize,
        label: &'static str,
        source: &'static str,
        confidence: f64,
    ) -> Self {
        Suggestion {
            char_start,
            char_end,
            label,
            source,
            confidence,
        }
    }

    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.char_start, self.char_end)
    }
}

/// Everything the pre-tagger proposes for one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    /// Non-overlapping, sorted by offset.
    pub entities: Vec<Suggestion>,
    /// Indexes into `entities`, sorted.
    pub relations: Vec<IndexedRelation>,
}

/// A rule's proposal before overlaps are resolved; the ones `resolve` keeps are the suggestions.
pub(crate) type Candidate = Suggestion;

/// The labels of the default schema, in a fixed order, so that candidates can borrow them.
const LABELS: [&str; 8] = ["PER", "ORG", "LOC", "TITLE", "MONEY", "PERCENT", "DATE", "QUANTITY"];

/// Picks non-overlapping candidates: longest first, then most confident, then leftmost,
/// then by label. Returns them sorted by offset.
pub(crate) fn resolve(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.retain(|c| c.char_start < c.char_end);
    // Every field takes part in the order, so an unstable sort gives the same result.
    candidates.sort_unstable_by(|a, b| {
        (b.char_end - b.char_start)
            .cmp(&(a.char_end - a.char_start))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.char_start.cmp(&b.char_start))
            .then(a.label.cmp(b.label))
            .then(a.source.cmp(b.source))
    });
    let n_chars = candidates.iter().map(|c| c.char_end).max().unwrap_or(0);
    // One bit a char; lines up to 4,096 chars need no allocation.
    let mut on_stack = [0u64; 64];
    let mut on_heap = Vec::new();
    let taken: &mut [u64] = if n_chars <= 64 * on_stack.len() {
        &mut on_stack
    } else {
        on_heap.resize(n_chars.div_ceil(64), 0);
        &mut on_heap
    };
    let is_taken = |taken: &[u64], i: usize| taken[i / 64] & (1 << (i % 64)) != 0;
    candidates.retain(|c| {
        if (c.char_start..c.char_end).any(|i| is_taken(taken, i)) {
            return false;
        }
        (c.char_start..c.char_end).for_each(|i| taken[i / 64] |= 1 << (i % 64));
        true
    });
    candidates.sort_unstable_by_key(|c| (c.char_start, c.char_end));
    candidates
}

/// Strings the project's annotators accepted under a label, suggested wherever they
/// occur, and `(string, label)` pairs they rejected, never suggested again.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    matcher: Option<AhoCorasick>,
    /// Parallel to the matcher's patterns.
    entries: Vec<(String, &'static str)>,
    rejected: HashSet<(String, String)>,
}

impl Gazetteer {
    /// `accepted` and `rejected` are `(text, label)` pairs; labels outside the default
    /// schema are kept for rejection but not suggested. A string accepted under more than
    /// one label is ambiguous and not suggested either.
    pub fn new(accepted: Vec<(String, String)>, rejected: Vec<(String, String)>) -> Gazetteer {
        let rejected: HashSet<(String, String)> = rejected.into_iter().collect();
        let mut entries: Vec<(String, &'static str)> = accepted
            .into_iter()
            .filter(|(text, label)| !rejected.contains(&(text.clone(), label.clone())) && text.chars().count() >= 2)
            .filter_map(|(text, label)| LABELS.iter().find(|l| **l == label).map(|l| (text, *l)))
            .collect();
        entries.sort();
        entries.dedup();
        let ambiguous: HashSet<String> = entries
            .windows(2)
            .filter(|pair| pair[0].0 == pair[1].0)
            .map(|pair| pair[0].0.clone())
            .collect();
        entries.retain(|(text, _)| !ambiguous.contains(text));
        let matcher = (!entries.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(entries.iter().map(|(text, _)| text.as_str()))
                    .ok()
            })
            .flatten();
        Gazetteer {
            matcher,
            entries,
            rejected,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.rejected.is_empty()
    }

    fn candidates(&self, text: &str, index: &CharIndex, out: &mut Vec<Candidate>) {
        let Some(matcher) = &self.matcher else {
            return;
        };
        for m in matcher.find_overlapping_iter(text) {
            let (Some(start), Some(end)) = (index.byte_to_char(m.start()), index.byte_to_char(m.end())) else {
                continue;
            };
            let label = self.entries[m.pattern().as_usize()].1;
            out.push(Candidate::new(start, end, label, SOURCE_GAZETTEER, 0.9));
        }
    }

    fn rejects(&self, text: &str, label: &str) -> bool {
        !self.rejected.is_empty() && self.rejected.contains(&(text.to_owned(), label.to_owned()))
    }
}

/// jieba with the lexicons' titles, organization and zone suffixes and place names added as
/// words, so that 省发展改革委副主任 cuts as 省/发展改革委/副主任 rather than 委副/主任, and
/// 株洲渌口经开区 as 株洲/渌口/经开区 rather than 渌/口经/开区. Built once.
static PRETAG_SEGMENTER: LazyLock<Segmenter> = LazyLock::new(|| Segmenter::with_user_dict(&lexicon_words(&[])));

/// The lexicon words the pre-tagger's segmenter knows, followed by `user_dict`.
fn lexicon_words(user_dict: &[UserDictEntry]) -> Vec<UserDictEntry> {
    let lex = &*lexicon::LEXICONS;
    let word = |word: String, pos: &str| UserDictEntry {
        word,
        freq: None,
        pos: Some(pos.to_owned()),
    };
    let mut words: Vec<UserDictEntry> = Vec::new();
    let mut titles: Vec<&str> = lex.titles.keys().copied().collect();
    titles.sort_unstable();
    for title in titles {
        words.push(word(title.to_owned(), "n"));
        for prefix in ["副", "常务副", "总"] {
            words.push(word(format!("{prefix}{title}"), "n"));
        }
    }
    for suffix in lex.org_suffixes.iter().filter(|s| s.chars().count() >= 3) {
        words.push(word((*suffix).to_owned(), "n"));
    }
    let mut zone_suffixes: Vec<&str> = lex
        .zone_suffix_set
        .iter()
        .copied()
        .filter(|s| s.chars().count() >= 3)
        .collect();
    zone_suffixes.sort_unstable();
    words.extend(zone_suffixes.into_iter().map(|s| word(s.to_owned(), "n")));
    // Two-character places only when jieba lacks them (渌口): those it knows are cut already,
    // and adding them would boost common words that happen to name a place.
    let jieba = Segmenter::default();
    let mut places: Vec<&str> = lex
        .places
        .keys()
        .copied()
        .filter(|p| p.chars().count() >= 3 || p.chars().count() == 2 && !jieba.jieba().has_word(p))
        .collect();
    places.sort_unstable();
    words.extend(places.into_iter().map(|p| word(p.to_owned(), "ns")));
    words.extend(user_dict.iter().cloned());
    words
}

impl Default for Pretagger {
    /// jieba's dictionary with the lexicon words, no gazetteer.
    fn default() -> Self {
        Pretagger::new(PRETAG_SEGMENTER.clone())
    }
}

/// Produces suggestions for texts.
#[derive(Debug, Clone)]
pub struct Pretagger {
    segmenter: Segmenter,
    gazetteer: Gazetteer,
    learned: Option<Learned>,
}

impl Pretagger {
    /// A pre-tagger that cuts with `segmenter` as it is.
    pub fn new(segmenter: Segmenter) -> Self {
        Pretagger {
            segmenter,
            gazetteer: Gazetteer::default(),
            learned: None,
        }
    }

    /// A pre-tagger whose segmenter also knows the lexicon words and `user_dict`.
    pub fn with_user_dict(user_dict: &[UserDictEntry]) -> Self {
        if user_dict.is_empty() {
            return Pretagger::default();
        }
        Pretagger::new(Segmenter::with_user_dict(&lexicon_words(user_dict)))
    }

    pub fn with_gazetteer(mut self, gazetteer: Gazetteer) -> Self {
        self.gazetteer = gazetteer;
        self
    }

    /// Adds a learned layer: its spans for the labels it knows, the rules' for the rest.
    pub fn with_learned(mut self, learned: Option<Learned>) -> Self {
        self.learned = learned;
        self
    }

    /// The learned layer, if the tagger uses one.
    pub fn learned(&self) -> Option<&Learned> {
        self.learned.as_ref()
    }

    /// The rules' and figures' proposals for a line, before overlaps are resolved.
    fn rule_candidates(&self, sentence: &rules::Sentence<'_>, out: &mut Vec<Candidate>) {
        rules::candidates(sentence, out);
        figures::figures(sentence.text, &sentence.chars, &sentence.index, out);
    }

    /// Non-overlapping suggestions sorted by offset.
    pub fn tag(&self, text: &str) -> Vec<Suggestion> {
        self.tag_all(text).entities
    }

    /// Entity suggestions and the relations between them.
    ///
    /// Entities never cross a line break, so each line is tagged on its own: a long
    /// article then costs the sum of its paragraphs, with every buffer small and warm.
    pub fn tag_all(&self, text: &str) -> Tagged {
        let mut tagged = Tagged::default();
        let mut line_char_start = 0;
        for line in text.split('\n') {
            let n_chars = if line.trim().is_empty() {
                line.chars().count()
            } else {
                self.tag_line(line, line_char_start, &mut tagged)
            };
            line_char_start += n_chars + 1;
        }
        tagged
    }

    /// Tags one line that starts at `line_char_start` in the text and appends what it
    /// finds to `tagged`. Returns the line's length in chars.
    fn tag_line(&self, text: &str, line_char_start: usize, tagged: &mut Tagged) -> usize {
        let sentence = rules::Sentence::new(text, self.segmenter.tokens(text));
        let index = &sentence.index;
        let mut candidates = Vec::new();
        self.rule_candidates(&sentence, &mut candidates);
        let mut entities = match &self.learned {
            Some(learned) => self.combine(learned, &sentence, candidates),
            None => {
                self.gazetteer.candidates(text, index, &mut candidates);
                candidates
            }
        };
        if !self.gazetteer.rejected.is_empty() {
            entities.retain(|c| {
                !self
                    .gazetteer
                    .rejects(sentence.slice(c.char_start, c.char_end), c.label)
            });
        }
        let entities = resolve(entities);
        let first = tagged.entities.len();
        tagged.relations.extend(
            relations::relations(&sentence, &entities)
                .into_iter()
                .map(|mut relation| {
                    relation.head += first;
                    relation.tail += first;
                    relation
                }),
        );
        tagged.entities.extend(entities.into_iter().map(|mut suggestion| {
            suggestion.char_start += line_char_start;
            suggestion.char_end += line_char_start;
            suggestion
        }));
        sentence.chars.len()
    }
}

/// jieba's POS tags mapped to labels: nr (and nrfg, nrt)→PER, ns→LOC, nt→ORG.
pub fn jieba_pos_baseline(segmenter: &Segmenter, text: &str) -> Vec<Suggestion> {
    segmenter
        .tokens(text)
        .into_iter()
        .filter_map(|token| {
            let label = match token.pos.get(..2)? {
                "nr" => "PER",
                "ns" => "LOC",
                "nt" => "ORG",
                _ => return None,
            };
            Some(Suggestion {
                char_start: token.char_start,
                char_end: token.char_end,
                label,
                source: SOURCE_JIEBA_POS,
                confidence: 0.5,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
