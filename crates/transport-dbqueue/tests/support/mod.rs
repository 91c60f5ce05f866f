//! Shared by the queue's integration tests: a protocol, a service, test databases on every
//! backend, and consumer child processes.

#![allow(dead_code, unreachable_pub, missing_docs, clippy::print_stdout)]

pub mod async_service;
pub mod child;
pub mod db;
pub mod protocol;
pub mod service;
