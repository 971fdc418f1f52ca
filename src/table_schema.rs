//! Collection schemas (data contracts): which fields the records of a
//! collection have, of which type, in which format, with which values.
//!
//! The vocabulary follows the Frictionless **Table Schema** where it fits —
//! `fields` with `name`, `type`, `format` and `constraints` (`required`,
//! `enum`), and `primaryKey` — so a schema can be shared with data-package
//! tooling. Where naleving differs (README "Collection schemas"): a date's
//! `format` is a strftime pattern (`%d-%m-%Y`), as in Table Schema, but
//! without its `default`/`any` keywords; `additionalFields: false` (naleving's
//! own) makes a field the schema does not declare an error; `primaryKey` must
//! be the collection's `key`.
//!
//! A value that does not fit its field is taken out of the record and
//! reported (`data::type`) at the value: it never takes part in a comparison
//! as the wrong type. Dates are normalised to ISO (`2020-06-01`), so that
//! they compare correctly as text in CEL.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use serde::Deserialize;
use serde_json::Value;

use crate::calendar::parse_date;
use crate::text::Text;
use crate::tr;

/// A collection schema as written (inline in the project file, or a JSON or
/// YAML file next to the data).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SchemaSpec {
    /// The fields, in order.
    pub fields: Vec<FieldSpec>,
    /// The key field (Table Schema's `primaryKey`); must equal the
    /// collection's `key`.
    #[serde(default)]
    pub primary_key: Option<String>,
    /// Whether records may have fields the schema does not declare
    /// (default `true`; naleving's own keyword).
    #[serde(default)]
    pub additional_fields: Option<bool>,
}

/// One field of a schema.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The field's name (a top-level field of the record).
    pub name: String,
    /// Its type; `any` when left out.
    #[serde(default, rename = "type")]
    pub kind: Kind,
    /// For `date` and `datetime`: the strftime pattern the data writes it
    /// in (`%d-%m-%Y`); default ISO 8601.
    #[serde(default)]
    pub format: Option<String>,
    /// What its values must satisfy.
    #[serde(default)]
    pub constraints: Constraints,
    /// What the field means (carried for the reader; not checked).
    #[serde(default)]
    pub description: Option<String>,
}

/// The constraints of a field.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Every record has the field, non-empty.
    #[serde(default)]
    pub required: bool,
    /// The values it may take.
    #[serde(default, rename = "enum")]
    pub values: Option<Vec<Value>>,
}

/// The type of a field.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true`/`false` (in text also `ja`/`nee`).
    Boolean,
    /// A calendar date: ISO in the records once loaded.
    Date,
    /// A date and time: ISO in the records once loaded.
    Datetime,
    /// A mapping.
    Object,
    /// A list.
    Array,
    /// Anything.
    #[default]
    Any,
}

impl Kind {
    /// The type's name as the schema writes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Datetime => "datetime",
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::Any => "any",
        }
    }
}

/// A validated schema, ready to type records.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// The declared fields by name.
    pub fields: BTreeMap<String, Field>,
    /// Whether undeclared fields are allowed.
    pub additional_fields: bool,
    /// The fields that are required, in name order.
    pub required: Vec<String>,
}

/// A declared field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its type.
    pub kind: Kind,
    /// The strftime pattern of a date or date-time, if not ISO.
    pub format: Option<String>,
    /// Required and non-empty.
    pub required: bool,
    /// The values allowed.
    pub values: Option<Vec<Value>>,
}

/// A value that does not fit its field, found while typing a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The field.
    pub field: String,
    /// What is wrong (never the value itself: data may be personal).
    pub message: Text,
    /// The fault is a required field that is missing or empty (test
    /// records may leave out what their test does not need).
    pub missing: bool,
}

impl Schema {
    /// A schema that declares nothing yet and allows every field.
    pub fn open() -> Schema {
        Schema {
            fields: BTreeMap::new(),
            additional_fields: true,
            required: Vec::new(),
        }
    }

    /// Validates a written schema: a date format that cannot format a date
    /// is an error, and so is a field declared twice.
    pub fn from_spec(spec: SchemaSpec) -> Result<Schema, Vec<Text>> {
        let mut errors = Vec::new();
        let mut fields = BTreeMap::new();
        for field in spec.fields {
            if let Some(format) = &field.format {
                let sample = jiff::civil::date(2020, 6, 1).at(9, 30, 0, 0);
                let written = jiff::fmt::strtime::format(format.as_str(), sample);
                let parses = written.as_ref().is_ok_and(|text| match field.kind {
                    Kind::Date => Date::strptime(format.as_str(), text).is_ok(),
                    Kind::Datetime => DateTime::strptime(format.as_str(), text).is_ok(),
                    _ => false,
                });
                if !parses {
                    errors.push(tr!(
                        "field `{field}`: format {format} is not a strftime pattern of a {kind} (e.g. \"%d-%m-%Y\")",
                        field = &field.name,
                        format = format!("{format:?}"),
                        kind = field.kind.name()
                    ));
                }
            }
            let declared = Field {
                kind: field.kind,
                format: field.format,
                required: field.constraints.required,
                values: field.constraints.values,
            };
            if fields.insert(field.name.clone(), declared).is_some() {
                errors.push(tr!(
                    "field `{field}` is declared twice",
                    field = &field.name
                ));
            }
        }
        if errors.is_empty() {
            let required = fields
                .iter()
                .filter(|(_, f)| f.required)
                .map(|(name, _)| name.clone())
                .collect();
            Ok(Schema {
                fields,
                additional_fields: spec.additional_fields.unwrap_or(true),
                required,
            })
        } else {
            Err(errors)
        }
    }

    /// Types a record's fields in place: values converted to their declared
    /// type (text from CSV or JSON strings parsed, dates normalised to ISO);
    /// a value that does not fit is removed and reported, and so are a
    /// missing required field and, without `additionalFields`, an
    /// undeclared one.
    pub fn type_record(&self, fields: &mut crate::fields::Fields) -> Vec<Fault> {
        let mut faults = Vec::new();
        // One pass over the record's own fields (fewer than the declared
        // ones, and each looked up once), then the required ones.
        let mut out = Vec::new();
        for (name, value) in fields.iter_mut() {
            let Some(field) = self.fields.get(name.as_str()) else {
                if !self.additional_fields {
                    let hint = crate::problem::hint(name, self.fields.keys().map(String::as_str));
                    faults.push(Fault {
                        field: name.clone(),
                        message: tr!(
                            "`{name}` is not a field of the schema{hint}",
                            name = name,
                            hint = hint
                        ),
                        missing: false,
                    });
                }
                continue;
            };
            if is_empty(value) {
                continue;
            }
            match field.typed(value) {
                Ok(Some(typed)) => *value = typed,
                Ok(None) => {}
                Err(expected) => {
                    out.push(name.clone());
                    faults.push(Fault {
                        field: name.clone(),
                        message: tr!(
                            "`{name}` is not {expected}",
                            name = name,
                            expected = expected
                        ),
                        missing: false,
                    });
                    continue;
                }
            }
            if let Some(values) = &field.values
                && !values.contains(value)
            {
                let allowed: Vec<String> = values.iter().map(short).collect();
                out.push(name.clone());
                faults.push(Fault {
                    field: name.clone(),
                    message: tr!(
                        "`{name}` is not one of {allowed}",
                        name = name,
                        allowed = allowed.join(", ")
                    ),
                    missing: false,
                });
            }
        }
        for name in out {
            fields.remove(&name);
        }
        for name in &self.required {
            let message = match fields.get(name) {
                None => tr!("required field `{name}` is missing", name = name),
                Some(value) if is_empty(value) => {
                    tr!("required field `{name}` is empty", name = name)
                }
                Some(_) => continue,
            };
            faults.push(Fault {
                field: name.clone(),
                message,
                missing: true,
            });
        }
        faults
    }
}

impl Field {
    /// A field of a type, in its default format, without constraints.
    pub fn of(kind: Kind) -> Field {
        Field {
            kind,
            format: None,
            required: false,
            values: None,
        }
    }

    /// The value as its declared type, or what was expected.
    /// `Ok(None)` when the value is already as declared (most are: no
    /// copy is made), `Ok(Some(_))` with the converted value.
    fn typed(&self, value: &Value) -> Result<Option<Value>, Text> {
        let text = value.as_str().map(str::trim);
        let expected = || match (self.kind, &self.format) {
            (Kind::Date, Some(format)) => tr!("a date written {format}", format = format),
            (Kind::Date, None) => tr!("a date written YYYY-MM-DD"),
            (Kind::Datetime, Some(format)) => {
                tr!("a date and time written {format}", format = format)
            }
            (Kind::Datetime, None) => tr!("an ISO date and time"),
            (Kind::Integer, _) => tr!("a whole number"),
            (Kind::String, _) => tr!("a string"),
            (Kind::Number, _) => tr!("a number"),
            (Kind::Boolean, _) => tr!("a boolean"),
            (Kind::Object, _) => tr!("an object"),
            (Kind::Array, _) => tr!("an array"),
            (Kind::Any, _) => tr!("any value"),
        };
        let same = matches!(
            (self.kind, value),
            (Kind::Any, _)
                | (Kind::String, Value::String(_))
                | (Kind::Number, Value::Number(_))
                | (Kind::Boolean, Value::Bool(_))
                | (Kind::Object, Value::Object(_))
                | (Kind::Array, Value::Array(_))
        ) || matches!((self.kind, value), (Kind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64())
            // An ISO date as data writes most dates.
            || (self.kind == Kind::Date
                && self.format.is_none()
                && text.is_some_and(|t| t.len() == 10 && parse_date(t).is_some()));
        if same {
            return Ok(None);
        }
        let ok = match (self.kind, value, text) {
            (Kind::Integer, _, Some(text)) => text.parse::<i64>().ok().map(Value::from),
            (Kind::Number, _, Some(text)) => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            (Kind::Boolean, _, Some(text)) => match text.to_ascii_lowercase().as_str() {
                "true" | "ja" | "1" => Some(Value::Bool(true)),
                "false" | "nee" | "0" => Some(Value::Bool(false)),
                _ => None,
            },
            (Kind::Date, _, Some(text)) => match &self.format {
                Some(format) => Date::strptime(format.as_str(), text).ok(),
                // SPEC §4: a date-time where a date is expected gives its date.
                None => parse_date(text),
            }
            .map(|date| Value::String(date.to_string())),
            (Kind::Datetime, _, Some(text)) => match &self.format {
                Some(format) => DateTime::strptime(format.as_str(), text).ok(),
                None => text
                    .parse::<jiff::Timestamp>()
                    .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime())
                    .or_else(|_| text.parse::<DateTime>())
                    .ok(),
            }
            .map(|at| Value::String(at.to_string())),
            _ => None,
        };
        ok.map(Some).ok_or_else(expected)
    }
}

/// True for null, an empty or blank string, an empty list or map.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// An allowed value as the schema writes it (these are the schema's
/// values, not the data's).
fn short(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(yaml: &str) -> Schema {
        Schema::from_spec(serde_saphyr::from_str(yaml).unwrap()).unwrap()
    }

    #[test]
    fn records_are_typed_and_what_does_not_fit_is_taken_out() {
        let schema = schema(
            "additionalFields: false\nfields:\n\
             - { name: id, constraints: { required: true } }\n\
             - { name: n, type: integer }\n- { name: x, type: number }\n\
             - { name: b, type: boolean }\n- { name: d, type: date, format: \"%d-%m-%Y\" }\n\
             - { name: t, type: datetime }\n- { name: iso, type: date }\n\
             - { name: s, type: string, constraints: { enum: [ja, nee], required: true } }\n",
        );
        let mut fields = json!({
            "id": "a", "n": "12", "x": "1.5", "b": "ja", "d": "01-06-2020",
            "t": "2020-06-01T10:00:00+02:00", "iso": "2020-06-01T23:00:00", "s": "misschien", "extra": 1
        })
        .as_object()
        .unwrap()
        .clone()
        .into();
        let faults = schema.type_record(&mut fields);
        assert_eq!(
            Value::Object(fields.into_map()),
            json!({
                "id": "a", "n": 12, "x": 1.5, "b": true, "d": "2020-06-01",
                "t": "2020-06-01T08:00:00", "iso": "2020-06-01", "extra": 1
            })
        );
        let messages: Vec<String> = faults.iter().map(|f| f.message.en()).collect();
        assert_eq!(
            messages,
            [
                "`s` is not one of `ja`, `nee`",
                "`extra` is not a field of the schema",
                "required field `s` is missing",
            ]
        );
        let mut wrong =
            json!({ "id": "b", "n": 1.5, "b": "misschien", "d": "2020-06-01", "s": "ja" })
                .as_object()
                .unwrap()
                .clone()
                .into();
        let messages: Vec<String> = schema
            .type_record(&mut wrong)
            .into_iter()
            .map(|f| f.message.en())
            .collect();
        assert_eq!(
            messages,
            [
                "`n` is not a whole number",
                "`b` is not a boolean",
                "`d` is not a date written %d-%m-%Y",
            ]
        );
        assert_eq!(
            Value::Object(wrong.into_map()),
            json!({ "id": "b", "s": "ja" })
        );
    }
}
