//! Runnable examples of rpclib and its end-to-end tests. Each example is a file in
//! `examples/examples/`; run one with `cargo run -p rpclib-examples --example NAME`. This
//! library holds what several examples and tests share.

pub mod json;
