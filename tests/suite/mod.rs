mod cli;
mod import;
mod util;
