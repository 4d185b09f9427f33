//! Dataset formats, one module per format, each with a reader and a writer.

pub mod doccano;

use std::io::Write;
use std::path::Path;

use crate::model::{DocumentId, Entity, Relation};
use crate::store::{StatusFilter, Store};
use crate::{Error, Result};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// doccano JSONL with relations.
    Doccano,
}

impl Format {
    pub const ALL: [Format; 1] = [Format::Doccano];

    pub fn name(self) -> &'static str {
        match self {
            Format::Doccano => "doccano",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub statuses: StatusFilter,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            statuses: StatusFilter::Accepted,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub n_documents: usize,
    pub n_entities: usize,
    pub n_relations: usize,
}

/// One document's exported layer: entities sorted by offset, and the relations whose both
/// ends are among them. Rejected annotations never get here.
pub struct ExportedDocument {
    pub id: DocumentId,
    pub text: String,
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
}

/// Loads every document's exported layer, in document id order.
pub fn exported_documents(
    store: &Store,
    options: ExportOptions,
) -> Result<impl Iterator<Item = Result<ExportedDocument>> + '_> {
    let ids: Vec<DocumentId> = store.documents()?.into_iter().map(|d| d.id).collect();
    Ok(ids.into_iter().map(move |id| {
        let document = store.document(id)?;
        let entities = store.entities(id, options.statuses)?;
        let relations = store
            .relations(id, options.statuses)?
            .into_iter()
            .filter(|r| entities.iter().any(|e| e.id == r.head) && entities.iter().any(|e| e.id == r.tail))
            .collect();
        Ok(ExportedDocument {
            id,
            text: document.text,
            entities,
            relations,
        })
    }))
}

/// Writes the project in `format` to `out`, a file. Output is deterministic: documents,
/// entities and relations in a stable order, no timestamps.
pub fn export_to_path(store: &Store, format: Format, options: ExportOptions, out: &Path) -> Result<ExportSummary> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let file = std::fs::File::create(out).map_err(|e| Error::io(out, e))?;
    let mut writer = std::io::BufWriter::new(file);
    let summary = export(store, format, options, &mut writer).map_err(|e| match e {
        Error::Io { source, .. } => Error::io(out, source),
        other => other,
    })?;
    writer.flush().map_err(|e| Error::io(out, e))?;
    Ok(summary)
}

/// Writes the project in `format` to a stream.
pub fn export(store: &Store, format: Format, options: ExportOptions, out: &mut dyn Write) -> Result<ExportSummary> {
    let mut summary = ExportSummary::default();
    for document in exported_documents(store, options)? {
        let document = document?;
        summary.n_documents += 1;
        summary.n_entities += document.entities.len();
        summary.n_relations += document.relations.len();
        match format {
            Format::Doccano => doccano::write_document(&document, out)?,
        }
    }
    Ok(summary)
}
