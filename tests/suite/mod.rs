mod cli;
mod import;
mod pretag;
mod util;
