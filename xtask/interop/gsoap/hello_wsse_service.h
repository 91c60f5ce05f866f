// The hello contract (the hello example's WSDL: say_hello(name, times) -> stringArray) written
// as a gSOAP service header, with gSOAP's WS-Security header block imported so that a server
// built on the skeleton soapcpp2 generates from it can read a UsernameToken. `cargo xtask
// interop` compiles hello_wsse_server.cpp on that skeleton, for our hello_client to call.

//gsoap ns service name: HelloService
//gsoap ns service namespace: spyne.examples.hello
//gsoap ns service location: http://localhost:8000/
//gsoap ns service style: document
//gsoap ns service encoding: literal
//gsoap ns schema namespace: spyne.examples.hello
//gsoap ns schema elementForm: qualified
//gsoap ns schema attributeForm: unqualified

#import "stlvector.h"
#import "wsse.h"

/// `stringArray`: repeated `string` items.
class ns__stringArray {
  public:
    std::vector<std::string> string 0;
};

struct ns__say_USCOREhelloResponse { ns__stringArray *say_USCOREhelloResult 1; };

//gsoap ns service method-action: say_USCOREhello "say_hello"
/// Says hello to `name`, `times` times.
int ns__say_USCOREhello(std::string name, unsigned int times, struct ns__say_USCOREhelloResponse &result);
