//! Severity is policy (as in cargo-deny and clippy): the one place where the spec's `lints`
//! (with `--deny`, `--warn` and `--allow` set on top) meet the findings. Exceptions drop
//! the findings they match and are themselves reported when they match nothing; each
//! remaining finding gets the severity of its code's level, and `allow` drops it.

use crate::diagnostics::{Code, Diagnostic, Label, Level};
use crate::spec::{Exception, ExceptionTarget, Lints};

/// Applies `lints` to the findings of one run.
pub fn apply(lints: &Lints, crates: &[&str], findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut matched = vec![false; lints.exceptions.len()];
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let mut excused = false;
        for (i, exception) in lints.exceptions.iter().enumerate() {
            if excuses(exception, &finding, crates) {
                matched[i] = true;
                excused = true;
            }
        }
        if !excused {
            kept.push(finding);
        }
    }
    let unmatched = lints
        .exceptions
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(exception, _)| unmatched_exception(exception));
    kept.into_iter()
        .chain(unmatched)
        .filter_map(|mut finding| {
            finding.severity = lints.level(finding.code).severity()?;
            Some(finding)
        })
        .collect()
}

/// Sets the levels of the command line (`--deny`, `--warn`, `--allow`) on top of the
/// spec's. A code given to two of them is an error: which one was meant is not clear.
pub fn set_from_command_line(
    lints: &mut Lints,
    deny: &[Code],
    warn: &[Code],
    allow: &[Code],
) -> Result<(), String> {
    let flags = [("deny", deny), ("warn", warn), ("allow", allow)];
    for (i, (flag, codes)) in flags.iter().enumerate() {
        for (other, others) in &flags[i + 1..] {
            if let Some(code) = codes.iter().find(|c| others.contains(c)) {
                return Err(format!(
                    "`--{flag} {code}` and `--{other} {code}` contradict each other; keep one"
                ));
            }
        }
    }
    for (level, codes) in [
        (Level::Deny, deny),
        (Level::Warn, warn),
        (Level::Allow, allow),
    ] {
        for &code in codes {
            lints.set(code, level);
        }
    }
    Ok(())
}

/// Whether `exception` allows `finding`: same code, the code found `within` its pattern
/// (the item holding it or its module), and naming what `to` says (anything without it).
fn excuses(exception: &Exception, finding: &Diagnostic, crates: &[&str]) -> bool {
    let Some(subject) = &finding.subject else {
        return false;
    };
    let matches =
        |pattern: &crate::spec::ModulePattern, path: &str| pattern.matches(path, crates).is_some();
    if exception.code != finding.code
        || !(matches(&exception.within, &subject.source)
            || matches(&exception.within, &subject.module))
    {
        return false;
    }
    match &exception.to {
        None => true,
        Some(ExceptionTarget::Table(table)) => subject
            .target
            .strip_prefix("table ")
            .is_some_and(|name| name.eq_ignore_ascii_case(table)),
        // An item, or the module (or type) that holds it, as `public` matches.
        Some(ExceptionTarget::Item(pattern)) => {
            matches(pattern, &subject.target)
                || subject
                    .target
                    .rsplit_once("::")
                    .is_some_and(|(parent, _)| matches(pattern, parent))
        }
    }
}

fn unmatched_exception(exception: &Exception) -> Diagnostic {
    let code = exception.code;
    let to = match &exception.to {
        Some(ExceptionTarget::Item(p)) => format!(" naming `{p}`"),
        Some(ExceptionTarget::Table(t)) => format!(" on table `{t}`"),
        None => String::new(),
    };
    Diagnostic::error(
        Code::UnmatchedException,
        format!(
            "no `{code}` finding in `{}`{to} matches this exception",
            exception.within
        ),
    )
    .with_label(Label::primary(
        exception.location.clone(),
        "matches nothing",
    ))
    .with_help("remove the exception: what it allowed is gone (or its patterns name nothing)")
}
