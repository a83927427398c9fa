//! Field changes of one event: removed, renamed (one field gone and one of the same type
//! added), retyped, added as required (breaking) or as optional (compatible).

use crate::diagnostics::{Code, Diagnostic, Label, Location, Severity};
use crate::spec::{Event, Field, FieldType};

use super::{Subscriber, note};

/// One change, before it knows whether the version went up and who reads the event.
pub(super) struct Change {
    code: Code,
    message: String,
    location: Location,
    /// Why the subscribers break; `None` for a compatible change.
    breaks: Option<&'static str>,
}

impl Change {
    pub(super) fn breaking(
        code: Code,
        message: String,
        location: Location,
        why: &'static str,
    ) -> Self {
        Change {
            code,
            message,
            location,
            breaks: Some(why),
        }
    }

    /// A diagnostic naming the subscribers a breaking change breaks: an error, or a warning
    /// when the version went up.
    pub(super) fn into_diagnostic(
        self,
        event: &str,
        bumped: bool,
        readers: &[Subscriber<'_>],
    ) -> Diagnostic {
        let Some(why) = self.breaks else {
            return note(self.code, self.message)
                .with_label(Label::primary(self.location, "compatible"));
        };
        let names: Vec<String> = readers.iter().map(|r| format!("`{}`", r.domain)).collect();
        let whom = if names.is_empty() {
            "no subscriber yet; the events already stored".to_owned()
        } else {
            names.join(", ")
        };
        let mut d = Diagnostic::error(self.code, format!("{}; breaks {whom}", self.message))
            .with_label(Label::primary(self.location, why));
        if bumped {
            d.severity = Severity::Warning;
            d = d.with_help(format!(
                "the version of `{event}` went up: move {whom} to it; events already stored keep the old version"
            ));
        } else {
            d = d.with_help(format!(
                "bump the `version:` of `{event}` (a new type its subscribers move to), or keep \
                 the old contract"
            ));
        }
        for r in readers {
            d = d.with_label(Label::secondary(
                r.location.clone(),
                format!("`{}` reads `{event}`", r.domain),
            ));
        }
        d
    }
}

pub(super) fn field_changes(before: &Event, after: &Event) -> Vec<Change> {
    let removed: Vec<&Field> = (before.fields.iter())
        .filter(|f| !after.fields.iter().any(|a| a.name == f.name))
        .collect();
    let added: Vec<&Field> = (after.fields.iter())
        .filter(|f| !before.fields.iter().any(|b| b.name == f.name))
        .collect();
    let mut out = Vec::new();
    let mut renamed: Vec<(&Field, &Field)> = Vec::new();
    for gone in &removed {
        let same_type: Vec<&&Field> = added.iter().filter(|a| a.ty == gone.ty).collect();
        let from_other: usize = removed.iter().filter(|r| r.ty == gone.ty).count();
        if let ([new_field], 1) = (same_type.as_slice(), from_other) {
            renamed.push((gone, new_field));
        }
    }
    for gone in &removed {
        if let Some((_, to)) = renamed.iter().find(|(from, _)| from.name == gone.name) {
            out.push(Change::breaking(
                Code::EventFieldRenamed,
                format!(
                    "`{}.{}` was renamed to `{}`",
                    after.name, gone.name, to.name
                ),
                to.location.clone(),
                "subscribers read the old name",
            ));
        } else {
            out.push(Change::breaking(
                Code::EventFieldRemoved,
                format!("`{}.{}` was removed", after.name, gone.name),
                gone.location.clone(),
                "subscribers read this field",
            ));
        }
    }
    for field in added
        .iter()
        .filter(|a| !renamed.iter().any(|(_, to)| to.name == a.name))
    {
        out.push(added_field(&after.name, field));
    }
    for field in &after.fields {
        let Some(old) = before.fields.iter().find(|b| b.name == field.name) else {
            continue;
        };
        if old.ty != field.ty {
            out.push(Change::breaking(
                Code::EventFieldTypeChanged,
                format!(
                    "`{}.{}` changed from `{}` to `{}`",
                    after.name, field.name, old.ty, field.ty
                ),
                field.location.clone(),
                "subscribers decode the old type",
            ));
        }
    }
    out
}

fn added_field(event: &str, field: &Field) -> Change {
    if matches!(field.ty, FieldType::Option(_)) {
        return Change {
            code: Code::OptionalEventFieldAdded,
            message: format!("`{event}.{}` was added as optional", field.name),
            location: field.location.clone(),
            breaks: None,
        };
    }
    Change::breaking(
        Code::RequiredEventFieldAdded,
        format!(
            "`{event}.{}` was added as required (`{}`)",
            field.name, field.ty
        ),
        field.location.clone(),
        "events published before lack it",
    )
}
