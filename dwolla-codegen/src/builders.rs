//! What the generated builders take, read back from the generated code: the
//! request body type of each operation, which the client's ergonomic layer
//! names through an alias instead of guessing progenitor's type names, and
//! the type any setter takes (read by `spec-drift` too).

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{GenericArgument, ImplItem, Item, PathArguments, Type, TypeParamBound, WherePredicate};

/// The type each builder's `body` method converts its argument into, by
/// builder name (`CreateCustomerExchangeSession` gives
/// `types::CreateCustomerExchangeSessionBody`).
pub(crate) fn request_body_types(file: &syn::File) -> BTreeMap<String, String> {
    let builders = file.items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    });
    builders
        .into_iter()
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            Item::Impl(block) => Some((builder_name(&block.self_ty)?, body_type(block)?)),
            _ => None,
        })
        .collect()
}

/// The last segment of a builder's type (`CreateThing<'a>` gives `CreateThing`).
fn builder_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => Some(path.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// `T` of `fn body<V>(..) where V: TryInto<T>`, as Rust source without spaces.
fn body_type(block: &syn::ItemImpl) -> Option<String> {
    let method = block.items.iter().find_map(|item| match item {
        ImplItem::Fn(method) if method.sig.ident == "body" => Some(method),
        _ => None,
    })?;
    let target = setter_type(&method.sig)?;
    Some(
        target
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect(),
    )
}

/// The type a generated builder's setter takes: `T` of `fn id<V>(self,
/// value: V) -> Self where V: TryInto<T>`.
pub fn setter_type(signature: &syn::Signature) -> Option<&Type> {
    let predicates = &signature.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(bounded) = predicate else {
            return None;
        };
        bounded.bounds.iter().find_map(|bound| {
            let TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let segment = bound.path.segments.last()?;
            let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
                return None;
            };
            match arguments.args.first()? {
                GenericArgument::Type(target) if segment.ident == "TryInto" => Some(target),
                _ => None,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_type_of_each_builder_is_read() {
        let file: syn::File = syn::parse_quote! {
            pub mod types { pub struct Thing; }
            pub mod builder {
                pub struct CreateThing<'a> { client: &'a (), body: Result<types::builder::Thing, String> }
                impl<'a> CreateThing<'a> {
                    pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<String> { self }
                    pub fn body<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Thing> { self }
                }
                pub struct GetThing<'a> { client: &'a () }
                impl<'a> GetThing<'a> {
                    pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<String> { self }
                }
            }
        };
        let bodies = request_body_types(&file);
        assert_eq!(
            bodies.into_iter().collect::<Vec<_>>(),
            [("CreateThing".to_string(), "types::Thing".to_string())]
        );
    }
}
