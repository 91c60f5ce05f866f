//! # rpclib-transport-dbqueue
//!
//! This crate will hold the database-backed fan-out queue transport of rpclib (diesel + r2d2 on SQLite, PostgreSQL and MySQL/MariaDB).
//!
//! **Status: not implemented yet.** It exposes no API so far; nothing here pretends to work.
//! It depends on `rpclib-core` only, like every rpclib crate other than the core and the
//! macros. See the project README for the crate map and what is ready.

#![forbid(unsafe_code)]
