//! Go to (Ctrl+G): a character offset (`1234`) or a paragraph (`p12` or `¶12`, counted from
//! 1 over the lines that hold text). Enter jumps, Escape closes.

use egui::Key;

use crate::gui::App;
use crate::gui::command::ViewCommand;
use crate::gui::i18n::count as counted;
use crate::gui::i18n::{tr, trf};
use crate::model::CharSpan;

#[derive(Debug, Clone, Default)]
pub struct GoTo {
    pub query: String,
    /// Why the last query did not lead anywhere.
    pub error: Option<String>,
}

/// The char offset `query` names in a text of `n_chars` chars whose paragraphs are
/// `paragraphs`, or why it names none.
pub fn parse_target(query: &str, n_chars: usize, paragraphs: &[CharSpan]) -> Result<usize, String> {
    let query = query.trim();
    let paragraph = query
        .strip_prefix('p')
        .or_else(|| query.strip_prefix('P'))
        .or_else(|| query.strip_prefix('¶'));
    let number = |digits: &str| -> Result<usize, String> {
        digits.trim().parse::<usize>().map_err(|_| {
            trf(
                "{query} is not a number: type 1234 for a character offset, p12 for a paragraph",
                &[("query", &format!("{query:?}"))],
            )
        })
    };
    match paragraph {
        Some(digits) => {
            let n = number(digits)?;
            match n.checked_sub(1).and_then(|i| paragraphs.get(i)) {
                Some(p) => Ok(p.char_start),
                None => Err(trf(
                    "no paragraph {n}: the document has {paragraphs}",
                    &[
                        ("n", &n.to_string()),
                        (
                            "paragraphs",
                            &counted(paragraphs.len(), "paragraph", "paragraphs", tr("{n} paragraphs")),
                        ),
                    ],
                )),
            }
        }
        None => {
            let at = number(query)?;
            if at < n_chars.max(1) {
                Ok(at)
            } else {
                Err(trf(
                    "no character {at}: the document has {n_chars} (offsets from 0)",
                    &[("at", &at.to_string()), ("n_chars", &n_chars.to_string())],
                ))
            }
        }
    }
}

impl App {
    pub(in crate::gui) fn goto_ui(&mut self, ctx: &egui::Context) {
        let Some(goto) = &mut self.windows.goto else { return };
        let mut keep = true;
        let mut out = Vec::new();
        egui::Window::new(tr("Go to"))
            .id(egui::Id::unique("go to window"))
            .open(&mut keep)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(tr("a character offset (1234) or a paragraph (p12 or ¶12)"));
                let label = ui.label(tr("go to:"));
                let response = ui.text_edit_singleline(&mut goto.query).labelled_by(label.id);
                response.request_focus();
                if let Some(error) = &goto.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                let (enter, escape) = ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
                if enter {
                    out.push(ViewCommand::GoTo.into());
                } else if escape {
                    out.push(ViewCommand::CloseGoTo.into());
                }
            });
        if !keep {
            out.push(ViewCommand::CloseGoTo.into());
        }
        self.commands.extend(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_paragraphs_parse_or_say_why_not() {
        let paragraphs = [CharSpan::new(0, 5), CharSpan::new(7, 20)];
        assert_eq!(parse_target("12", 20, &paragraphs), Ok(12));
        assert_eq!(parse_target(" p2 ", 20, &paragraphs), Ok(7));
        assert_eq!(parse_target("¶1", 20, &paragraphs), Ok(0));
        assert!(
            parse_target("20", 20, &paragraphs)
                .expect_err("an error")
                .contains("no character 20")
        );
        assert!(
            parse_target("p3", 20, &paragraphs)
                .expect_err("an error")
                .contains("2 paragraphs")
        );
        assert!(parse_target("p0", 20, &paragraphs).is_err());
        assert!(
            parse_target("abc", 20, &paragraphs)
                .expect_err("an error")
                .contains("not a number")
        );
    }
}
