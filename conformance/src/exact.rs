//! Numbers judged as they are written. A body is read into
//! `serde_json::Value`, whose numbers are 64-bit: an integer past `u64` or
//! `i64`, or a decimal with more digits than a double holds, arrives
//! rounded. The checker reads such numbers from the raw text ([`literals`])
//! and judges them exactly ([`violations`]) against the numeric keywords
//! of the schemas that apply where they are: `type: integer`, the
//! `int32`/`int64` formats, the bounds, `multipleOf`, `enum` and `const`.
//! Where a `oneOf`/`anyOf` lies on the way, a number fails only if no
//! branch accepts it. (serde_json's `arbitrary_precision` would keep them
//! exact, but it changes how every crate in the build reads numbers.)

use std::cmp::Ordering;
use std::collections::HashSet;

use num_bigint::BigInt;
use openapi_doc::pointer::{join, local_ref_pointer};
use openapi_doc::spec::Spec;
use serde_json::Value;

/// The most significant digits a number is judged exactly with (and the
/// most digits a comparison scales a number by).
const MAX_DIGITS: usize = 4_000;

/// How deep the scanner follows arrays and objects (serde_json refuses
/// deeper text, so no body read as JSON nests further).
const MAX_DEPTH: usize = 128;

/// A decimal number, exactly: `mantissa × 10^exponent`, the mantissa
/// without trailing zeros (zero has exponent 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    mantissa: BigInt,
    exponent: i64,
}

impl Decimal {
    /// Parses a JSON number's text (`None` when it is not a number, or has
    /// more than 4,000 significant digits: such a number is
    /// judged as the 64-bit read gives it, not exactly).
    pub fn parse(text: &str) -> Option<Self> {
        let (number, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (negative, unsigned) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number.strip_prefix('+').unwrap_or(number)),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = format!("{whole}{fraction}");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
        // Trailing zeros go into the exponent as text: dividing them out
        // of a long mantissa one by one would take quadratic time.
        let significant = digits.trim_end_matches('0');
        if significant.is_empty() {
            return Some(Self {
                mantissa: BigInt::from(0),
                exponent: 0,
            });
        }
        let zeros = i64::try_from(digits.len() - significant.len()).ok()?;
        let significant = significant.trim_start_matches('0');
        if significant.len() > MAX_DIGITS {
            return None;
        }
        let mut mantissa: BigInt = significant.parse().ok()?;
        if negative {
            mantissa = -mantissa;
        }
        Some(Self {
            mantissa,
            exponent: exponent.checked_add(zeros)?,
        })
    }

    /// Both mantissas scaled to the smaller exponent (`None` when that
    /// would take more than [`MAX_DIGITS`] digits).
    fn aligned(&self, other: &Self) -> Option<(BigInt, BigInt)> {
        let low = self.exponent.min(other.exponent);
        let scale = |d: &Self| -> Option<BigInt> {
            let shift = d
                .exponent
                .checked_sub(low)
                .and_then(|shift| u32::try_from(shift).ok())
                .filter(|shift| usize::try_from(*shift).is_ok_and(|s| s <= MAX_DIGITS))?;
            Some(&d.mantissa * BigInt::from(10).pow(shift))
        };
        Some((scale(self)?, scale(other)?))
    }

    fn compare(&self, other: &Self) -> Option<Ordering> {
        let (a, b) = self.aligned(other)?;
        Some(a.cmp(&b))
    }

    fn is_integer(&self) -> bool {
        self.exponent >= 0
    }

    fn is_multiple_of(&self, divisor: &Self) -> Option<bool> {
        if divisor.mantissa == BigInt::from(0) {
            return None;
        }
        let (a, b) = self.aligned(divisor)?;
        Some(a % b == BigInt::from(0))
    }
}

/// A number literal of a JSON text: where it is, and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Its JSON pointer in the text's value.
    pub pointer: String,
    /// Its text.
    pub text: String,
}

/// The number literals of the JSON `text` that a 64-bit read does not hold
/// exactly (a text that is not JSON has none).
pub fn literals(text: &str) -> Vec<Literal> {
    let mut scanner = Scanner {
        text,
        at: 0,
        depth: 0,
        found: Vec::new(),
    };
    scanner.value("");
    scanner
        .found
        .into_iter()
        .filter(|literal| !held_exactly(&literal.text))
        .collect()
}

/// Whether a 64-bit read of `text` gives its exact value.
fn held_exactly(text: &str) -> bool {
    if !text.contains(['.', 'e', 'E']) {
        return text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok();
    }
    let Ok(float) = text.parse::<f64>() else {
        return false;
    };
    float.is_finite() && Decimal::parse(text) == Decimal::parse(&format!("{float:e}"))
}

/// A JSON text read just far enough to find its numbers' places.
struct Scanner<'t> {
    text: &'t str,
    at: usize,
    /// Arrays and objects open around `at`.
    depth: usize,
    found: Vec<Literal>,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// One value at `pointer`; `false` once the text is not JSON.
    fn value(&mut self, pointer: &str) -> bool {
        self.skip_space();
        match self.peek() {
            Some(b'{' | b'[') if self.depth >= MAX_DEPTH => false,
            Some(b'{') => self.nested(|scanner| scanner.object(pointer)),
            Some(b'[') => self.nested(|scanner| scanner.array(pointer)),
            Some(b'"') => self.string().is_some(),
            Some(b'-' | b'0'..=b'9') => {
                let rest = &self.text[self.at..];
                let length = rest
                    .find(|c: char| !matches!(c, '-' | '+' | '.' | 'e' | 'E' | '0'..='9'))
                    .unwrap_or(rest.len());
                self.found.push(Literal {
                    pointer: pointer.to_string(),
                    text: rest[..length].to_string(),
                });
                self.at += length;
                true
            }
            Some(_) => {
                let rest = &self.text[self.at..];
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| rest.starts_with(w));
                word.inspect(|w| self.at += w.len()).is_some()
            }
            None => false,
        }
    }

    /// An array or object, one level deeper.
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> bool) -> bool {
        self.depth += 1;
        let read = read(self);
        self.depth -= 1;
        read
    }

    /// A string token, unescaped.
    fn string(&mut self) -> Option<String> {
        let rest = &self.text[self.at..];
        let mut escaped = false;
        let end = rest.char_indices().skip(1).find_map(|(at, c)| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes.then_some(at)
        })?;
        let literal = &rest[..=end];
        self.at += end + 1;
        serde_json::from_str(literal).ok()
    }

    fn object(&mut self, pointer: &str) -> bool {
        self.at += 1;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return true;
                }
                Some(b',') => self.at += 1,
                Some(b'"') => {
                    let Some(key) = self.string() else {
                        return false;
                    };
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.at += 1;
                    if !self.value(&join(pointer, &key)) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    fn array(&mut self, pointer: &str) -> bool {
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b']') => {
                    self.at += 1;
                    return true;
                }
                Some(b',') => {
                    self.at += 1;
                    index += 1;
                }
                Some(_) => {
                    if !self.value(&format!("{pointer}/{index}")) {
                        return false;
                    }
                }
                None => return false,
            }
        }
    }
}

/// A numeric keyword `literal` violates: the keyword's pointer and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The keyword's JSON pointer in the spec.
    pub schema_pointer: String,
    /// Why, the value described (never quoted: it may be anything).
    pub message: String,
}

/// The numeric keywords `literal` (a number of the instance validated
/// against the schema at `pointer`) violates, judged exactly.
pub fn violations(spec: &Spec, pointer: &str, literal: &Literal) -> Vec<Violation> {
    let Some(value) = Decimal::parse(&literal.text) else {
        return Vec::new();
    };
    let path: Vec<String> = literal
        .pointer
        .split('/')
        .skip(1)
        .map(openapi_doc::pointer::unescape)
        .collect();
    let mut judge = Judge {
        spec,
        value: &value,
        seen: HashSet::new(),
    };
    judge.at(pointer, &path)
}

struct Judge<'a> {
    spec: &'a Spec,
    value: &'a Decimal,
    seen: HashSet<(String, usize)>,
}

impl Judge<'_> {
    /// The violations under the schema at `pointer`, `path` still to go.
    fn at(&mut self, pointer: &str, path: &[String]) -> Vec<Violation> {
        if !self.seen.insert((pointer.to_string(), path.len())) {
            return Vec::new();
        }
        let Some(schema) = self.spec.document.pointer(pointer) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(local_ref_pointer)
        {
            found.extend(self.at(target, path));
        }
        for index in 0..schema
            .get("allOf")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
        {
            found.extend(self.at(&format!("{pointer}/allOf/{index}"), path));
        }
        for keyword in ["oneOf", "anyOf"] {
            let count = schema
                .get(keyword)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let branches: Vec<Vec<Violation>> = (0..count)
                .map(|index| self.at(&format!("{pointer}/{keyword}/{index}"), path))
                .collect();
            // Only when no branch accepts the number.
            if count > 0 && branches.iter().all(|v| !v.is_empty()) {
                found.extend(branches.into_iter().next().unwrap_or_default());
            }
        }
        match path.split_first() {
            None => found.extend(self.keywords(pointer, schema)),
            Some((next, rest)) => {
                if let Some(child) = child(schema, pointer, next) {
                    found.extend(self.at(&child, rest));
                }
            }
        }
        found
    }

    /// The numeric keywords of `schema` (at `pointer`) the value violates.
    fn keywords(&self, pointer: &str, schema: &Value) -> Vec<Violation> {
        let value = self.value;
        let mut found = type_violation(value, schema);
        found.extend(format_violation(value, schema));
        found.extend(bound_violations(value, schema));
        found.extend(listed_violations(value, schema));
        found
            .into_iter()
            .map(|(keyword, message)| Violation {
                schema_pointer: join(pointer, keyword),
                message,
            })
            .collect()
    }
}

/// A keyword the value violates and why.
type Refusal = (&'static str, String);

/// A number keyword of `schema`, exactly.
fn number(schema: &Value, key: &str) -> Option<Decimal> {
    schema
        .get(key)
        .and_then(Value::as_number)
        .and_then(|n| Decimal::parse(&n.to_string()))
}

/// `type`: a number where the type allows none, or a fraction where it
/// allows integers only.
fn type_violation(value: &Decimal, schema: &Value) -> Vec<Refusal> {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let numeric = types.contains(&"number") || types.contains(&"integer");
    if !types.is_empty() && !numeric {
        vec![(
            "type",
            "the value is a number, which the type does not allow".into(),
        )]
    } else if numeric && !types.contains(&"number") && !value.is_integer() {
        vec![("type", "the value, as written, is not an integer".into())]
    } else {
        Vec::new()
    }
}

/// `format`: outside the int32 or int64 range.
fn format_violation(value: &Decimal, schema: &Value) -> Option<Refusal> {
    let (min, max, format) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX), "int32"),
        Some("int64") => (i64::MIN, i64::MAX, "int64"),
        _ => return None,
    };
    let low = Decimal::parse(&min.to_string());
    let high = Decimal::parse(&max.to_string());
    let inside = value.is_integer()
        && low
            .and_then(|l| value.compare(&l))
            .is_some_and(|o| o != Ordering::Less)
        && high
            .and_then(|h| value.compare(&h))
            .is_some_and(|o| o != Ordering::Greater);
    (!inside).then(|| {
        let message = if value.is_integer() {
            format!(
                "the value, as written, is outside the {format} range ({min} to {max}) its format states"
            )
        } else {
            format!("the value, as written, is not a whole number, as its format {format} states")
        };
        ("format", message)
    })
}

/// `minimum`, `maximum`, their exclusive forms and `multipleOf`.
fn bound_violations(value: &Decimal, schema: &Value) -> Vec<Refusal> {
    let mut found = Vec::new();
    for (keyword, refused) in [
        ("minimum", [Ordering::Less].as_slice()),
        ("maximum", &[Ordering::Greater]),
        ("exclusiveMinimum", &[Ordering::Less, Ordering::Equal]),
        ("exclusiveMaximum", &[Ordering::Greater, Ordering::Equal]),
    ] {
        if let Some(bound) = number(schema, keyword)
            && value.compare(&bound).is_some_and(|o| refused.contains(&o))
        {
            found.push((
                keyword,
                format!(
                    "the value, as written, is past the {keyword} {}",
                    schema[keyword]
                ),
            ));
        }
    }
    if let Some(divisor) = number(schema, "multipleOf")
        && value.is_multiple_of(&divisor) == Some(false)
    {
        found.push((
            "multipleOf",
            format!(
                "the value, as written, is not a multiple of {}",
                schema["multipleOf"]
            ),
        ));
    }
    found
}

/// `enum` and `const`.
fn listed_violations(value: &Decimal, schema: &Value) -> Vec<Refusal> {
    let equal = |candidate: &Value| {
        candidate
            .as_number()
            .and_then(|n| Decimal::parse(&n.to_string()))
            .is_some_and(|d| &d == value)
    };
    let mut found = Vec::new();
    if let Some(listed) = schema.get("enum").and_then(Value::as_array)
        && !listed.iter().any(equal)
    {
        found.push((
            "enum",
            "the value, as written, is not one of the listed values".into(),
        ));
    }
    if let Some(constant) = schema.get("const")
        && !equal(constant)
    {
        found.push(("const", "the value, as written, is not the constant".into()));
    }
    found
}

/// The pointer of the subschema `schema` (at `pointer`) applies to its
/// member or element `next`.
fn child(schema: &Value, pointer: &str, next: &str) -> Option<String> {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object)
        && properties.contains_key(next)
    {
        return Some(join(&join(pointer, "properties"), next));
    }
    if let Ok(index) = next.parse::<usize>() {
        if let Some(prefix) = schema.get("prefixItems").and_then(Value::as_array)
            && index < prefix.len()
        {
            return Some(format!("{pointer}/prefixItems/{index}"));
        }
        if schema.get("items").is_some_and(Value::is_object) {
            return Some(join(pointer, "items"));
        }
    }
    schema
        .get("additionalProperties")
        .filter(|a| a.is_object())
        .map(|_| join(pointer, "additionalProperties"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_numbers_a_double_rounds_are_found_with_their_place() {
        let found = literals(
            r#"{"a": 1, "b": [1.10, 12345678901234567890123, {"c\/d": 0.1}], "e": 1.00000000000000000001, "s": "9999999999999999999999"}"#,
        );
        let places: Vec<(&str, &str)> = found
            .iter()
            .map(|l| (l.pointer.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                ("/b/1", "12345678901234567890123"),
                ("/e", "1.00000000000000000001")
            ]
        );
        assert!(literals("not json").is_empty());
    }

    #[test]
    fn exact_values_are_judged_against_the_schema_where_they_are() {
        let spec = Spec::from_document(
            json!({
                "openapi": "3.1.0",
                "paths": {},
                "components": { "schemas": { "Count": {
                    "type": "object",
                    "properties": {
                        "total": { "type": "integer", "format": "int64" },
                        "ratio": { "type": "number", "maximum": 1 },
                        "either": { "oneOf": [{ "type": "integer" }, { "type": "string" }] }
                    }
                } } }
            }),
            "test",
        )
        .unwrap();
        let judge = |pointer: &str, text: &str| {
            violations(
                &spec,
                "/components/schemas/Count",
                &Literal {
                    pointer: pointer.into(),
                    text: text.into(),
                },
            )
            .into_iter()
            .map(|v| v.schema_pointer)
            .collect::<Vec<_>>()
        };
        assert_eq!(
            judge("/total", "9223372036854775808"),
            ["/components/schemas/Count/properties/total/format"]
        );
        assert!(judge("/total", "9223372036854775807").is_empty());
        assert_eq!(
            judge("/total", "1.00000000000000000001"),
            [
                "/components/schemas/Count/properties/total/type",
                "/components/schemas/Count/properties/total/format"
            ]
        );
        assert_eq!(
            judge("/ratio", "1.00000000000000000001"),
            ["/components/schemas/Count/properties/ratio/maximum"]
        );
        assert_eq!(
            judge("/either", "1.00000000000000000001"),
            ["/components/schemas/Count/properties/either/oneOf/0/type"],
            "no branch takes it"
        );
        assert!(judge("/elsewhere", "1.5").is_empty());
        let reasons: Vec<String> = ["1.00000000000000000001", "9223372036854775808"]
            .into_iter()
            .flat_map(|text| {
                let literal = Literal {
                    pointer: "/total".into(),
                    text: text.into(),
                };
                violations(&spec, "/components/schemas/Count", &literal)
            })
            .filter(|v| v.schema_pointer.ends_with("/format"))
            .map(|v| v.message)
            .collect();
        assert_eq!(
            reasons,
            [
                "the value, as written, is not a whole number, as its format int64 states",
                "the value, as written, is outside the int64 range (-9223372036854775808 to 9223372036854775807) its format states"
            ]
        );
    }

    #[test]
    fn hostile_text_neither_overflows_the_stack_nor_stalls_nor_wraps() {
        // Nesting past serde_json's limit is not JSON: nothing is found.
        let deep = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(literals(&deep).is_empty());
        let fits = format!("{}1.10{}", "[".repeat(100), "]".repeat(100));
        assert!(literals(&fits).is_empty(), "a double holds 1.10");
        let kept = format!("{}1e400{}", "[".repeat(127), "]".repeat(127));
        assert_eq!(literals(&kept).len(), 1, "127 levels are read");

        // A million trailing zeros cost one pass, not one division each.
        let zeros = format!("1.{}", "0".repeat(1_000_000));
        assert_eq!(Decimal::parse(&zeros), Decimal::parse("1"));
        let long = format!("0.{}", "1".repeat(MAX_DIGITS + 1));
        assert_eq!(Decimal::parse(&long), None, "judged as read, not exactly");

        // Exponents at the ends of i64: no overflow, in any direction.
        assert_eq!(Decimal::parse("10e9223372036854775807"), None);
        let tiny = Decimal::parse("1e-9223372036854775808").expect("a number");
        let ten = Decimal::parse("10").expect("a number");
        assert_eq!(tiny.compare(&ten), None);
        assert_eq!(ten.is_multiple_of(&tiny), None);
    }
}
