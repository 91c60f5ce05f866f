//! An async method without any macro: the request and response messages, an async invoker
//! (`Invoke::Async`, a function returning a `BoxFuture`), the descriptors and the `Service`
//! impl, written by hand with public items only, next to their `#[service]` twin. The test
//! serves both in process, checks that the descriptors are equal and that both answer the
//! same calls the same way. (`no_macro.rs` does the same for blocking methods and a complex
//! model type.)

use std::any::Any;

use rpclib_core::model::{
    ComplexType, Constraints, DeError, Deserializer, FieldDescriptor, FieldKind, FieldNamespace,
    FieldPath, MaxOccurs, SerError, Serializer, TypeRef, ValidationError, deserialize_slot,
    finish_slot, validate_field,
};
use rpclib_core::{
    Application, BodyStyle, BoxFuture, Call, Caller, ClientError, Fault, InProcess, Invoke,
    MessageDescriptor, MethodContext, MethodDescriptor, Model, Service, ServiceDescriptor,
    deserialize_boxed, downcast_boxed, serialize_boxed, service, validate_boxed,
};

const NS: &str = "urn:example:nomacro-async";

async fn elsewhere() {}

// ---------------------------------------------------------------------------------------------
// By hand.
// ---------------------------------------------------------------------------------------------

/// Answers later.
#[derive(Debug)]
struct Echo;

impl Echo {
    /// Echoes `text` (1 to 8 characters) after an `.await`, prefixed with the operation name.
    async fn echo(&self, ctx: &mut MethodContext, text: String) -> Result<String, Fault> {
        elsewhere().await;
        if text == "fault" {
            return Err(Fault::client("Refused", "no faults echoed"));
        }
        Ok(format!("{}: {text}", ctx.method_name().unwrap_or_default()))
    }
}

/// `echo`'s request: `<echo><text>..</text></echo>`.
struct EchoIn {
    text: String,
}

static ECHO_IN: ComplexType = ComplexType {
    name: "echo",
    namespace: Some(NS),
    base: None,
    fields: &[FieldDescriptor {
        name: "text",
        rust_name: "text",
        namespace: FieldNamespace::Uri(NS),
        kind: FieldKind::Element,
        ty: <String as Model>::type_ref,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        nillable: false,
        unwrapped: false,
        constraints: Constraints {
            min_len: Some(1),
            max_len: Some(8),
            ..Constraints::NONE
        },
        value_constraint: None,
        doc: None,
    }],
    doc: None,
};

impl Model for EchoIn {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&ECHO_IN)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&ECHO_IN)?;
        s.write_field(&ECHO_IN.fields[0], &self.text)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut text = None;
        d.read_complex(&ECHO_IN, &mut |index, d| match index {
            0 => deserialize_slot(&mut text, &ECHO_IN.fields[0], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(EchoIn {
            text: finish_slot(text, &ECHO_IN.fields[0])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.text, &ECHO_IN.fields[0], path)
    }
}

/// `echo`'s response: `<echoResponse><echoResult>..</echoResult></echoResponse>`.
struct EchoOut {
    result: String,
}

static ECHO_OUT: ComplexType = ComplexType {
    name: "echoResponse",
    namespace: Some(NS),
    base: None,
    fields: &[FieldDescriptor {
        name: "echoResult",
        rust_name: "r0",
        namespace: FieldNamespace::Uri(NS),
        kind: FieldKind::Element,
        ty: <String as Model>::type_ref,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        nillable: false,
        unwrapped: false,
        constraints: Constraints::NONE,
        value_constraint: None,
        doc: None,
    }],
    doc: None,
};

impl Model for EchoOut {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&ECHO_OUT)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&ECHO_OUT)?;
        s.write_field(&ECHO_OUT.fields[0], &self.result)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut result = None;
        d.read_complex(&ECHO_OUT, &mut |index, d| match index {
            0 => deserialize_slot(&mut result, &ECHO_OUT.fields[0], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(EchoOut {
            result: finish_slot(result, &ECHO_OUT.fields[0])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.result, &ECHO_OUT.fields[0], path)
    }
}

/// The async invoker: an `AsyncInvokeFn`. It returns at once a future that downcasts the
/// service and the request, awaits the method and boxes the response.
fn invoke_echo<'a>(
    service: &'a (dyn Any + Send + Sync),
    ctx: &'a mut MethodContext,
    args: Box<dyn Any + Send>,
) -> BoxFuture<'a, Result<Box<dyn Any + Send>, Fault>> {
    Box::pin(async move {
        let service = service
            .downcast_ref::<Echo>()
            .ok_or_else(|| Fault::server("no instance of `Echo` serves this application"))?;
        let EchoIn { text } = downcast_boxed::<EchoIn>(args)
            .ok_or_else(|| Fault::server("wrong arguments for `echo`"))?;
        let result = service.echo(ctx, text).await?;
        Ok(Box::new(EchoOut { result }) as Box<dyn Any + Send>)
    })
}

static ECHO: ServiceDescriptor = ServiceDescriptor {
    name: "Echo",
    namespace: Some(NS),
    methods: &[MethodDescriptor {
        name: "echo",
        operation: "echo",
        body_style: BodyStyle::Wrapped,
        input: MessageDescriptor {
            name: "echo",
            namespace: Some(NS),
            ty: &ECHO_IN,
            deserialize: deserialize_boxed::<EchoIn>,
            serialize: serialize_boxed::<EchoIn>,
            validate: validate_boxed::<EchoIn>,
        },
        output: MessageDescriptor {
            name: "echoResponse",
            namespace: Some(NS),
            ty: &ECHO_OUT,
            deserialize: deserialize_boxed::<EchoOut>,
            serialize: serialize_boxed::<EchoOut>,
            validate: validate_boxed::<EchoOut>,
        },
        in_headers: None,
        out_headers: None,
        faults: &[],
        doc: Some(
            "Echoes `text` (1 to 8 characters) after an `.await`, prefixed with the operation name.",
        ),
        safe: false,
        invoke: Invoke::Async(invoke_echo),
    }],
    in_headers: &[],
    out_headers: &[],
    doc: Some("Answers later."),
};

impl Service for Echo {
    fn descriptor() -> &'static ServiceDescriptor {
        &ECHO
    }
}

// ---------------------------------------------------------------------------------------------
// The macro twin.
// ---------------------------------------------------------------------------------------------

/// Answers later.
#[derive(Debug)]
struct EchoTwin;

/// Answers later.
#[service(name = "Echo", namespace = "urn:example:nomacro-async")]
impl EchoTwin {
    /// Echoes `text` (1 to 8 characters) after an `.await`, prefixed with the operation name.
    #[rpc]
    async fn echo(
        &self,
        ctx: &mut MethodContext,
        #[model(min_len = 1, max_len = 8)] text: String,
    ) -> Result<String, Fault> {
        Echo.echo(ctx, text).await
    }
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

fn app(service: impl Service) -> std::sync::Arc<Application> {
    Application::builder("Echo", NS)
        .service(service)
        .build()
        .expect("the service registers")
}

/// Calls the hand-written service with a `Call` built by hand.
async fn hand_echo(caller: &InProcess, text: &str) -> Result<String, ClientError> {
    caller
        .call(Call {
            method: &Echo::descriptor().methods[0],
            args: Box::new(EchoIn { text: text.into() }),
            headers: Vec::new(),
            extract: |reply| downcast_boxed::<EchoOut>(reply.message).map(|o| o.result),
        })
        .await
}

#[tokio::test]
async fn a_hand_written_async_method_answers_like_its_macro_twin() {
    let hand = InProcess::new(app(Echo));
    let twin = EchoTwinClient::new(InProcess::new(app(EchoTwin)));
    let fault_of = |e: ClientError| {
        let f = e.fault().expect("a fault");
        (f.code.as_str().to_owned(), f.string.clone())
    };
    assert_eq!(hand_echo(&hand, "hi").await.unwrap(), "echo: hi");
    for text in ["hi", "fault", "", "too long!"] {
        assert_eq!(
            hand_echo(&hand, text).await.map_err(fault_of),
            twin.echo(text.into()).await.map_err(fault_of),
            "echo({text:?})"
        );
    }
}

#[test]
fn the_hand_written_async_descriptor_equals_the_macro_one() {
    let (h, m) = (Echo::descriptor(), EchoTwin::descriptor());
    assert_eq!((h.name, h.namespace, h.doc), (m.name, m.namespace, m.doc));
    assert_eq!(h.methods.len(), m.methods.len());
    let (h, m) = (&h.methods[0], &m.methods[0]);
    assert_eq!((h.name, h.operation, h.doc), (m.name, m.operation, m.doc));
    assert_eq!(h.body_style, m.body_style);
    assert!(matches!(h.invoke, Invoke::Async(_)));
    assert!(
        matches!(m.invoke, Invoke::Async(_)),
        "the twin's invoker is async"
    );
    for (h, m) in [(&h.input, &m.input), (&h.output, &m.output)] {
        assert_eq!((h.name, h.namespace), (m.name, m.namespace));
        assert_eq!((h.ty.name, h.ty.namespace), (m.ty.name, m.ty.namespace));
        assert_eq!(h.ty.fields.len(), m.ty.fields.len());
        for (h, m) in h.ty.fields.iter().zip(m.ty.fields) {
            assert_eq!(
                (h.name, h.rust_name, h.namespace),
                (m.name, m.rust_name, m.namespace)
            );
            assert!((h.ty)().same_as(&(m.ty)()), "{}", h.name);
            assert_eq!(
                (h.min_occurs, h.nillable, h.unwrapped),
                (m.min_occurs, m.nillable, m.unwrapped)
            );
            assert_eq!(h.max_occurs, m.max_occurs, "{}", h.name);
            assert_eq!(
                (h.constraints.min_len, h.constraints.max_len),
                (m.constraints.min_len, m.constraints.max_len),
                "{}",
                h.name
            );
        }
    }
}
