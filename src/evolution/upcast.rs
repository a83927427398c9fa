//! Whether an event's `upcast` carries the events of the old spec's version into the new
//! one. A declared upcast (`renamed`, `defaults`) is replayed on the old version's fields:
//! every required field of the new version must come out of it, with the type it has now
//! (`T` may become `Option<T>`: serde reads a value as `Some`). What does not is an
//! `upcast-incomplete` error, since the upcast promises that old events decode. A `function`
//! upcast is the user's code: it covers whatever it is written to cover.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::spec::{Event, FieldType, Renamed, UpcastRule};

/// The changes from `before` to `after` the upcast of `after` does not cover; empty when
/// it covers them all (or when `after` has no upcast: then nothing was promised).
pub(super) fn gaps(before: &Event, after: &Event) -> Vec<Diagnostic> {
    let Some(upcast) = &after.upcast else {
        return Vec::new();
    };
    let UpcastRule::Declared { renamed, defaults } = &upcast.rule else {
        return Vec::new();
    };
    let gap = |message: String, at, why: String| {
        Diagnostic::error(Code::UpcastIncomplete, message).with_label(Label::primary(at, why))
    };
    let fails = format!("version {} events fail to decode here", before.version);
    let previous = after.version - 1;
    if before.version != previous {
        return vec![gap(
            format!(
                "the upcast of `{}` reads version {previous}, but the old spec is at version {}",
                after.name, before.version
            ),
            upcast.location.clone(),
            "`renamed` and `defaults` describe the previous version only".to_owned(),
        )
        .with_help(format!(
            "go through version {previous} first, or use `function: true` to upcast every older version"
        ))];
    }
    // The old version's fields as the upcast leaves them: renamed, then defaulted.
    let mut fields: BTreeMap<&str, &FieldType> = before
        .fields
        .iter()
        .map(|f| (f.name.as_str(), &f.ty))
        .collect();
    for r in renamed {
        if let Some(ty) = fields.remove(r.from.value.as_str())
            && !fields.contains_key(r.to.value.as_str())
        {
            fields.insert(&r.to.value, ty);
        }
    }
    let mut out = Vec::new();
    for field in &after.fields {
        let defaulted = defaults.iter().any(|d| d.field.value == field.name);
        match fields.get(field.name.as_str()) {
            Some(old) if fits(old, &field.ty) => {}
            Some(old) => out.push(
                gap(
                    format!(
                        "`{}.{}` is `{old}` in version {} and `{}` in version {}: the upcast \
                         cannot convert it",
                        after.name, field.name, before.version, field.ty, after.version
                    ),
                    field.location.clone(),
                    fails.clone(),
                )
                .with_help("renames and defaults move values, they do not convert them: use `upcast: { function: true }`"),
            ),
            None if defaulted || matches!(field.ty, FieldType::Option(_)) => {}
            None => out.push(
                gap(
                    format!(
                        "`{}.{}` is required, but events of version {} lack it and the upcast \
                         gives it no value",
                        after.name, field.name, before.version
                    ),
                    field.location.clone(),
                    fails.clone(),
                )
                .with_help(match old_name_of(before, after, field, renamed) {
                    Some(old) => format!(
                        "if it is `{old}` renamed, add `{old}: {}` under `upcast.renamed`",
                        field.name
                    ),
                    None => format!("add `{}: <value>` under `upcast.defaults`", field.name),
                }),
            ),
        }
    }
    out
}

/// Whether a value of type `old` deserializes as `new`.
fn fits(old: &FieldType, new: &FieldType) -> bool {
    old == new || matches!(new, FieldType::Option(inner) if **inner == *old)
}

/// The one field of `before` gone from `after` with the type of `field`, and not renamed
/// already: what a rename would have been.
fn old_name_of<'a>(
    before: &'a Event,
    after: &Event,
    field: &crate::spec::Field,
    renamed: &[Renamed],
) -> Option<&'a str> {
    let mut gone = before.fields.iter().filter(|f| {
        f.ty == field.ty
            && !after.fields.iter().any(|a| a.name == f.name)
            && !renamed.iter().any(|r| r.from.value == f.name)
    });
    match (gone.next(), gone.next()) {
        (Some(only), None) => Some(&only.name),
        _ => None,
    }
}
