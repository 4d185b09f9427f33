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
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        NOTO_SANS_SC_NAME.to_owned(),
        Arc::new(FontData::from_static(NOTO_SANS_SC)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(NOTO_SANS_SC_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
    if system_fallback {
        ctx.add_font_provider(Arc::new(
            egui_system_font_provider::SystemFontProvider::new().with_locale(Some("zh-Hans-CN")),
        ));
    }
}

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
}
