// gSOAP server of the bench contract, for our clients to call (the reverse direction of
// bench_client.cpp). Compiled by `cargo xtask interop` against the server skeleton soapcpp2
// generates from bench_service.h (soapServer.cpp, soapC.cpp).
//
// Usage: bench_server PORT   Listens on 127.0.0.1:PORT, serves each connection on a thread of
// its own with keep-alive (a load generator holds many connections open at once), prints
// `LISTENING <port>` once ready. Each operation echoes its argument, as the contract says.
#include "soapH.h"
#include "BenchService.nsmap"

#include <cstdio>
#include <cstdlib>
#include <thread>

// W1: the string itself.
int ns__echo_USCOREstring(struct soap *, std::string s, struct ns__echo_USCOREstringResponse &result) {
    result.echo_USCOREstringResult = s;
    return SOAP_OK;
}

// W2: the array itself (it lives in the request's context until the reply is sent).
int ns__echo_USCOREinteger_USCOREarray(struct soap *soap, ns__intArray *values,
                                       struct ns__echo_USCOREinteger_USCOREarrayResponse &result) {
    if (!values) return soap_sender_fault(soap, "no values", nullptr);
    result.echo_USCOREinteger_USCOREarrayResult = values;
    return SOAP_OK;
}

// W3: the people themselves.
int ns__echo_USCOREpeople(struct soap *soap, ns__PersonArray *people,
                          struct ns__echo_USCOREpeopleResponse &result) {
    if (!people) return soap_sender_fault(soap, "no people", nullptr);
    result.echo_USCOREpeopleResult = people;
    return SOAP_OK;
}

static void serve(struct soap *soap) {
    soap_serve(soap);  // every request of the connection (keep-alive), then it is closed
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_server PORT\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    struct soap soap;
    soap_init2(&soap, SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING, SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING);
    soap.bind_flags = SO_REUSEADDR;
    soap.max_keep_alive = 1000000;  // a bench connection makes many calls
    soap.recv_timeout = 60;         // an idle connection ends after a minute
    soap.send_timeout = 60;
    if (!soap_valid_socket(soap_bind(&soap, "127.0.0.1", port, 128))) {
        soap_print_fault(&soap, stderr);
        return 1;
    }
    std::printf("LISTENING %d\n", port);
    std::fflush(stdout);
    for (;;) {
        if (!soap_valid_socket(soap_accept(&soap))) {
            soap_print_fault(&soap, stderr);
            continue;
        }
        struct soap *copy = soap_copy(&soap);
        if (!copy) {
            soap_force_closesock(&soap);
            continue;
        }
        std::thread(serve, copy).detach();
    }
}
