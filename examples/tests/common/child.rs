//! Examples run as child processes: the test binary runs itself again, filtered to its
//! `example_child` test, with the example's arguments in an environment variable. A test
//! binary that uses this defines
//!
//! ```ignore
//! #[test]
//! fn example_child() {
//!     let Some(args) = common::child::args() else { return };
//!     // run the example named by args[0] (or the binary's one example) with the rest
//! }
//! ```
//!
//! so that in a normal run it does nothing, and in the child a failing example fails that test
//! and the child exits non-zero.

use std::process::{Child, Command, Stdio};

/// Carries the child's arguments, joined by [`SEP`].
const ARGS: &str = "RPCLIB_TEST_EXAMPLE_CHILD_ARGS";
/// A separator no argument contains (the ASCII unit separator).
const SEP: char = '\u{1f}';

/// The command that runs this test binary as a child with `args` (stdin closed; stdout and
/// stderr as the caller sets them, inherited otherwise).
pub(crate) fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary's path"));
    cmd.args([
        "--exact",
        "example_child",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(ARGS, args.join(&SEP.to_string()))
    .stdin(Stdio::null());
    cmd
}

/// Runs this test binary as a child with `args`, its stdout and stderr piped.
pub(crate) fn spawn(args: &[&str]) -> Child {
    command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the example child")
}

/// In the child, the arguments it was started with; `None` in a normal test run.
pub(crate) fn args() -> Option<Vec<String>> {
    let joined = std::env::var(ARGS).ok()?;
    Some(joined.split(SEP).map(str::to_owned).collect())
}

/// A child process killed when dropped, however the test ends.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
