// gSOAP server of the hello contract that requires a WS-Security UsernameToken, checked by
// gSOAP's own WS-Security plugin (wsseapi.c, shipped with gSOAP): a third-party server that
// validates the token our hello_client sends. Compiled by `cargo xtask interop` on the skeleton
// soapcpp2 generates from hello_wsse_service.h, with the plugin sources (which need OpenSSL for
// the digest's SHA-1).
//
// Usage: hello_wsse_server PORT USER PASSWORD   Listens on 127.0.0.1:PORT, prints
// `LISTENING <port>` once ready, serves one connection at a time. say_hello answers only when
// the request carries a UsernameToken for USER whose password (text, or a digest over nonce,
// created and password) matches PASSWORD; anything else gets the plugin's
// wsse:FailedAuthentication fault.
#include "soapH.h"
#include "HelloService.nsmap"
#include "wsseapi.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

static const char *expected_user;
static const char *expected_password;

int ns__say_USCOREhello(struct soap *soap, std::string name, unsigned int times,
                        struct ns__say_USCOREhelloResponse &result) {
    // The plugin sets the FailedAuthentication fault itself when there is no token.
    const char *user = soap_wsse_get_Username(soap);
    if (!user) return soap->error;
    if (std::strcmp(user, expected_user) != 0)
        return soap_wsse_fault(soap, wsse__FailedAuthentication, "unknown user");
    if (soap_wsse_verify_Password(soap, expected_password)) return soap->error;
    // A timestamp is optional; when one is sent it must not have expired.
    if (soap_wsse_Timestamp(soap) && soap_wsse_verify_Timestamp(soap)) return soap->error;
    soap_wsse_delete_Security(soap);  // the reply carries no security header
    if (times > 1000) return soap_sender_fault(soap, "times is at most 1000", nullptr);
    result.say_USCOREhelloResult = soap_new_ns__stringArray(soap);
    for (unsigned int i = 0; i < times; i++)
        result.say_USCOREhelloResult->string.push_back("Hello, " + name);
    return SOAP_OK;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: hello_wsse_server PORT USER PASSWORD\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    expected_user = argv[2];
    expected_password = argv[3];
    struct soap soap;
    soap_init1(&soap, SOAP_C_UTFSTRING);
    soap_register_plugin(&soap, soap_wsse);
    soap.bind_flags = SO_REUSEADDR;
    soap.recv_timeout = 60;
    soap.send_timeout = 60;
    if (!soap_valid_socket(soap_bind(&soap, "127.0.0.1", port, 16))) {
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
        if (soap_serve(&soap)) soap_print_fault(&soap, stderr);
        soap_destroy(&soap);
        soap_end(&soap);
    }
}
