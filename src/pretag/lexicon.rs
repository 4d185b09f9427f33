//! The pre-tagger's word lists, kept as plain text files in `lexicons/` and compiled into
//! the binary. Loaded once per process.

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

const REGIONS: &str = include_str!("lexicons/regions.txt");
const WORLD_CITIES: &str = include_str!("lexicons/world_cities.txt");
const ORG_SUFFIXES: &str = include_str!("lexicons/org_suffixes.txt");
const ZONE_SUFFIXES: &str = include_str!("lexicons/zone_suffixes.txt");
const TITLES: &str = include_str!("lexicons/titles.txt");
const SURNAMES: &str = include_str!("lexicons/surnames.txt");
const ORGANIZATIONS: &str = include_str!("lexicons/organizations.txt");
const TRANSLITERATION_CHARS: &str = include_str!("lexicons/transliteration_chars.txt");

/// One-character abbreviations of countries that Chinese news uses as places (中美, 访华, 俄方).
const COUNTRY_ABBREVIATIONS: &str = "中华美俄日韩朝英法德意印巴澳加越泰菲以伊埃欧非亚";

/// Words jieba's dictionary tags as names that are not (weather reports, common nouns).
const NOT_NAMES: &[&str] = &[
    "雷阵雨",
    "阵雨",
    "多云",
    "小雨",
    "中雨",
    "大雨",
    "暴雨",
    "小雪",
    "中雪",
    "大雪",
    "雨夹雪",
    "晴转多云",
    "多云转晴",
    "卫星",
    "文明",
    "高潮",
    "明白",
    "顾客",
    "师生",
    "荣幸",
    "祝贺",
    "诸如",
    "王朝",
    "许可证",
    "安全性",
    "黄金",
    "龙头",
    "金融",
    "高速",
    "高新",
    "高质量",
    "高素质",
    "常规",
    "石油",
    "万元",
    "方向",
    "温度",
    "史诗",
    "武器",
    "钟表",
    "王子",
    "晋升",
    "孙子",
    "华裔",
    "廉政",
    "司令官",
    "尼古丁",
    "纪念章",
    "祝福",
    "田园",
    "路基",
    "任命",
    "康复",
    "冷清",
    "白痴",
    "农家乐",
    "商量",
    "金字塔",
    "克隆",
    "丛林",
    "满以为",
    "安全带",
    "戈壁",
    "鹿茸",
    "连理枝",
    "白皮书",
    "胡闹",
    "连忙",
    "阳光",
    "任期",
    "谈判",
    "满意",
    "索道",
    "桑拿",
    "多达",
    "司机",
    "管理",
    "高达",
    "高于",
    "曾经",
    "于是",
];

/// Generic nouns that jieba tags as organizations or that end like one (guidelines: not ORG).
const GENERIC_ORGANIZATIONS: &[&str] = &[
    "科研院所",
    "上市公司",
    "研发中心",
    "高校",
    "企业",
    "政府",
    "医院",
    "学校",
    "银行",
    "公司",
    "中心",
    "研究院",
    "研究所",
    "实验室",
    "大学",
    "学院",
    "协会",
    "委员会",
    "集团",
    "工厂",
    "总部",
    "分公司",
    "子公司",
    "合作社",
    "龙头企业",
    "央企",
    "国企",
    "民企",
    "外企",
    "科研机构",
    "金融机构",
    "服务中心",
    "数据中心",
    "算力中心",
    "创新中心",
    "孵化器",
    "新闻媒体",
    "媒体",
    "党组织",
    "党政机关",
    "机关",
    "部门",
    "有关部门",
    "职能部门",
];

/// Two-character tokens of place abbreviations that are ordinary words.
const NOT_ABBREVIATION_PAIRS: &[&str] = &["美德", "非法", "中意", "美意", "以及", "加以", "日日", "中华"];

/// Words that look like places or names to jieba but are generic (guidelines: not annotated).
const GENERIC_PLACES: &[&str] = &[
    "海外",
    "全国",
    "国内",
    "国外",
    "省内",
    "省外",
    "省内外",
    "本地",
    "外地",
    "当地",
    "我国",
    "全省",
    "全市",
    "全县",
    "全区",
    "各地",
    "城市",
    "农村",
    "城乡",
    "山区",
    "内地",
    "境内",
    "境外",
    "两国",
    "外国",
    "大国",
    "世界",
    "全球",
    "国际",
    "中外",
    "中西",
    "东西",
    "南北",
    "中央",
    "地方",
    "基层",
    "沿海",
    "内陆",
    "边疆",
    "中部",
    "西部",
    "东部",
    "北部",
    "南部",
];

/// A small, fast hash (FxHash, as rustc uses) for the many short-string lookups per token.
/// Lexicon keys are fixed at build time, so hash flooding is no concern.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut rest = chunks.remainder();
        if rest.len() >= 4 {
            let (word, tail) = rest.split_at(4);
            self.add(u64::from(u32::from_le_bytes([word[0], word[1], word[2], word[3]])));
            rest = tail;
        }
        if rest.len() >= 2 {
            let (word, tail) = rest.split_at(2);
            self.add(u64::from(u16::from_le_bytes([word[0], word[1]])));
            rest = tail;
        }
        if let [byte] = rest {
            self.add(u64::from(*byte));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

/// A set of characters: a bitmap over the Basic Multilingual Plane, where nearly all
/// Chinese text lives, and a hash set for the rest. Membership is one load and a mask.
#[derive(Debug, Clone)]
pub struct CharSet {
    bmp: Box<[u64; 0x1_0000 / 64]>,
    astral: std::collections::HashSet<char>,
}

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            bmp: Box::new([0; 0x1_0000 / 64]),
            astral: std::collections::HashSet::new(),
        }
    }
}

impl CharSet {
    pub fn insert(&mut self, c: char) {
        let code = c as usize;
        match self.bmp.get_mut(code / 64) {
            Some(word) => *word |= 1 << (code % 64),
            None => {
                self.astral.insert(c);
            }
        }
    }

    #[inline]
    pub fn contains(&self, c: &char) -> bool {
        let code = *c as usize;
        match self.bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.astral.contains(c),
        }
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut set = CharSet::default();
        for c in chars {
            set.insert(c);
        }
        set
    }
}

/// A filter over ordered pairs of characters: it never misses a pair that was inserted,
/// and lets few others through (3% of all pairs with the shipped lexicons). One load and a mask.
#[derive(Debug, Clone)]
pub struct PairFilter {
    bits: Box<[u64; 0x1_0000 / 64]>,
}

impl Default for PairFilter {
    fn default() -> Self {
        PairFilter {
            bits: Box::new([0; 0x1_0000 / 64]),
        }
    }
}

impl PairFilter {
    fn slot(a: char, b: char) -> usize {
        let hash = (a as u32).wrapping_mul(0x9e37_79b1) ^ (b as u32).wrapping_mul(0x85eb_ca77);
        (hash >> 16) as usize
    }

    pub fn insert(&mut self, a: char, b: char) {
        let slot = Self::slot(a, b);
        self.bits[slot / 64] |= 1 << (slot % 64);
    }

    #[inline]
    pub fn may_contain(&self, a: char, b: char) -> bool {
        let slot = Self::slot(a, b);
        self.bits[slot / 64] & (1 << (slot % 64)) != 0
    }
}

pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// Rows of a lexicon file: comment and blank lines skipped, fields split on TAB.
fn rows(file: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    file.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

/// How big a place is; finer places make better parts of organization names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Region,
    Province,
    Prefecture,
    County,
    Natural,
    City,
}

/// What a string is in the name lexicons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameEntry {
    pub place: Option<PlaceKind>,
    pub organization: bool,
    /// Whether some longer name starts with it.
    pub is_prefix: bool,
}

/// Everything the rules look words up in.
#[derive(Debug)]
pub struct Lexicons {
    /// Full names and short forms of two or more characters.
    pub places: HashMap<&'static str, PlaceKind>,
    /// One-character abbreviations of provinces and countries: 湘, 粤, 京, 中, 美.
    pub place_abbreviations: CharSet,
    pub generic_places: HashSet<&'static str>,
    /// Well-known organizations without a visible suffix: 欧盟, 新华社, 北大.
    pub organizations: HashSet<&'static str>,
    pub generic_organizations: HashSet<&'static str>,
    /// Words jieba tags as names that are not names.
    pub not_names: HashSet<&'static str>,
    pub not_abbreviation_pairs: HashSet<&'static str>,
    /// Organization suffixes, longest first.
    pub org_suffixes: Vec<&'static str>,
    pub org_suffix_set: HashSet<&'static str>,
    pub max_org_suffix_chars: usize,
    /// Zone and park suffixes.
    pub zone_suffix_set: HashSet<&'static str>,
    pub max_zone_suffix_chars: usize,
    /// Last characters of zone suffixes, for a quick first test.
    pub zone_final_chars: CharSet,
    /// Last characters of organization suffixes.
    pub org_final_chars: CharSet,
    /// Places and well-known organizations: the longest, in chars.
    pub max_name_chars: usize,
    /// Core titles: the longest, in chars.
    pub max_title_chars: usize,
    /// Places, well-known organizations and every proper prefix of them, in one map so
    /// that one lookup tells whether a run of tokens is a name or can still become one.
    pub names: HashMap<&'static str, NameEntry>,
    /// The first two characters of every name (all have at least two), for a quick first test.
    pub name_starts: PairFilter,
    /// Last characters of core titles.
    pub title_final_chars: CharSet,
    /// Core titles, with whether each is also a generic noun (记者, 代表).
    pub titles: HashMap<&'static str, bool>,
    /// Title modifiers (副, 常务副, 首席), longest first.
    pub title_prefixes: Vec<&'static str>,
    pub title_prefix_set: HashSet<&'static str>,
    pub max_title_prefix_chars: usize,
    /// Single surnames, with whether each is also a common character in running text.
    pub single_surnames: HashMap<char, bool>,
    /// The keys of `single_surnames`, for a quick first test.
    pub surname_chars: CharSet,
    pub double_surnames: HashSet<&'static str>,
    pub double_surname_first_chars: CharSet,
    pub transliteration_chars: CharSet,
}

pub static LEXICONS: LazyLock<Lexicons> = LazyLock::new(Lexicons::load);

impl Lexicons {
    fn load() -> Lexicons {
        let mut places = HashMap::default();
        let mut place_abbreviations: CharSet = COUNTRY_ABBREVIATIONS.chars().collect();
        for row in rows(REGIONS) {
            let kind = match row.get(1).copied().unwrap_or_default() {
                "country" => PlaceKind::Country,
                "continent" | "region" => PlaceKind::Region,
                "province" => PlaceKind::Province,
                "prefecture" => PlaceKind::Prefecture,
                "county" => PlaceKind::County,
                _ => PlaceKind::Natural,
            };
            places.insert(row[0], kind);
            for short in row.get(2).into_iter().flat_map(|s| s.split(',')) {
                let mut chars = short.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if kind == PlaceKind::Province => {
                        place_abbreviations.insert(c);
                    }
                    (Some(_), Some(_)) => {
                        places.entry(short).or_insert(kind);
                    }
                    _ => {}
                }
            }
        }
        for row in rows(WORLD_CITIES) {
            places.entry(row[0]).or_insert(PlaceKind::City);
        }
        let generic_places: HashSet<&'static str> = GENERIC_PLACES.iter().copied().collect();
        for generic in &generic_places {
            places.remove(generic);
        }
        let longest_first = |mut words: Vec<&'static str>| {
            words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
            words.dedup();
            words
        };
        let mut titles = HashMap::default();
        let mut title_prefixes = Vec::new();
        for row in rows(TITLES) {
            match row.get(1).copied() {
                Some("prefix") => title_prefixes.push(row[0]),
                _ => {
                    titles.insert(row[0], row.get(2) == Some(&"generic"));
                }
            }
        }
        let mut single_surnames = HashMap::default();
        let mut double_surnames = HashSet::default();
        for row in rows(SURNAMES) {
            if row.get(1) == Some(&"double") {
                double_surnames.insert(row[0]);
            } else if let Some(c) = row[0].chars().next() {
                single_surnames.insert(c, row.get(2) == Some(&"ambiguous"));
            }
        }
        let org_suffixes = longest_first(rows(ORG_SUFFIXES).map(|r| r[0]).collect());
        let zone_suffixes: Vec<&'static str> = rows(ZONE_SUFFIXES).map(|r| r[0]).collect();
        let max_chars = |words: &[&str]| words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        let title_prefixes = longest_first(title_prefixes);
        let last_chars = |words: &[&'static str]| words.iter().filter_map(|w| w.chars().next_back()).collect();
        let organizations: HashSet<&'static str> = rows(ORGANIZATIONS).map(|r| r[0]).collect();
        let max_name_chars = places
            .keys()
            .chain(organizations.iter())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        let max_title_chars = titles.keys().map(|w: &&str| w.chars().count()).max().unwrap_or(0);
        let mut names: HashMap<&'static str, NameEntry> = HashMap::default();
        for (name, is_place) in places
            .keys()
            .map(|n| (*n, true))
            .chain(organizations.iter().map(|n| (*n, false)))
        {
            for (byte, _) in name.char_indices().skip(1) {
                names.entry(&name[..byte]).or_default().is_prefix = true;
            }
            let entry = names.entry(name).or_default();
            if is_place {
                entry.place = places.get(name).copied();
            } else {
                entry.organization = true;
            }
        }
        let mut name_starts = PairFilter::default();
        for name in names.keys() {
            let mut chars = name.chars();
            if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
                name_starts.insert(a, b);
            }
        }
        let title_final_chars = titles.keys().filter_map(|w: &&str| w.chars().next_back()).collect();
        Lexicons {
            names,
            name_starts,
            title_final_chars,
            zone_final_chars: last_chars(&zone_suffixes),
            org_final_chars: last_chars(&org_suffixes),
            max_name_chars,
            max_title_chars,
            org_suffix_set: org_suffixes.iter().copied().collect(),
            max_org_suffix_chars: max_chars(&org_suffixes),
            zone_suffix_set: zone_suffixes.iter().copied().collect(),
            max_zone_suffix_chars: max_chars(&zone_suffixes),
            title_prefix_set: title_prefixes.iter().copied().collect(),
            max_title_prefix_chars: max_chars(&title_prefixes),
            places,
            place_abbreviations,
            generic_places,
            organizations,
            generic_organizations: GENERIC_ORGANIZATIONS.iter().copied().collect(),
            not_names: NOT_NAMES.iter().copied().collect(),
            not_abbreviation_pairs: NOT_ABBREVIATION_PAIRS.iter().copied().collect(),
            org_suffixes,
            titles,
            title_prefixes,
            surname_chars: single_surnames.keys().copied().collect(),
            single_surnames,
            double_surname_first_chars: double_surnames.iter().filter_map(|s: &&str| s.chars().next()).collect(),
            double_surnames,
            transliteration_chars: rows(TRANSLITERATION_CHARS)
                .flat_map(|r| r[0].chars().collect::<Vec<_>>())
                .collect(),
        }
    }

    /// The longest organization suffix `word` ends with (it may be the whole word).
    #[inline]
    pub fn longest_org_suffix(&self, word: &str) -> Option<&'static str> {
        if !word
            .chars()
            .next_back()
            .is_some_and(|c| self.org_final_chars.contains(&c))
        {
            return None;
        }
        self.org_suffix_of(word)
    }

    fn org_suffix_of(&self, word: &str) -> Option<&'static str> {
        let n_chars = word.chars().count();
        word.char_indices()
            .enumerate()
            .filter(|(i, _)| n_chars - i <= self.max_org_suffix_chars)
            .find_map(|(_, (byte, _))| self.org_suffix_set.get(&word[byte..]).copied())
    }

    /// Whether `word` starts with a surname, and how long the surname is (1 or 2 chars).
    pub fn surname_len(&self, word: &str) -> Option<usize> {
        let mut chars = word.chars();
        let first = chars.next()?;
        let second = chars.next();
        if let Some(second) = second.filter(|_| self.double_surname_first_chars.contains(&first)) {
            let pair: String = [first, second].iter().collect();
            if self.double_surnames.contains(pair.as_str()) {
                return Some(2);
            }
        }
        self.surname_chars.contains(&first).then_some(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_filter_lets_every_name_through_and_few_others() {
        let lex = &*LEXICONS;
        let full_names = lex.names.iter().filter(|(_, e)| e.place.is_some() || e.organization);
        for (name, _) in full_names {
            let chars: Vec<char> = name.chars().collect();
            assert!(chars.len() >= 2, "{name} is shorter than the filter assumes");
            assert!(lex.name_starts.may_contain(chars[0], chars[1]), "{name}");
        }
        let n_set: u32 = lex.name_starts.bits.iter().map(|word| word.count_ones()).sum();
        let fill = f64::from(n_set) / f64::from(0x1_0000);
        assert!(fill < 0.05, "the filter lets {fill:.3} of all pairs through");
        assert!(!lex.name_starts.may_contain('的', '是'));
    }

    #[test]
    fn lexicons_load_with_their_short_forms() {
        let lex = &*LEXICONS;
        assert_eq!(lex.places.get("湖南省"), Some(&PlaceKind::Province));
        assert_eq!(lex.places.get("湖南"), Some(&PlaceKind::Province));
        assert_eq!(lex.places.get("长沙"), Some(&PlaceKind::Prefecture));
        assert_eq!(lex.places.get("莫斯科"), Some(&PlaceKind::City));
        assert!(!lex.places.contains_key("全国"), "generic words are not places");
        assert!(lex.place_abbreviations.contains(&'湘') && lex.place_abbreviations.contains(&'粤'));
        assert_eq!(lex.longest_org_suffix("华为技术有限公司"), Some("有限公司"));
        assert_eq!(lex.longest_org_suffix("公司"), Some("公司"));
        assert_eq!(lex.longest_org_suffix("华为"), None);
        assert_eq!(lex.titles.get("董事长"), Some(&false));
        assert_eq!(lex.titles.get("记者"), Some(&true));
        assert!(lex.title_prefixes.contains(&"副"));
        assert_eq!(lex.surname_len("欧阳修"), Some(2));
        assert_eq!(lex.surname_len("王建国"), Some(1));
        assert_eq!(lex.surname_len("们"), None);
    }
}
