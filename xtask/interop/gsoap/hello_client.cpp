// gSOAP client of the hello service, compiled against the proxy that wsdl2h + soapcpp2
// generate from our WSDL (target/interop/gsoap/hello). Usage: hello_client URL [1.1|1.2]
#include "soapApplicationProxy.h"
#include "Application.nsmap"
#include "result.h"

#include <vector>

int main(int argc, char **argv) {
    if (!expected_version(argc, argv)) return 2;
    ApplicationProxy proxy(SOAP_C_UTFSTRING | SOAP_XML_STRICT);
    proxy.soap_endpoint = argv[1];
    proxy.soap->recv_timeout = 60;
    proxy.soap->send_timeout = 60;
    struct soap *soap = proxy.soap;

    Check c;
    for (unsigned times : {3u, 1u, 0u}) {
        ns1__say_USCOREhello req;
        ns1__say_USCOREhelloResponse resp;
        req.name = "Dave";
        req.times = times;
        if (!c.call(soap, proxy.say_USCOREhello(&req, resp), "say_hello")) break;
        std::vector<std::string> got;
        if (resp.say_USCOREhelloResult) got = resp.say_USCOREhelloResult->string;
        expect_eq(c, got.size(), (size_t)times, "say_hello(Dave, " + std::to_string(times) + ") count");
        for (const std::string &line : got) expect_eq(c, line, std::string("Hello, Dave"), "greeting");
    }
    {
        // The empty name violates minLength 1: a Client fault.
        ns1__say_USCOREhello req;
        ns1__say_USCOREhelloResponse resp;
        req.times = 1;
        int rc = proxy.say_USCOREhello(&req, resp);
        c.expect(rc == SOAP_FAULT, "say_hello(\"\", 1): expected a fault, got rc " + std::to_string(rc));
        if (rc == SOAP_FAULT) {
            const char *code = *soap_faultcode(soap);
            std::string scode = code ? code : "";
            c.expect(scode.find(":Client") != std::string::npos, "faultcode " + scode + " is not Client.*");
        }
    }
    report(soap, "hello.say_hello", c);
    std::printf("DONE\n");
    return g_failures ? 1 : 0;
}
