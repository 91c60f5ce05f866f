// gSOAP client of the bench service, compiled against the proxy that wsdl2h + soapcpp2 generate
// from our WSDL (target/interop/gsoap/bench). Usage: bench_client URL [1.1|1.2]
// The values are those of examples/data/bench/w*-request.xml.
#include "soapBenchServiceProxy.h"
#include "BenchService.nsmap"
#include "result.h"

#include <cstdio>
#include <vector>

static std::string pad3(int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", i);
    return buf;
}

int main(int argc, char **argv) {
    if (!expected_version(argc, argv)) return 2;
    BenchServiceProxy proxy(SOAP_C_UTFSTRING | SOAP_XML_STRICT);
    proxy.soap_endpoint = argv[1];
    proxy.soap->recv_timeout = 60;
    proxy.soap->send_timeout = 60;
    struct soap *soap = proxy.soap;

    {
        Check c;
        ns1__echo_USCOREstring req;
        ns1__echo_USCOREstringResponse resp;
        req.s = "rpclib-bench-W1-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
        if (c.call(soap, proxy.echo_USCOREstring(&req, resp), "echo_string"))
            expect_eq(c, resp.echo_USCOREstringResult, req.s, "W1");
        report(soap, "bench.echo_string", c);
    }
    {
        Check c;
        ns1__intArray values;
        for (int i = 0; i < 1000; ++i) values.int_.push_back((int)((i * 431780LL) % 2000003) - 1000001);
        values.int_.push_back(-2147483647 - 1);
        values.int_.push_back(2147483647);
        ns1__echo_USCOREinteger_USCOREarray req;
        ns1__echo_USCOREinteger_USCOREarrayResponse resp;
        req.values = &values;
        if (c.call(soap, proxy.echo_USCOREinteger_USCOREarray(&req, resp), "echo_integer_array")) {
            c.expect(resp.echo_USCOREinteger_USCOREarrayResult != nullptr, "no echo_integer_arrayResult");
            if (resp.echo_USCOREinteger_USCOREarrayResult) {
                const std::vector<int> &got = resp.echo_USCOREinteger_USCOREarrayResult->int_;
                expect_eq(c, got.size(), values.int_.size(), "W2 item count");
                for (size_t k = 0; k < got.size() && k < values.int_.size(); ++k)
                    expect_eq(c, got[k], values.int_[k], "W2 item " + std::to_string(k));
            }
        }
        report(soap, "bench.echo_integer_array", c);
    }
    {
        Check c;
        std::vector<ns1__Person> people(100);
        std::vector<ns1__stringArray> tags(100);
        ns1__PersonArray arr;
        for (int i = 0; i < 100; ++i) {
            people[i].name = "Person Number " + pad3(i);
            people[i].age = 18 + (i * 7) % 60;
            people[i].email = "person" + pad3(i) + "@example.org";
            tags[i].string = {"tag-a-" + pad3(i), "tag-b-" + pad3(i), "tag-c-" + pad3(i)};
            people[i].tags = &tags[i];
            arr.Person.push_back(&people[i]);
        }
        ns1__echo_USCOREpeople req;
        ns1__echo_USCOREpeopleResponse resp;
        req.people = &arr;
        if (c.call(soap, proxy.echo_USCOREpeople(&req, resp), "echo_people")) {
            c.expect(resp.echo_USCOREpeopleResult != nullptr, "no echo_peopleResult");
            if (resp.echo_USCOREpeopleResult) {
                const std::vector<ns1__Person *> &got = resp.echo_USCOREpeopleResult->Person;
                expect_eq(c, got.size(), people.size(), "W3 person count");
                for (size_t k = 0; k < got.size() && k < people.size(); ++k) {
                    const ns1__Person *p = got[k];
                    std::string at = "W3 person " + std::to_string(k);
                    c.expect(p != nullptr && p->tags != nullptr, at + " incomplete");
                    if (!p || !p->tags) break;
                    expect_eq(c, p->name, people[k].name, at + " name");
                    expect_eq(c, p->age, people[k].age, at + " age");
                    expect_eq(c, p->email, people[k].email, at + " email");
                    c.expect(p->tags->string == tags[k].string, at + " tags differ");
                }
            }
        }
        report(soap, "bench.echo_people", c);
    }
    std::printf("DONE\n");
    return g_failures ? 1 : 0;
}
