mod architecture;
mod cli;
mod formats;
#[cfg(feature = "gui")]
mod glyphs;
#[cfg(feature = "gui")]
mod gui;
#[cfg(feature = "gui")]
mod gui_actions;
#[cfg(feature = "gui")]
mod gui_lang;
#[cfg(feature = "gui")]
mod gui_layout;
#[cfg(feature = "gui")]
mod gui_nav;
#[cfg(feature = "gui")]
mod gui_paths;
#[cfg(feature = "gui")]
mod gui_relations;
#[cfg(feature = "gui")]
mod gui_server;
#[cfg(feature = "gui")]
mod gui_util;
mod import;
mod pretag;
mod readers;
mod review;
mod server;
mod util;
