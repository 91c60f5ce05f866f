//! The CPU cost of one call of a client generated from a WSDL next to the hand-written bench
//! client, for callgrind: both call the bench service's operation of one workload over a
//! loopback transport that answers every request with the same recorded reply, so what is
//! counted is the client's own work (write the request envelope, read the reply) and nothing
//! of a network or a server.
//!
//! - `generated`: the `BenchServiceClient` that `rpclib-codegen` generates (in `build.rs`)
//!   from the bench service's published WSDL (`examples/tests/snapshots/bench.wsdl`);
//! - `handwritten`: the `BenchServiceClient` of the bench service as written in Rust
//!   (`rpclib_examples::bench::BenchService`, repeated below: the same `#[service]` impl, so
//!   the same generated client code, without building the whole examples crate).
//!
//! The arguments are those of the workload's request file (`examples/data/bench/`), the reply
//! is Spyne's recorded reply to it. Each call's result is checked once (the first call).
//! Instructions per call: run with `--iterations 0` and `--iterations N` under
//! `valgrind --tool=callgrind` and divide the difference by N (docs/performance.md).
//!
//! Run: `cargo run --release -p codegen-example --example client_cost -- --client generated
//! --workload w1 --iterations 100`

#![allow(clippy::print_stdout)] // its output line is the point

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rpclib_core::{
    Application, BoxError, ClientTransport, ComplexModel, OutgoingRequest, RemoteClient, Service,
    service,
};
use rpclib_protocol_soap::Soap11;

/// The code generated from the bench WSDL.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/bench.rs"));
}

/// The bench service as `rpclib-examples` writes it (`examples/src/bench.rs`).
pub mod handwritten {
    use super::{ComplexModel, service};

    /// A person (W3's payload).
    #[derive(Debug, Clone, PartialEq, ComplexModel)]
    #[model(namespace = "urn:rpclib:bench")]
    pub struct Person {
        /// Name.
        pub name: String,
        /// Age.
        pub age: i32,
        /// E-mail address.
        pub email: String,
        /// Tags (a `stringArray`).
        pub tags: Vec<String>,
    }

    /// Echoes its input.
    #[derive(Debug)]
    pub struct BenchService;

    #[service(name = "BenchService", namespace = "urn:rpclib:bench")]
    impl BenchService {
        /// W1.
        #[rpc]
        fn echo_string(&self, s: String) -> String {
            s
        }

        /// W2.
        #[rpc]
        fn echo_integer_array(&self, values: Vec<i32>) -> Vec<i32> {
            values
        }

        /// W3.
        #[rpc]
        fn echo_people(&self, people: Vec<Person>) -> Vec<Person> {
            people
        }
    }
}

const TNS: &str = "urn:rpclib:bench";
const USAGE: &str = "usage: client_cost --client generated|handwritten --workload w1|w2|w3 \
                     [--iterations N]";

/// Answers every request with the recorded reply.
#[derive(Debug)]
struct Loopback(Vec<u8>);

impl ClientTransport for Loopback {
    fn send(&self, _request: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        Ok(Some(self.0.clone()))
    }
}

/// A person as the request file has it.
struct PersonArgs {
    name: String,
    age: i32,
    email: String,
    tags: Vec<String>,
}

/// The arguments of one workload's call.
enum Args {
    W1(String),
    W2(Vec<i32>),
    W3(Vec<PersonArgs>),
}

fn named(n: roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(TNS)
}

fn text(n: roxmltree::Node<'_, '_>) -> String {
    n.text().unwrap_or("").to_owned()
}

fn child(n: roxmltree::Node<'_, '_>, name: &str) -> Result<String> {
    n.children()
        .find(|c| named(*c, name))
        .map(text)
        .with_context(|| format!("no {name} element"))
}

fn args(workload: &str, data: &Path) -> Result<Args> {
    let path = data.join(format!("{workload}-request.xml"));
    let xml = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let doc = roxmltree::Document::parse(&xml).with_context(|| path.display().to_string())?;
    Ok(match workload {
        "w1" => Args::W1(text(
            doc.descendants()
                .find(|n| named(*n, "s"))
                .context("no s element")?,
        )),
        "w2" => Args::W2(
            doc.descendants()
                .filter(|n| named(*n, "int"))
                .map(|n| text(n).parse().context("an int"))
                .collect::<Result<_>>()?,
        ),
        "w3" => Args::W3(
            doc.descendants()
                .filter(|n| named(*n, "Person"))
                .map(|p| {
                    Ok(PersonArgs {
                        name: child(p, "name")?,
                        age: child(p, "age")?.parse().context("an age")?,
                        email: child(p, "email")?,
                        tags: p
                            .children()
                            .filter(|c| named(*c, "tags"))
                            .flat_map(|t| t.children())
                            .filter(|c| named(*c, "string"))
                            .map(text)
                            .collect(),
                    })
                })
                .collect::<Result<_>>()?,
        ),
        other => bail!("unknown workload {other:?}\n{USAGE}"),
    })
}

fn run_generated(args: &Args, reply: Vec<u8>, iterations: u64) -> Result<()> {
    use generated::bench::{IntArray, Person, PersonArray, StringArray};
    // A client application declaring the service: SOAP 1.1, as the bench client's.
    let app: Arc<Application> = Application::builder("Application", TNS)
        .declare(generated::BenchServiceService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let client = generated::BenchServiceClient::new(RemoteClient::new(app, Loopback(reply)));
    for i in 0..iterations {
        let ok = match args {
            Args::W1(s) => {
                let got = client.echo_string(s.clone())?;
                i > 0 || got == *s
            }
            Args::W2(v) => {
                let got = client.echo_integer_array(IntArray { int: v.clone() })?;
                i > 0 || got.int == *v
            }
            Args::W3(people) => {
                let people = PersonArray {
                    person: people
                        .iter()
                        .map(|p| Person {
                            name: p.name.clone(),
                            age: p.age,
                            email: p.email.clone(),
                            tags: StringArray {
                                string: p.tags.clone(),
                            },
                        })
                        .collect(),
                };
                let n = people.person.len();
                let got = client.echo_people(people)?;
                i > 0 || got.person.len() == n
            }
        };
        if !ok {
            bail!("the reply does not echo the request");
        }
    }
    Ok(())
}

fn run_handwritten(args: &Args, reply: Vec<u8>, iterations: u64) -> Result<()> {
    use handwritten::Person;
    let app: Arc<Application> = Application::builder("Application", TNS)
        .declare(handwritten::BenchService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let client = handwritten::BenchServiceClient::new(RemoteClient::new(app, Loopback(reply)));
    for i in 0..iterations {
        let ok = match args {
            Args::W1(s) => {
                let got = client.echo_string(s.clone())?;
                i > 0 || got == *s
            }
            Args::W2(v) => {
                let got = client.echo_integer_array(v.clone())?;
                i > 0 || got == *v
            }
            Args::W3(people) => {
                let people: Vec<Person> = people
                    .iter()
                    .map(|p| Person {
                        name: p.name.clone(),
                        age: p.age,
                        email: p.email.clone(),
                        tags: p.tags.clone(),
                    })
                    .collect();
                let n = people.len();
                let got = client.echo_people(people)?;
                i > 0 || got.len() == n
            }
        };
        if !ok {
            bail!("the reply does not echo the request");
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let mut client = None;
    let mut workload = "w1".to_string();
    let mut iterations = 100u64;
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/bench");
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .with_context(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--client" => client = Some(value()?),
            "--workload" => workload = value()?,
            "--iterations" => iterations = value()?.parse().context("--iterations")?,
            "--data" => data = PathBuf::from(value()?),
            _ => bail!("unknown argument {a:?}\n{USAGE}"),
        }
    }
    let args = args(&workload, &data)?;
    let path = data.join(format!("{workload}-response-spyne.xml"));
    let reply = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    match client.as_deref() {
        Some("generated") => run_generated(&args, reply, iterations)?,
        Some("handwritten") => run_handwritten(&args, reply, iterations)?,
        _ => bail!("{USAGE}"),
    }
    println!(
        "client={} workload={workload} calls={iterations}",
        client.unwrap_or_default()
    );
    Ok(())
}
