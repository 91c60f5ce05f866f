// gSOAP as a load client of the bench service, for `cargo xtask bench http`'s client table,
// compiled (optimized) against the proxy that wsdl2h + soapcpp2 generate from our bench WSDL.
// One closed loop on one kept-alive connection for a fixed time, every reply's size checked.
// Prints the line bench_client prints: `requests=.. seconds=.. rps=.. errors=.. cpu_ticks=..`,
// cpu_ticks being this process's user + system CPU during the loop (/proc/self/stat, in clock
// ticks). The first failed call, if any, is described on stderr.
//
// Usage: bench_load URL w1|w2|w3 SECONDS
// The values are those of examples/data/bench/w*-request.xml.
#include "soapBenchServiceProxy.h"
#include "BenchService.nsmap"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

static long long cpu_ticks() {
    std::ifstream f("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 1));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 0; i < 13 && rest >> field; ++i) {
        if (i == 11) utime = std::atoll(field.c_str());
        if (i == 12) stime = std::atoll(field.c_str());
    }
    return utime + stime;
}

static std::string pad3(int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", i);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_load URL w1|w2|w3 SECONDS\n");
        return 2;
    }
    std::string workload = argv[2];
    double seconds = std::atof(argv[3]);
    BenchServiceProxy proxy(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);
    proxy.soap_endpoint = argv[1];
    proxy.soap->recv_timeout = 60;
    proxy.soap->send_timeout = 60;

    ns1__echo_USCOREstring w1;
    w1.s = "rpclib-bench-W1-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
    ns1__intArray values;
    for (int i = 0; i < 1000; ++i) values.int_.push_back((int)((i * 431780LL) % 2000003) - 1000001);
    values.int_.push_back(-2147483647 - 1);
    values.int_.push_back(2147483647);
    ns1__echo_USCOREinteger_USCOREarray w2;
    w2.values = &values;
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
    ns1__echo_USCOREpeople w3;
    w3.people = &arr;
    if (workload != "w1" && workload != "w2" && workload != "w3") {
        std::fprintf(stderr, "unknown workload %s\n", workload.c_str());
        return 2;
    }

    long long requests = 0, errors = 0;
    std::string first_error;
    long long before = cpu_ticks();
    auto started = std::chrono::steady_clock::now();
    auto deadline = started + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        bool ok = false;
        int rc = SOAP_OK;
        if (workload == "w1") {
            ns1__echo_USCOREstringResponse r;
            rc = proxy.echo_USCOREstring(&w1, r);
            ok = rc == SOAP_OK && r.echo_USCOREstringResult.size() == w1.s.size();
        } else if (workload == "w2") {
            ns1__echo_USCOREinteger_USCOREarrayResponse r;
            rc = proxy.echo_USCOREinteger_USCOREarray(&w2, r);
            ok = rc == SOAP_OK && r.echo_USCOREinteger_USCOREarrayResult &&
                 r.echo_USCOREinteger_USCOREarrayResult->int_.size() == values.int_.size();
        } else {
            ns1__echo_USCOREpeopleResponse r;
            rc = proxy.echo_USCOREpeople(&w3, r);
            ok = rc == SOAP_OK && r.echo_USCOREpeopleResult &&
                 r.echo_USCOREpeopleResult->Person.size() == arr.Person.size();
        }
        if (ok) {
            ++requests;
        } else {
            ++errors;
            if (first_error.empty()) {
                const char *s = rc != SOAP_OK ? *soap_faultstring(proxy.soap) : nullptr;
                first_error = rc != SOAP_OK ? (s ? s : "a SOAP error " + std::to_string(rc))
                                            : "the echo differs";
            }
        }
        proxy.destroy();  // the reply's memory, as a long-running client frees it
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    long long cpu = cpu_ticks() - before;
    if (!first_error.empty()) std::fprintf(stderr, "first error: %s\n", first_error.c_str());
    std::printf("requests=%lld seconds=%.3f rps=%.1f errors=%lld cpu_ticks=%lld\n", requests, elapsed,
                requests / elapsed, errors, cpu);
    return 0;
}
