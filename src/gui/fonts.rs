//! Fonts: a bundled GB2312 subset of Noto Sans SC so Chinese renders on any machine, and
//! the system's fonts for rarer characters, chosen for Simplified Chinese.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-GB2312.otf");

/// Puts the bundled CJK font behind egui's own fonts in both families. With
/// `system_fallback`, characters neither has are looked up in the system's fonts.
pub fn install_fonts(ctx: &egui::Context, system_fallback: bool) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("noto-sans-sc".to_owned(), Arc::new(FontData::from_static(NOTO_SANS_SC)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto-sans-sc".to_owned());
    }
    ctx.set_fonts(fonts);
    if system_fallback {
        ctx.add_font_provider(Arc::new(
            egui_system_font_provider::SystemFontProvider::new().with_locale(Some("zh-Hans-CN")),
        ));
    }
}
