// An `impl` block mixing async and blocking methods, with and without `&self` and context.
use rpclib_core::{Application, Fault, InProcess, MethodContext, service};

pub struct Mixed {
    base: u32,
}

async fn later(value: u32) -> u32 {
    value
}

#[service(namespace = "urn:mixed")]
impl Mixed {
    #[rpc]
    async fn add(&self, a: u32) -> Result<u32, Fault> {
        Ok(later(self.base).await + a)
    }

    #[rpc]
    fn blocking(&self, ctx: &mut MethodContext) -> u32 {
        let _ = ctx;
        self.base
    }

    #[rpc]
    async fn with_context(&self, ctx: &mut MethodContext, s: String) -> String {
        let op = ctx.method_name().unwrap_or_default();
        format!("{op}: {}", later(s.len() as u32).await)
    }

    #[rpc(results("a", "b"))]
    async fn associated(x: u32) -> (u32, u32) {
        (x, later(x).await)
    }

    #[rpc(body = "bare")]
    async fn bare(&self, x: u32) -> u32 {
        x
    }
}

fn main() {
    let app = Application::builder("Mixed", "urn:mixed")
        .service(Mixed { base: 1 })
        .build()
        .unwrap();
    let client = MixedClient::new(InProcess::new(app));
    let _ = client.add(2);
    let _ = client.blocking();
    let _ = client.with_context("x".into());
    let _ = client.associated(3);
    let _ = client.bare(4);
}
