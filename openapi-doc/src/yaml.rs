//! YAML into JSON, within bounds a hostile document cannot get around.
//!
//! A few kilobytes of YAML can stand for gigabytes through aliases (`x-b:
//! &b [*a, *a, …]` over an `&a` of a thousand items), and deep nesting
//! makes some parsers quadratic. So the document is read as a stream of
//! events (`yaml-rust2`'s pull parser) and built here, counting: every value
//! built, and every value an alias copies, is charged to a budget that grows
//! with the text ([`budget`]), a string one unit plus one per 8 bytes (so an
//! alias of a long string costs what copying it costs); nesting deeper than
//! [`MAX_DEPTH`] stops the read at that level. Either is refused with a
//! message that names the bound and where it was crossed.
//!
//! Plain scalars resolve as YAML 1.2's core schema says (the rules
//! `serde_yaml` applied before): `null`, `~` and nothing are null; `true`
//! and `false` (three spellings each) booleans; decimal, `0x` and `0o`
//! integers; decimal floats. Quoted and block scalars are strings. Mapping
//! keys become strings (an unquoted `200:` is `"200"`); a key given twice
//! is refused.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The deepest nesting of mappings and sequences a document may have.
pub const MAX_DEPTH: usize = 128;

/// How many units of values a document of `text_len` bytes may expand to
/// (its own and those its aliases copy; a value is one unit, a string one
/// more per 8 bytes): 100,000 plus 8 per byte. A published spec spends
/// well under one per byte.
pub fn budget(text_len: usize) -> usize {
    text_len.saturating_mul(8).saturating_add(100_000)
}

/// Parses one YAML document into JSON.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut builder = Builder {
        parser: Parser::new_from_str(text),
        anchors: Vec::new(),
        spent: 0,
        budget: budget(text.len()),
        depth: 0,
    };
    builder.document()
}

/// A value under construction: a sequence or a mapping (with a key
/// waiting for its value), and the anchor it will be stored under.
enum Open {
    Sequence(Vec<Value>, usize),
    Mapping(Map<String, Value>, Option<String>, usize),
}

struct Builder<'a> {
    parser: Parser<std::str::Chars<'a>>,
    /// Each anchored value by its id, with how many values it holds.
    anchors: Vec<Option<(Value, usize)>>,
    spent: usize,
    budget: usize,
    depth: usize,
}

impl Builder<'_> {
    fn next(&mut self) -> Result<(Event, Marker), String> {
        self.parser.next_token().map_err(|e| e.to_string())
    }

    /// The stream's one document (none is null).
    fn document(&mut self) -> Result<Value, String> {
        let mut value = None;
        loop {
            let (event, at) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return Ok(value.unwrap_or(Value::Null)),
                Event::DocumentStart if value.is_some() => {
                    return Err(format!(
                        "{}: a second document; a spec is one document",
                        place(&at)
                    ));
                }
                Event::DocumentStart => value = Some(self.root()?),
                other => return Err(format!("{}: unexpected {other:?}", place(&at))),
            }
        }
    }

    /// The value a document holds, built without recursion.
    fn root(&mut self) -> Result<Value, String> {
        let mut open: Vec<(Open, usize)> = Vec::new();
        loop {
            let (event, at) = self.next()?;
            let (value, anchor, size) = match event {
                Event::SequenceStart(anchor, _) => {
                    self.enter(&at)?;
                    open.push((Open::Sequence(Vec::new(), anchor), 1));
                    continue;
                }
                Event::MappingStart(anchor, _) => {
                    self.enter(&at)?;
                    open.push((Open::Mapping(Map::new(), None, anchor), 1));
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.depth -= 1;
                    match open.pop() {
                        Some((Open::Sequence(items, anchor), size)) => {
                            (Value::Array(items), anchor, size)
                        }
                        Some((Open::Mapping(map, _, anchor), size)) => {
                            (Value::Object(map), anchor, size)
                        }
                        None => return Err(format!("{}: unbalanced end", place(&at))),
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let size = 1 + text.len() / 8;
                    self.charge(size, &at)?;
                    (scalar(text, style, tag.as_ref(), &at)?, anchor, size)
                }
                Event::Alias(id) => {
                    let (value, size) = self.alias(id, &at)?;
                    (value, 0, size)
                }
                other => return Err(format!("{}: unexpected {other:?}", place(&at))),
            };
            if anchor > 0 {
                self.remember(anchor, &value, size);
            }
            match open.last_mut() {
                None => return Ok(value),
                Some((parent, parent_size)) => {
                    *parent_size = parent_size.saturating_add(size);
                    add(parent, value, &at)?;
                }
            }
        }
    }

    fn enter(&mut self, at: &Marker) -> Result<(), String> {
        self.charge(1, at)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "{}: nested deeper than {MAX_DEPTH} levels; refused",
                place(at)
            ));
        }
        Ok(())
    }

    fn charge(&mut self, values: usize, at: &Marker) -> Result<(), String> {
        self.spent = self.spent.saturating_add(values);
        if self.spent > self.budget {
            return Err(format!(
                "{}: the document expands to more than {} units of values (the budget for its size: 100,000 plus 8 per byte of text; a value is a unit, a string one more per 8 bytes), through YAML aliases; refused",
                place(at),
                self.budget
            ));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Value, size: usize) {
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some((value.clone(), size));
    }

    /// A copy of what anchor `id` holds, charged to the budget first.
    fn alias(&mut self, id: usize, at: &Marker) -> Result<(Value, usize), String> {
        let size = match self.anchors.get(id) {
            Some(Some((_, size))) => *size,
            _ => return Err(format!("{}: an alias to an unknown anchor", place(at))),
        };
        self.charge(size, at)?;
        let value = self.anchors[id].as_ref().map(|(v, _)| v.clone());
        Ok((value.unwrap_or(Value::Null), size))
    }
}

/// Adds `value` to the open sequence or mapping `parent` (as a key when the
/// mapping waits for one).
fn add(parent: &mut Open, value: Value, at: &Marker) -> Result<(), String> {
    match parent {
        Open::Sequence(items, _) => items.push(value),
        Open::Mapping(_, key @ None, _) => *key = Some(key_text(value, at)?),
        Open::Mapping(map, key, _) => {
            let name = key.take().unwrap_or_default();
            if map.contains_key(&name) {
                return Err(format!("{}: the key `{name}` is given twice", place(at)));
            }
            map.insert(name, value);
        }
    }
    Ok(())
}

/// A mapping key as JSON's string.
fn key_text(key: Value, at: &Marker) -> Result<String, String> {
    match key {
        Value::String(text) => Ok(text),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "{}: a mapping key that is not a string, number or boolean ({})",
            place(at),
            match other {
                Value::Null => "null",
                Value::Array(_) => "a sequence",
                _ => "a mapping",
            }
        )),
    }
}

fn place(at: &Marker) -> String {
    format!("line {} column {}", at.line(), at.col() + 1)
}

const CORE_STR: &str = "tag:yaml.org,2002:str";

/// A scalar's JSON value: plain ones resolved by the core schema, others
/// (quoted, block, or tagged `!!str`) strings.
fn scalar(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
    at: &Marker,
) -> Result<Value, String> {
    let explicit_string = tag.is_some_and(|t| {
        format!("{}{}", t.handle, t.suffix) == CORE_STR || (t.handle == "!!" && t.suffix == "str")
    });
    if style != TScalarStyle::Plain || explicit_string {
        return Ok(Value::String(text));
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    if let Some(number) = integer(&text) {
        return Ok(Value::Number(number));
    }
    match float(&text) {
        Some(f) if f.is_finite() => Ok(Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Some(_) => Err(format!("{}: the number {text} has no JSON form", place(at))),
        None => Ok(Value::String(text)),
    }
}

/// A decimal, `0x` or `0o` integer that fits `i64` or `u64`.
fn integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = digits.strip_prefix("0o") {
        (8, octal)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        let value = 0i64.checked_sub_unsigned(magnitude)?;
        Some(Number::from(value))
    } else {
        Some(Number::from(magnitude))
    }
}

/// A decimal float (`1.5`, `-2e3`, `.5`) or `.inf` / `.nan` in their core
/// spellings.
fn float(text: &str) -> Option<f64> {
    let unsigned = text.trim_start_matches(['-', '+']);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let bytes = unsigned.as_bytes();
    let digit_or_dot = !bytes.is_empty()
        && text.len() - unsigned.len() <= 1
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && bytes.iter().any(u8::is_ascii_digit)
        && (bytes[0].is_ascii_digit() || bytes[0] == b'.');
    if !digit_or_dot {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_resolve_as_the_core_schema_says() {
        let doc = parse(
            "a: ~\nb: True\nc: 0x1F\nd: -12\ne: 1.5e3\nf: '12'\ng: 18446744073709551615\nh: 1.2.3\ni: !!str 42\n200: ok\nj: .5\nk: -0o17\n",
        )
        .unwrap();
        assert_eq!(
            doc,
            json!({"a": null, "b": true, "c": 31, "d": -12, "e": 1500.0, "f": "12",
                   "g": 18446744073709551615u64, "h": "1.2.3", "i": "42", "200": "ok", "j": 0.5, "k": -15})
        );
    }

    #[test]
    fn aliases_copy_their_anchor_within_the_budget() {
        assert_eq!(
            parse("a: &x [1, 2]\nb: *x\n").unwrap(),
            json!({"a": [1, 2], "b": [1, 2]})
        );
        let items = vec!["1"; 1000].join(", ");
        let refs = vec!["*a"; 1000].join(", ");
        let bomb = format!("x-a: &a [{items}]\nx-b: &b [{refs}]\nx-c: [*b, *b]\n");
        let refused = parse(&bomb).unwrap_err();
        assert!(refused.contains("expands to more than"), "{refused}");
        let long = "x".repeat(100_000);
        let strings = format!("a: &s {long}\nb: [{}]\n", vec!["*s"; 200].join(", "));
        let refused = parse(&strings).unwrap_err();
        assert!(refused.contains("expands to more than"), "{refused}");
    }

    #[test]
    fn depth_duplicates_and_documents_are_bounded() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().contains("deeper than 128"));
        let fits = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fits).is_ok());
        assert!(parse("a: 1\na: 2\n").unwrap_err().contains("given twice"));
        assert!(
            parse("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .contains("second document")
        );
        assert!(parse("? [1]\n: x\n").unwrap_err().contains("not a string"));
        assert!(parse("a: .inf\n").unwrap_err().contains("no JSON form"));
        assert_eq!(parse("").unwrap(), Value::Null);
    }
}
