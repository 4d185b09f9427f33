mod architecture;
mod cli;
mod formats;
#[cfg(feature = "gui")]
mod glyphs;
#[cfg(feature = "gui")]
mod gui;
mod import;
mod pretag;
mod readers;
mod review;
mod util;
