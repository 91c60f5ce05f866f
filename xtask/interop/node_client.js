// node-soap against the bench, hello and interop services: every returned value checked.
//
// Usage: node node_client.js INTEROP_URL BENCH_URL HELLO_URL   (each the service's root URL;
// `soap` is resolved through NODE_PATH). Prints the result lines that `cargo xtask interop`
// reads (see interop_common.py):  RESULT<TAB>service.operation<TAB>pass|fail|n/a<TAB>detail
'use strict';

const assert = require('node:assert/strict');
const soap = require('soap');

const NS = 'spyne.test.interop.server';

class NotExpressible extends Error {}

let failed = 0;

function line(op, status, detail) {
  const text = String(detail || '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' | ')
    .replace(/\t/g, ' ');
  process.stdout.write(`RESULT\t${op}\t${status}\t${text}\n`);
}

async function run(op, fn) {
  try {
    const note = await fn();
    line(op, 'pass', note);
  } catch (e) {
    if (e instanceof NotExpressible) {
      line(op, 'n/a', e.message);
      return;
    }
    failed += 1;
    let detail = e && e.message ? e.message : String(e);
    if (e && e.root && e.root.Envelope) {
      detail += ' | fault: ' + JSON.stringify(e.root.Envelope.Body);
    }
    if (detail.length > 600) detail = detail.slice(0, 600) + '...';
    line(op, 'fail', detail);
  }
}

function expect(actual, expected, what) {
  try {
    assert.deepStrictEqual(actual, expected);
  } catch (e) {
    const show = (v) => {
      const s = JSON.stringify(v);
      return s && s.length > 200 ? s.slice(0, 200) + '...' : s;
    };
    throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** The items of an array value: node-soap gives one item as a scalar, none as undefined. */
function items(value, name) {
  if (value === undefined || value === null) return [];
  const v = name === undefined ? value : value[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Calls `method(args)`, which must fail with a SOAP fault whose code's local part matches. */
async function expectFault(method, args, code, message, actor) {
  let result;
  try {
    [result] = await method(args);
  } catch (e) {
    const fault = e && e.root && e.root.Envelope && e.root.Envelope.Body && e.root.Envelope.Body.Fault;
    if (!fault) throw new Error(`expected a ${code} fault, got error ${e && e.message}`);
    const local = String(fault.faultcode || '').split(':').pop();
    const ok = code.endsWith('.*')
      ? local === code.slice(0, -2) || local.startsWith(code.slice(0, -1))
      : local === code;
    if (!ok) throw new Error(`faultcode ${fault.faultcode} is not ${code}`);
    if (message !== undefined) expect(fault.faultstring, message, 'faultstring');
    if (actor !== undefined) expect(fault.faultactor, actor, 'faultactor');
    return;
  }
  throw new Error(`expected a ${code} fault, got ${JSON.stringify(result)}`);
}

// ------------------------------------------------------------------------------ bench + hello

const BENCH_STRING = 'rpclib-bench-W1-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL';
const BENCH_INTS = [];
for (let i = 0; i < 1000; i++) BENCH_INTS.push(((i * 431780) % 2000003) - 1000001);
BENCH_INTS.push(-2147483648, 2147483647);

function benchPeople() {
  const people = [];
  for (let i = 0; i < 100; i++) {
    const n = String(i).padStart(3, '0');
    people.push({
      name: `Person Number ${n}`,
      age: 18 + ((i * 7) % 60),
      email: `person${n}@example.org`,
      tags: { string: ['a', 'b', 'c'].map((t) => `tag-${t}-${n}`) },
    });
  }
  return people;
}

function benchCases(c) {
  return {
    async echo_string() {
      const [r] = await c.echo_stringAsync({ s: BENCH_STRING });
      expect(r.echo_stringResult, BENCH_STRING, 'W1');
    },
    async echo_integer_array() {
      const [r] = await c.echo_integer_arrayAsync({ values: { int: BENCH_INTS } });
      // node-soap does not convert xs:int: the values come back as text.
      expect(items(r.echo_integer_arrayResult, 'int').map(Number), BENCH_INTS, 'W2');
    },
    async echo_people() {
      const people = benchPeople();
      const [r] = await c.echo_peopleAsync({ people: { Person: people } });
      const got = items(r.echo_peopleResult, 'Person').map((p) => ({
        name: p.name,
        age: Number(p.age),
        email: p.email,
        tags: { string: items(p.tags, 'string') },
      }));
      expect(got, people, 'W3');
    },
  };
}

function helloCases(c) {
  return {
    async say_hello() {
      const [r] = await c.say_helloAsync({ name: 'Dave', times: 3 });
      expect(items(r.say_helloResult, 'string'), ['Hello, Dave', 'Hello, Dave', 'Hello, Dave'], 'say_hello(Dave, 3)');
      const [one] = await c.say_helloAsync({ name: 'Ann', times: 1 });
      expect(items(one.say_helloResult, 'string'), ['Hello, Ann'], 'say_hello(Ann, 1)');
      const [none] = await c.say_helloAsync({ name: 'x', times: 0 });
      expect(items(none && none.say_helloResult, 'string'), [], 'say_hello(x, 0)');
      await expectFault(c.say_helloAsync, { name: '', times: 1 }, 'Client.*');
    },
  };
}

async function main() {
  const [interopUrl, benchUrl, helloUrl] = process.argv.slice(2);
  const services = [
    ['interop', interopUrl, require('./node_interop_cases.js').interopCases],
    ['bench', benchUrl, benchCases],
    ['hello', helloUrl, helloCases],
  ];
  for (const [prefix, url, build] of services) {
    let client;
    await run(`${prefix}.(wsdl)`, async () => {
      client = await soap.createClientAsync(url + '?wsdl', {
        disableCache: true,
        // keep the lexical text of arbitrary-precision integers and dates (see
        // node_interop_cases.js); xs:int, floats and booleans keep node-soap's conversion
        customDeserializer: { integer: (t) => t, dateTime: (t) => t, date: (t) => t },
      });
    });
    if (!client) continue;
    const cases = build(client, { expect, expectFault, items, NotExpressible, NS });
    for (const [name, fn] of Object.entries(cases)) {
      await run(`${prefix}.${name}`, fn);
    }
  }
  process.stdout.write('DONE\n');
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`node client crashed: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
});
