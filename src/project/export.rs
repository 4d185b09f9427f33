//! Exporting a project: read its layers, shape them with the options, call the format's
//! pure writer chunk by chunk, and write the files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::formats::{self, ExportOptions, Format, MixedLayers, part_path, split_documents};
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
    /// Documents written with more than one annotator's layer.
    pub mixed: MixedLayers,
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
    refuse_project_paths(store.path(), out)?;
    let documents = prepare(store, options)?;
    let schema = formats::export_schema(&store.schema()?, &documents, options);
    let parts = split_documents(&documents, &options.split, options.seed);
    let mut summary = ExportSummary {
        mixed: formats::mixed_layers(&documents),
        ..ExportSummary::default()
    };
    for (_, members) in &parts {
        summary.n_documents += members.len();
        summary.n_entities += members.iter().map(|d| d.entities.len()).sum::<usize>();
        if format.has_relations() {
            summary.n_relations += members.iter().map(|d| d.relations.len()).sum::<usize>();
        }
    }
    let mut done = 0;
    let total = documents.len();
    let mut on_documents = |n| {
        done += n;
        on_progress(done, total);
    };
    if format == Format::Hf {
        write_hf(&parts, &schema, options, out, &mut on_documents)?;
        summary.outputs.push(out.to_path_buf());
        return Ok(summary);
    }
    for (part, members) in &parts {
        let path = part_path(out, format, part);
        write_part(format, members, &schema, options, &path, &mut on_documents)?;
        summary.outputs.push(path);
    }
    Ok(summary)
}

/// The Label Studio labeling config of what an export with `options` writes, to `path`.
pub fn write_label_studio_config(store: &Store, options: &ExportOptions, path: &Path) -> Result<()> {
    refuse_project_paths(store.path(), path)?;
    let documents = prepare(store, options)?;
    let schema = formats::export_schema(&store.schema()?, &documents, options);
    let mut file = AtomicFile::create(path)?;
    file.write_all(formats::label_studio::labeling_config(&schema).as_bytes())?;
    file.commit()
}

/// A Hugging Face dataset folder: `<split>.jsonl` per part, `label_list.json` and the
/// `README.md` dataset card, swapped in whole. A part without documents has no file and is
/// not in the card (`datasets` refuses a split with no rows); without documents at all the
/// folder has an empty `train.jsonl`.
fn write_hf(
    parts: &[(String, Vec<&AnnotatedDocument>)],
    schema: &crate::schema::Schema,
    options: &ExportOptions,
    out: &Path,
    on_documents: &mut dyn FnMut(usize),
) -> Result<()> {
    let mut splits: Vec<String> = Vec::new();
    for (part, _) in parts {
        let split = formats::hf::split_name(part)?;
        if splits.contains(&split) {
            return Err(Error::Invalid(format!(
                "two parts of --split are the Hugging Face split {split:?}"
            )));
        }
        splits.push(split);
    }
    let any_documents = parts.iter().any(|(_, members)| !members.is_empty());
    let (parts, splits): (Vec<_>, Vec<String>) = parts
        .iter()
        .zip(splits)
        .enumerate()
        .filter(|(i, ((_, members), _))| !members.is_empty() || (!any_documents && *i == 0))
        .map(|(_, pair)| pair)
        .unzip();
    let tags = formats::hf::label_list(schema, options.scheme);
    write_folder(out, &mut |folder| {
        for ((_, members), split) in parts.iter().zip(&splits) {
            let path = folder.join(format!("{split}.jsonl"));
            let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
            for chunk in members.chunks(PROGRESS_CHUNK) {
                let bytes = formats::write_chunk(Format::Hf, chunk, options)?;
                writer.write_all(&bytes).map_err(|e| Error::io(&path, e))?;
                on_documents(chunk.len());
            }
            writer.flush().map_err(|e| Error::io(&path, e))?;
        }
        let label_list = folder.join("label_list.json");
        let bytes = formats::hf_label_list(schema, options.scheme)?;
        std::fs::write(&label_list, bytes).map_err(|e| Error::io(&label_list, e))?;
        let card = folder.join("README.md");
        std::fs::write(&card, formats::hf::dataset_card(&splits, &tags)).map_err(|e| Error::io(&card, e))
    })
}

/// `path` with its parent made absolute, so that `p.sqlite` and `./x/../p.sqlite` compare equal.
fn resolved(path: &Path) -> PathBuf {
    let parent = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf()),
        None => std::env::current_dir().unwrap_or_default(),
    };
    match path.file_name() {
        Some(name) => parent.join(name),
        None => parent,
    }
}

/// Refuses to write an export onto the project file, its write-ahead log or shared memory.
fn refuse_project_paths(project: &Path, out: &Path) -> Result<()> {
    let project = resolved(project);
    let out = resolved(out);
    let siblings = ["", "-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = project.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    });
    if siblings.contains(&out) || out.starts_with(&project) {
        return Err(Error::Invalid(format!(
            "refusing to export onto the project itself: {} is {}",
            out.display(),
            project.display()
        )));
    }
    Ok(())
}

/// A file written beside its destination and renamed onto it when complete, so that a
/// reader, or a crash, sees the old file whole or the new one whole, never a part.
struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: std::io::BufWriter<std::fs::File>,
}

/// A hidden sibling of `path` that this process alone writes.
fn temporary_sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

impl AtomicFile {
    fn create(path: &Path) -> Result<AtomicFile> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let temporary = temporary_sibling(path, "partial");
        let file = std::fs::File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary,
            writer: std::io::BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer.write_all(bytes).map_err(|e| Error::io(&self.path, e))
    }

    /// Flushes, syncs and renames the file into place.
    fn commit(mut self) -> Result<()> {
        self.writer.flush().map_err(|e| Error::io(&self.path, e))?;
        self.writer.get_ref().sync_all().map_err(|e| Error::io(&self.path, e))?;
        std::fs::rename(&self.temporary, &self.path).map_err(|e| Error::io(&self.path, e))?;
        self.temporary = PathBuf::new();
        Ok(())
    }
}

impl Drop for AtomicFile {
    /// An export that failed leaves no partial file behind.
    fn drop(&mut self) {
        if !self.temporary.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
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
        return write_brat(documents, schema, path, on_documents);
    }
    let mut writer = AtomicFile::create(path)?;
    writer.write_all(formats::file_header(format))?;
    let label_studio = format == Format::LabelStudio;
    if label_studio {
        writer.write_all(if documents.is_empty() {
            b"[]\n".as_slice()
        } else {
            formats::label_studio::LIST_OPEN
        })?;
    }
    for (i, chunk) in documents.chunks(PROGRESS_CHUNK).enumerate() {
        if label_studio && i > 0 {
            writer.write_all(formats::label_studio::BETWEEN_CHUNKS)?;
        }
        writer.write_all(&formats::write_chunk(format, chunk, options)?)?;
        on_documents(chunk.len());
    }
    if label_studio && !documents.is_empty() {
        writer.write_all(formats::label_studio::LIST_CLOSE)?;
    }
    writer.commit()
}

/// A brat folder.
fn write_brat(
    documents: &[&AnnotatedDocument],
    schema: &crate::schema::Schema,
    path: &Path,
    on_documents: &mut dyn FnMut(usize),
) -> Result<()> {
    let names = formats::brat::TypeNames::new(schema);
    write_folder(path, &mut |folder| {
        for (name, content) in formats::brat::config_files(schema, &names) {
            let file = folder.join(name);
            std::fs::write(&file, content).map_err(|e| Error::io(&file, e))?;
        }
        for chunk in documents.chunks(PROGRESS_CHUNK) {
            for (name, content) in formats::brat::files(chunk, &names) {
                let file = folder.join(name);
                std::fs::write(&file, content).map_err(|e| Error::io(&file, e))?;
            }
            on_documents(chunk.len());
        }
        Ok(())
    })
}

/// A folder, filled as a hidden sibling folder and swapped in when complete: the old folder
/// is renamed aside, the new one into place, and the old one removed.
fn write_folder(path: &Path, fill: &mut dyn FnMut(&Path) -> Result<()>) -> Result<()> {
    let temporary = temporary_sibling(path, "partial");
    let _ = std::fs::remove_dir_all(&temporary);
    std::fs::create_dir_all(&temporary).map_err(|e| Error::io(&temporary, e))?;
    if let Err(e) = fill(&temporary) {
        let _ = std::fs::remove_dir_all(&temporary);
        return Err(e);
    }
    let old = temporary_sibling(path, "old");
    let had_old = path.exists();
    if had_old {
        std::fs::rename(path, &old).map_err(|e| Error::io(path, e))?;
    }
    if let Err(e) = std::fs::rename(&temporary, path) {
        if had_old {
            let _ = std::fs::rename(&old, path);
        }
        return Err(Error::io(path, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}
