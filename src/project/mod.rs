//! Work on a whole project: the only core module besides `store` that takes a [`Store`].
//! It joins the files, the pure core (formats, pretag, review) and the store:
//! [`import`] walks and decodes files and stores each in one transaction, [`export`]
//! reads layers and writes files, [`pretag`] builds the tagger from the project and stores
//! suggestions, [`review`] compares annotators. Here too: the default project,
//! `annotations/biaozhu.sqlite` beside the sample corpus in `corpus/`, created, filled and
//! pre-tagged on first run.

pub mod export;
pub mod import;
pub mod pretag;
pub mod review;
pub mod train;

use std::path::{Path, PathBuf};

use crate::Result;
use crate::model::ANNOTATOR_IMPORT;
use crate::store::Store;
use import::{ImportProgress, ImportReport, import_paths};
use pretag::{pretag_documents, tagger_for};

/// Where the default project and its sample corpus live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultProject {
    pub db: PathBuf,
    pub corpus: PathBuf,
}

impl DefaultProject {
    /// `annotations/` and `corpus/` under the working directory when it has a `corpus/`
    /// folder, else under the source checkout this binary was built from.
    pub fn locate() -> DefaultProject {
        let base = if Path::new("corpus").is_dir() {
            PathBuf::new()
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        };
        DefaultProject::under(&base)
    }

    pub fn under(base: &Path) -> DefaultProject {
        DefaultProject {
            db: base.join("annotations").join("biaozhu.sqlite"),
            corpus: base.join("corpus"),
        }
    }

    /// Opens the project, first creating it from the sample corpus and pre-tagging it
    /// when the file does not exist yet. Returns the import report of a first run.
    pub fn open(&self, on_progress: &mut dyn FnMut(ImportProgress<'_>)) -> Result<(Store, Option<ImportReport>)> {
        if self.db.exists() {
            return Ok((Store::open(&self.db)?, None));
        }
        let mut store = Store::open(&self.db)?;
        let mut report = None;
        if self.corpus.is_dir() {
            let imported = import_paths(
                &mut store,
                std::slice::from_ref(&self.corpus),
                &import::ReadOptions::new(ANNOTATOR_IMPORT),
                on_progress,
            );
            let tagger = tagger_for(&store)?;
            pretag_documents(&mut store, &tagger, None, &mut |_, _| {})?;
            report = Some(imported);
        }
        Ok((store, report))
    }
}
