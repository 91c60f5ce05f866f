//! A service touching every model type, both body styles, headers and faults.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit)]

use rpclib_core::model::{
    AnyAttributes, AnyXml, BigInt, ByteArray, Date, DateTime, Decimal, Duration, Time,
};
use rpclib_core::{ComplexModel, Fault, FaultCode, MethodContext, SimpleEnum, service};

pub const NS: &str = "urn:golden";

/// Every XSD primitive.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Primitives {
    pub flag: bool,
    pub tiny: i8,
    pub small: i16,
    pub int: i32,
    pub long: i64,
    pub ubyte: u8,
    pub ushort: u16,
    pub uint: u32,
    pub ulong: u64,
    pub big: BigInt,
    pub single: f32,
    pub double: f64,
    pub dec: Decimal,
    pub text: String,
    pub bytes: ByteArray,
    pub date: Date,
    pub time: Time,
    pub stamp: DateTime,
    pub span: Duration,
}

/// A string enumeration.
#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:golden")]
pub enum Day {
    Monday,
    Tuesday,
    #[model(name = "WEEKEND")]
    Weekend,
}

/// A base type in another namespace: its fields stay there in derived types.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden:base")]
pub struct Base {
    pub id: i32,
    pub label: Option<String>,
}

/// Extends [`Base`].
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Derived {
    #[model(base)]
    pub base: Base,
    pub extra: String,
    pub day: Day,
}

/// Options, arrays (wrapped, unwrapped, nested, with nil items), nesting and raw XML.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Containers {
    pub absent: Option<String>,
    #[model(min_occurs = 1)]
    pub nil: Option<String>,
    pub ints: Vec<i32>,
    #[model(unwrapped)]
    pub tags: Vec<String>,
    pub matrix: Vec<Vec<bool>>,
    pub maybe: Vec<Option<i32>>,
    pub people: Vec<Derived>,
    pub xml: AnyXml,
}

/// A request header.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Session {
    pub token: String,
}

/// A response header.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Served {
    pub by: String,
    pub elapsed: f64,
}

/// A typed fault detail.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Problem {
    pub reason: String,
    pub code: i32,
}

/// A declared attribute and an attribute wildcard (`xs:anyAttribute`) of other namespaces.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Tagged {
    #[model(attribute)]
    pub id: Option<String>,
    pub name: String,
    #[model(any_attribute = "##other")]
    pub more: AnyAttributes,
}

pub struct GoldenService;

#[service(namespace = "urn:golden", in_headers(Session), out_headers(Served))]
impl GoldenService {
    #[rpc]
    fn echo_primitives(&self, p: Primitives) -> Result<Primitives, Fault> {
        Ok(p)
    }

    #[rpc]
    fn echo_containers(&self, c: Containers) -> Result<Containers, Fault> {
        Ok(c)
    }

    #[rpc]
    fn echo_derived(&self, d: Derived) -> Result<Derived, Fault> {
        Ok(d)
    }

    #[rpc]
    fn echo_any(&self, xml: AnyXml) -> Result<AnyXml, Fault> {
        Ok(xml)
    }

    /// Echoes the session token and answers with a `Served` header.
    #[rpc]
    fn whoami(&self, ctx: &mut MethodContext) -> Result<Option<String>, Fault> {
        let token = ctx.in_header::<Session>().map(|s| s.token.clone());
        ctx.set_out_header(Served {
            by: "golden".into(),
            elapsed: 0.25,
        });
        Ok(token)
    }

    #[rpc(body = "bare")]
    fn echo_bare(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    #[rpc(body = "bare")]
    fn echo_bare_array(&self, items: Vec<String>) -> Result<Vec<String>, Fault> {
        Ok(items)
    }

    #[rpc(body = "bare")]
    fn bare_nothing(&self, s: String) -> Result<Option<String>, Fault> {
        let _ = s;
        Ok(None)
    }

    #[rpc(results("sum", "note"))]
    fn multi(&self, a: i32, b: i32, note: Option<String>) -> Result<(i64, Option<String>), Fault> {
        Ok((i64::from(a) + i64::from(b), note))
    }

    #[rpc]
    fn nothing(&self) -> Result<(), Fault> {
        Ok(())
    }

    #[rpc]
    fn ranged(
        &self,
        #[model(min_inclusive = 1, max_inclusive = 10)] n: i32,
        #[model(max_len = 3)] code: String,
    ) -> Result<i32, Fault> {
        let _ = code;
        Ok(n)
    }

    #[rpc(faults(Problem))]
    fn fail_documented(&self, reason: String) -> Result<(), Fault> {
        Err(Fault::client("Documented", "A documented fault")
            .with_actor("http://faultactor.example.com")
            .with_detail(Problem { reason, code: 42 }))
    }

    #[rpc]
    fn fail_plain(&self) -> Result<(), Fault> {
        Err(Fault::new(FaultCode::new("Plausible"), "A plausible fault")
            .with_actor("http://faultactor.example.com"))
    }

    #[rpc]
    fn fail_raw_detail(&self) -> Result<(), Fault> {
        Err(Fault::server("raw detail <&>")
            .with_detail(AnyXml::new("<x:why xmlns:x=\"urn:why\">because</x:why>")))
    }

    #[rpc]
    fn fail_panic(&self) -> Result<(), Fault> {
        panic!("boom")
    }

    #[rpc]
    fn echo_string(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    #[rpc]
    fn echo_tagged(&self, t: Tagged) -> Result<Tagged, Fault> {
        Ok(t)
    }

    /// Returns a string XML cannot carry: the reply must be a `Server` fault.
    #[rpc]
    fn unwritable(&self) -> Result<String, Fault> {
        Ok("nul:\u{0}".to_owned())
    }
}
