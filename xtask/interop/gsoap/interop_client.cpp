// gSOAP client of the interop service, compiled against the proxy that wsdl2h + soapcpp2
// generate from our WSDL (target/interop/gsoap/interop). Usage: interop_client URL [1.1|1.2]
// wsdl2h maps xs:integer to std::string, xs:dateTime to time_t (UTC seconds) and xs:float to
// float, which bounds the values sent here.
#include "soapApplicationProxy.h"
#include "Application.nsmap"
#include "result.h"

#include <ctime>
#include <vector>


/// Whether `text` ends with `:local` (a QName with any prefix).
static bool qname_is(const char *text, const std::string &local) {
    std::string s = text ? text : "";
    std::string tail = ":" + local;
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Checks a fault's code: SOAP 1.1 `faultcode` (`code11`), or SOAP 1.2 `Code/Value`
/// (`value12`) with the first `Subcode` (`subcode12`), whichever version the reply is in.
static void expect_fault_code(Check &c, struct soap *soap, const std::string &code11,
                              const std::string &value12, const std::string &subcode12) {
    const char *code = *soap_faultcode(soap);
    if (soap->version == 2) {
        const char *sub = soap_fault_subcode(soap);
        c.expect(qname_is(code, value12) && qname_is(sub, subcode12),
                 "Code " + std::string(code ? code : "") + " / Subcode " + std::string(sub ? sub : "") +
                     " is not " + value12 + " / " + subcode12);
    } else {
        c.expect(qname_is(code, code11), "faultcode " + std::string(code ? code : "") + " is not " + code11);
    }
}

int main(int argc, char **argv) {
    if (!expected_version(argc, argv)) return 2;
    ApplicationProxy proxy(SOAP_C_UTFSTRING | SOAP_XML_STRICT);
    proxy.soap_endpoint = argv[1];
    proxy.soap->recv_timeout = 60;
    proxy.soap->send_timeout = 60;
    struct soap *soap = proxy.soap;

    {
        Check c;
        for (std::string v : {std::string("OK"), std::string("\xc3\xbcn\xc3\xaf c\xc3\xb6" "d\xc3\xa9 <&>\"'"),
                              std::string(64, 'x')}) {
            ns1__echo_USCOREstring req;
            ns1__echo_USCOREstringResponse resp;
            req.s = &v;
            if (!c.call(soap, proxy.echo_USCOREstring(&req, resp), "echo_string")) break;
            c.expect(resp.echo_USCOREstringResult != nullptr, "no echo_stringResult");
            if (resp.echo_USCOREstringResult) expect_eq(c, *resp.echo_USCOREstringResult, v, "echo_string");
        }
        report(soap, "interop.echo_string", c);
    }
    {
        Check c;
        for (std::string v : {std::string("0"), std::string("-7"), std::string("1180591620717411303424")}) {
            ns1__echo_USCOREinteger req;
            ns1__echo_USCOREintegerResponse resp;
            req.i = &v;
            if (!c.call(soap, proxy.echo_USCOREinteger(&req, resp), "echo_integer")) break;
            c.expect(resp.echo_USCOREintegerResult != nullptr, "no echo_integerResult");
            if (resp.echo_USCOREintegerResult) expect_eq(c, *resp.echo_USCOREintegerResult, v, "echo_integer");
        }
        report(soap, "interop.echo_integer", c);
    }
    {
        Check c;
        for (double v : {123.456, 1.7976931348623157e308, -2.5e-300}) {
            ns1__echo_USCOREdouble req;
            ns1__echo_USCOREdoubleResponse resp;
            req.f = &v;
            if (!c.call(soap, proxy.echo_USCOREdouble(&req, resp), "echo_double")) break;
            c.expect(resp.echo_USCOREdoubleResult != nullptr, "no echo_doubleResult");
            if (resp.echo_USCOREdoubleResult) expect_eq(c, *resp.echo_USCOREdoubleResult, v, "echo_double");
        }
        report(soap, "interop.echo_double", c);
    }
    {
        Check c;
        for (bool v : {true, false}) {
            ns1__echo_USCOREboolean req;
            ns1__echo_USCOREbooleanResponse resp;
            req.b = &v;
            if (!c.call(soap, proxy.echo_USCOREboolean(&req, resp), "echo_boolean")) break;
            c.expect(resp.echo_USCOREbooleanResult != nullptr, "no echo_booleanResult");
            if (resp.echo_USCOREbooleanResult) expect_eq(c, *resp.echo_USCOREbooleanResult, v, "echo_boolean");
        }
        report(soap, "interop.echo_boolean", c);
    }
    {
        Check c;
        time_t v = 1795639006;  // 2026-11-24T20:36:46Z
        ns1__echo_USCOREdatetime req;
        ns1__echo_USCOREdatetimeResponse resp;
        req.dt = &v;
        if (c.call(soap, proxy.echo_USCOREdatetime(&req, resp), "echo_datetime")) {
            c.expect(resp.echo_USCOREdatetimeResult != nullptr, "no echo_datetimeResult");
            if (resp.echo_USCOREdatetimeResult)
                expect_eq(c, (long long)*resp.echo_USCOREdatetimeResult, (long long)v, "echo_datetime (time_t)");
        }
        report(soap, "interop.echo_datetime", c);
    }
    {
        Check c;
        ns1__integerArray ia;
        ia.integer = {"1", "2", "3", "4", "5", "1208925819614629174706176", "-3"};
        ns1__echo_USCOREinteger_USCOREarray req;
        ns1__echo_USCOREinteger_USCOREarrayResponse resp;
        req.ia = &ia;
        if (c.call(soap, proxy.echo_USCOREinteger_USCOREarray(&req, resp), "echo_integer_array")) {
            c.expect(resp.echo_USCOREinteger_USCOREarrayResult != nullptr, "no echo_integer_arrayResult");
            if (resp.echo_USCOREinteger_USCOREarrayResult) {
                const std::vector<std::string> &got = resp.echo_USCOREinteger_USCOREarrayResult->integer;
                expect_eq(c, got.size(), ia.integer.size(), "item count");
                for (size_t k = 0; k < got.size() && k < ia.integer.size(); ++k)
                    expect_eq(c, got[k], ia.integer[k], "item " + std::to_string(k));
            }
        }
        report(soap, "interop.echo_integer_array", c);
    }
    {
        Check c;
        ns1__stringArray sa;
        sa.string = {"abc", "d e f", "\xc3\xa9"};
        ns1__echo_USCOREstring_USCOREarray req;
        ns1__echo_USCOREstring_USCOREarrayResponse resp;
        req.sa = &sa;
        if (c.call(soap, proxy.echo_USCOREstring_USCOREarray(&req, resp), "echo_string_array")) {
            c.expect(resp.echo_USCOREstring_USCOREarrayResult != nullptr, "no echo_string_arrayResult");
            if (resp.echo_USCOREstring_USCOREarrayResult)
                c.expect(resp.echo_USCOREstring_USCOREarrayResult->string == sa.string, "echoed strings differ");
        }
        report(soap, "interop.echo_string_array", c);
    }
    {
        Check c;
        std::string i = "45", s = "asd";
        ns1__SimpleClass sc;
        sc.i = &i;
        sc.s = &s;
        ns1__echo_USCOREsimple_USCOREclass req;
        ns1__echo_USCOREsimple_USCOREclassResponse resp;
        req.sc = &sc;
        if (c.call(soap, proxy.echo_USCOREsimple_USCOREclass(&req, resp), "echo_simple_class")) {
            ns1__SimpleClass *got = resp.echo_USCOREsimple_USCOREclassResult;
            c.expect(got && got->i && got->s, "incomplete echo_simple_classResult");
            if (got && got->i && got->s) {
                expect_eq(c, *got->i, i, "i");
                expect_eq(c, *got->s, s, "s");
            }
        }
        report(soap, "interop.echo_simple_class", c);
    }
    {
        Check c;
        std::string i1 = "45", s1 = "asd", i2 = "12", s2 = "qwe", s = "nested", i = "46";
        ns1__SimpleClass a, b;
        a.i = &i1;
        a.s = &s1;
        b.i = &i2;
        b.s = &s2;
        ns1__SimpleClassArray simple;
        simple.SimpleClass = {&a, &b};
        float f = 12.34f;
        time_t dt = 1795639006;
        double d = 123.456;
        bool bo = true;
        ns1__OtherClass other;
        other.dt = &dt;
        other.d = &d;
        other.b = &bo;
        ns1__integerArray ai;
        ai.integer = {"1", "2", "3", "45", "5"};
        ns2__NestedClass nc;
        nc.simple = &simple;
        nc.s = &s;
        nc.i = &i;
        nc.f = &f;
        nc.other = &other;
        nc.ai = &ai;
        ns1__echo_USCOREnested_USCOREclass req;
        ns1__echo_USCOREnested_USCOREclassResponse resp;
        req.nc = &nc;
        if (c.call(soap, proxy.echo_USCOREnested_USCOREclass(&req, resp), "echo_nested_class")) {
            ns2__NestedClass *got = resp.echo_USCOREnested_USCOREclassResult;
            c.expect(got && got->simple && got->s && got->i && got->f && got->other && got->ai,
                     "incomplete echo_nested_classResult");
            if (got && got->simple && got->s && got->i && got->f && got->other && got->ai) {
                expect_eq(c, *got->s, s, "s");
                expect_eq(c, *got->i, i, "i");
                expect_eq(c, *got->f, f, "f");
                expect_eq(c, got->simple->SimpleClass.size(), (size_t)2, "simple count");
                if (got->simple->SimpleClass.size() == 2) {
                    ns1__SimpleClass *x = got->simple->SimpleClass[0], *y = got->simple->SimpleClass[1];
                    c.expect(x && y && x->i && x->s && y->i && y->s, "incomplete simple items");
                    if (x && y && x->i && x->s && y->i && y->s) {
                        expect_eq(c, *x->i + "/" + *x->s + "," + *y->i + "/" + *y->s,
                                  std::string("45/asd,12/qwe"), "simple");
                    }
                }
                c.expect(got->other->dt && got->other->d && got->other->b, "incomplete other");
                if (got->other->dt && got->other->d && got->other->b) {
                    expect_eq(c, (long long)*got->other->dt, (long long)dt, "other.dt");
                    expect_eq(c, *got->other->d, d, "other.d");
                    expect_eq(c, *got->other->b, bo, "other.b");
                }
                c.expect(got->ai->integer == ai.integer, "ai differs");
            }
        }
        report(soap, "interop.echo_nested_class", c);
    }
    {
        Check c;
        std::string i1 = "45", i2 = "50";
        ns1__ClassWithSelfReference inner, outer;
        inner.i = &i2;
        outer.i = &i1;
        outer.sr = &inner;
        ns1__echo_USCOREclass_USCOREwith_USCOREself_USCOREreference req;
        ns1__echo_USCOREclass_USCOREwith_USCOREself_USCOREreferenceResponse resp;
        req.sr = &outer;
        if (c.call(soap, proxy.echo_USCOREclass_USCOREwith_USCOREself_USCOREreference(&req, resp),
                   "echo_class_with_self_reference")) {
            ns1__ClassWithSelfReference *got = resp.echo_USCOREclass_USCOREwith_USCOREself_USCOREreferenceResult;
            c.expect(got && got->i && got->sr && got->sr->i && !got->sr->sr, "wrong shape");
            if (got && got->i && got->sr && got->sr->i) expect_eq(c, *got->i + "," + *got->sr->i, std::string("45,50"), "i");
        }
        report(soap, "interop.echo_class_with_self_reference", c);
    }
    {
        Check c;
        ns1__long_USCOREstring req;
        ns1__long_USCOREstringResponse resp;
        std::string want;
        for (int k = 0; k < 16384; ++k) want += "0123456789abcdef";
        if (c.call(soap, proxy.long_USCOREstring(&req, resp), "long_string")) {
            expect_eq(c, resp.long_USCOREstringResult.size(), want.size(), "length");
            c.expect(resp.long_USCOREstringResult == want, "long_string differs");
        }
        report(soap, "interop.long_string", c);
    }
    {
        Check c;
        ns1__huge_USCOREnumber req;
        ns1__huge_USCOREnumberResponse resp;
        if (c.call(soap, proxy.huge_USCOREnumber(&req, resp), "huge_number")) {
            // 2**100000 has 30103 digits: 99900209301438450794...9376
            const std::string &got = resp.huge_USCOREnumberResult;
            expect_eq(c, got.size(), (size_t)30103, "digit count");
            expect_eq(c, got.substr(0, 20), std::string("99900209301438450794"), "leading digits");
            expect_eq(c, got.size() >= 4 ? got.substr(got.size() - 4) : got, std::string("9376"), "trailing digits");
        }
        report(soap, "interop.huge_number", c);
    }
    {
        Check c;
        ns1__soap_USCOREexception req;
        ns1__soap_USCOREexceptionResponse resp;
        int rc = proxy.soap_USCOREexception(&req, resp);
        c.expect(rc == SOAP_FAULT, "expected a SOAP fault, got rc " + std::to_string(rc));
        if (rc == SOAP_FAULT) {
            const char *text = soap_fault_string(soap);
            // SOAP 1.2: Code Receiver, the 1.1 code `Plausible` as its subcode.
            expect_fault_code(c, soap, "Plausible", "Receiver", "Plausible");
            expect_eq(c, std::string(text ? text : ""), std::string("A plausible fault"), "faultstring");
        }
        report(soap, "interop.soap_exception", c);
    }
    {
        Check c;
        ns1__documented_USCOREexception req;
        ns1__documented_USCOREexceptionResponse resp;
        int rc = proxy.documented_USCOREexception(&req, resp);
        c.expect(rc == SOAP_FAULT, "expected a SOAP fault, got rc " + std::to_string(rc));
        if (rc == SOAP_FAULT) {
            expect_fault_code(c, soap, "Client.Documented", "Sender", "Documented");
            const char *text = soap_fault_string(soap);
            expect_eq(c, std::string(text ? text : ""), std::string("A documented fault"), "faultstring");
        }
        report(soap, "interop.documented_exception", c);
    }
    std::printf("DONE\n");
    return g_failures ? 1 : 0;
}
