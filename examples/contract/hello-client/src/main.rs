//! Calls the hello server.
//!
//! Run the server (`cargo run -p hello-server -- 8000`), then:
//! `cargo run -p hello-client -- http://127.0.0.1:8000/ Dave 3`

#![allow(clippy::print_stdout)] // a command-line program: its output is the point

use anyhow::Context;
use hello_api::Greeting;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8000/".to_owned());
    let name = args.next().unwrap_or_else(|| "Dave".to_owned());
    let times: u32 = args
        .next()
        .unwrap_or_else(|| "3".to_owned())
        .parse()
        .context("times")?;
    let client = hello_client::connect(&url)?;
    for line in client.say_hello(Greeting { name, times })? {
        println!("{line}");
    }
    let (count, operation) = client.stats()?;
    println!("{count} greetings said so far (answered by `{operation}`)");
    Ok(())
}
