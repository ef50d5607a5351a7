//! The bounded loader reads every spec the project has met as `serde_yaml`
//! (the parser it replaced) read it: Dwolla's published specs beside the
//! checkout (`../shared/specs`, `../shared/reference`; a failure in CI when
//! they are missing, a skip elsewhere) and every YAML file of the
//! repository's specs and test pairs.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The conversion the loader used to make (serde_yaml's value into JSON).
fn through_serde_yaml(text: &str) -> Value {
    fn convert(value: serde_yaml::Value) -> Value {
        use serde_yaml::Value as Y;
        match value {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => n
                .as_i64()
                .map(Value::from)
                .or_else(|| n.as_u64().map(Value::from))
                .unwrap_or_else(|| Value::from(n.as_f64().expect("a number"))),
            Y::String(s) => Value::String(s),
            Y::Sequence(items) => Value::Array(items.into_iter().map(convert).collect()),
            Y::Mapping(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Y::String(s) => s,
                            Y::Number(n) => n.to_string(),
                            Y::Bool(b) => b.to_string(),
                            other => panic!("key {other:?}"),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            Y::Tagged(tagged) => convert(tagged.value),
        }
    }
    convert(serde_yaml::from_str(text).expect("serde_yaml reads it"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn yaml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            found.push(path);
        }
    }
}

#[test]
fn every_known_spec_reads_as_serde_yaml_read_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "openapi",
        "dwolla-codegen/tests/specs",
        "spec-drift/tests/data",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    let mut published = Vec::new();
    for dir in ["../shared/specs", "../shared/reference"] {
        yaml_files(&root.join(dir), &mut published);
    }
    if published.len() < 13 {
        assert!(
            !in_ci(),
            "the published specs are missing beside the checkout (required in CI)"
        );
        eprintln!("SKIPPED the published specs: not beside the checkout");
    }
    files.extend(published);
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let ours =
            openapi_doc::load::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            ours == through_serde_yaml(&text),
            "{} reads differently",
            file.display()
        );
    }
}
