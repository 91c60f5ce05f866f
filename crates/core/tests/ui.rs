//! Compile-time behaviour of the macros: what compiles, and the errors misuse produces.

#[test]
fn ui() {
    // `TRYBUILD=overwrite` (or `wip`) turns the comparison with the `.stderr` files into writes
    // that pass: CI compares, it never writes.
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    if ci && let Some(mode) = std::env::var_os("TRYBUILD") {
        panic!(
            "TRYBUILD={} under CI: the expected compiler output is compared in CI, never rewritten",
            mode.to_string_lossy()
        );
    }
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
