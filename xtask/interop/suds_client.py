"""suds (suds-community) against the interop, bench and hello services: every operation it can
express, every returned value.

Usage: suds_client.py INTEROP_URL BENCH_URL HELLO_URL   (each the service's root URL)
Prints the result lines of interop_common.py.
"""

import base64
import datetime
import logging
import sys

from suds import WebFault
from suds.client import Client
from suds.sax.text import Raw

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
    parse_duration,
)

# 2**100000 has 30103 digits; Python >= 3.11 refuses to parse more than 4300 by default.
sys.set_int_max_str_digits(0)
# suds logs every fault it receives at ERROR level; the faults here are expected.
logging.getLogger("suds.client").setLevel(logging.CRITICAL)

NS = INTEROP_NS
ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def make_client(url):
    return Client(url + "?wsdl", cache=None, timeout=60)


def expect_fault(call, code, message=None, actor=None):
    """Calls `call()`, which must raise a WebFault with the given code (local part; `Client.*`
    for any subcode of Client), string and actor."""
    try:
        result = call()
    except WebFault as e:
        f = e.fault
        fcode = getattr(f, "faultcode", None)
        expect_true(fault_code_matches(fcode, code), "faultcode %r is not %r" % (fcode, code))
        if message is not None:
            expect(getattr(f, "faultstring", None), message, "faultstring")
        if actor is not None:
            expect(getattr(f, "faultactor", None), actor, "faultactor")
        return None
    raise CheckFailed("expected a %s fault, got a response: %r" % (code, result))


def items(value, name):
    """The items of an array value: suds gives an object whose item attribute is a list, an
    empty array as an empty string or an object without that attribute."""
    if value is None or value == "":
        return []
    return list(getattr(value, name, None) or [])


def received_header(client, name):
    """The element `name` of the last response's soap:Header, raw (suds has no other way)."""
    reply = client.last_received()
    expect_true(reply is not None, "suds kept no reply")
    header = reply.getChild("Envelope").getChild("Header")
    expect_true(header is not None, "the response has no soap:Header")
    elem = header.getChild(name)
    expect_true(elem is not None, "no %s in the response soap:Header" % name)
    return elem


# ---------------------------------------------------------------------------------- interop


def interop_cases(c):
    s = c.service
    create = c.factory.create
    cases = {}

    def case(fn):
        cases[fn.__name__] = fn
        return fn

    def check_any(call, what):
        # suds has no value model for xs:anyType content: it is sent as Raw XML text placed
        # inside the parameter element (a suds.sax Element argument is taken as the parameter
        # element itself and went out as an empty, unqualified `<xml/>`), and read back into an
        # object whose attributes are the child elements.
        raw = Raw('<b:raw xmlns:b="urn:raw"><b:x>1</b:x><b:x>2 &amp; 3</b:x><b:y/></b:raw>')
        ret = call(raw)
        expect_true(ret is not None and hasattr(ret, "raw"), "%s: no raw in %r" % (what, ret))
        expect(list(ret.raw.x), ["1", "2 & 3"], what + " content")
        expect_true(hasattr(ret.raw, "y"), "%s: element y lost: %r" % (what, ret))
        expect(call(Raw("plain text")), "plain text", what + " text")

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
        for v in ("OK", "ünïcödé \u2603 <&>\"'", "  spaced  "):
            expect(s.echo_string(v), v, "echo_string(%r)" % v)

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
        for v in (12.34, 3.141592653, -0.5):
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
        days = create("DaysOfWeekEnum")
        for day in (days.Monday, days.Sunday):
            expect(s.echo_enum(day), day, "echo_enum(%s)" % day)
        expect_fault(lambda: s.echo_enum("Thursday"), "Client.*")

    @case
    def echo_duration():
        # suds has no xs:duration type: it sends and returns the lexical text.
        text = "P1DT2H3M4.5S"
        ret = s.echo_duration(text)
        expect(parse_duration(ret), parse_duration(text), "echo_duration(%s) -> %r" % (text, ret))

    @case
    def echo_bytearray():
        # suds has no base64Binary translation: the value is the base64 text.
        for v in (b"\x00\x01\x02\x03\x04", bytes(range(256))):
            ret = s.echo_bytearray(base64.b64encode(v).decode())
            expect(base64.b64decode(ret), v, "echo_bytearray(%d bytes)" % len(v))

    # ------------------------------------------------------------------ arrays

    def array(type_name, item, values):
        arr = create(type_name)
        getattr(arr, item).extend(values)
        return arr

    def echo_array(call, type_name, item, values):
        expect(items(call(array(type_name, item, values)), item), values, "echo")

    @case
    def echo_integer_array():
        echo_array(s.echo_integer_array, "integerArray", "integer", [1, 2, 3, 4, 5, 2**80, -3])

    @case
    def echo_string_array():
        echo_array(s.echo_string_array, "stringArray", "string", ["abc", "d e f", "\u00e9"])

    @case
    def echo_date_time_array():
        v = [NAIVE_DT, NAIVE_DT_NO_MICROS]
        echo_array(s.echo_date_time_array, "dateTimeArray", "dateTime", v)

    @case
    def echo_float_array():
        echo_array(s.echo_float_array, "floatArray", "float", [12.34, -1.5, 3.141592653])

    @case
    def echo_double_array():
        echo_array(s.echo_double_array, "doubleArray", "double", [123.456, 0.1, -9e100])

    @case
    def echo_boolean_array():
        echo_array(s.echo_boolean_array, "booleanArray", "boolean", [True, False, True])

    @case
    def echo_simple_boolean_array():
        v = [False, False, False, True]
        expect(s.echo_simple_boolean_array(v), v, "echo_simple_boolean_array")

    @case
    def echo_array_in_array():
        v = [True, False]
        ret = s.echo_array_in_array(array("booleanArray", "boolean", v))
        inner = items(ret, "booleanArray")
        expect(len(inner), 1, "outer array length")
        expect(items(inner[0], "boolean"), v, "inner array")

    # ------------------------------------------------------------------ classes

    def simple(i, text):
        sc = create("{%s}SimpleClass" % NS)
        sc.i = i
        sc.s = text
        return sc

    def fill_nested(val, n):
        val.i = 45 + n
        val.s = "nested %d" % n
        val.f = 12.34
        val.ai = array("integerArray", "integer", [1, 2, 3, 45, 5, 3, 2, 1, 4, n])
        val.simple = create("{%s}SimpleClassArray" % NS)
        val.simple.SimpleClass.extend([simple(45, "asd"), simple(12 + n, "qwe")])
        val.other = create("{%s}OtherClass" % NS)
        val.other.dt = NAIVE_DT
        val.other.d = 123.456
        val.other.b = True
        return val

    def check_nested(ret, val, what):
        expect_true(ret is not None and ret != "", what + ": no result")
        expect((ret.i, ret.s, ret.f), (val.i, val.s, val.f), what + " i, s, f")
        expect(
            [(x.i, x.s) for x in items(ret.simple, "SimpleClass")],
            [(x.i, x.s) for x in val.simple.SimpleClass],
            what + ".simple",
        )
        expect(
            (ret.other.dt, ret.other.d, ret.other.b),
            (val.other.dt, val.other.d, val.other.b),
            what + ".other",
        )
        expect(items(ret.ai, "integer"), list(val.ai.integer), what + ".ai")

    @case
    def echo_simple_class():
        ret = s.echo_simple_class(simple(45, "asd"))
        expect((ret.i, ret.s), (45, "asd"), "echo_simple_class")

    @case
    def echo_simple_class_array():
        arr = create("{%s}SimpleClassArray" % NS)
        arr.SimpleClass.extend([simple(1, "a"), simple(2, "b")])
        ret = s.echo_simple_class_array(arr)
        expect([(x.i, x.s) for x in items(ret, "SimpleClass")], [(1, "a"), (2, "b")], "echo")

    @case
    def echo_nested_class():
        val = fill_nested(create("{punk.tunk}NestedClass"), 0)
        check_nested(s.echo_nested_class(val), val, "echo_nested_class")

    @case
    def echo_nested_class_array():
        arr = create("{punk.tunk}NestedClassArray")
        vals = [fill_nested(create("{punk.tunk}NestedClass"), n) for n in (1, 2)]
        arr.NestedClass.extend(vals)
        got = items(s.echo_nested_class_array(arr), "NestedClass")
        expect(len(got), 2, "array length")
        for g, v in zip(got, vals):
            check_nested(g, v, "item")

    @case
    def echo_extension_class():
        val = fill_nested(create("{bar}ExtensionClass"), 3)
        val.p = create("{hunk.sunk}NonNillableClass")
        val.p.dt = datetime.datetime(2010, 6, 2)
        val.p.i = 123
        val.p.s = "punk"
        val.l = datetime.datetime(2010, 7, 2)
        val.q = 5
        ret = s.echo_extension_class(val)
        check_nested(ret, val, "echo_extension_class")
        expect((ret.p.dt, ret.p.i, ret.p.s), (val.p.dt, 123, "punk"), "p")
        expect((ret.l, ret.q), (val.l, 5), "l, q")

    @case
    def echo_class_with_self_reference():
        val = create("{%s}ClassWithSelfReference" % NS)
        val.i = 45
        val.sr = create("{%s}ClassWithSelfReference" % NS)
        val.sr.i = 50
        val.sr.sr = None
        ret = s.echo_class_with_self_reference(val)
        expect((ret.i, ret.sr.i, getattr(ret.sr, "sr", None)), (45, 50, None), "chain")

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
        expect(s.multi_param("s", 3, NAIVE_DT), None, "multi_param result")

    @case
    def non_nillable():
        def nn(dt, i, text):
            v = create("{hunk.sunk}NonNillableClass")
            v.dt, v.i, v.s = dt, i, text
            return v

        expect(s.non_nillable(nn(datetime.datetime(2010, 6, 2), 6, "punk")), "OK", "valid")
        # Spyne's own test: the required dt missing (and s None) must be rejected.
        expect_fault(lambda: s.non_nillable(nn(None, 6, None)), "Client.*")
        # s violates minLength 1.
        expect_fault(lambda: s.non_nillable(nn(NAIVE_DT, 6, "")), "Client.*")

    @case
    def do_something():
        expect(s.do_something("something"), "something", "do_something")

    @case
    def return_other_class_array():
        got = items(s.return_other_class_array(3), "OtherClass")
        expect(len(got), 3, "item count")
        for item in got:
            expect((item.dt, item.d, item.b), (OTHER_CLASS_DT, 3.0, True), "item")
        expect(items(s.return_other_class_array(0), "OtherClass"), [], "num=0")

    @case
    def return_invalid_data():
        expect_fault(s.return_invalid_data, "Server")

    @case
    def custom_messages():
        expect(s.custom_messages("test"), "test", "custom_messages")

    # ------------------------------------------------------------------ headers

    def in_header():
        h = create("InHeader")
        h.s = "a"
        h.i = 3
        return h

    @case
    def echo_in_header():
        c.set_options(soapheaders=in_header())
        try:
            ret = s.echo_in_header()
        finally:
            c.set_options(soapheaders=())
        expect((ret.s, ret.i), ("a", 3), "echoed InHeader")

    @case
    def send_out_header():
        ret = s.send_out_header()
        expect((ret.f, ret.dt), (OUT_HEADER_F, OUT_HEADER_DT), "body")
        raw = received_header(c, "OutHeader")
        expect(raw.getChild("f").getText(), str(OUT_HEADER_F), "raw header f")
        expect(raw.getChild("dt").getText(), "2000-01-01T00:00:00", "raw header dt")

    @case
    def echo_in_complex_header():
        trace = create("InTraceHeader")
        trace.client = "suds"
        trace.callDate = datetime.datetime(2000, 1, 1)
        c.set_options(soapheaders=(in_header(), trace))
        try:
            ret = s.echo_in_complex_header()
        finally:
            c.set_options(soapheaders=())
        expect((ret[0].s, ret[0].i), ("a", 3), "echoed InHeader")
        expect((ret[1].client, ret[1].callDate), ("suds", trace.callDate), "echoed InTraceHeader")

    @case
    def send_out_complex_header():
        ret = s.send_out_complex_header()
        expect((ret[0].f, ret[0].dt), (OUT_HEADER_F, OUT_HEADER_DT), "body OutHeader")
        expect((ret[1].receiptDate, ret[1].returnDate), (RECEIPT_DATE, RETURN_DATE), "body trace")
        out = received_header(c, "OutHeader")
        expect(
            (out.getChild("f").getText(), out.getChild("dt").getText()),
            ("3.141592653", "2000-01-01T00:00:00"),
            "raw OutHeader",
        )
        trace = received_header(c, "OutTraceHeader")
        expect(
            (trace.getChild("receiptDate").getText(), trace.getChild("returnDate").getText()),
            ("2000-01-01T01:01:01.000001", "2000-01-01T01:01:01.000100"),
            "raw OutTraceHeader",
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
        # suds unwraps a bare part whose element has a complex type: the parameter is the
        # `string` sequence itself (a stringArray object would be nested one level too deep).
        v = ["abc", "def"]
        expect(s.echo_complex_bare(v), v, "echo_complex_bare")

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
    create = c.factory.create

    def echo_string():
        expect(s.echo_string(BENCH_STRING), BENCH_STRING, "W1")

    def echo_integer_array():
        arr = create("intArray")
        arr.int.extend(BENCH_INTS)
        expect(items(s.echo_integer_array(arr), "int"), BENCH_INTS, "W2")

    def echo_people():
        people = bench_people()
        arr = create("PersonArray")
        for p in people:
            person = create("Person")
            person.name, person.age, person.email = p["name"], p["age"], p["email"]
            person.tags = create("stringArray")
            person.tags.string.extend(p["tags"])
            arr.Person.append(person)
        got = [
            {"name": p.name, "age": p.age, "email": p.email, "tags": items(p.tags, "string")}
            for p in items(s.echo_people(arr), "Person")
        ]
        expect(got, people, "W3")

    return {f.__name__: f for f in (echo_string, echo_integer_array, echo_people)}


def hello_cases(c):
    def say_hello():
        expect(items(c.service.say_hello("Dave", 3), "string"), ["Hello, Dave"] * 3, "Dave, 3")
        expect(items(c.service.say_hello("x", 0), "string"), [], "say_hello(x, 0)")
        expect_fault(lambda: c.service.say_hello("", 1), "Client.*")

    return {"say_hello": say_hello}


def main(argv):
    interop_url, bench_url, hello_url = argv[1:4]
    runner = Runner()
    for prefix, url, build in (
        ("interop", interop_url, interop_cases),
        ("bench", bench_url, bench_cases),
        ("hello", hello_url, hello_cases),
    ):
        client = runner.load(prefix, lambda: make_client(url))
        if client is not None:
            for name, fn in build(client).items():
                runner.run("%s.%s" % (prefix, name), fn)
    return runner.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
