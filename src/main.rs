//! `rejestr`: the one binary of Rejestr72.

mod admin;
mod config;
mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use rejestr_domain::role::Role;
use rejestr_intake::AttachmentLimits;
use rejestr_store::{ChainStatus, NewUser, Store};
use rejestr_web::{AppState, WebConfig, hash_password};
use tracing_subscriber::EnvFilter;

use crate::config::Config;

/// Rejestr72 — the register of security incidents and personal-data breaches.
#[derive(Debug, Parser)]
#[command(name = "rejestr", version, about)]
struct Cli {
    /// Configuration file (default: ./rejestr.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://path or postgres://… (overrides the file and DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web service (the default).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Create the demo organisations with sample reports (idempotent).
    Demo,
    /// Recompute every organisation's audit chain; exit 1 at the first broken link.
    VerifyAudit,
    /// Assess one Facts v1 JSON document from standard input; print the Assessment JSON.
    /// Exit 2 with a one-line error naming the field on bad input.
    Assess,
    /// Run one scheduler tick at the given instant: print one JSON line per escalation step
    /// and per daily digest that fires (or would fire, with --dry-run).
    Tick {
        /// The instant, RFC 3339 (default: now).
        #[arg(long)]
        now: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Export cases to standard output: for sharing with a CSIRT or ISAC-JST (stix, misp:
    /// pseudonymised, the export is recorded in the audit trail), the register for an
    /// auditor (csv, json), or the register report for a period (pdf, with --from and --to).
    /// Exit 2 on bad arguments.
    Export {
        /// The organisation's slug, e.g. demo.
        #[arg(long)]
        org: String,
        /// A case number such as 0001/2026 (repeatable). Without it: every case (not misp).
        #[arg(long = "case")]
        cases: Vec<String>,
        #[arg(long, value_parser = ["stix", "misp", "csv", "json", "pdf"])]
        format: String,
        /// First day of the period of a pdf report (YYYY-MM-DD, Polish calendar).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day of the period of a pdf report (YYYY-MM-DD).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// TLP of a stix or misp export: clear, green, amber, amber+strict, red.
        #[arg(long, default_value = "amber")]
        tlp: String,
        /// Who receives a stix or misp export, e.g. "CSIRT NASK" (recorded in the audit trail).
        #[arg(long)]
        recipient: Option<String>,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a personal API token for a user; the secret is printed once.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for, e.g. "kopia rejestru".
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user (if new) and grant a role in an organisation. Without
    /// --password-stdin a random password is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// The name shown in the register, e.g. "Anna Nowak".
        #[arg(long)]
        name: String,
        /// The organisation's slug, e.g. demo.
        #[arg(long)]
        org: String,
        /// reporter, iod, asi, head, auditor or admin.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::Assess)) {
        return assess_stdin();
    }
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("rejestr: {error}");
            return ExitCode::from(2);
        }
    };
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    if let Some(Command::Serve { bind: Some(bind) }) = &cli.command {
        config.bind = bind.clone();
    }
    if let Err(error) = config.validate() {
        eprintln!("rejestr: {error}");
        return ExitCode::from(2);
    }
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rejestr: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve { bind: None }) {
            Command::Serve { .. } => serve(&config).await,
            Command::Migrate => migrate(&config).await,
            Command::Demo => run_demo(&config).await,
            Command::VerifyAudit => verify_audit(&config).await,
            Command::Assess => Ok(assess_stdin()),
            Command::Tick { now, dry_run } => tick(&config, now.as_deref(), dry_run).await,
            Command::User(UserCommand::Add {
                email,
                name,
                org,
                role,
                password_stdin,
            }) => add_user(&config, &email, &name, &org, &role, password_stdin).await,
            Command::Token(TokenCommand::Create { email, name }) => {
                create_token(&config, &email, &name).await
            }
            Command::Export {
                org,
                cases,
                format,
                from,
                to,
                tlp,
                recipient,
            } => {
                if format == "pdf" {
                    report_pdf(&config, &org, from, to).await
                } else {
                    export(&config, &org, &cases, &format, &tlp, recipient.as_deref()).await
                }
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rejestr: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `rejestr assess`: pure, no configuration or database needed.
fn assess_stdin() -> ExitCode {
    let mut input = String::new();
    if let Err(error) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input) {
        eprintln!("rejestr: cannot read standard input: {error}");
        return ExitCode::from(2);
    }
    let facts = match rejestr_risk::parse_facts(&input) {
        Ok(facts) => facts,
        Err(error) => {
            eprintln!("rejestr: {}", error.0.replace('\n', " "));
            return ExitCode::from(2);
        }
    };
    match serde_json::to_string_pretty(&rejestr_risk::assess(&facts)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rejestr: cannot write the assessment: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&config.database_url)))
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open(config).await?;
    if config.seed_demo() && store.organisations().await?.is_empty() {
        demo::seed(&store, chrono::Utc::now()).await?;
        tracing::info!("created the demo organisation (empty database)");
    }
    let listener = tokio::net::TcpListener::bind(config.bind_addr()?)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let bound = listener.local_addr()?;
    let public_url = config.public_url(bound);
    let state = AppState::new(
        store.clone(),
        WebConfig {
            public_url: public_url.clone(),
            attachments: AttachmentLimits {
                max_bytes: config.attachment_max_mib * 1024 * 1024,
                max_files: config.attachment_max_files,
            },
            template_dir: config.template_dir.clone().map(std::path::PathBuf::from),
            mail_folder: config.smtp_url.is_none().then(|| config.mail_dir.clone()),
        },
    )?;
    let admin = match config.admin_addr()? {
        Some(addr) => admin::serve(addr, admin::install_recorder()?).await,
        None => None,
    };
    // Catch up at once on start (missed steps after downtime), then every 30 seconds.
    let now = chrono::Utc::now();
    match store.tick(now, false).await {
        Ok(_) => rejestr_web::metrics::record_tick(now),
        Err(error) => tracing::error!(%error, "catch-up tick failed"),
    }
    admin::refresh_gauges(&store, now).await;
    if let Err(error) = store
        .decide_digests(chrono::Utc::now(), config.digest_hour, false)
        .await
    {
        tracing::error!(%error, "catch-up digests failed");
    }
    let mailer = rejestr_notify::Mailer::new(
        config.smtp_url.as_deref(),
        std::path::Path::new(&config.mail_dir),
    )?;
    tracing::info!(mail = %mailer.describe(), "notices");
    let dispatcher = std::sync::Arc::new(rejestr_notify::Dispatcher::new(
        store.clone(),
        mailer,
        &config.mail_from,
        &public_url,
    )?);
    if let Err(error) = dispatcher.run_once(chrono::Utc::now()).await {
        tracing::error!(%error, "catch-up dispatch failed");
    }
    let mut scheduler = start_scheduler(store.clone(), dispatcher, config.digest_hour).await?;
    let orgs = store.organisations().await?;
    let mut banner = format!("Rejestr72 działa: {public_url}/\n");
    for org in &orgs {
        banner.push_str(&format!(
            "  formularz zgłoszenia — {}: {public_url}/o/{}/zglos\n",
            org.name, org.slug
        ));
    }
    if let Some(admin) = admin {
        banner.push_str(&format!("  metryki (Prometheus): http://{admin}/metrics\n"));
    }
    banner.push_str("Zatrzymanie: Ctrl+C\n");
    // A closed stdout (a supervisor that stopped reading) must not stop the service.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), banner.as_bytes());
    let _ = std::io::Write::flush(&mut std::io::stdout());
    axum::serve(listener, rejestr_web::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Err(error) = scheduler.shutdown().await {
        tracing::warn!(%error, "scheduler shutdown");
    }
    store.close().await?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn tick(config: &Config, now: Option<&str>, dry_run: bool) -> anyhow::Result<ExitCode> {
    let now = match now {
        None => chrono::Utc::now(),
        Some(raw) => match chrono::DateTime::parse_from_rfc3339(raw) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(error) => {
                eprintln!("rejestr: --now {raw:?} is not an RFC 3339 instant: {error}");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let store = open(config).await?;
    let started = std::time::Instant::now();
    let steps = store.tick(now, dry_run).await?;
    let tick_ms = started.elapsed().as_secs_f64() * 1000.0;
    let step_count = steps.len();
    for step in steps {
        println!(
            "{}",
            serde_json::json!({
                "case": step.case_number,
                "organisation": step.organisation,
                "obligation": step.obligation,
                "step": step.step,
                "recipients": [step.audience],
                "late": step.late,
            })
        );
    }
    for digest in store
        .decide_digests(now, config.digest_hour, dry_run)
        .await?
    {
        println!(
            "{}",
            serde_json::json!({
                "digest": digest.day,
                "recipients": [digest.email],
                "open_obligations": digest.obligations,
            })
        );
    }
    // On stderr, so that stdout stays one JSON line per step: what the tick cost (the
    // benchmarks under deploy/bench read it).
    eprintln!(
        "rejestr tick: {step_count} step(s) in {tick_ms:.1} ms{}",
        if dry_run { " (dry run)" } else { "" }
    );
    store.close().await?;
    Ok(ExitCode::SUCCESS)
}

/// Starts the scheduler: one cron job (every 30 s, UTC) that runs a tick (escalation steps and
/// the daily digests from `digest_hour` Warsaw time) and dispatches. The job holds no state;
/// what is due is derived from the database, so missed ticks are caught up.
async fn start_scheduler(
    store: Store,
    dispatcher: std::sync::Arc<rejestr_notify::Dispatcher>,
    digest_hour: u32,
) -> anyhow::Result<tokio_cron_scheduler::JobScheduler> {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let scheduler = JobScheduler::new().await?;
    let job = Job::new_async("0/30 * * * * *", move |_id, _scheduler| {
        let store = store.clone();
        let dispatcher = dispatcher.clone();
        Box::pin(async move {
            let now = chrono::Utc::now();
            match store.tick(now, false).await {
                Ok(fired) => {
                    rejestr_web::metrics::record_tick(now);
                    if !fired.is_empty() {
                        tracing::info!(
                            steps = fired.len(),
                            "escalation steps written to the outbox"
                        );
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "scheduler tick failed; the next tick retries")
                }
            }
            match store.decide_digests(now, digest_hour, false).await {
                Ok(digests) if !digests.is_empty() => {
                    tracing::info!(digests = digests.len(), "daily digests decided");
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(%error, "daily digests failed; the next tick retries")
                }
            }
            match dispatcher.run_once(now).await {
                Ok(report) if report.sent + report.failed > 0 => {
                    tracing::info!(
                        sent = report.sent,
                        failed = report.failed,
                        "notices dispatched"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "dispatch failed; the next tick retries"),
            }
            admin::refresh_gauges(&store, now).await;
        })
    })?;
    scheduler.add(job).await?;
    scheduler.start().await?;
    Ok(scheduler)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl+C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open(config).await?;
    store.close().await?;
    println!("Migracje zastosowane: {}", redact(&config.database_url));
    Ok(ExitCode::SUCCESS)
}

async fn run_demo(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open(config).await?;
    let org = demo::seed(&store, chrono::Utc::now()).await?;
    println!(
        "Jednostka demonstracyjna: {} (/o/{}/zglos), spraw: {}",
        org.name,
        org.slug,
        store.count_cases(org.id).await?
    );
    store.close().await?;
    Ok(ExitCode::SUCCESS)
}

async fn verify_audit(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open(config).await?;
    let reports = store.verify_audit().await?;
    store.close().await?;
    let mut intact = true;
    for report in &reports {
        match &report.status {
            ChainStatus::Intact => println!(
                "{}: OK, {} events, the chain is intact",
                report.organisation, report.events
            ),
            ChainStatus::Broken { seq, reason } => {
                intact = false;
                println!(
                    "{}: BROKEN at event {seq} ({} events verified before it): {reason}",
                    report.organisation, report.events
                );
            }
        }
    }
    if reports.is_empty() {
        println!("no organisations: nothing to verify");
    }
    Ok(if intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn add_user(
    config: &Config,
    email: &str,
    name: &str,
    org_slug: &str,
    role: &str,
    password_stdin: bool,
) -> anyhow::Result<ExitCode> {
    let role: Role = match role.parse() {
        Ok(role) => role,
        Err(_) => {
            eprintln!(
                "rejestr: unknown role {role:?}; expected reporter, iod, asi, head, auditor or admin"
            );
            return Ok(ExitCode::from(2));
        }
    };
    if !email.contains('@') || name.trim().is_empty() {
        eprintln!("rejestr: --email must be an e-mail address and --name must not be empty");
        return Ok(ExitCode::from(2));
    }
    let store = open(config).await?;
    let Some(org) = store.organisation_by_slug(org_slug).await? else {
        eprintln!("rejestr: no organisation {org_slug:?}");
        return Ok(ExitCode::from(2));
    };
    let now = chrono::Utc::now();
    let user = match store.user_by_email(email).await? {
        Some(user) => {
            println!("Użytkownik {} już istnieje; nadaję rolę.", user.email);
            user
        }
        None => {
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (hex_password(), true)
            };
            let hash = match hash_password(&password) {
                Ok(hash) => hash,
                Err(error) => {
                    eprintln!("rejestr: {error}");
                    return Ok(ExitCode::from(2));
                }
            };
            let user = store
                .create_user(
                    &NewUser {
                        email: email.to_owned(),
                        display_name: name.to_owned(),
                        password_hash: Some(hash),
                    },
                    now,
                )
                .await?;
            if generated {
                println!("Hasło (pokazywane tylko teraz): {password}");
            }
            user
        }
    };
    store.add_membership(&user, &org, role, "cli", now).await?;
    println!(
        "{} ma rolę „{}” w: {}",
        user.email,
        role.label_pl(),
        org.name
    );
    store.close().await?;
    Ok(ExitCode::SUCCESS)
}

async fn create_token(config: &Config, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let store = open(config).await?;
    let Some(user) = store.user_by_email(email).await? else {
        eprintln!("rejestr: no user {email:?}");
        return Ok(ExitCode::from(2));
    };
    match store
        .create_api_token(&user, name, chrono::Utc::now())
        .await
    {
        Ok(secret) => {
            println!(
                "Token „{name}” dla {} (pokazywany tylko teraz):",
                user.email
            );
            println!("{secret}");
        }
        Err(rejestr_store::StoreError::InvalidInput(message)) => {
            eprintln!("rejestr: {message}");
            return Ok(ExitCode::from(2));
        }
        Err(error) => return Err(error.into()),
    }
    store.close().await?;
    Ok(ExitCode::SUCCESS)
}

/// A random 20-character password (80 bits) for a new account.
fn hex_password() -> String {
    use std::fmt::Write;
    let bytes: [u8; 10] = rand::random();
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// `rejestr export`.
async fn export(
    config: &Config,
    slug: &str,
    cases: &[String],
    format: &str,
    tlp: &str,
    recipient: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use rejestr_web::sharing;
    let usage = |message: &str| {
        eprintln!("rejestr: {message}");
        Ok(ExitCode::from(2))
    };
    let Ok(tlp) = tlp.parse::<rejestr_export::Tlp>() else {
        return usage("--tlp must be clear, green, amber, amber+strict or red");
    };
    let mut numbers = Vec::new();
    for case in cases {
        match case.parse::<rejestr_domain::case::CaseNumber>() {
            Ok(number) => numbers.push(number),
            Err(_) => return usage(&format!("{case:?} is not a case number like 0001/2026")),
        }
    }
    let sharing_export = matches!(format, "stix" | "misp");
    let recipient = recipient.map(str::trim).filter(|r| !r.is_empty());
    if sharing_export && recipient.is_none() {
        return usage("say who receives the export: --recipient \"CSIRT NASK\"");
    }
    if format == "misp" && numbers.len() != 1 {
        return usage("a MISP event is one case: give exactly one --case");
    }
    let store = open(config).await?;
    let Some(scope) = store.console_scope(slug).await? else {
        return usage(&format!("no organisation {slug:?}"));
    };
    let mut records = Vec::new();
    if numbers.is_empty() {
        let filter = rejestr_store::CaseFilter {
            include_closed: true,
            ..Default::default()
        };
        records = store.register_records(&scope, &filter).await?;
    } else {
        for number in &numbers {
            match store.register_record(&scope, *number).await {
                Ok(record) => records.push(record),
                Err(rejestr_store::StoreError::NotFound) => {
                    return usage(&format!("no case {number} in {slug}"));
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    let org = scope.organisation();
    let output = match format {
        "csv" => sharing::register_csv(&records),
        "json" => serde_json::to_string_pretty(&sharing::register_json(org, &records))?,
        _ => {
            let shared: Vec<rejestr_export::ShareCase> = records
                .iter()
                .map(|r| sharing::share_case(org, r, rejestr_export::Released::default(), None))
                .collect();
            let recipient = recipient.unwrap_or_default();
            let Some((body, share)) =
                sharing::share_file(format, &shared, tlp, recipient, Vec::new())
            else {
                return usage("a MISP event is one case: give exactly one --case");
            };
            for record in &records {
                store
                    .record_share(&scope, record.number, &share, chrono::Utc::now())
                    .await?;
            }
            body
        }
    };
    println!("{output}");
    Ok(ExitCode::SUCCESS)
}

/// `rejestr export --format pdf --from … --to …`: the register report for a period, as the
/// statistics page offers it, written to standard output.
async fn report_pdf(
    config: &Config,
    slug: &str,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let (Some(from), Some(to)) = (from, to) else {
        eprintln!("rejestr: a pdf report needs --from and --to (YYYY-MM-DD)");
        return Ok(ExitCode::from(2));
    };
    if from > to {
        eprintln!("rejestr: --from {from} is after --to {to}");
        return Ok(ExitCode::from(2));
    }
    let store = open(config).await?;
    let Some(scope) = store.console_scope(slug).await? else {
        eprintln!("rejestr: no organisation {slug:?}");
        return Ok(ExitCode::from(2));
    };
    let filter = rejestr_store::CaseFilter {
        include_closed: true,
        ..Default::default()
    };
    let records = store.register_records(&scope, &filter).await?;
    let report = rejestr_web::sharing::register_report(
        scope.organisation(),
        &records,
        &rejestr_stats::Period::new(from, to),
        "konsola (rejestr export)",
        chrono::Utc::now(),
    );
    let drafting =
        rejestr_drafting::Drafting::load(config.template_dir.as_deref().map(std::path::Path::new))?;
    let pdf = drafting.register_pdf(&report)?;
    std::io::stdout().lock().write_all(&pdf)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact("postgres://rejestr:sekret@db:5432/rejestr"),
            "postgres://rejestr:***@db:5432/rejestr"
        );
        assert_eq!(
            redact("sqlite://data/rejestr.db"),
            "sqlite://data/rejestr.db"
        );
    }
}
