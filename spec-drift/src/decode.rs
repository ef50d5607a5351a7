//! Whether one generated type reads every value another produces, by what
//! serde does with progenitor's types.
//!
//! A request is written by the client built from OLD and read by a server
//! that follows NEW (whose types say what it accepts); a response is written
//! by that server and read by the client built from OLD. Either way the
//! question is the same: does the *reader* type decode every value of the
//! *writer* type?
//!
//! Each type is first spread into the kinds of JSON value it stands for
//! (`Kind`): an `Option` is null or its inner type, an untagged enum
//! (`oneOf`, an open `Known`/`Unknown(String)` enum, a `Map` fallback) is
//! each of its variants' kinds, a variant with named fields is an object, a
//! string enum is a string of listed values, a newtype around a string is a
//! checked string. The reader reads the writer when each writer kind is read
//! by some reader kind:
//!
//! - `Value` reads anything; a `()` or raw-byte reader does not decode;
//! - a struct reads an object whose every member it requires is always
//!   there with a value it reads, and refuses unknown members only when it
//!   denies them; a map reads an object whose members it reads;
//! - a string enum reads only its values; `String` reads any string;
//!   integers of any width read each other and `f64` reads them all.
//!
//! So a type never refuses itself. Named pairs are memoised per direction,
//! so recursive types finish: a pair met again while it is being compared
//! is assumed to fit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::surface::{Field, Surface, Ty, TypeDef, Variant};

/// Which way a body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by the client built from OLD, read by a server following NEW.
    Request,
    /// Sent by a server following NEW, read by the client built from OLD.
    Response,
}

/// A value the writer produces that the reader cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the body (`_links.redirect-url`), empty at the top.
    pub at: String,
    /// What the writer sends that the reader refuses.
    pub why: String,
}

impl Problem {
    fn new(why: impl Into<String>) -> Vec<Self> {
        vec![Problem {
            at: String::new(),
            why: why.into(),
        }]
    }

    fn under(mut self, member: &str) -> Self {
        self.at = if self.at.is_empty() {
            member.to_string()
        } else {
            format!("{member}.{}", self.at)
        };
        self
    }
}

const STRINGS: &[&str] = &[
    "String",
    "Secret",
    "DateTime",
    "NaiveDate",
    "NaiveTime",
    "Uuid",
    "str",
    "Url",
    "IpAddr",
    "Ipv4Addr",
    "Ipv6Addr",
];
const INTEGERS: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "NonZeroU8",
    "NonZeroU16",
    "NonZeroU32",
    "NonZeroU64",
];
const MAPS: &[&str] = &["Map", "HashMap", "BTreeMap"];
const WRAPPERS: &[&str] = &["Box", "Arc", "Rc"];

/// A kind of JSON value a type stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// A body not decoded at all (`()`, a raw byte stream).
    Undecoded,
    Null,
    Bool,
    Integer,
    Number,
    /// A string: any, of listed values, or checked by a newtype.
    String(Strings),
    Array(Ty),
    Map(Ty),
    /// An object of a generated struct (or enum variant), by type name.
    Object(String),
    /// A type the surface does not describe, by name.
    Opaque(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Strings {
    Any,
    Listed(BTreeSet<String>),
    /// A newtype's string, by its name and what it checks.
    Checked(String, Vec<String>),
}

/// The comparison of the types of two generated clients.
pub struct Decoder<'a> {
    old: &'a Surface,
    new: &'a Surface,
    memo: HashMap<(Direction, Ty, Ty), Vec<Problem>>,
    objects: HashMap<(Direction, String, String), Vec<Problem>>,
}

impl<'a> Decoder<'a> {
    /// A decoder for the clients built from `old` and `new`.
    pub fn new(old: &'a Surface, new: &'a Surface) -> Self {
        Self {
            old,
            new,
            memo: HashMap::new(),
            objects: HashMap::new(),
        }
    }

    /// What the reader of a body travelling `direction` cannot read, with
    /// `old` the body's type in the client built from OLD and `new` in NEW.
    pub fn check(&mut self, direction: Direction, old: &Ty, new: &Ty) -> Vec<Problem> {
        match direction {
            Direction::Request => self.fits(direction, new, old),
            Direction::Response => self.fits(direction, old, new),
        }
    }

    /// The (reader, writer) surfaces of `direction`.
    fn sides(&self, direction: Direction) -> (&'a Surface, &'a Surface) {
        match direction {
            Direction::Request => (self.new, self.old),
            Direction::Response => (self.old, self.new),
        }
    }

    fn fits(&mut self, direction: Direction, reader: &Ty, writer: &Ty) -> Vec<Problem> {
        let key = (direction, reader.clone(), writer.clone());
        if let Some(known) = self.memo.get(&key) {
            return known.clone();
        }
        self.memo.insert(key.clone(), Vec::new());
        let (reader_side, writer_side) = self.sides(direction);
        let readers = kinds(reader_side, reader);
        let mut problems = Vec::new();
        for written in kinds(writer_side, writer) {
            let mut closest: Option<((u8, usize), Vec<Problem>)> = None;
            let mut read = false;
            for kind in &readers {
                let found = self.reads(direction, kind, &written);
                if found.is_empty() {
                    read = true;
                    break;
                }
                let rank = (likeness(kind, &written), found.len());
                if closest.as_ref().is_none_or(|(best, _)| rank < *best) {
                    closest = Some((rank, found));
                }
            }
            if !read {
                problems.extend(closest.map_or_else(
                    || {
                        Problem::new(format!(
                            "{} values do not decode as `{reader}`",
                            describe(&written)
                        ))
                    },
                    |(_, found)| found,
                ));
            }
        }
        self.memo.insert(key, problems.clone());
        problems
    }

    /// Whether the reader kind `kind` reads every value of `written`.
    fn reads(&mut self, direction: Direction, kind: &Kind, written: &Kind) -> Vec<Problem> {
        let refused = || {
            Problem::new(format!(
                "{} values do not decode as {}",
                describe(written),
                describe(kind)
            ))
        };
        match (kind, written) {
            (Kind::Any | Kind::Undecoded, _) => Vec::new(),
            (Kind::Null, Kind::Null)
            | (Kind::Bool, Kind::Bool)
            | (Kind::Integer | Kind::Number, Kind::Integer)
            | (Kind::Number, Kind::Number) => Vec::new(),
            (Kind::String(strings), Kind::String(sent)) => strings_read(strings, sent),
            (Kind::Array(r), Kind::Array(w)) => self.fits(direction, r, w),
            (Kind::Map(r), Kind::Map(w)) => self.fits(direction, r, w),
            (Kind::Map(r), Kind::Object(w)) => {
                let (_, writer_side) = self.sides(direction);
                let fields = struct_fields(writer_side, w);
                fields
                    .values()
                    .flat_map(|f| {
                        let value = f.ty.option_inner().unwrap_or(&f.ty).clone();
                        self.fits(direction, r, &value)
                            .into_iter()
                            .map(|p| p.under(&f.wire))
                    })
                    .collect()
            }
            (Kind::Object(r), Kind::Object(w)) => self.objects(direction, r, w),
            (Kind::Object(r), Kind::Map(_)) => {
                let (reader_side, _) = self.sides(direction);
                let required: Vec<&Field> = struct_fields(reader_side, r)
                    .values()
                    .filter(|f| !f.may_be_absent())
                    .collect();
                match required.first() {
                    Some(field) => Problem::new(format!(
                        "any object; `{r}` requires `{}`, which it may lack",
                        field.wire
                    )),
                    None => Vec::new(),
                }
            }
            (Kind::Opaque(r), Kind::Opaque(w)) if r == w => Vec::new(),
            _ => refused(),
        }
    }

    /// A struct reading the objects of another, memoised (a pair met again
    /// while it is being compared is assumed to fit).
    fn objects(&mut self, direction: Direction, reader: &str, writer: &str) -> Vec<Problem> {
        let key = (direction, reader.to_string(), writer.to_string());
        if let Some(known) = self.objects.get(&key) {
            return known.clone();
        }
        self.objects.insert(key.clone(), Vec::new());
        let problems = self.members(direction, reader, writer);
        self.objects.insert(key, problems.clone());
        problems
    }

    fn members(&mut self, direction: Direction, reader: &str, writer: &str) -> Vec<Problem> {
        let (reader_side, writer_side) = self.sides(direction);
        let closed = matches!(
            reader_side.types.get(reader),
            Some(TypeDef::Struct { closed: true, .. })
        );
        let fields = struct_fields(reader_side, reader);
        let written = struct_fields(writer_side, writer);
        let mut problems = Vec::new();
        for field in fields.values() {
            let Some(sent) = written.values().find(|w| w.wire == field.wire) else {
                if !field.may_be_absent() {
                    problems.push(Problem {
                        at: field.wire.clone(),
                        why: "required, and never sent".into(),
                    });
                }
                continue;
            };
            let found = if sent.may_be_absent() && !field.may_be_absent() {
                Problem::new(format!(
                    "may be absent (`{}`); the reader requires it (`{}`)",
                    sent.ty, field.ty
                ))
            } else {
                let value = |f: &Field| f.ty.option_inner().unwrap_or(&f.ty).clone();
                self.fits(direction, &value(field), &value(sent))
            };
            problems.extend(found.into_iter().map(|p| p.under(&field.wire)));
        }
        if closed {
            for extra in written
                .values()
                .filter(|w| !fields.values().any(|f| f.wire == w.wire))
            {
                problems.push(Problem {
                    at: extra.wire.clone(),
                    why: "sent, and the reader denies unknown members".into(),
                });
            }
        }
        problems
    }
}

/// How much a reader kind that refuses `written` looks like what was meant
/// to read it (lower is closer): the object of the same name, then a kind
/// of the same sort, then any. The closest one's problems are reported.
fn likeness(kind: &Kind, written: &Kind) -> u8 {
    match (kind, written) {
        (Kind::Object(r), Kind::Object(w)) if r == w => 0,
        _ if std::mem::discriminant(kind) == std::mem::discriminant(written) => 1,
        _ => 2,
    }
}

fn strings_read(reader: &Strings, sent: &Strings) -> Vec<Problem> {
    match (reader, sent) {
        (Strings::Any, _) => Vec::new(),
        (Strings::Listed(values), Strings::Listed(sent)) => sent
            .difference(values)
            .map(|value| Problem {
                at: String::new(),
                why: format!("value `{value}` is not one the reader lists"),
            })
            .collect(),
        (Strings::Listed(_), _) => {
            Problem::new("any string; the reader reads only its listed values")
        }
        (Strings::Checked(_, checks), Strings::Checked(_, sent)) if checks == sent => Vec::new(),
        (Strings::Checked(_, _), Strings::Listed(_)) => Vec::new(),
        (Strings::Checked(name, checks), Strings::Checked(_, sent)) => Problem::new(format!(
            "strings checked otherwise: the reader's `{name}` checks {}, the writer's {}",
            listed_checks(checks),
            listed_checks(sent)
        )),
        (Strings::Checked(name, _), Strings::Any) => Problem::new(format!(
            "any string; `{name}` checks its values (a constrained string)"
        )),
    }
}

/// A newtype's checks as a message lists them.
fn listed_checks(checks: &[String]) -> String {
    if checks.is_empty() {
        return "nothing".into();
    }
    checks
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fields of the struct `name` of `surface` (none for another kind).
fn struct_fields<'s>(surface: &'s Surface, name: &str) -> &'s BTreeMap<String, Field> {
    static NONE: BTreeMap<String, Field> = BTreeMap::new();
    match surface.types.get(name) {
        Some(TypeDef::Struct { fields, .. }) => fields,
        _ => &NONE,
    }
}

/// The kinds of JSON value `ty` stands for in `surface`.
fn kinds(surface: &Surface, ty: &Ty) -> Vec<Kind> {
    let mut found = Vec::new();
    spread(surface, ty, &mut Vec::new(), &mut found);
    found.dedup();
    found
}

fn spread(surface: &Surface, ty: &Ty, expanding: &mut Vec<String>, found: &mut Vec<Kind>) {
    let first_arg = || ty.args.first().cloned().unwrap_or_else(|| Ty::named("?"));
    let name = ty.name.as_str();
    match name {
        "Option" => {
            found.push(Kind::Null);
            spread(surface, &first_arg(), expanding, found);
        }
        _ if WRAPPERS.contains(&name) => spread(surface, &first_arg(), expanding, found),
        "Value" => found.push(Kind::Any),
        "()" | "ByteStream" | "Bytes" => found.push(Kind::Undecoded),
        "Vec" => found.push(Kind::Array(first_arg())),
        _ if MAPS.contains(&name) => found.push(Kind::Map(
            ty.args.last().cloned().unwrap_or_else(|| Ty::named("?")),
        )),
        "bool" => found.push(Kind::Bool),
        "f64" | "f32" => found.push(Kind::Number),
        _ if INTEGERS.contains(&name) => found.push(Kind::Integer),
        _ if STRINGS.contains(&name) => found.push(Kind::String(Strings::Any)),
        _ => match surface.types.get(name) {
            Some(_) if expanding.iter().any(|e| e == name) => {}
            Some(def) => {
                expanding.push(name.to_string());
                spread_def(surface, name, def, expanding, found);
                expanding.pop();
            }
            None => found.push(Kind::Opaque(name.to_string())),
        },
    }
}

fn spread_def(
    surface: &Surface,
    name: &str,
    def: &TypeDef,
    expanding: &mut Vec<String>,
    found: &mut Vec<Kind>,
) {
    match def {
        TypeDef::Struct { .. } => found.push(Kind::Object(name.to_string())),
        TypeDef::Enum {
            untagged: true,
            variants,
        } => {
            for variant in variants {
                match &variant.payload {
                    Some(payload) => spread(surface, payload, expanding, found),
                    None => found.push(Kind::Null),
                }
            }
        }
        TypeDef::Enum { variants, .. } => found.push(Kind::String(Strings::Listed(
            variants.iter().map(|v: &Variant| v.wire.clone()).collect(),
        ))),
        TypeDef::Newtype { inner, checks } => {
            let mut inner_kinds = Vec::new();
            spread(surface, inner, expanding, &mut inner_kinds);
            for kind in inner_kinds {
                found.push(match kind {
                    Kind::String(Strings::Any) => {
                        Kind::String(Strings::Checked(name.to_string(), checks.clone()))
                    }
                    other => other,
                });
            }
        }
    }
}

/// A kind as a message names it.
fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Any => "any JSON".into(),
        Kind::Undecoded => "an undecoded body".into(),
        Kind::Null => "null".into(),
        Kind::Bool => "boolean".into(),
        Kind::Integer => "integer".into(),
        Kind::Number => "number".into(),
        Kind::String(Strings::Any) => "string".into(),
        Kind::String(Strings::Listed(values)) => format!(
            "string ({})",
            values.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        Kind::String(Strings::Checked(name, _)) => format!("`{name}` string"),
        Kind::Array(item) => format!("`Vec<{item}>`"),
        Kind::Map(value) => format!("`Map<String, {value}>`"),
        Kind::Object(name) => format!("`{name}` object"),
        Kind::Opaque(name) => format!("`{name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(code: &str) -> Surface {
        Surface::parse(code).expect("parses")
    }

    const TYPES: &str = r#"
        pub mod types {
            #[serde(untagged)]
            pub enum ReAuth {
                Variant0 { #[serde(rename = "_links")] links: Links },
                Variant1(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            }
            pub struct Links { #[serde(rename = "redirect-url")] pub redirect_url: Href }
            pub struct Href { pub href: ::std::string::String }
            #[serde(untagged)]
            pub enum MicroDeposits {
                Initiate(::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>),
                Verify(Verify),
            }
            pub struct Verify { pub amount1: Amount }
            pub struct Amount(::std::string::String);
            pub struct Tree { pub children: ::std::vec::Vec<::std::boxed::Box<Tree>> }
            pub struct B(pub C);
            pub struct C(pub ::std::boxed::Box<B>);
            #[serde(untagged)]
            pub enum Partner { Known(PartnerKnown), Unknown(::std::string::String) }
            pub enum PartnerKnown { Plaid, #[serde(rename = "MX")] Mx }
        }
    "#;

    #[test]
    fn every_shape_progenitor_generates_reads_itself() {
        let s = surface(TYPES);
        let mut decoder = Decoder::new(&s, &s);
        for name in s.types.keys() {
            for direction in [Direction::Request, Direction::Response] {
                let ty = Ty::named(name);
                assert_eq!(decoder.check(direction, &ty, &ty), [], "{name}");
            }
        }
    }

    #[test]
    fn an_open_enum_reads_any_string_and_a_closed_one_only_its_values() {
        let s = surface(TYPES);
        let mut decoder = Decoder::new(&s, &s);
        let string = Ty::named("String");
        assert_eq!(
            decoder.check(Direction::Response, &Ty::named("Partner"), &string),
            []
        );
        let refused = decoder.check(Direction::Response, &Ty::named("PartnerKnown"), &string);
        assert_eq!(refused.len(), 1, "{refused:?}");
        let map = Ty {
            name: "Map".into(),
            args: vec![string.clone(), Ty::named("Value")],
        };
        assert_eq!(
            decoder.check(Direction::Request, &map, &Ty::named("ReAuth")),
            [],
            "the map branch reads any object"
        );
        let needs = decoder.check(Direction::Request, &map, &Ty::named("Verify"));
        assert!(needs[0].why.contains("requires `amount1`"), "{needs:?}");
    }
}
