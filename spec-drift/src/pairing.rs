//! Which operation of NEW is which of OLD: the same operationId, else the
//! same method and path shape. A path's shape ignores the names of its
//! parameters (`/ledger/{id}` and `/ledger/{ledgerEntryId}` send the same
//! URL), so a renamed path parameter is no move.

use std::collections::{BTreeMap, HashMap};

use dwolla_codegen::OperationSummary;

/// One operation of OLD, NEW or both.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// The operation in the client built from OLD.
    pub old: Option<&'a OperationSummary>,
    /// The operation in the client built from NEW.
    pub new: Option<&'a OperationSummary>,
}

impl Pair<'_> {
    /// The operationId findings name it by: OLD's, else NEW's.
    pub fn id(&self) -> &str {
        self.old
            .or(self.new)
            .map_or("", |op| op.operation_id.as_str())
    }

    /// Both operationIds (one when they agree).
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = [self.old, self.new]
            .into_iter()
            .flatten()
            .map(|op| op.operation_id.clone())
            .collect();
        ids.dedup();
        ids
    }
}

/// `/ledger/{ledgerEntryId}` as `/ledger/{}`.
pub fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if in_parameter => {}
            c => shape.push(c),
        }
    }
    shape
}

/// Pairs the operations of OLD and NEW, OLD's order first, then NEW's
/// additions.
pub fn pairs<'a>(old: &'a [OperationSummary], new: &'a [OperationSummary]) -> Vec<Pair<'a>> {
    let new_by_id: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(index, op)| (op.operation_id.as_str(), index))
        .collect();
    let old_ids: HashMap<&str, ()> = old
        .iter()
        .map(|op| (op.operation_id.as_str(), ()))
        .collect();
    let mut new_by_shape: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (index, op) in new.iter().enumerate() {
        if !old_ids.contains_key(op.operation_id.as_str()) {
            new_by_shape
                .entry((op.method.clone(), path_shape(&op.path)))
                .or_insert(index);
        }
    }
    let mut taken = vec![false; new.len()];
    let mut found = Vec::with_capacity(old.len());
    for op in old {
        let index = new_by_id
            .get(op.operation_id.as_str())
            .copied()
            .or_else(|| new_by_shape.remove(&(op.method.clone(), path_shape(&op.path))));
        if let Some(index) = index {
            taken[index] = true;
        }
        found.push(Pair {
            old: Some(op),
            new: index.map(|index| &new[index]),
        });
    }
    found.extend(
        new.iter()
            .zip(&taken)
            .filter(|(_, taken)| !**taken)
            .map(|(op, _)| Pair {
                old: None,
                new: Some(op),
            }),
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use dwolla_codegen::AuthScheme;

    fn op(id: &str, method: &str, path: &str) -> OperationSummary {
        OperationSummary {
            operation_id: id.into(),
            method_name: id.into(),
            method: method.into(),
            path: path.into(),
            auth: AuthScheme::Bearer,
            accept: "application/json".into(),
            body_type: None,
        }
    }

    #[test]
    fn operations_pair_by_id_then_by_method_and_path_shape() {
        let old = [
            op("getLedger", "GET", "/ledger/{id}"),
            op("verify", "POST", "/kba/{id}"),
            op("gone", "DELETE", "/gone"),
        ];
        let new = [
            op("verifyKbaQuestions", "POST", "/kba/{kbaId}"),
            op("getLedger", "GET", "/ledger/{ledgerEntryId}"),
            op("added", "GET", "/added"),
        ];
        let found: Vec<(Option<&str>, Option<&str>)> = pairs(&old, &new)
            .iter()
            .map(|p| {
                (
                    p.old.map(|o| o.operation_id.as_str()),
                    p.new.map(|o| o.operation_id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (Some("getLedger"), Some("getLedger")),
                (Some("verify"), Some("verifyKbaQuestions")),
                (Some("gone"), None),
                (None, Some("added")),
            ]
        );
        assert_eq!(path_shape("/a/{id}/b/{itemId}"), "/a/{}/b/{}");
    }
}
