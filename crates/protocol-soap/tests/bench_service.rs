//! The bench service accepts the bench request files unchanged and answers with the values
//! Spyne answers with.

mod common;

use common::bench_service::BenchService;
use rpclib_core::Application;
use rpclib_protocol_soap::Soap11;

fn spec_file(name: &str) -> String {
    let path = format!(
        "{}/../../examples/data/bench/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn bench_requests_get_spyne_answers() {
    let app = Application::builder("BenchService", "urn:rpclib:bench")
        .service(BenchService)
        .protocol(Soap11::new())
        .build()
        .expect("valid application");
    for w in ["w1", "w2", "w3"] {
        let request = spec_file(&format!("{w}-request.xml"));
        let expected = spec_file(&format!("{w}-response-spyne.xml"));
        let (status, reply) = common::serve(&app, request.as_bytes());
        assert_eq!(status, 200, "{w}: {reply}");
        let strip = |s: &str| {
            s.split_once("?>")
                .map(|(_, rest)| rest.trim().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(strip(&reply), strip(&expected), "{w}");
    }
}
