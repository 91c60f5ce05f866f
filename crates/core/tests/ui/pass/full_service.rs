use rpclib_core::{Application, ComplexModel, Fault, InProcess, MethodContext, SimpleEnum, service};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(name = "InHeader", namespace = "urn:h")]
pub struct InHeader {
    pub token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
pub struct DocumentedFault {}

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
pub enum Role {
    #[model(name = "MEMBER")]
    Member,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
pub struct Base {
    #[model(name = "ID", min_inclusive = 1)]
    pub id: u32,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:derived", crate = "rpclib_core")]
pub struct Derived {
    #[model(base)]
    pub base: Base,
    #[model(unwrapped, max_occurs = 3)]
    pub roles: Vec<Role>,
    #[model(pattern = "[A-Z]+", nillable = false)]
    pub code: Option<String>,
}

pub struct Everything;

#[service(name = "EverythingService", namespace = "urn:everything", in_headers(InHeader), client = "EverythingClient")]
impl Everything {
    #[rpc(operation = "do_something", out_message = "do_something_elseResponse", faults(DocumentedFault))]
    fn do_something_else(&self, ctx: &mut MethodContext, #[model(max_len = 10)] s: String) -> Result<String, Fault> {
        let _ = ctx.in_header::<InHeader>();
        Ok(s)
    }

    #[rpc(results("resultCode", "resultDescription"))]
    fn complex_return(&self) -> (i64, String) {
        (1, "Test".into())
    }

    #[rpc(body = "bare")]
    fn echo_bare(&self, s: String) -> String {
        s
    }

    #[rpc(in_message = "getMsgIn", out_message = "getMsgOut", result = "Out")]
    fn custom(&self, d: Derived) -> rpclib_core::Result<Derived> {
        Ok(d)
    }

    #[rpc]
    fn nothing(&self) {}

    fn helper(&self) -> u8 {
        1
    }
}

fn main() {
    let app = Application::builder("App", "urn:everything").service(Everything).build().unwrap();
    let client = EverythingClient::new(InProcess::new(app));
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (code, text): (i64, String) = runtime.block_on(client.complex_return()).unwrap();
    assert_eq!((code, text.as_str()), (1, "Test"));
    runtime.block_on(client.nothing()).unwrap();
    assert_eq!(Everything.helper(), 1);
}
