//! The report as a table for people: one row per account, then its error and hints indented
//! beneath it. Regions where nothing was found are left out of the row (the JSON has them all).

use super::report::{AccountReport, Report, Verdict};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "caller: {} (account {}, credentials from {})",
        report.caller.arn, report.caller.account, report.credentials_source
    );
    let _ = writeln!(
        out,
        "role: {}; regions: {}; resources: {}",
        report.role_name,
        report.regions_from,
        report.resources.join(",")
    );
    let _ = writeln!(out);
    let rows: Vec<[String; 6]> = report
        .accounts
        .iter()
        .map(|a| {
            [
                a.id.clone(),
                a.name.clone(),
                a.joined_method.clone(),
                a.assume_role.clone(),
                verdict(a.verdict).to_string(),
                regions_cell(a, report.resources.len() == 1),
            ]
        })
        .collect();
    let header = [
        "ACCOUNT",
        "NAME",
        "JOINED",
        "ASSUMEROLE",
        "RESULT",
        "REGIONS",
    ]
    .map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, row: &[String; 6]| {
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(out, "{cell:width$}  ");
        }
        let _ = writeln!(out, "{}", row[5]);
    };
    line(&mut out, &header);
    for (account, row) in report.accounts.iter().zip(&rows) {
        line(&mut out, row);
        details(&mut out, account);
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "\n{} accounts: {} ok, {} failed, {} skipped",
        s.accounts, s.ok, s.failed, s.skipped
    );
    out
}

/// `us-east-1: 5  eu-west-1: 2` for one resource, `us-east-1: instances 5, vpcs 1` for several;
/// a failed region shows its error code.
fn regions_cell(account: &AccountReport, single: bool) -> String {
    let mut parts = Vec::new();
    for region in &account.regions {
        if let Some(e) = &region.error {
            parts.push(format!("{}: {}", region.region, e.error.code));
            continue;
        }
        if region.counts.iter().all(|(_, n)| *n == 0) {
            continue;
        }
        let counts = if single {
            region
                .counts
                .iter()
                .map(|(_, n)| n.to_string())
                .collect::<Vec<_>>()
        } else {
            region
                .counts
                .iter()
                .map(|(name, n)| format!("{name} {n}"))
                .collect()
        };
        parts.push(format!("{}: {}", region.region, counts.join(", ")));
    }
    let walked = account.regions.len();
    if parts.is_empty() {
        return match walked {
            0 => "-".into(),
            n => format!("nothing found ({n} regions)"),
        };
    }
    let mut cell = parts.join("  ");
    let shown = parts.len();
    if walked > shown {
        let empty = walked - shown;
        let plural = if empty == 1 { "" } else { "s" };
        let _ = write!(cell, "  (+{empty} empty region{plural})");
    }
    cell
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::Failed => "FAILED",
        Verdict::Skipped => "skipped",
    }
}

fn details(out: &mut String, account: &AccountReport) {
    if let Some(e) = &account.assume_role_error {
        let _ = writeln!(out, "    AssumeRole: {e}");
    }
    if account.assume_role_error.is_some() {
        if let Some(with) = &account.ec2_credentials {
            let _ = writeln!(out, "    EC2 signed with {with}");
        }
    }
    for region in &account.regions {
        if let Some(e) = &region.error {
            let _ = writeln!(out, "    {} {}: {}", region.region, e.action, e.error);
        }
    }
    for hint in &account.hints {
        let _ = writeln!(out, "    hint: {hint}");
    }
}
