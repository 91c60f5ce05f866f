//! The interop service: the contract of Spyne's reference interop service
//! (`docs/contracts/interop-service.md`), so that clients written against Spyne's WSDL work
//! unchanged against ours. Where Spyne behaves oddly the spec says so, and we do the sane thing
//! (noted on each method).

use std::sync::Arc;

use rpclib_core::model::{
    AnyXml, BigInt, ByteArray, Date, DateTime, DeError, Deserializer, Duration, Lexical, SerError,
    Serializer, SimpleKind, SimpleType, Time, TypeRef,
};
use rpclib_core::{
    Application, ComplexModel, ConfigError, Fault, FaultCode, MethodContext, Model, SimpleEnum,
    service,
};

/// The target namespace of the interop service.
pub const TNS: &str = "spyne.test.interop.server";

static XS_FLOAT: SimpleType = SimpleType {
    name: "float",
    kind: SimpleKind::Float,
};

/// An `xs:float` carried with 64-bit precision, as Spyne does: clients compare the printed
/// value (`3.141592653`) with what they sent, which 32-bit storage would break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Float(pub f64);

impl Model for Float {
    fn type_ref() -> TypeRef {
        TypeRef::Simple(&XS_FLOAT)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        self.0
            .with_lexical(|text| s.write_simple(Self::type_ref(), text))
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let text = d.read_simple(Self::type_ref())?;
        Ok(Float(f64::parse_lexical(&text)?))
    }
}

/// `SimpleClass`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct SimpleClass {
    pub i: Option<BigInt>,
    pub s: Option<String>,
}

/// `OtherClass`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct OtherClass {
    pub dt: Option<DateTime>,
    pub d: Option<f64>,
    pub b: Option<bool>,
}

/// `ClassWithSelfReference`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct ClassWithSelfReference {
    pub i: Option<BigInt>,
    pub sr: Option<Box<ClassWithSelfReference>>,
}

/// `NestedClass`, in its own namespace.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "punk.tunk")]
pub struct NestedClass {
    pub simple: Option<Vec<SimpleClass>>,
    pub s: Option<String>,
    pub i: Option<BigInt>,
    pub f: Option<Float>,
    pub other: Option<OtherClass>,
    pub ai: Option<Vec<BigInt>>,
}

/// `NonNillableClass`: a required date-time and two optional, non-nillable fields.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "hunk.sunk")]
pub struct NonNillableClass {
    pub dt: DateTime,
    #[model(nillable = false)]
    pub i: Option<BigInt>,
    #[model(nillable = false, min_len = 1)]
    pub s: Option<String>,
}

/// `ExtensionClass`: extends `NestedClass`; the inherited fields stay in `punk.tunk`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "bar")]
pub struct ExtensionClass {
    #[model(base)]
    pub base: NestedClass,
    pub p: Option<NonNillableClass>,
    pub l: Option<DateTime>,
    pub q: Option<BigInt>,
}

/// `InHeader`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct InHeader {
    pub s: Option<String>,
    pub i: Option<BigInt>,
}

/// `OutHeader`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct OutHeader {
    pub f: Option<Float>,
    pub dt: Option<DateTime>,
}

/// `InTraceHeader`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct InTraceHeader {
    pub client: Option<String>,
    #[model(name = "callDate")]
    pub call_date: Option<DateTime>,
}

/// `OutTraceHeader`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct OutTraceHeader {
    #[model(name = "receiptDate")]
    pub receipt_date: Option<DateTime>,
    #[model(name = "returnDate")]
    pub return_date: Option<DateTime>,
}

/// `DocumentedFault`: the declared fault of `documented_exception`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "spyne.test.interop.server")]
pub struct DocumentedFault {}

/// `DaysOfWeekEnum` (Thursday is deliberately absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleEnum)]
#[model(name = "DaysOfWeekEnum", namespace = "spyne.test.interop.server")]
pub enum DaysOfWeek {
    Monday,
    Tuesday,
    Wednesday,
    Friday,
    Saturday,
    Sunday,
}

/// `RoleEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleEnum)]
#[model(name = "RoleEnum", namespace = "spyne.test.interop.server")]
pub enum Role {
    #[model(name = "MEMBER")]
    Member,
}

fn date_time(y: i32, mo: u8, d: u8, h: u8, mi: u8, s: u8, micros: u32) -> Result<DateTime, Fault> {
    let date = Date::new(y, mo, d).map_err(|e| Fault::server(e.to_string()))?;
    let time = if micros == 0 {
        Time::new(h, mi, s, 0)
    } else {
        Time::with_fraction(h, mi, s, micros * 1000, 6)
    }
    .map_err(|e| Fault::server(e.to_string()))?;
    DateTime::new(date, time).map_err(|e| Fault::server(e.to_string()))
}

/// Echoes of every primitive type.
#[derive(Debug)]
pub struct InteropPrimitive;

#[service(namespace = "spyne.test.interop.server")]
impl InteropPrimitive {
    #[rpc]
    fn echo_any(&self, xml: Option<AnyXml>) -> Option<AnyXml> {
        xml
    }
    #[rpc]
    fn echo_any_as_dict(&self, xml_as_dict: Option<AnyXml>) -> Option<AnyXml> {
        xml_as_dict
    }
    #[rpc]
    fn echo_integer(&self, i: Option<BigInt>) -> Option<BigInt> {
        i
    }
    // An `async fn` beside the blocking echoes: same wire contract, awaited by the transport
    // (it yields once to the runtime before answering). `//` comments here: doc comments are
    // published in the WSDL, which must not change.
    #[rpc]
    async fn echo_string(&self, s: Option<String>) -> Option<String> {
        tokio::task::yield_now().await;
        s
    }
    #[rpc]
    fn echo_datetime(&self, dt: Option<DateTime>) -> Option<DateTime> {
        dt
    }
    /// Spyne's server-side format hint changes nothing on the wire; neither does ours.
    #[rpc]
    fn echo_datetime_with_invalid_format(&self, dt: Option<DateTime>) -> Option<DateTime> {
        dt
    }
    #[rpc]
    fn echo_date(&self, d: Option<Date>) -> Option<Date> {
        d
    }
    #[rpc]
    fn echo_date_with_invalid_format(&self, d: Option<Date>) -> Option<Date> {
        d
    }
    #[rpc]
    fn echo_time(&self, t: Option<Time>) -> Option<Time> {
        t
    }
    #[rpc]
    fn echo_time_with_invalid_format(&self, t: Option<Time>) -> Option<Time> {
        t
    }
    #[rpc]
    fn echo_float(&self, f: Option<Float>) -> Option<Float> {
        f
    }
    #[rpc]
    fn echo_double(&self, f: Option<f64>) -> Option<f64> {
        f
    }
    #[rpc]
    fn echo_boolean(&self, b: Option<bool>) -> Option<bool> {
        b
    }
    #[rpc]
    fn echo_enum(&self, day: Option<DaysOfWeek>) -> Option<DaysOfWeek> {
        day
    }
    #[rpc]
    fn echo_duration(&self, dur: Option<Duration>) -> Option<Duration> {
        dur
    }
    #[rpc]
    fn echo_bytearray(&self, data: Option<ByteArray>) -> Option<ByteArray> {
        data
    }
}

/// Echoes of arrays.
#[derive(Debug)]
pub struct InteropArray;

#[service(namespace = "spyne.test.interop.server")]
impl InteropArray {
    #[rpc]
    fn echo_integer_array(&self, ia: Option<Vec<BigInt>>) -> Option<Vec<BigInt>> {
        ia
    }
    #[rpc]
    fn echo_string_array(&self, sa: Option<Vec<String>>) -> Option<Vec<String>> {
        sa
    }
    #[rpc]
    fn echo_date_time_array(&self, dta: Option<Vec<DateTime>>) -> Option<Vec<DateTime>> {
        dta
    }
    #[rpc]
    fn echo_float_array(&self, fa: Option<Vec<Float>>) -> Option<Vec<Float>> {
        fa
    }
    #[rpc]
    fn echo_double_array(&self, da: Option<Vec<f64>>) -> Option<Vec<f64>> {
        da
    }
    #[rpc]
    fn echo_boolean_array(&self, ba: Option<Vec<bool>>) -> Option<Vec<bool>> {
        ba
    }
    /// Repeated elements directly in the wrapper, without an array type.
    #[rpc(unwrapped_result)]
    fn echo_simple_boolean_array(&self, #[model(unwrapped)] ba: Vec<bool>) -> Vec<bool> {
        ba
    }
    /// Input and output types differ (Spyne fails to answer this one); we return the input
    /// as the single item of the outer array.
    #[rpc]
    fn echo_array_in_array(&self, baa: Option<Vec<bool>>) -> Option<Vec<Vec<bool>>> {
        baa.map(|b| vec![b])
    }
}

/// Echoes of complex types.
#[derive(Debug)]
pub struct InteropClass;

#[service(namespace = "spyne.test.interop.server")]
impl InteropClass {
    #[rpc]
    fn echo_simple_class(&self, sc: Option<SimpleClass>) -> Option<SimpleClass> {
        sc
    }
    #[rpc]
    fn echo_simple_class_array(&self, sca: Option<Vec<SimpleClass>>) -> Option<Vec<SimpleClass>> {
        sca
    }
    #[rpc]
    fn echo_nested_class(&self, nc: Option<NestedClass>) -> Option<NestedClass> {
        nc
    }
    #[rpc]
    fn echo_nested_class_array(&self, nca: Option<Vec<NestedClass>>) -> Option<Vec<NestedClass>> {
        nca
    }
    #[rpc]
    fn echo_extension_class(&self, nc: Option<ExtensionClass>) -> Option<ExtensionClass> {
        nc
    }
    #[rpc]
    fn echo_class_with_self_reference(
        &self,
        sr: Option<ClassWithSelfReference>,
    ) -> Option<ClassWithSelfReference> {
        sr
    }
}

/// Everything else: several results, huge values, custom names, validation.
#[derive(Debug)]
pub struct InteropMisc;

#[service(namespace = "spyne.test.interop.server")]
impl InteropMisc {
    #[rpc(results("resultCode", "resultDescription", "transactionId", "roles"))]
    fn complex_return(
        &self,
    ) -> (
        Option<BigInt>,
        Option<String>,
        Option<BigInt>,
        Option<Vec<Role>>,
    ) {
        (
            Some(BigInt::from(1)),
            Some("Test".to_owned()),
            Some(BigInt::from(123)),
            Some(vec![Role::Member]),
        )
    }
    /// 2^100000: 30103 decimal digits.
    #[rpc]
    fn huge_number(&self) -> BigInt {
        BigInt::from(1) << 100_000usize
    }
    /// `0123456789abcdef` repeated 16384 times.
    #[rpc]
    fn long_string(&self) -> String {
        "0123456789abcdef".repeat(16384)
    }
    #[rpc]
    async fn test_empty(&self) {}
    #[rpc]
    fn multi_param(&self, s: Option<String>, i: Option<BigInt>, dt: Option<DateTime>) {
        let _ = (s, i, dt);
    }
    /// Invalid input is rejected by validation before this runs.
    #[rpc]
    fn non_nillable(&self, n: Option<NonNillableClass>) -> Option<String> {
        let _ = n;
        Some("OK".to_owned())
    }
    /// Published as `do_something`; the response keeps the function's name.
    #[rpc(operation = "do_something")]
    async fn do_something_else(&self, s: Option<String>) -> Option<String> {
        s
    }
    #[rpc]
    fn return_other_class_array(
        &self,
        num: Option<BigInt>,
    ) -> Result<Option<Vec<OtherClass>>, Fault> {
        let n: usize = num
            .map(|n| n.to_string().parse::<usize>().ok().filter(|n| *n <= 10_000))
            .unwrap_or(Some(0))
            .ok_or_else(|| Fault::client("ArgumentError", "num must be between 0 and 10000"))?;
        let item = OtherClass {
            dt: Some(date_time(2010, 12, 6, 0, 0, 0, 0)?),
            d: Some(3.0),
            b: Some(true),
        };
        Ok(Some(vec![item; n]))
    }
    /// Spyne's implementation returns a string for an integer and answers with an empty
    /// envelope; the sane behaviour is a Server fault.
    #[rpc]
    fn return_invalid_data(&self) -> Result<Option<BigInt>, Fault> {
        Err(Fault::server(
            "the implementation produced a value that is not an xs:integer",
        ))
    }
    #[rpc(
        in_message = "getCustomMessagesMsgIn",
        out_message = "getCustomMessagesMsgOut",
        result = "CustomMessages"
    )]
    fn custom_messages(&self, s: Option<String>) -> Option<String> {
        s
    }
}

fn out_header() -> Result<OutHeader, Fault> {
    Ok(OutHeader {
        // The contract's value; clients compare its text.
        #[allow(clippy::approx_constant)]
        f: Some(Float(3.141592653)),
        dt: Some(date_time(2000, 1, 1, 0, 0, 0, 0)?),
    })
}

/// A service with one header each way.
#[derive(Debug)]
pub struct InteropServiceWithHeader;

#[service(
    namespace = "spyne.test.interop.server",
    in_headers(InHeader),
    out_headers(OutHeader)
)]
impl InteropServiceWithHeader {
    // An `async fn` reading the request's header through the context.
    #[rpc]
    async fn echo_in_header(&self, ctx: &mut MethodContext) -> Option<InHeader> {
        tokio::task::yield_now().await;
        ctx.in_header::<InHeader>().cloned()
    }
    // An `async fn` setting the response's header after an await.
    #[rpc]
    async fn send_out_header(&self, ctx: &mut MethodContext) -> Result<Option<OutHeader>, Fault> {
        tokio::task::yield_now().await;
        let header = out_header()?;
        ctx.set_out_header(header.clone());
        Ok(Some(header))
    }
}

/// A service with two headers each way.
#[derive(Debug)]
pub struct InteropServiceWithComplexHeader;

#[service(
    namespace = "spyne.test.interop.server",
    in_headers(InHeader, InTraceHeader),
    out_headers(OutHeader, OutTraceHeader)
)]
impl InteropServiceWithComplexHeader {
    #[rpc]
    fn echo_in_complex_header(
        &self,
        ctx: &mut MethodContext,
    ) -> (Option<InHeader>, Option<InTraceHeader>) {
        (
            ctx.in_header::<InHeader>().cloned(),
            ctx.in_header::<InTraceHeader>().cloned(),
        )
    }
    #[rpc]
    fn send_out_complex_header(
        &self,
        ctx: &mut MethodContext,
    ) -> Result<(Option<OutHeader>, Option<OutTraceHeader>), Fault> {
        let header = out_header()?;
        let trace = OutTraceHeader {
            receipt_date: Some(date_time(2000, 1, 1, 1, 1, 1, 1)?),
            return_date: Some(date_time(2000, 1, 1, 1, 1, 1, 100)?),
        };
        ctx.set_out_header(header.clone());
        ctx.set_out_header(trace.clone());
        Ok((Some(header), Some(trace)))
    }
}

/// Faults of every kind.
#[derive(Debug)]
pub struct InteropException;

#[service(namespace = "spyne.test.interop.server")]
impl InteropException {
    /// A failure that is not a fault: the client sees `Server` / `Internal Error`.
    // An `async fn` panicking after an await: caught like a blocking method's panic.
    #[rpc]
    async fn python_exception(&self) {
        tokio::task::yield_now().await;
        panic!("an unexpected failure in user code")
    }
    #[rpc]
    async fn soap_exception(&self) -> Result<(), Fault> {
        tokio::task::yield_now().await;
        Err(Fault::new(FaultCode::new("Plausible"), "A plausible fault")
            .with_actor("http://faultactor.example.com"))
    }
    #[rpc(faults(DocumentedFault))]
    fn documented_exception(&self) -> Result<(), Fault> {
        Err(Fault::client("Documented", "A documented fault")
            .with_actor("http://faultactor.example.com"))
    }
}

/// The bare body style: the message part is the body element itself.
#[derive(Debug)]
pub struct InteropBare;

#[service(namespace = "spyne.test.interop.server")]
impl InteropBare {
    #[rpc(body = "bare")]
    async fn echo_simple_bare(&self, s: String) -> String {
        s
    }
    #[rpc(body = "bare")]
    fn echo_complex_bare(&self, ss: Vec<String>) -> Vec<String> {
        ss
    }
    #[rpc(body = "bare")]
    fn empty_input_bare(&self) -> String {
        "empty".to_owned()
    }
    #[rpc(body = "bare")]
    fn empty_output_bare(&self, s: String) {
        let _ = s;
    }
}

/// The eight interop services, in the contract's order, as an application builder: add the
/// protocol and the interface.
pub fn builder() -> rpclib_core::ApplicationBuilder {
    Application::builder("Application", TNS)
        .service(InteropPrimitive)
        .service(InteropArray)
        .service(InteropClass)
        .service(InteropMisc)
        .service(InteropServiceWithHeader)
        .service(InteropServiceWithComplexHeader)
        .service(InteropException)
        .service(InteropBare)
}

/// The interop application as the `interop` example server serves it: SOAP 1.1 and SOAP 1.2
/// on one endpoint, and a WSDL publishing a port for each version of every service.
pub fn app() -> anyhow::Result<Arc<Application>> {
    crate::server::soap_app_both_versions(builder())
}

/// Checks that the contract's services fit together (no clashing request elements).
pub fn check() -> Result<Arc<Application>, ConfigError> {
    builder().build()
}
