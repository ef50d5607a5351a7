//! The source surface of a generated client: what user code can name, read
//! from progenitor's output with `syn`.
//!
//! - every public type of `mod types`: a struct's fields (Rust name, name on
//!   the wire, Rust type, whether it is an `Option` or has a serde default),
//!   an enum's variants (name, wire value, payload), a newtype's inner type;
//! - every operation's builder: its methods with the type each takes, and
//!   the success and error types of `send`.
//!
//! Rust types are kept as [`Ty`]: the last segment of each path with its
//! generic arguments (`Option<Vec<Thing>>`), so that `types::Thing` in a
//! builder and `Thing` inside `mod types` are the same name.

use std::collections::BTreeMap;
use std::fmt;

use quote::ToTokens as _;
use serde::Serialize;
use syn::{Fields, GenericArgument, Item, PathArguments, ReturnType, Type};

/// A Rust type as user code sees it: the last segment of its path and its
/// generic type arguments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ty {
    /// `Option`, `Vec`, `String`, or a generated type's name.
    pub name: String,
    /// Generic type arguments.
    pub args: Vec<Ty>,
}

impl Ty {
    /// The one argument of `Option<T>`, if this is one.
    pub fn option_inner(&self) -> Option<&Ty> {
        (self.name == "Option").then(|| self.args.first()).flatten()
    }

    fn of(ty: &Type) -> Self {
        match ty {
            Type::Path(path) => match path.path.segments.last() {
                Some(last) => Ty {
                    name: last.ident.to_string(),
                    args: match &last.arguments {
                        PathArguments::AngleBracketed(angle) => angle
                            .args
                            .iter()
                            .filter_map(|arg| match arg {
                                GenericArgument::Type(inner) => Some(Ty::of(inner)),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                },
                None => Ty::unit(),
            },
            Type::Tuple(tuple) if tuple.elems.is_empty() => Ty::unit(),
            Type::Reference(reference) => Ty::of(&reference.elem),
            Type::Paren(inner) => Ty::of(&inner.elem),
            Type::Group(inner) => Ty::of(&inner.elem),
            _ => Ty::named("?"),
        }
    }

    fn unit() -> Self {
        Ty::named("()")
    }

    /// A type without generic arguments.
    pub fn named(name: &str) -> Self {
        Ty {
            name: name.to_string(),
            args: Vec::new(),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some((first, rest)) = self.args.split_first() {
            write!(f, "<{first}")?;
            for arg in rest {
                write!(f, ", {arg}")?;
            }
            f.write_str(">")?;
        }
        Ok(())
    }
}

impl Serialize for Ty {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A field of a generated struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Its name on the wire (serde's `rename`, else the Rust name); a
    /// flattened field (progenitor's `anyOf` members) is `..` and its Rust
    /// name, so that it pairs with the same member on the other side.
    pub wire: String,
    /// Its Rust type, `Option` included.
    pub ty: Ty,
    /// Whether serde fills it in when absent (`#[serde(default)]`).
    pub defaulted: bool,
}

impl Field {
    /// Whether a body may leave it out (or send `null`) and still decode.
    pub fn may_be_absent(&self) -> bool {
        self.defaulted || self.ty.option_inner().is_some()
    }
}

/// A variant of a generated enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// Its Rust name.
    pub name: String,
    /// Its value on the wire (serde's `rename`, else the Rust name).
    pub wire: String,
    /// The type it carries (`None` for a unit variant, the value of a
    /// string enum).
    pub payload: Option<Ty>,
}

/// A generated public type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum TypeDef {
    /// A struct with named fields (a JSON object).
    Struct {
        /// Fields by Rust name.
        fields: BTreeMap<String, Field>,
        /// Whether unknown members are refused (`deny_unknown_fields`).
        closed: bool,
    },
    /// An enum: a string enum (unit variants), or an untagged one (`oneOf`).
    Enum {
        /// Whether serde tries each variant in turn (`#[serde(untagged)]`).
        untagged: bool,
        /// Variants in declaration order.
        variants: Vec<Variant>,
    },
    /// A tuple struct around one type (a constrained string, say).
    Newtype {
        /// The wrapped type.
        inner: Ty,
        /// What its parsing checks (a pattern, a length), as the messages
        /// of the checks progenitor generates; empty when it checks nothing.
        checks: Vec<String>,
    },
}

/// One operation's builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationSurface {
    /// The builder's name (`CreateThing`).
    pub builder: String,
    /// Its setter methods and the type each takes (`body`, `id`, ...).
    pub arguments: BTreeMap<String, Ty>,
    /// What `send` returns on success (`()` when it reads no body).
    pub success: Ty,
    /// The error body type of `send`.
    pub error: Ty,
}

/// The source surface of one generated client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Surface {
    /// Public types of `mod types`, by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operation builders, by builder name.
    pub builders: BTreeMap<String, OperationSurface>,
}

impl Surface {
    /// Reads the surface of generated client code.
    pub fn parse(code: &str) -> Result<Self, syn::Error> {
        let file = syn::parse_file(code)?;
        let mut surface = Surface::default();
        for item in &file.items {
            let Item::Mod(module) = item else { continue };
            let Some((_, items)) = &module.content else {
                continue;
            };
            match module.ident.to_string().as_str() {
                "types" => items.iter().for_each(|item| surface.add_type(item)),
                "builder" => items.iter().for_each(|item| surface.add_builder(item)),
                _ => {}
            }
        }
        Ok(surface)
    }

    fn add_type(&mut self, item: &Item) {
        let (name, def) = match item {
            Item::Struct(item) => {
                let def = match &item.fields {
                    Fields::Named(named) => TypeDef::Struct {
                        fields: named_fields(named),
                        closed: SerdeAttrs::of(&item.attrs).deny_unknown_fields,
                    },
                    Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => TypeDef::Newtype {
                        inner: Ty::of(&unnamed.unnamed[0].ty),
                        checks: Vec::new(),
                    },
                    _ => return,
                };
                (item.ident.to_string(), def)
            }
            Item::Enum(item) => (item.ident.to_string(), self.enum_def(item)),
            Item::Impl(block) => {
                self.add_checks(block);
                return;
            }
            _ => return,
        };
        self.types.insert(name, def);
    }

    /// The checks of a constrained newtype, from its `FromStr`: the text of
    /// each error it returns (`doesn't match pattern "…"`, `longer than 200
    /// characters`), in order.
    fn add_checks(&mut self, block: &syn::ItemImpl) {
        let implements = |name: &str| {
            block
                .trait_
                .as_ref()
                .and_then(|(_, path, _)| path.segments.last())
                .is_some_and(|last| last.ident == name)
        };
        let Type::Path(path) = block.self_ty.as_ref() else {
            return;
        };
        let Some(own) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        if !implements("FromStr") {
            return;
        }
        let mut found = Vec::new();
        for item in &block.items {
            if let syn::ImplItem::Fn(method) = item {
                string_literals(method.block.to_token_stream(), &mut found);
            }
        }
        if let Some(TypeDef::Newtype { checks, .. }) = self.types.get_mut(&own) {
            *checks = found;
        }
    }

    /// An enum's definition. A variant with named fields (an inline object
    /// branch of a `oneOf`) carries a struct of its own, kept among the
    /// types as `Enum::Variant` (see [`Surface::is_variant_struct`]).
    fn enum_def(&mut self, item: &syn::ItemEnum) -> TypeDef {
        let enum_name = item.ident.to_string();
        let variants = item
            .variants
            .iter()
            .map(|variant| {
                let name = variant.ident.to_string();
                let payload = match &variant.fields {
                    Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                        Some(Ty::of(&fields.unnamed[0].ty))
                    }
                    Fields::Unit => None,
                    Fields::Named(named) => {
                        let inline = format!("{enum_name}::{name}");
                        self.types.insert(
                            inline.clone(),
                            TypeDef::Struct {
                                fields: named_fields(named),
                                closed: SerdeAttrs::of(&variant.attrs).deny_unknown_fields,
                            },
                        );
                        Some(Ty::named(&inline))
                    }
                    Fields::Unnamed(_) => Some(Ty::named("?")),
                };
                Variant {
                    wire: SerdeAttrs::of(&variant.attrs)
                        .rename
                        .unwrap_or(name.clone()),
                    name,
                    payload,
                }
            })
            .collect();
        TypeDef::Enum {
            untagged: SerdeAttrs::of(&item.attrs).untagged,
            variants,
        }
    }

    /// Whether `name` is the struct of an enum variant with named fields
    /// (`Enum::Variant`), not a type of its own.
    pub fn is_variant_struct(name: &str) -> bool {
        name.contains("::")
    }

    fn add_builder(&mut self, item: &Item) {
        let Item::Impl(block) = item else { return };
        let Type::Path(path) = block.self_ty.as_ref() else {
            return;
        };
        let Some(builder) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let mut surface = OperationSurface {
            builder: builder.clone(),
            arguments: BTreeMap::new(),
            success: Ty::unit(),
            error: Ty::unit(),
        };
        for inner in &block.items {
            let syn::ImplItem::Fn(method) = inner else {
                continue;
            };
            let name = method.sig.ident.to_string();
            if name == "send" {
                if let Some((success, error)) = send_types(&method.sig.output) {
                    surface.success = success;
                    surface.error = error;
                }
            } else if let Some(ty) = setter_type(&method.sig) {
                surface.arguments.insert(name, ty);
            }
        }
        self.builders.insert(builder, surface);
    }
}

/// The fields of a struct or of an enum variant, by Rust name.
fn named_fields(named: &syn::FieldsNamed) -> BTreeMap<String, Field> {
    named
        .named
        .iter()
        .filter_map(|field| {
            let name = field.ident.as_ref()?.to_string();
            let serde = SerdeAttrs::of(&field.attrs);
            let wire = match (serde.flatten, serde.rename) {
                (true, _) => format!("..{name}"),
                (false, Some(rename)) => rename,
                (false, None) => raw(&name),
            };
            Some((
                name,
                Field {
                    wire,
                    ty: Ty::of(&field.ty),
                    defaulted: serde.default,
                },
            ))
        })
        .collect()
}

/// Every string literal of `tokens`, in order.
fn string_literals(tokens: proc_macro2::TokenStream, found: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(group) => string_literals(group.stream(), found),
            proc_macro2::TokenTree::Literal(literal) => {
                if let Ok(text) = syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                    found.push(text.value());
                }
            }
            _ => {}
        }
    }
}

/// A field's Rust name as its wire name: `r#type` is `type`.
fn raw(name: &str) -> String {
    name.trim_start_matches("r#").to_string()
}

/// The serde attributes the surface needs.
#[derive(Default)]
struct SerdeAttrs {
    rename: Option<String>,
    default: bool,
    flatten: bool,
    untagged: bool,
    deny_unknown_fields: bool,
}

impl SerdeAttrs {
    fn of(attrs: &[syn::Attribute]) -> Self {
        let mut found = SerdeAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let value = if meta.input.peek(syn::Token![=]) {
                    Some(meta.value()?.parse::<syn::LitStr>()?.value())
                } else {
                    None
                };
                match key.as_str() {
                    "rename" => found.rename = value,
                    "default" => found.default = true,
                    "flatten" => found.flatten = true,
                    "untagged" => found.untagged = true,
                    "deny_unknown_fields" => found.deny_unknown_fields = true,
                    _ => {}
                }
                Ok(())
            });
        }
        found
    }
}

/// The type a builder setter takes (`where V: TryInto<T>` takes `T`).
fn setter_type(signature: &syn::Signature) -> Option<Ty> {
    dwolla_codegen::builders::setter_type(signature).map(Ty::of)
}

/// `Result<ResponseValue<S>, Error<E>>` gives `(S, E)`.
fn send_types(output: &ReturnType) -> Option<(Ty, Ty)> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = Ty::of(ty);
    let [ok, err] = result.args.as_slice() else {
        return None;
    };
    Some((ok.args.first()?.clone(), err.args.first()?.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_builders_are_read_from_generated_code() {
        let code = r#"
            pub mod types {
                #[serde(deny_unknown_fields)]
                pub struct Thing {
                    #[serde(rename = "_links", default)]
                    pub links: ::std::option::Option<::std::vec::Vec<Link>>,
                    pub r#type: ::std::string::String,
                    #[serde(flatten, default)]
                    pub subtype_0: ::std::option::Option<Shape>,
                }
                #[serde(untagged)]
                pub enum Shape { Known(ShapeKnown), Unknown(::std::string::String) }
                pub enum ShapeKnown { #[serde(rename = "MX")] Mx, Round }
                pub struct Code(::std::string::String);
                pub mod builder { pub struct Thing { links: u8 } }
            }
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String> { self }
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<crate::error::DwollaErrorBody>> { todo!() }
                }
            }
        "#;
        let surface = Surface::parse(code).unwrap();
        let TypeDef::Struct { fields, closed } = &surface.types["Thing"] else {
            panic!("a struct");
        };
        assert!(closed);
        assert_eq!(fields["links"].wire, "_links");
        assert_eq!(fields["links"].ty.to_string(), "Option<Vec<Link>>");
        assert!(fields["links"].may_be_absent() && !fields["r#type"].may_be_absent());
        assert_eq!(fields["r#type"].wire, "type");
        assert_eq!(fields["subtype_0"].wire, "..subtype_0");
        let TypeDef::Enum { untagged, variants } = &surface.types["ShapeKnown"] else {
            panic!("an enum");
        };
        assert!(!untagged);
        assert_eq!(variants[0].wire, "MX");
        assert!(matches!(
            &surface.types["Shape"],
            TypeDef::Enum { untagged: true, .. }
        ));
        assert!(matches!(&surface.types["Code"], TypeDef::Newtype { .. }));
        let op = &surface.builders["GetThing"];
        assert_eq!(op.arguments["id"].to_string(), "String");
        assert_eq!(op.success.to_string(), "Thing");
        assert_eq!(op.error.to_string(), "DwollaErrorBody");
    }
}
