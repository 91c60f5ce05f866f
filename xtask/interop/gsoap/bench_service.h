// The bench contract (docs/contracts/bench-service.md) written as a gSOAP service
// header, the way a gSOAP user declares a service. `cargo xtask interop` runs soapcpp2 on it
// only to obtain gSOAP's own WSDL for the contract (BenchService.wsdl), a WSDL that we did not
// write, for the WSDL reader's tests (crates/interface-wsdl/tests/data/gsoap-bench.wsdl).

//gsoap ns service name: BenchService
//gsoap ns service namespace: urn:rpclib:bench
//gsoap ns service location: http://localhost:8000/
//gsoap ns service style: document
//gsoap ns service encoding: literal
//gsoap ns schema namespace: urn:rpclib:bench
//gsoap ns schema elementForm: qualified
//gsoap ns schema attributeForm: unqualified

#import "stlvector.h"

/// `intArray`: repeated `int` items.
class ns__intArray {
  public:
    std::vector<int> int_ 0;
};

/// `stringArray`: repeated `string` items.
class ns__stringArray {
  public:
    std::vector<std::string> string 0;
};

/// `Person`: W3's payload.
class ns__Person {
  public:
    std::string name 1;
    int age 1;
    std::string email 1;
    ns__stringArray *tags 1;
};

/// `PersonArray`: repeated `Person` items.
class ns__PersonArray {
  public:
    std::vector<ns__Person *> Person 0;
};

struct ns__echo_USCOREstringResponse { std::string echo_USCOREstringResult 1; };
struct ns__echo_USCOREinteger_USCOREarrayResponse { ns__intArray *echo_USCOREinteger_USCOREarrayResult 1; };
struct ns__echo_USCOREpeopleResponse { ns__PersonArray *echo_USCOREpeopleResult 1; };

//gsoap ns service method-action: echo_USCOREstring "echo_string"
/// W1: echoes a string.
int ns__echo_USCOREstring(std::string s, struct ns__echo_USCOREstringResponse &result);

//gsoap ns service method-action: echo_USCOREinteger_USCOREarray "echo_integer_array"
/// W2: echoes an array of ints.
int ns__echo_USCOREinteger_USCOREarray(ns__intArray *values, struct ns__echo_USCOREinteger_USCOREarrayResponse &result);

//gsoap ns service method-action: echo_USCOREpeople "echo_people"
/// W3: echoes an array of people.
int ns__echo_USCOREpeople(ns__PersonArray *people, struct ns__echo_USCOREpeopleResponse &result);
