//! Field changes of one event: removed, renamed (one field gone and one of the same type
//! added), retyped, added as required (breaking) or as optional (compatible).

use crate::diagnostics::{Code, Diagnostic, Label, Location, Severity};
use crate::spec::{Event, Field, FieldType, UpcastRule};

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

    /// Whether the change is to the fields (what an upcast can carry old events across).
    pub(super) fn is_field_change(&self) -> bool {
        matches!(
            self.code,
            Code::EventFieldRemoved
                | Code::EventFieldRenamed
                | Code::EventFieldTypeChanged
                | Code::RequiredEventFieldAdded
        )
    }

    /// A breaking field change that the new version's upcast covers: a note, since the
    /// events already stored or in flight decode into the new struct.
    pub(super) fn into_upcast_note(self, event: &str, from: u32) -> Diagnostic {
        note(self.code, self.message)
            .with_label(Label::primary(self.location, "covered by the upcast"))
            .with_help(format!(
                "the `upcast` of `{event}` turns version {from} events, stored or in flight, into the new version"
            ))
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
    // The renames the new version's upcast declares are renames; the others are guessed:
    // the one field of a type gone, the one field of that type added.
    let mut renamed: Vec<(&Field, &Field)> = declared_renames(after)
        .filter_map(|(from, to)| {
            let gone = removed.iter().find(|f| f.name == from)?;
            let new_field = added.iter().find(|f| f.name == to)?;
            Some((*gone, *new_field))
        })
        .collect();
    let declared = renamed.len();
    for gone in &removed {
        if renamed[..declared].iter().any(|(r, _)| r.name == gone.name) {
            continue;
        }
        let same_type: Vec<&&Field> = (added.iter())
            .filter(|a| {
                a.ty == gone.ty && !renamed[..declared].iter().any(|(_, t)| t.name == a.name)
            })
            .collect();
        let from_other: usize = (removed.iter())
            .filter(|r| {
                r.ty == gone.ty && !renamed[..declared].iter().any(|(g, _)| g.name == r.name)
            })
            .count();
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

/// `(old name, new name)` for each rename of the event's declared upcast.
fn declared_renames(event: &Event) -> impl Iterator<Item = (&str, &str)> {
    let renamed = match event.upcast.as_ref().map(|u| &u.rule) {
        Some(UpcastRule::Declared { renamed, .. }) => renamed.as_slice(),
        _ => &[],
    };
    renamed
        .iter()
        .map(|r| (r.from.value.as_str(), r.to.value.as_str()))
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
