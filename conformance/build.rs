//! Builds the committed fixtures (`fixtures/*.json`) into the crate, so that
//! `fixture::committed()` reads no file at run time: a test kit, an
//! installed `conformance` command or a packaged crate finds them wherever
//! it runs.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let fixtures = manifest_dir.join("fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", fixtures.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let mut list = String::from("&[\n");
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let _ = writeln!(list, "    ({name:?}, include_str!({:?})),", file.display());
    }
    list.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("committed_fixtures.rs"), list)
        .unwrap_or_else(|e| panic!("cannot write the fixture list: {e}"));
}
