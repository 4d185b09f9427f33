//! The default project: `annotations/biaozhu.sqlite` beside the sample corpus in `corpus/`,
//! created, filled and pre-tagged on first run.

use std::path::{Path, PathBuf};

use crate::Result;
use crate::import::{DEFAULT_IMPORT_ANNOTATOR, ImportProgress, ImportReport, import_paths};
use crate::pretag::{Pretagger, pretag_documents};
use crate::store::Store;

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
                DEFAULT_IMPORT_ANNOTATOR,
                on_progress,
            );
            let tagger = Pretagger::for_project(&store)?;
            pretag_documents(&mut store, &tagger, None, &mut |_, _| {})?;
            report = Some(imported);
        }
        Ok((store, report))
    }
}
