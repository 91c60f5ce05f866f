//! The clients' results (the `RESULT` lines of their scripts) and the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::process::{Output, tail};

/// How one client fared with one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Called, every returned value checked.
    Pass,
    /// Failed (the detail says why).
    Fail,
    /// The client cannot express the operation (the detail says why).
    NotExpressible,
    /// The client's program does not call it (gSOAP covers a subset).
    NotCalled,
    /// The client is not installed here (the detail says why).
    Skipped,
}

/// One cell of the table.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// The result.
    pub(crate) status: Status,
    /// Why it failed, why it cannot be expressed, or a note on a pass.
    pub(crate) detail: String,
}

/// Every outcome, by client (columns) and `service.operation` (rows).
#[derive(Debug, Default)]
pub(crate) struct Results {
    clients: Vec<String>,
    services: Vec<(String, Vec<String>)>,
    cells: BTreeMap<(String, String), Outcome>,
    /// Failures that belong to no cell (a crashed script, an unknown operation).
    general: Vec<(String, String)>,
}

/// The pseudo-operation for "the client accepted this service's WSDL".
pub(crate) const WSDL_ROW: &str = "(wsdl)";

impl Results {
    /// Adds a column.
    pub(crate) fn add_client(&mut self, client: &str) {
        self.clients.push(client.to_owned());
    }

    /// Adds a service's rows: the WSDL row, then its operations in WSDL order.
    pub(crate) fn add_service(&mut self, service: &str, operations: &[String]) {
        let mut ops = vec![WSDL_ROW.to_owned()];
        ops.extend(operations.iter().cloned());
        self.services.push((service.to_owned(), ops));
    }

    /// Adds rows of a service without an interface document (the JSON-RPC and MessagePack
    /// endpoints): its cases only.
    pub(crate) fn add_rows(&mut self, service: &str, cases: &[&str]) {
        let cases = cases.iter().map(|c| (*c).to_owned()).collect();
        self.services.push((service.to_owned(), cases));
    }

    /// The operations of `service` (WSDL row first), if it was added.
    pub(crate) fn operations(&self, service: &str) -> Vec<String> {
        self.services
            .iter()
            .find(|(s, _)| s == service)
            .map(|(_, ops)| ops.clone())
            .unwrap_or_default()
    }

    fn known(&self, key: &str) -> bool {
        key.split_once('.').is_some_and(|(service, op)| {
            self.services
                .iter()
                .any(|(s, ops)| s == service && ops.iter().any(|o| o == op))
        })
    }

    /// Records an outcome; a failure is never overwritten by a later pass.
    pub(crate) fn set(&mut self, client: &str, key: &str, status: Status, detail: &str) {
        let slot = (client.to_owned(), key.to_owned());
        if self
            .cells
            .get(&slot)
            .is_some_and(|old| old.status == Status::Fail)
        {
            return;
        }
        self.cells.insert(
            slot,
            Outcome {
                status,
                detail: detail.to_owned(),
            },
        );
    }

    /// Records a failure that belongs to no single operation.
    pub(crate) fn fail_general(&mut self, client: &str, detail: String) {
        self.general.push((client.to_owned(), detail));
    }

    /// Reads a client program's `RESULT` lines. Every operation of `services` must be
    /// reported unless `subset` (then unreported ones are `NotCalled`, except those in
    /// `required`, which fail).
    pub(crate) fn ingest(
        &mut self,
        client: &str,
        out: &Output,
        services: &[&str],
        subset: bool,
        required: &[&str],
    ) {
        let mut done = false;
        for line in out.stdout.lines() {
            if line == "DONE" {
                done = true;
                continue;
            }
            let Some(rest) = line.strip_prefix("RESULT\t") else {
                continue;
            };
            let mut fields = rest.splitn(3, '\t');
            let key = fields.next().unwrap_or_default();
            let status = fields.next().unwrap_or_default();
            let detail = fields.next().unwrap_or_default();
            let status = match status {
                "pass" => Status::Pass,
                "fail" => Status::Fail,
                "n/a" => Status::NotExpressible,
                other => {
                    self.fail_general(client, format!("unreadable result line {line:?} ({other})"));
                    continue;
                }
            };
            if !self.known(key) {
                self.fail_general(
                    client,
                    format!("reported `{key}`, which no WSDL here declares: {line:?}"),
                );
                continue;
            }
            self.set(client, key, status, detail);
        }
        let crashed = !done || out.timed_out;
        if crashed {
            self.fail_general(
                client,
                format!(
                    "the client program did not finish ({})",
                    out.failure_summary()
                ),
            );
        } else if !out.status.success() && !self.has_failure(client) {
            self.fail_general(
                client,
                format!(
                    "the client program exited with {} although every case passed",
                    out.status
                ),
            );
        }
        for service in services {
            for op in self.operations(service) {
                let key = format!("{service}.{op}");
                if self.cells.contains_key(&(client.to_owned(), key.clone())) {
                    continue;
                }
                if subset && !required.contains(&key.as_str()) && op != WSDL_ROW {
                    self.set(client, &key, Status::NotCalled, "");
                } else {
                    let why = if crashed {
                        "no result: the client program stopped before this case".to_owned()
                    } else {
                        "no result reported for this operation".to_owned()
                    };
                    let stderr = tail(&out.stderr, 3);
                    let why = if stderr.is_empty() {
                        why
                    } else {
                        format!("{why} (stderr: {stderr})")
                    };
                    self.set(client, &key, Status::Fail, &why);
                }
            }
        }
    }

    /// Marks every cell of `client` in `services` with `status` and `detail`.
    pub(crate) fn set_all(
        &mut self,
        client: &str,
        services: &[&str],
        status: Status,
        detail: &str,
    ) {
        for service in services {
            for op in self.operations(service) {
                self.set(client, &format!("{service}.{op}"), status, detail);
            }
        }
    }

    fn has_failure(&self, client: &str) -> bool {
        self.cells
            .iter()
            .any(|((c, _), o)| c == client && o.status == Status::Fail)
    }

    /// The number of failures (cells and general).
    pub(crate) fn failures(&self) -> usize {
        self.general.len()
            + self
                .cells
                .values()
                .filter(|o| o.status == Status::Fail)
                .count()
    }

    /// The table, then the failures and the notes.
    pub(crate) fn render(&self) -> String {
        let mut notes: Vec<String> = Vec::new();
        let mut note_index = |text: &str| -> usize {
            if let Some(i) = notes.iter().position(|n| n == text) {
                return i + 1;
            }
            notes.push(text.to_owned());
            notes.len()
        };
        let op_width = self
            .services
            .iter()
            .flat_map(|(_, ops)| ops.iter().map(|o| o.len() + 3))
            .max()
            .unwrap_or(10)
            .max(12);
        let col_width = self
            .clients
            .iter()
            .map(|c| c.len())
            .max()
            .unwrap_or(6)
            .max(9)
            + 2;
        let mut out = String::new();
        let _ = write!(out, "{:op_width$}", "operation");
        for c in &self.clients {
            let _ = write!(out, "{c:col_width$}");
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            "-".repeat(op_width + col_width * self.clients.len())
        );
        let mut failures = Vec::new();
        for (service, ops) in &self.services {
            let _ = writeln!(out, "{service}");
            for op in ops {
                let key = format!("{service}.{op}");
                let _ = write!(out, "  {op:w$}", w = op_width - 2);
                for client in &self.clients {
                    let cell = match self.cells.get(&(client.clone(), key.clone())) {
                        None => "-".to_owned(),
                        Some(o) => match o.status {
                            Status::Pass if o.detail.is_empty() => "pass".to_owned(),
                            Status::Pass => format!("pass[{}]", note_index(&o.detail)),
                            Status::Fail => {
                                failures.push(format!("{client} {key}: {}", o.detail));
                                "FAIL".to_owned()
                            }
                            Status::NotExpressible => {
                                format!("n/a[{}]", note_index(&format!("{client}: {}", o.detail)))
                            }
                            Status::NotCalled => "-".to_owned(),
                            Status::Skipped => {
                                format!("skip[{}]", note_index(&format!("{client}: {}", o.detail)))
                            }
                        },
                    };
                    let _ = write!(out, "{cell:col_width$}");
                }
                out.push('\n');
            }
        }
        for (client, detail) in &self.general {
            failures.push(format!("{client}: {detail}"));
        }
        let _ = writeln!(
            out,
            "\npass = called and every returned value checked; - = not called by that client's \
             program; n/a = the client cannot express it; (wsdl) = the client accepted the WSDL"
        );
        if !notes.is_empty() {
            out.push_str("\nnotes:\n");
            for (i, n) in notes.iter().enumerate() {
                let _ = writeln!(out, "  [{}] {n}", i + 1);
            }
        }
        if !failures.is_empty() {
            out.push_str("\nfailures:\n");
            for f in &failures {
                let _ = writeln!(out, "  {f}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    fn output(stdout: &str, code: i32) -> Output {
        Output {
            status: ExitStatus::from_raw(code << 8),
            timed_out: false,
            stdout: stdout.to_owned(),
            stderr: String::new(),
        }
    }

    #[test]
    fn missing_and_unknown_results_fail() {
        let mut r = Results::default();
        r.add_client("c");
        r.add_service("s", &["a".to_owned(), "b".to_owned()]);
        let out = output(
            "RESULT\ts.(wsdl)\tpass\t\nRESULT\ts.a\tpass\t\nRESULT\ts.zz\tpass\t\nDONE\n",
            0,
        );
        r.ingest("c", &out, &["s"], false, &[]);
        // s.b unreported, s.zz unknown
        assert_eq!(r.failures(), 2);
        let table = r.render();
        assert!(table.contains("FAIL"), "{table}");
    }

    #[test]
    fn a_crash_fails_and_subsets_are_marked() {
        let mut r = Results::default();
        r.add_client("g");
        r.add_service("s", &["a".to_owned(), "b".to_owned()]);
        r.ingest(
            "g",
            &output("RESULT\ts.(wsdl)\tpass\t\nRESULT\ts.a\tn/a\twhy\nDONE\n", 0),
            &["s"],
            true,
            &[],
        );
        assert_eq!(r.failures(), 0);
        assert!(r.render().contains("n/a[1]"));
        let mut r2 = Results::default();
        r2.add_client("g");
        r2.add_service("s", &["a".to_owned()]);
        r2.ingest(
            "g",
            &output("RESULT\ts.a\tpass\t\n", 1),
            &["s"],
            true,
            &["s.a"],
        );
        // no DONE, and the WSDL row unreported
        assert_eq!(r2.failures(), 2);
    }
}
