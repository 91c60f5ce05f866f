"""zeep against the interop, bench and hello services: every operation, every returned value.

Usage: zeep_client.py INTEROP_URL BENCH_URL HELLO_URL   (each the service's root URL)
       zeep_client.py --soap12 INTEROP_URL BENCH_URL
Prints the result lines of interop_common.py. With --soap12, zeep is bound to the SOAP 1.2
port the WSDL declares (client.bind(service, port)), and every case also checks that the
request and the reply were SOAP 1.2 envelopes sent as application/soap+xml.
"""

import datetime
import sys

from lxml import etree
from zeep import Client, Settings, xsd
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin
from zeep.transports import Transport
from zeep.wsdl.bindings.soap import Soap12Binding

from interop_common import (
    BENCH_INTS,
    BENCH_STRING,
    HUGE_NUMBER,
    INTEROP_NS,
    LONG_STRING,
    NAIVE_DT,
    NAIVE_DT_NO_MICROS,
    OTHER_CLASS_DT,
    OUT_HEADER_DT,
    OUT_HEADER_F,
    RECEIPT_DATE,
    RETURN_DATE,
    CheckFailed,
    Runner,
    bench_people,
    expect,
    expect_true,
    fault_code_matches,
)

# 2**100000 has 30103 digits; Python >= 3.11 refuses to parse more than 4300 by default.
sys.set_int_max_str_digits(0)

NS = INTEROP_NS

SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
# Set by --soap12: faults are checked in their SOAP 1.2 shape.
SOAP12 = False


def envelope_ns():
    """The namespace of the envelopes of this run."""
    return SOAP12_ENV if SOAP12 else "http://schemas.xmlsoap.org/soap/envelope/"


def make_client(url, history=None):
    plugins = [history] if history is not None else []
    return Client(
        url + "?wsdl",
        transport=Transport(cache=None, timeout=30, operation_timeout=60),
        settings=Settings(strict=True),
        plugins=plugins,
    )


def soap12_code(code):
    """The SOAP 1.2 shape of a dotted 1.1 code: `Code/Value` and the subcodes (`*` for any)."""
    head, _, rest = code.partition(".")
    subcodes = [part for part in rest.split(".") if part]
    if head == "Client":
        return "Sender", subcodes
    if head == "Server":
        return "Receiver", subcodes
    return "Receiver", [head] + subcodes


def expect_fault(call, code, message=None, actor=None):
    """Calls `call()`, which must raise a SOAP fault with the given code (the local part after
    the prefix, `Client.*` for any subcode of Client), string and actor. Under --soap12 the
    code is checked as `Code/Value` and `Subcode`s (zeep reads no `Role`, so no actor)."""
    try:
        result = call()
    except Fault as f:
        if SOAP12:
            value, subcodes = soap12_code(code)
            got = [q.localname for q in (f.subcodes or [])]
            expect_true(
                (f.code or "").rsplit(":", 1)[-1] == value
                and (got == subcodes or subcodes == ["*"]),
                "Code %r with subcodes %r is not %s %r" % (f.code, got, value, subcodes),
            )
            if message is not None:
                expect(f.message, message, "Reason")
            return None
        expect_true(fault_code_matches(f.code, code), "faultcode %r is not %r" % (f.code, code))
        if message is not None:
            expect(f.message, message, "faultstring")
        if actor is not None:
            expect(f.actor, actor, "faultactor")
        return None
    raise CheckFailed("expected a %s fault, got a response: %r" % (code, result))


def items(value, name):
    """The items of an array value: zeep returns a named array type whose only child repeats
    as a plain list, an empty or absent one as None."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return list(getattr(value, name) or [])


# ---------------------------------------------------------------------------------- interop


def interop_cases(c, history):
    s = c.service
    t = c.get_type
    cases = {}

    def case(fn):
        cases[fn.__name__] = fn
        return fn

    def check_any(call, what):
        # zeep renders xs:anyType only from a typed value (AnyObject: xsi:type plus that type's
        # content; a raw lxml element would be sent as its repr text) and hands element
        # content back as the list of child elements.
        sc = t("{%s}SimpleClass" % NS)
        ret = call(xsd.AnyObject(sc, sc(i=4, s="x & <y>")))
        expect_true(isinstance(ret, list), "%s: expected child elements, got %r" % (what, ret))
        expect(
            [(e.tag, e.text) for e in ret],
            [("{%s}i" % NS, "4"), ("{%s}s" % NS, "x & <y>")],
            what + " (SimpleClass content)",
        )
        expect(call(xsd.AnyObject(xsd.String(), "plain text")), "plain text", what + " (text)")

    @case
    def echo_any():
        check_any(s.echo_any, "echo_any")

    @case
    def echo_any_as_dict():
        check_any(s.echo_any_as_dict, "echo_any_as_dict")

    @case
    def echo_integer():
        for v in (0, -7, 2**70, -(2**70)):
            expect(s.echo_integer(v), v, "echo_integer(%d)" % v)

    @case
    def echo_string():
        for v in ("OK", "", "ünïcödé \u2603 <&>\"'", "  spaced  "):
            ret = s.echo_string(v)
            # an empty xs:string comes back as an empty element, which zeep reads as None
            expect(ret if v else (ret or ""), v, "echo_string(%r)" % v)

    @case
    def echo_datetime():
        for v in (NAIVE_DT, NAIVE_DT_NO_MICROS):
            expect(s.echo_datetime(v), v, "echo_datetime")

    @case
    def echo_datetime_with_invalid_format():
        expect(s.echo_datetime_with_invalid_format(NAIVE_DT), NAIVE_DT, "echo")

    @case
    def echo_date():
        v = datetime.date(2026, 2, 28)
        expect(s.echo_date(v), v, "echo_date")

    @case
    def echo_date_with_invalid_format():
        v = datetime.date(1999, 12, 31)
        expect(s.echo_date_with_invalid_format(v), v, "echo")

    @case
    def echo_time():
        for v in (datetime.time(20, 56, 46, 418574), datetime.time(0, 0, 1)):
            expect(s.echo_time(v), v, "echo_time")

    @case
    def echo_time_with_invalid_format():
        v = datetime.time(23, 59, 59, 1)
        expect(s.echo_time_with_invalid_format(v), v, "echo")

    @case
    def echo_float():
        for v in (12.34, 3.141592653, -0.5, 1e-30):
            expect(s.echo_float(v), v, "echo_float(%r)" % v)

    @case
    def echo_double():
        for v in (123.456, 1.7976931348623157e308, -2.5e-300):
            expect(s.echo_double(v), v, "echo_double(%r)" % v)

    @case
    def echo_boolean():
        expect(s.echo_boolean(True), True, "echo_boolean(True)")
        expect(s.echo_boolean(False), False, "echo_boolean(False)")

    @case
    def echo_enum():
        days = t("{%s}DaysOfWeekEnum" % NS)
        for day in ("Monday", "Sunday"):
            expect(s.echo_enum(days(day)), day, "echo_enum(%s)" % day)
        # Thursday is not in the enumeration: the server must reject it.
        expect_fault(lambda: s.echo_enum("Thursday"), "Client.*")

    @case
    def echo_duration():
        v = datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000)
        expect(s.echo_duration(v), v, "echo_duration")

    @case
    def echo_bytearray():
        for v in (b"\x00\x01\x02\x03\x04", bytes(range(256)), b""):
            ret = s.echo_bytearray(v)
            expect(ret if v else (ret or b""), v, "echo_bytearray(%d bytes)" % len(v))

    # ------------------------------------------------------------------ arrays

    def array(type_name, item, values):
        arr = t("{%s}%s" % (NS, type_name))()
        getattr(arr, item).extend(values)
        return arr

    def check_array(ret, item, values, what):
        expect(items(ret, item), values, what)

    @case
    def echo_integer_array():
        v = [1, 2, 3, 4, 5, 2**80, -3]
        check_array(s.echo_integer_array(array("integerArray", "integer", v)), "integer", v, "echo")

    @case
    def echo_string_array():
        v = ["abc", "d e f", "\u00e9\u00e8"]
        check_array(s.echo_string_array(array("stringArray", "string", v)), "string", v, "echo")

    @case
    def echo_date_time_array():
        v = [NAIVE_DT, NAIVE_DT_NO_MICROS]
        ret = s.echo_date_time_array(array("dateTimeArray", "dateTime", v))
        check_array(ret, "dateTime", v, "echo")

    @case
    def echo_float_array():
        v = [12.34, -1.5, 3.141592653]
        check_array(s.echo_float_array(array("floatArray", "float", v)), "float", v, "echo")

    @case
    def echo_double_array():
        v = [123.456, 0.1, -9e100]
        check_array(s.echo_double_array(array("doubleArray", "double", v)), "double", v, "echo")

    @case
    def echo_boolean_array():
        v = [True, False, True]
        check_array(s.echo_boolean_array(array("booleanArray", "boolean", v)), "boolean", v, "echo")

    @case
    def echo_simple_boolean_array():
        v = [False, False, False, True]
        expect(s.echo_simple_boolean_array(v), v, "echo_simple_boolean_array")

    @case
    def echo_array_in_array():
        v = [True, False]
        ret = s.echo_array_in_array(array("booleanArray", "boolean", v))
        expect_true(ret is not None, "no result")
        inner = items(ret, "booleanArray")
        expect(len(inner), 1, "outer array length")
        expect(items(inner[0], "boolean"), v, "inner array")

    # ------------------------------------------------------------------ classes

    def simple(i, text):
        return {"i": i, "s": text}

    def other(dt):
        return {"dt": dt, "d": 123.456, "b": True}

    def nested(n):
        return {
            "simple": {"SimpleClass": [simple(45, "asd"), simple(12 + n, "qwe")]},
            "s": "nested %d" % n,
            "i": 45 + n,
            "f": 12.34,
            "other": other(NAIVE_DT),
            "ai": {"integer": [1, 2, 3, 45, 5, 3, 2, 1, 4, n]},
        }

    def check_nested(ret, v, what):
        expect_true(ret is not None, what + ": no result")
        expect(ret.s, v["s"], what + ".s")
        expect(ret.i, v["i"], what + ".i")
        expect(ret.f, v["f"], what + ".f")
        expect(
            [(x.i, x.s) for x in items(ret.simple, "SimpleClass")],
            [(x["i"], x["s"]) for x in v["simple"]["SimpleClass"]],
            what + ".simple",
        )
        expect(
            (ret.other.dt, ret.other.d, ret.other.b),
            (v["other"]["dt"], v["other"]["d"], v["other"]["b"]),
            what + ".other",
        )
        expect(items(ret.ai, "integer"), v["ai"]["integer"], what + ".ai")

    @case
    def echo_simple_class():
        ret = s.echo_simple_class(simple(45, "asd"))
        expect((ret.i, ret.s), (45, "asd"), "echo_simple_class")

    @case
    def echo_simple_class_array():
        v = [simple(1, "a"), simple(2, "b"), simple(3, None)]
        ret = s.echo_simple_class_array({"SimpleClass": v})
        expect([(x.i, x.s) for x in items(ret, "SimpleClass")], [(1, "a"), (2, "b"), (3, None)], "echo")

    @case
    def echo_nested_class():
        v = nested(0)
        check_nested(s.echo_nested_class(v), v, "echo_nested_class")

    @case
    def echo_nested_class_array():
        vs = [nested(1), nested(2)]
        ret = s.echo_nested_class_array({"NestedClass": vs})
        got_items = items(ret, "NestedClass")
        expect(len(got_items), 2, "array length")
        for got, v in zip(got_items, vs):
            check_nested(got, v, "item")

    @case
    def echo_extension_class():
        v = dict(nested(3))
        v["p"] = {"dt": datetime.datetime(2010, 6, 2), "i": 123, "s": "punk"}
        v["l"] = datetime.datetime(2010, 7, 2)
        v["q"] = 5
        ret = s.echo_extension_class(t("{bar}ExtensionClass")(**v))
        check_nested(ret, v, "echo_extension_class")
        expect((ret.p.dt, ret.p.i, ret.p.s), (datetime.datetime(2010, 6, 2), 123, "punk"), "p")
        expect((ret.l, ret.q), (v["l"], 5), "l, q")

    @case
    def echo_class_with_self_reference():
        v = {"i": 45, "sr": {"i": 50, "sr": {"i": 55, "sr": None}}}
        ret = s.echo_class_with_self_reference(v)
        expect((ret.i, ret.sr.i, ret.sr.sr.i, ret.sr.sr.sr), (45, 50, 55, None), "chain")

    # ------------------------------------------------------------------ misc

    @case
    def complex_return():
        ret = s.complex_return()
        expect(ret.resultCode, 1, "resultCode")
        expect(ret.resultDescription, "Test", "resultDescription")
        expect(ret.transactionId, 123, "transactionId")
        expect(items(ret.roles, "RoleEnum"), ["MEMBER"], "roles")

    @case
    def huge_number():
        expect(s.huge_number(), HUGE_NUMBER, "2**100000")

    @case
    def long_string():
        expect(s.long_string(), LONG_STRING, "long_string")

    @case
    def test_empty():
        expect(s.test_empty(), None, "test_empty result")

    @case
    def multi_param():
        expect(s.multi_param(s="s", i=3, dt=NAIVE_DT), None, "multi_param result")

    @case
    def non_nillable():
        nn = t("{hunk.sunk}NonNillableClass")
        ok = s.non_nillable(nn(dt=datetime.datetime(2010, 6, 2), i=6, s="punk"))
        expect(ok, "OK", "valid NonNillableClass")
        # The required dt is missing (SkipValue makes zeep send it anyway): must be rejected.
        expect_fault(lambda: s.non_nillable(nn(dt=xsd.SkipValue, i=6)), "Client.*")
        # s violates minLength 1: must be rejected.
        expect_fault(lambda: s.non_nillable(nn(dt=NAIVE_DT, i=6, s="")), "Client.*")

    @case
    def do_something():
        expect(s.do_something("something"), "something", "do_something")

    @case
    def return_other_class_array():
        ret = s.return_other_class_array(3)
        got = items(ret, "OtherClass")
        expect(len(got), 3, "item count")
        for item in got:
            expect((item.dt, item.d, item.b), (OTHER_CLASS_DT, 3.0, True), "item")
        empty = s.return_other_class_array(0)
        expect(items(empty, "OtherClass"), [], "num=0")

    @case
    def return_invalid_data():
        expect_fault(s.return_invalid_data, "Server")

    @case
    def custom_messages():
        expect(s.custom_messages("test"), "test", "custom_messages")

    # ------------------------------------------------------------------ headers

    @case
    def echo_in_header():
        in_header = t("{%s}InHeader" % NS)(s="a", i=3)
        ret = s.echo_in_header(_soapheaders={"InHeader": in_header})
        body = ret.body.echo_in_headerResult if hasattr(ret, "body") else ret
        expect((body.s, body.i), ("a", 3), "echoed InHeader")

    @case
    def send_out_header():
        ret = s.send_out_header()
        for where, h in (("header", ret.header.OutHeader), ("body", ret.body.send_out_headerResult)):
            expect((h.f, h.dt), (OUT_HEADER_F, OUT_HEADER_DT), where)
        raw = history.last_received["envelope"]
        hdr = raw.find("{%s}Header/{%s}OutHeader" % (envelope_ns(), NS))
        expect_true(hdr is not None, "no OutHeader in the response soap:Header")
        expect(hdr.findtext("{%s}f" % NS), "3.141592653", "raw header f")
        expect(hdr.findtext("{%s}dt" % NS), "2000-01-01T00:00:00", "raw header dt")

    @case
    def echo_in_complex_header():
        in_header = t("{%s}InHeader" % NS)(s="a", i=3)
        trace = t("{%s}InTraceHeader" % NS)(client="zeep", callDate=NAIVE_DT)
        ret = s.echo_in_complex_header(
            _soapheaders={"InHeader": in_header, "InTraceHeader": trace}
        )
        body = ret.body
        h0 = body.echo_in_complex_headerResult0
        h1 = body.echo_in_complex_headerResult1
        expect((h0.s, h0.i), ("a", 3), "echoed InHeader")
        expect((h1.client, h1.callDate), ("zeep", NAIVE_DT), "echoed InTraceHeader")

    @case
    def send_out_complex_header():
        ret = s.send_out_complex_header()
        b = ret.body
        for where, h in (
            ("header", ret.header.OutHeader),
            ("body", b.send_out_complex_headerResult0),
        ):
            expect((h.f, h.dt), (OUT_HEADER_F, OUT_HEADER_DT), where + " OutHeader")
        for where, h in (
            ("header", ret.header.OutTraceHeader),
            ("body", b.send_out_complex_headerResult1),
        ):
            expect((h.receiptDate, h.returnDate), (RECEIPT_DATE, RETURN_DATE), where + " trace")
        raw = history.last_received["envelope"]
        env = "{%s}" % envelope_ns()
        trace = raw.find("%sHeader/{%s}OutTraceHeader" % (env, NS))
        expect_true(trace is not None, "no OutTraceHeader in the response soap:Header")
        expect(
            (trace.findtext("{%s}receiptDate" % NS), trace.findtext("{%s}returnDate" % NS)),
            ("2000-01-01T01:01:01.000001", "2000-01-01T01:01:01.000100"),
            "raw OutTraceHeader text",
        )

    # ------------------------------------------------------------------ faults

    @case
    def python_exception():
        expect_fault(s.python_exception, "Server", "Internal Error")

    @case
    def soap_exception():
        expect_fault(
            s.soap_exception, "Plausible", "A plausible fault", "http://faultactor.example.com"
        )

    @case
    def documented_exception():
        expect_fault(
            s.documented_exception,
            "Client.Documented",
            "A documented fault",
            "http://faultactor.example.com",
        )

    # ------------------------------------------------------------------ bare

    @case
    def echo_simple_bare():
        expect(s.echo_simple_bare("test"), "test", "echo_simple_bare")

    @case
    def echo_complex_bare():
        v = ["abc", "def"]
        expect(list(s.echo_complex_bare(v) or []), v, "echo_complex_bare")

    @case
    def empty_input_bare():
        expect(s.empty_input_bare(), "empty", "empty_input_bare")

    @case
    def empty_output_bare():
        expect(s.empty_output_bare("x"), None, "empty_output_bare")

    return cases


# ---------------------------------------------------------------------------------- bench/hello


def bench_cases(c):
    s = c.service

    def echo_string():
        expect(s.echo_string(BENCH_STRING), BENCH_STRING, "W1")

    def echo_integer_array():
        ret = s.echo_integer_array({"int": BENCH_INTS})
        expect(items(ret, "int"), BENCH_INTS, "W2")

    def echo_people():
        people = bench_people()
        ret = s.echo_people({"Person": [dict(p, tags={"string": p["tags"]}) for p in people]})
        got = [
            {"name": p.name, "age": p.age, "email": p.email, "tags": items(p.tags, "string")}
            for p in items(ret, "Person")
        ]
        expect(got, people, "W3")

    return {f.__name__: f for f in (echo_string, echo_integer_array, echo_people)}


def hello_cases(c):
    def say_hello():
        ret = c.service.say_hello("Dave", 3)
        expect(items(ret, "string"), ["Hello, Dave"] * 3, "say_hello(Dave, 3)")
        expect(items(c.service.say_hello("x", 0), "string"), [], "say_hello(x, 0)")
        expect_fault(lambda: c.service.say_hello("", 1), "Client.*")

    return {"say_hello": say_hello}


class Soap12Client:
    """A zeep client whose `service` is bound to the WSDL's SOAP 1.2 port."""

    def __init__(self, client):
        self._client = client
        for service in client.wsdl.services.values():
            for port in service.ports.values():
                if isinstance(port.binding, Soap12Binding):
                    self.service = client.bind(service.name, port.name)
                    self.port = "%s/%s" % (service.name, port.name)
                    return
        raise CheckFailed("the WSDL declares no SOAP 1.2 port")

    def __getattr__(self, name):
        return getattr(self._client, name)


def soap12_checked(fn, history):
    """`fn`, then a check that the last exchange was SOAP 1.2 both ways."""

    def run():
        note = fn()
        sent = history.last_sent
        received = history.last_received
        expect_true(sent is not None and received is not None, "no exchange recorded")
        expect(sent["envelope"].tag, "{%s}Envelope" % SOAP12_ENV, "request envelope")
        content_type = sent["http_headers"].get("Content-Type", "")
        expect_true(
            content_type.startswith("application/soap+xml"),
            "request Content-Type %r" % content_type,
        )
        expect(received["envelope"].tag, "{%s}Envelope" % SOAP12_ENV, "reply envelope")
        content_type = received["http_headers"].get("Content-Type", "")
        expect(content_type, "application/soap+xml; charset=utf-8", "reply Content-Type")
        return note

    return run


def main_soap12(argv):
    global SOAP12
    SOAP12 = True
    interop_url, bench_url = argv[2:4]
    runner = Runner()
    history = HistoryPlugin()
    for prefix, url, build in (
        ("interop", interop_url, lambda c: interop_cases(c, history)),
        ("bench", bench_url, bench_cases),
    ):
        client = runner.load(prefix, lambda: Soap12Client(make_client(url, history)))
        if client is not None:
            for name, fn in build(client).items():
                runner.run("%s.%s" % (prefix, name), soap12_checked(fn, history))
    return runner.done()


def main(argv):
    if argv[1:2] == ["--soap12"]:
        return main_soap12(argv)
    interop_url, bench_url, hello_url = argv[1:4]
    runner = Runner()
    history = HistoryPlugin()
    for prefix, url, build in (
        ("interop", interop_url, lambda c: interop_cases(c, history)),
        ("bench", bench_url, bench_cases),
        ("hello", hello_url, hello_cases),
    ):
        client = runner.load(prefix, lambda: make_client(url, history))
        if client is not None:
            for name, fn in build(client).items():
                runner.run("%s.%s" % (prefix, name), fn)
    return runner.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
