//! An event's `upcast:` -> [`Upcast`]: renames that lead to a field the event has, defaults
//! that name a field and fit its type (checked against the JSON the events crate will
//! deserialize), `function` alone. Runs once the events and value types are built.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::Code;

use super::model::*;
use super::names::did_you_mean;
use super::raw::{At, RawUpcast};
use super::validate::Validator;

impl Validator<'_, '_> {
    /// The upcast of `event`, or `None` with the reasons reported.
    pub(crate) fn upcast(
        &mut self,
        raw: &RawUpcast,
        event: &Event,
        types: &BTreeMap<TypeName, ValueType>,
    ) -> Option<Upcast> {
        let location = self.decoder.location(raw.pos);
        let at_start = At {
            value: (),
            pos: raw.pos,
        };
        if event.version < 2 {
            self.error(
                Code::InvalidUpcast,
                &at_start,
                format!(
                    "`{}` is at version 1: there is no older version to upcast",
                    event.name
                ),
                Some("raise its `version:` along with the change the upcast describes".into()),
            );
            return None;
        }
        if let Some(function) = raw.function.as_ref().filter(|f| f.value) {
            if raw.renamed.0.is_empty() && raw.defaults.0.is_empty() {
                return Some(Upcast {
                    location,
                    rule: UpcastRule::Function,
                });
            }
            self.error(
                Code::InvalidUpcast,
                function,
                "`function: true` next to `renamed` or `defaults`".to_string(),
                Some("the function does the whole step: move the renames and defaults into it, or drop `function`".into()),
            );
            return None;
        }
        let mut valid = true;
        let mut renamed = Vec::new();
        for (from, to) in &raw.renamed.0 {
            valid &= self.renamed(event, from, to);
            renamed.push(Renamed {
                from: self.located(from),
                to: self.located(to),
            });
        }
        let mut defaults = Vec::new();
        for (field, value) in &raw.defaults.0 {
            valid &= self.default(event, field, value, types);
            defaults.push(FieldDefault {
                field: self.located(field),
                value: value.value.clone(),
            });
        }
        valid.then_some(Upcast {
            location,
            rule: UpcastRule::Declared { renamed, defaults },
        })
    }

    fn renamed(&mut self, event: &Event, from: &At<String>, to: &At<String>) -> bool {
        if event.fields.iter().any(|f| f.name == from.value) {
            self.error(
                Code::InvalidUpcast,
                from,
                format!(
                    "`{}` is still a field of `{}`: renaming it would drop its value",
                    from.value, event.name
                ),
                Some("`renamed` maps a field of the previous version to its new name".into()),
            );
            return false;
        }
        self.is_field(event, to, "renamed to")
    }

    fn default(
        &mut self,
        event: &Event,
        field: &At<String>,
        value: &At<Value>,
        types: &BTreeMap<TypeName, ValueType>,
    ) -> bool {
        if !self.is_field(event, field, "a default for") {
            return false;
        }
        let Some(ty) = event
            .fields
            .iter()
            .find(|f| f.name == field.value)
            .map(|f| &f.ty)
        else {
            return false;
        };
        if let Err(problem) = fits(&value.value, ty, types) {
            self.error(
                Code::InvalidUpcast,
                value,
                format!(
                    "the default of `{}` does not fit `{ty}`: {problem}",
                    field.value
                ),
                Some(example_of(ty).to_string()),
            );
            return false;
        }
        true
    }

    fn is_field(&mut self, event: &Event, name: &At<String>, role: &str) -> bool {
        if event.fields.iter().any(|f| f.name == name.value) {
            return true;
        }
        let names = event.fields.iter().map(|f| f.name.as_str());
        let help = match did_you_mean(&name.value, names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "declare `{}` under the `fields` of `{}`",
                name.value, event.name
            ),
        };
        self.error(
            Code::UnknownField,
            name,
            format!(
                "{role} `{}`, which is not a field of event `{}`",
                name.value, event.name
            ),
            Some(help),
        );
        false
    }
}

/// Whether `value` deserializes as `ty` in the events crate; the problem when it does not.
pub(crate) fn fits(
    value: &Value,
    ty: &FieldType,
    types: &BTreeMap<TypeName, ValueType>,
) -> Result<(), String> {
    let found = || format!("found {}", json_kind(value));
    let integer = |min: i128, max: i128| match value
        .as_i64()
        .map(i128::from)
        .or(value.as_u64().map(i128::from))
    {
        Some(n) if (min..=max).contains(&n) => Ok(()),
        Some(n) => Err(format!("{n} is out of range")),
        None => Err(found()),
    };
    match (ty, value) {
        (FieldType::Bool, Value::Bool(_)) => Ok(()),
        (FieldType::I32, _) => integer(i32::MIN.into(), i32::MAX.into()),
        (FieldType::I64, _) => integer(i64::MIN.into(), i64::MAX.into()),
        (FieldType::U32, _) => integer(0, u32::MAX.into()),
        (FieldType::U64, _) => integer(0, u64::MAX.into()),
        (FieldType::F64, Value::Number(_)) => Ok(()),
        (FieldType::String, Value::String(_)) => Ok(()),
        (FieldType::Uuid, Value::String(s)) if is_uuid(s) => Ok(()),
        (FieldType::Date, Value::String(s)) if is_date(s) => Ok(()),
        (FieldType::DateTime, Value::String(s)) if s.len() >= 20 && is_date(&s[..10]) => Ok(()),
        (FieldType::Decimal, Value::String(s)) if s.parse::<f64>().is_ok() => Ok(()),
        (
            FieldType::Uuid | FieldType::Date | FieldType::DateTime | FieldType::Decimal,
            Value::String(s),
        ) => Err(format!("`{s}` is not a {ty}")),
        (FieldType::Option(_), Value::Null) => Ok(()),
        (FieldType::Option(inner), _) => fits(value, inner, types),
        (FieldType::Vec(inner), Value::Array(items)) => {
            items.iter().enumerate().try_for_each(|(i, item)| {
                fits(item, inner, types).map_err(|e| format!("item {i}: {e}"))
            })
        }
        (FieldType::Named(name), Value::Object(fields)) => {
            let Some(declared) = types.get(name) else {
                return Ok(());
            };
            for field in &declared.fields {
                match fields.get(&field.name) {
                    Some(v) => {
                        fits(v, &field.ty, types).map_err(|e| format!("`{}`: {e}", field.name))?
                    }
                    None if matches!(field.ty, FieldType::Option(_)) => {}
                    None => return Err(format!("`{}` is missing", field.name)),
                }
            }
            match fields
                .keys()
                .find(|k| !declared.fields.iter().any(|f| &f.name == *k))
            {
                Some(extra) => Err(format!("`{name}` has no field `{extra}`")),
                None => Ok(()),
            }
        }
        _ => Err(found()),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A default of the right shape, for the help of a wrong one.
fn example_of(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Bool => "write `true` or `false`",
        FieldType::I32 | FieldType::I64 | FieldType::U32 | FieldType::U64 => {
            "write an integer without quotes"
        }
        FieldType::F64 => "write a number without quotes",
        FieldType::String => "write the text; quote it when YAML would read a number or a boolean",
        FieldType::Uuid => "write a UUID: `00000000-0000-0000-0000-000000000000`",
        FieldType::Date => "write a date: `\"2026-01-31\"`",
        FieldType::DateTime => "write an RFC 3339 time: `\"2026-01-31T00:00:00Z\"`",
        FieldType::Decimal => "write the number as text: `\"0.00\"`",
        FieldType::Option(_) => "write `null`, or a value of the inner type",
        FieldType::Vec(_) => "write a list: `[]`",
        FieldType::Named(_) => "write a mapping with the type's fields",
    }
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Location;

    fn money() -> BTreeMap<TypeName, ValueType> {
        let location = || Location {
            file: "fissure.yaml".into(),
            line: 1,
            column: 1,
        };
        let field = |name: &str, ty| Field {
            name: name.into(),
            location: location(),
            ty,
            description: None,
        };
        let money = ValueType {
            name: "Money".into(),
            location: location(),
            description: None,
            fields: vec![
                field("amount", FieldType::Decimal),
                field("note", FieldType::Option(Box::new(FieldType::String))),
            ],
        };
        BTreeMap::from([("Money".to_string(), money)])
    }

    #[test]
    fn defaults_fit_the_json_the_events_crate_deserializes() {
        let types = money();
        let opt = |t| FieldType::Option(Box::new(t));
        let vec = |t| FieldType::Vec(Box::new(t));
        for (value, ty) in [
            (json!(true), FieldType::Bool),
            (json!(-3), FieldType::I32),
            (json!(7), FieldType::U64),
            (json!(1.5), FieldType::F64),
            (json!(2), FieldType::F64),
            (json!("EUR"), FieldType::String),
            (
                json!("00000000-0000-0000-0000-00000000000a"),
                FieldType::Uuid,
            ),
            (json!("2026-01-31"), FieldType::Date),
            (json!("2026-01-31T00:00:00Z"), FieldType::DateTime),
            (json!("0.00"), FieldType::Decimal),
            (json!(null), opt(FieldType::U32)),
            (json!(4), opt(FieldType::U32)),
            (json!([1, 2]), vec(FieldType::U32)),
            (
                json!({ "amount": "1.00" }),
                FieldType::Named("Money".into()),
            ),
        ] {
            assert_eq!(fits(&value, &ty, &types), Ok(()), "{value} as {ty}");
        }
    }

    #[test]
    fn a_default_that_does_not_fit_says_why() {
        let types = money();
        let cases = [
            (json!("3"), FieldType::U32, "found a string"),
            (json!(-1), FieldType::U32, "-1 is out of range"),
            (json!(1.5), FieldType::I64, "found a number"),
            (
                json!(5_000_000_000_u64),
                FieldType::I32,
                "5000000000 is out of range",
            ),
            (json!("soon"), FieldType::Date, "`soon` is not a Date"),
            (json!("x"), FieldType::Uuid, "`x` is not a Uuid"),
            (json!(null), FieldType::String, "found nothing"),
            (
                json!([1, "a"]),
                FieldType::Vec(Box::new(FieldType::U32)),
                "item 1: found a string",
            ),
            (
                json!({}),
                FieldType::Named("Money".into()),
                "`amount` is missing",
            ),
            (
                json!({ "amount": "1", "cents": 1 }),
                FieldType::Named("Money".into()),
                "`Money` has no field `cents`",
            ),
        ];
        for (value, ty, problem) in cases {
            assert_eq!(
                fits(&value, &ty, &types),
                Err(problem.to_string()),
                "{value} as {ty}"
            );
        }
    }

    #[test]
    fn a_declared_and_a_function_upcast_load_into_the_model() {
        let text = "version: 1
system: hotel
domains:
  reservations: { modules: [crate::reservations] }
events:
  RoomBooked:
    from: reservations
    version: 2
    fields: { guest: String, nights: u32, extras: Vec<String>, total: Money }
    upcast:
      renamed: { guest_name: guest }
      defaults: { nights: 1, extras: [], total: { amount: '0.00' } }
  RoomReleased:
    from: reservations
    version: 3
    fields: { room: String }
    upcast: { function: true }
types:
  Money: { fields: { amount: Decimal } }
";
        let (spec, diagnostics) = crate::spec::load("fissure.yaml", text);
        assert_eq!(diagnostics, []);
        let spec = spec.expect("valid");
        let booked = spec.events["RoomBooked"].upcast.as_ref().expect("upcast");
        assert_eq!((booked.location.line, booked.location.column), (10, 5));
        let UpcastRule::Declared { renamed, defaults } = &booked.rule else {
            panic!("declared: {booked:?}");
        };
        let renames: Vec<(&str, &str)> = renamed
            .iter()
            .map(|r| (r.from.value.as_str(), r.to.value.as_str()))
            .collect();
        assert_eq!(renames, [("guest_name", "guest")]);
        let defaults: Vec<(&str, &Value)> = defaults
            .iter()
            .map(|d| (d.field.value.as_str(), &d.value))
            .collect();
        assert_eq!(
            defaults,
            [
                ("nights", &json!(1)),
                ("extras", &json!([])),
                ("total", &json!({ "amount": "0.00" }))
            ]
        );
        let released = spec.events["RoomReleased"].upcast.as_ref().expect("upcast");
        assert_eq!(released.rule, UpcastRule::Function);
    }
}
