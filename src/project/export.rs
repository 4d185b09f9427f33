//! Exporting a project: read its layers, shape them with the options, call the format's
//! pure writer chunk by chunk, and write the files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::formats::{self, ExportOptions, Format, part_path, split_documents};
use crate::model::AnnotatedDocument;
use crate::store::Store;
use crate::{Error, Result};

/// Documents written between two progress reports.
const PROGRESS_CHUNK: usize = 500;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub n_documents: usize,
    pub n_entities: usize,
    pub n_relations: usize,
    /// The files or folders written.
    pub outputs: Vec<PathBuf>,
}

/// The project's documents as the options shape them.
pub fn prepare(store: &Store, options: &ExportOptions) -> Result<Vec<AnnotatedDocument>> {
    let layers = store.layers(options.statuses, options.annotator.as_deref())?;
    Ok(formats::prepare(layers, options))
}

/// Exports the project in `format` to `out` (a folder for brat), split when asked.
/// `on_progress` gets `(documents written, documents in all)`.
pub fn export_to_path(
    store: &Store,
    format: Format,
    options: &ExportOptions,
    out: &Path,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportSummary> {
    let documents = prepare(store, options)?;
    let schema = store.schema()?;
    let mut summary = ExportSummary::default();
    let mut done = 0;
    let total = documents.len();
    for (part, members) in split_documents(&documents, &options.split, options.seed) {
        let path = part_path(out, format, &part);
        write_part(format, &members, &schema, options, &path, &mut |n| {
            done += n;
            on_progress(done, total);
        })?;
        summary.n_documents += members.len();
        summary.n_entities += members.iter().map(|d| d.entities.len()).sum::<usize>();
        if format.has_relations() {
            summary.n_relations += members.iter().map(|d| d.relations.len()).sum::<usize>();
        }
        summary.outputs.push(path);
    }
    if format == Format::Hf {
        let path = out.with_file_name("label_list.json");
        let bytes = formats::hf_label_list(&documents, options, &schema)?;
        let mut file = create_file(&path)?;
        file.write_all(&bytes).map_err(|e| Error::io(&path, e))?;
        summary.outputs.push(path);
    }
    Ok(summary)
}

fn create_file(path: &Path) -> Result<std::fs::File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::File::create(path).map_err(|e| Error::io(path, e))
}

fn write_part(
    format: Format,
    documents: &[&AnnotatedDocument],
    schema: &crate::schema::Schema,
    options: &ExportOptions,
    path: &Path,
    on_documents: &mut dyn FnMut(usize),
) -> Result<()> {
    if format == Format::Brat {
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        for chunk in documents.chunks(PROGRESS_CHUNK) {
            for (name, content) in formats::brat::files(chunk, schema) {
                let file = path.join(name);
                std::fs::write(&file, content).map_err(|e| Error::io(&file, e))?;
            }
            on_documents(chunk.len());
        }
        return Ok(());
    }
    let file = create_file(path)?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
    // Label Studio writes one JSON list, so it is one chunk and reports once at the end.
    let chunk_size = if format == Format::LabelStudio {
        documents.len().max(1)
    } else {
        PROGRESS_CHUNK
    };
    let mut write = |chunk: &[&AnnotatedDocument]| -> Result<()> {
        let bytes = formats::write_chunk(format, chunk, options)?;
        writer.write_all(&bytes).map_err(|e| Error::io(path, e))
    };
    for chunk in documents.chunks(chunk_size) {
        write(chunk)?;
        on_documents(chunk.len());
    }
    if documents.is_empty() && format == Format::LabelStudio {
        write(documents)?;
    }
    writer.flush().map_err(|e| Error::io(path, e))
}
