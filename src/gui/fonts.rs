//! Fonts: a bundled subset of Noto Sans SC (the 8,105 standard characters, Big5 level 1,
//! GB2312) so Chinese renders on any machine, and the system's fonts for rarer characters,
//! chosen for Simplified Chinese.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-Common.otf");
const NOTO_SANS_SC_NAME: &str = "noto-sans-sc";

/// Puts the bundled CJK font behind egui's own fonts in both families. With
/// `system_fallback`, characters neither has are looked up in the system's fonts.
pub fn install_fonts(ctx: &egui::Context, system_fallback: bool) {
    install_fonts_preferring(ctx, None, system_fallback);
}

/// As [`install_fonts`], with `system_han` (the system's Chinese font, from
/// [`system_han_font`]) before the bundled one, so an installed font draws what it covers
/// and the bundle only the rest.
pub fn install_fonts_preferring(ctx: &egui::Context, system_han: Option<FontData>, system_fallback: bool) {
    let mut fonts = FontDefinitions::default();
    let mut names = Vec::new();
    if let Some(font) = system_han {
        fonts.font_data.insert(SYSTEM_HAN_NAME.to_owned(), Arc::new(font));
        names.push(SYSTEM_HAN_NAME);
    }
    fonts.font_data.insert(
        NOTO_SANS_SC_NAME.to_owned(),
        Arc::new(FontData::from_static(NOTO_SANS_SC)),
    );
    names.push(NOTO_SANS_SC_NAME);
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        list.extend(names.iter().map(|name| (*name).to_owned()));
    }
    ctx.set_fonts(fonts);
    if system_fallback {
        ctx.add_font_provider(Arc::new(
            egui_system_font_provider::SystemFontProvider::new().with_locale(Some("zh-Hans-CN")),
        ));
    }
}

const SYSTEM_HAN_NAME: &str = "system-han";

/// The installed sans-serif font the system picks for Simplified Chinese, if there is one
/// with the common characters. Enumerating the system's fonts takes a moment: call it on
/// a thread while the window opens.
pub fn system_han_font() -> Option<FontData> {
    use fontique::{
        Collection, CollectionOptions, FallbackKey, Language, QueryFamily, QueryStatus, Script, SourceCache,
    };
    let mut collection = Collection::new(CollectionOptions {
        shared: false,
        system_fonts: true,
    });
    let mut cache = SourceCache::new(Default::default());
    let mut query = collection.query(&mut cache);
    // By name first: the system's own fallback for Han often answers a Japanese font,
    // whose forms differ from the mainland standard.
    query.set_families(SIMPLIFIED_CHINESE_FAMILIES.iter().copied().map(QueryFamily::Named));
    let locale = Language::parse("zh-SG").ok();
    query.set_fallbacks(FallbackKey::new(Script::from_bytes(*b"Hani"), locale.as_ref()));
    let mut found = None;
    query.matches_with(|font| {
        let covers = font.charmap().is_some_and(|map| {
            PROBE_CHARACTERS
                .chars()
                .all(|c| map.map(c).is_some_and(|glyph| glyph != 0))
        });
        if covers {
            found = Some(FontData::from_blob(font.blob.clone().into_raw_parts().0, font.index));
            QueryStatus::Stop
        } else {
            QueryStatus::Continue
        }
    });
    found
}

/// Sans-serif fonts for Simplified Chinese that Linux, Windows and macOS ship, best first.
const SIMPLIFIED_CHINESE_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "SimHei",
];

/// Characters a font must have to count as a Chinese font here.
const PROBE_CHARACTERS: &str = "中国的标注";

#[cfg(test)]
mod tests {
    use super::*;

    const STANDARD_CHARACTERS: &str = include_str!("../../assets/fonts/tongyong-guifan-hanzi-8105.txt");

    #[test]
    fn the_bundled_font_covers_the_8105_standard_characters() {
        let ctx = egui::Context::default();
        install_fonts(&ctx, false);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let standard: Vec<char> = STANDARD_CHARACTERS.split_whitespace().flat_map(str::chars).collect();
        assert_eq!(standard.len(), 8105);
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let missing: String = ctx.fonts_mut(|fonts| {
                let characters = fonts.characters(&family);
                standard
                    .iter()
                    .filter(|c| {
                        !characters
                            .get(c)
                            .is_some_and(|names| names.iter().any(|name| name == NOTO_SANS_SC_NAME))
                    })
                    .collect()
            });
            assert!(missing.is_empty(), "{family:?} lacks {missing}");
        }
    }

    #[test]
    fn the_system_font_found_draws_chinese() {
        // This machine may have no Chinese font (CI has none): then there is nothing to prefer.
        let Some(font) = system_han_font() else { return };
        let ctx = egui::Context::default();
        install_fonts_preferring(&ctx, Some(font), false);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let names = ctx.fonts_mut(|fonts| fonts.characters(&FontFamily::Proportional).get(&'标').cloned());
        assert_eq!(
            names.unwrap_or_default().first().map(String::as_str),
            Some(SYSTEM_HAN_NAME)
        );
    }

    #[test]
    fn a_system_font_comes_before_the_bundled_one() {
        let ctx = egui::Context::default();
        // Any font stands in for the system's: the bundled bytes under the system name.
        install_fonts_preferring(&ctx, Some(FontData::from_static(NOTO_SANS_SC)), false);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let names: Vec<String> = ctx.fonts_mut(|fonts| {
            fonts
                .characters(&FontFamily::Proportional)
                .get(&'镕')
                .cloned()
                .unwrap_or_default()
        });
        let system = names
            .iter()
            .position(|n| n == SYSTEM_HAN_NAME)
            .expect("system font listed");
        let bundled = names
            .iter()
            .position(|n| n == NOTO_SANS_SC_NAME)
            .expect("bundled font listed");
        assert!(system < bundled, "{names:?}");
    }
}
