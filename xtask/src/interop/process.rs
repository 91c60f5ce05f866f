//! Running external tools with a time limit, capturing what they print.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// What a finished (or timed-out) command printed.
#[derive(Debug)]
pub(crate) struct Output {
    /// The exit status (of the killed process if it timed out).
    pub(crate) status: ExitStatus,
    /// Whether the command was killed for running past its time limit.
    pub(crate) timed_out: bool,
    /// Standard output, lossily decoded.
    pub(crate) stdout: String,
    /// Standard error, lossily decoded.
    pub(crate) stderr: String,
}

impl Output {
    /// Whether the command exited with status 0 in time.
    pub(crate) fn success(&self) -> bool {
        self.status.success() && !self.timed_out
    }

    /// A one-paragraph account of a failure: the status and the end of what was printed.
    pub(crate) fn failure_summary(&self) -> String {
        let how = if self.timed_out {
            "timed out".to_owned()
        } else {
            self.status.to_string()
        };
        let mut text = self.stderr.trim().to_owned();
        if text.is_empty() {
            text = self.stdout.trim().to_owned();
        }
        format!("{how}: {}", tail(&text, 12))
    }
}

/// The last `lines` lines of `text`, joined with ` | `.
pub(crate) fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = all.len().saturating_sub(lines);
    all[start..].join(" | ")
}

/// Runs `cmd` (stdin closed, stdout and stderr captured), killing it after `limit`.
pub(crate) fn run(cmd: &mut Command, limit: Duration) -> Result<Output> {
    let shown = describe(cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start `{shown}`"))?;
    let stdout = child.stdout.take().context("stdout was not captured")?;
    let stderr = child.stderr.take().context("stderr was not captured")?;
    let out_reader = thread::spawn(move || read_all(stdout));
    let err_reader = thread::spawn(move || read_all(stderr));
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .context("cannot wait for a child process")?
        {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            // Ends only the process this function started.
            let _ = child.kill();
            break child.wait().context("cannot reap a killed child process")?;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Output {
        status,
        timed_out,
        stdout,
        stderr,
    })
}

/// Runs `cmd` like [`run`] and fails, with the end of its output, unless it succeeds.
pub(crate) fn run_ok(cmd: &mut Command, limit: Duration) -> Result<Output> {
    let shown = describe(cmd);
    let out = run(cmd, limit)?;
    if !out.success() {
        bail!("`{shown}` failed ({})", out.failure_summary());
    }
    Ok(out)
}

/// The command line, for messages.
pub(crate) fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn read_all(mut r: impl Read) -> String {
    let mut buf = Vec::new();
    let _ = r.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Whether `program` is found on PATH.
pub(crate) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
