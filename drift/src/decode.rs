//! Whether one generated type reads every value another produces, by what
//! serde does with progenitor's types.
//!
//! A request is written by the client built from OLD and read by a server
//! that follows NEW (whose types say what it accepts); a response is written
//! by that server and read by the client built from OLD. Either way the
//! question is the same: does the *reader* type decode every value of the
//! *writer* type?
//!
//! - an `Option` reads a value or its absence; a non-`Option` field without
//!   a serde default needs the value;
//! - a struct needs each of its required fields, and refuses unknown members
//!   only when it denies them;
//! - a string enum reads only its values; an untagged enum (`oneOf`, and the
//!   open `Known`/`Unknown(String)` enums the normalizer makes of response
//!   enums) reads a value when one of its variants does, so branches are
//!   paired by content, never by position;
//! - `String` reads any string-like value (dates, string enums, newtypes).
//!
//! Type pairs are memoised per direction, so recursive types finish: a pair
//! met again while it is being compared is assumed to fit.

use std::collections::HashMap;

use crate::surface::{Surface, Ty, TypeDef};

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
    /// Where in the body (`links.redirect-url`), empty at the top.
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

/// The comparison of the types of two generated clients.
pub struct Decoder<'a> {
    old: &'a Surface,
    new: &'a Surface,
    memo: HashMap<(Direction, String, String), Vec<Problem>>,
}

const STRINGS: &[&str] = &["String", "Secret", "DateTime", "NaiveDate", "Uuid", "str"];
const INTEGERS: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "NonZeroU64",
    "NonZeroU32",
];
const MAPS: &[&str] = &["Map", "HashMap", "BTreeMap"];

impl<'a> Decoder<'a> {
    /// A decoder for the clients built from `old` and `new`.
    pub fn new(old: &'a Surface, new: &'a Surface) -> Self {
        Self {
            old,
            new,
            memo: HashMap::new(),
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
        let (reader_side, writer_side) = self.sides(direction);
        if reader.name == "Value" {
            return Vec::new();
        }
        match (reader.option_inner(), writer.option_inner()) {
            (Some(r), Some(w)) => return self.fits(direction, r, w),
            (Some(r), None) => return self.fits(direction, r, writer),
            (None, Some(_)) => {
                return Problem::new(format!("`{writer}` may be null; `{reader}` needs a value"));
            }
            (None, None) => {}
        }
        let collection = |ty: &Ty| {
            if ty.name == "Vec" || MAPS.contains(&ty.name.as_str()) {
                Some(ty.args.last()?.clone())
            } else {
                None
            }
        };
        let same_collection = reader.name == writer.name
            || (MAPS.contains(&reader.name.as_str()) && MAPS.contains(&writer.name.as_str()));
        match (collection(reader), collection(writer)) {
            (Some(r), Some(w)) if same_collection => return self.fits(direction, &r, &w),
            (None, None) => {}
            _ => return mismatch(reader, writer),
        }
        let reader_def = reader_side.types.get(&reader.name);
        let writer_def = writer_side.types.get(&writer.name);
        match (reader_def, writer_def) {
            (Some(_), Some(_)) => self.named(direction, &reader.name, &writer.name),
            (None, Some(def)) => self.primitive_reads_def(direction, reader, writer, def),
            (Some(def), None) => self.def_reads_primitive(direction, reader, writer, def),
            (None, None) => primitives(reader, writer),
        }
    }

    /// Two generated types, memoised (a pair met again while it is being
    /// compared is assumed to fit, which ends recursion).
    fn named(&mut self, direction: Direction, reader: &str, writer: &str) -> Vec<Problem> {
        let key = (direction, reader.to_string(), writer.to_string());
        if let Some(known) = self.memo.get(&key) {
            return known.clone();
        }
        self.memo.insert(key.clone(), Vec::new());
        let (reader_side, writer_side) = self.sides(direction);
        let (Some(r), Some(w)) = (reader_side.types.get(reader), writer_side.types.get(writer))
        else {
            return Vec::new();
        };
        let reader_ty = named_ty(reader);
        let writer_ty = named_ty(writer);
        let problems = match (r, w) {
            (
                _,
                TypeDef::Enum {
                    untagged: true,
                    variants,
                },
            ) => {
                let payloads: Vec<Ty> = variants.iter().filter_map(|v| v.payload.clone()).collect();
                payloads
                    .iter()
                    .flat_map(|p| self.fits(direction, &reader_ty, p))
                    .collect()
            }
            (TypeDef::Enum { untagged: true, .. }, _) => self.any_variant(direction, r, &writer_ty),
            (
                TypeDef::Struct { fields, closed },
                TypeDef::Struct {
                    fields: written, ..
                },
            ) => self.structs(direction, (fields, *closed), written),
            (TypeDef::Enum { variants, .. }, TypeDef::Enum { variants: sent, .. }) => sent
                .iter()
                .filter(|s| !variants.iter().any(|v| v.wire == s.wire))
                .map(|s| Problem {
                    at: String::new(),
                    why: format!("value `{}` is not one `{reader}` reads", s.wire),
                })
                .collect(),
            (TypeDef::Newtype { inner: r }, TypeDef::Newtype { inner: w }) => {
                self.fits(direction, r, w)
            }
            _ => mismatch(&reader_ty, &writer_ty),
        };
        self.memo.insert(key, problems.clone());
        problems
    }

    /// An untagged reader reads the writer when one of its variants does.
    fn any_variant(&mut self, direction: Direction, reader: &TypeDef, writer: &Ty) -> Vec<Problem> {
        let TypeDef::Enum { variants, .. } = reader else {
            return Vec::new();
        };
        let mut first = None;
        for payload in variants.iter().filter_map(|v| v.payload.as_ref()) {
            let problems = self.fits(direction, payload, writer);
            if problems.is_empty() {
                return problems;
            }
            first.get_or_insert(problems);
        }
        first.unwrap_or_default()
    }

    fn structs(
        &mut self,
        direction: Direction,
        (reader, closed): (
            &std::collections::BTreeMap<String, crate::surface::Field>,
            bool,
        ),
        writer: &std::collections::BTreeMap<String, crate::surface::Field>,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        for field in reader.values() {
            let Some(written) = writer.values().find(|w| w.wire == field.wire) else {
                if !field.may_be_absent() {
                    problems.push(Problem {
                        at: field.wire.clone(),
                        why: "required, and never sent".into(),
                    });
                }
                continue;
            };
            let found = if written.may_be_absent() && !field.may_be_absent() {
                Problem::new(format!(
                    "may be absent (`{}`); the reader requires it (`{}`)",
                    written.ty, field.ty
                ))
            } else {
                let unwrap =
                    |f: &crate::surface::Field| f.ty.option_inner().unwrap_or(&f.ty).clone();
                self.fits(direction, &unwrap(field), &unwrap(written))
            };
            problems.extend(found.into_iter().map(|p| p.under(&field.wire)));
        }
        if closed {
            for extra in writer
                .values()
                .filter(|w| !reader.values().any(|f| f.wire == w.wire))
            {
                problems.push(Problem {
                    at: extra.wire.clone(),
                    why: "sent, and the reader denies unknown members".into(),
                });
            }
        }
        problems
    }

    /// A primitive reader (`String`, a number) and a generated writer type.
    fn primitive_reads_def(
        &mut self,
        direction: Direction,
        reader: &Ty,
        writer: &Ty,
        def: &TypeDef,
    ) -> Vec<Problem> {
        match def {
            TypeDef::Enum {
                untagged: true,
                variants,
            } => variants
                .iter()
                .filter_map(|v| v.payload.clone())
                .flat_map(|p| self.fits(direction, reader, &p))
                .collect(),
            TypeDef::Enum { .. } if is_string(reader) => Vec::new(),
            TypeDef::Newtype { inner } => self.fits(direction, reader, inner),
            _ => mismatch(reader, writer),
        }
    }

    /// A generated reader type and a primitive writer.
    fn def_reads_primitive(
        &mut self,
        direction: Direction,
        reader: &Ty,
        writer: &Ty,
        def: &TypeDef,
    ) -> Vec<Problem> {
        match def {
            TypeDef::Enum { untagged: true, .. } => self.any_variant(direction, def, writer),
            TypeDef::Enum { .. } if is_string(writer) => Problem::new(format!(
                "any `{writer}`; `{reader}` reads only its listed values"
            )),
            TypeDef::Newtype { .. } if is_string(writer) => Problem::new(format!(
                "any `{writer}`; `{reader}` checks its values (a constrained string)"
            )),
            _ => mismatch(reader, writer),
        }
    }
}

fn named_ty(name: &str) -> Ty {
    Ty {
        name: name.to_string(),
        args: Vec::new(),
    }
}

fn is_string(ty: &Ty) -> bool {
    STRINGS.contains(&ty.name.as_str())
}

/// Two types neither of which is generated.
fn primitives(reader: &Ty, writer: &Ty) -> Vec<Problem> {
    let fits = reader == writer
        || (matches!(reader.name.as_str(), "String" | "Secret") && is_string(writer))
        || (reader.name == "f64"
            && (writer.name == "f32" || INTEGERS.contains(&writer.name.as_str())))
        || (INTEGERS.contains(&reader.name.as_str()) && INTEGERS.contains(&writer.name.as_str()));
    if fits {
        Vec::new()
    } else {
        mismatch(reader, writer)
    }
}

fn mismatch(reader: &Ty, writer: &Ty) -> Vec<Problem> {
    Problem::new(format!("`{writer}` values do not decode as `{reader}`"))
}
