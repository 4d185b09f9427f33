//! `biaozhu user`, `biaozhu assign` and `biaozhu claim`: the people of a team project on a
//! server, and which documents each works on.

use std::path::PathBuf;
use std::process::ExitCode;

use biaozhu::model::{DocumentId, Role};
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    /// The team server: `postgres://user@host:port/dbname`.
    #[arg(long, value_name = "URL", global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Make a server login a project user with a role (creating the login when missing), or
    /// change a user's role. For managers and the server's administrators.
    Add {
        /// The user's name, which their annotations carry.
        name: String,
        #[arg(long, value_parser = ["annotator", "curator", "manager"])]
        role: String,
        /// The PostgreSQL login; the name by default.
        #[arg(long)]
        login: Option<String>,
    },
    /// The project's users and their roles.
    List,
}

pub fn user(args: UserArgs) -> anyhow::Result<ExitCode> {
    let db = args
        .db
        .ok_or_else(|| anyhow::anyhow!("which project? give --db postgres://…"))?;
    let mut store = Store::open_existing(&db)?;
    match args.command {
        UserCommand::Add { name, role, login } => {
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
            let login = login.unwrap_or_else(|| name.clone());
            store.add_user(&name, &login, role)?;
            outln!(
                "{name} (login {login}) is {} of {}",
                role.with_article(),
                store.path().display()
            )?;
        }
        UserCommand::List => {
            for user in store.users()? {
                outln!("{}\t{}\t{}", user.name, user.login, user.role.as_str())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct AssignArgs {
    /// The team server: `postgres://user@host:port/dbname`.
    #[arg(long, value_name = "URL")]
    db: PathBuf,
    /// How many annotators each document gets; more than one gives the overlap that
    /// agreement is measured on.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    per_document: u32,
    /// Minutes after which an unfinished claim goes back to the pool.
    #[arg(long)]
    timeout_minutes: Option<u64>,
}

pub fn assign(args: AssignArgs) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_existing(&args.db)?;
    if let Some(minutes) = args.timeout_minutes {
        store.set_meta("claim_timeout_s", &(minutes * 60).to_string())?;
    }
    let added = store.assign(args.per_document as usize)?;
    let n_documents = store.documents()?.len();
    outln!(
        "{n_documents} documents with {} annotators each: {} added",
        args.per_document,
        biaozhu::count(added, "slot", "slots")
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct ClaimArgs {
    /// The team server: `postgres://user@host:port/dbname`.
    #[arg(long, value_name = "URL")]
    db: PathBuf,
    /// Whose claim.
    #[arg(long)]
    annotator: String,
    /// Mark this document's claim finished instead of claiming the next.
    #[arg(long, value_name = "DOCUMENT_ID")]
    finish: Option<i64>,
}

pub fn claim(args: ClaimArgs) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_existing(&args.db)?;
    if let Some(id) = args.finish {
        store.finish_claim(DocumentId(id), &args.annotator, true)?;
        outln!("document {id} finished by {}", args.annotator)?;
        return Ok(ExitCode::SUCCESS);
    }
    match store.claim_next(&args.annotator)? {
        Some(id) => {
            let document = store.document(id)?;
            outln!("{}\t{}", id.0, document.name)?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            outln!("nothing left to claim for {}", args.annotator)?;
            Ok(ExitCode::from(3))
        }
    }
}
