mod cli;
#[cfg(feature = "gui")]
mod gui;
mod import;
mod pretag;
mod util;
