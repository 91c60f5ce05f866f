// node-soap's WSSecurity against the hello server started with --wsse-user/--wsse-password:
// text and digest passwords (with a nonce and created; with and without a timestamp) must be
// accepted, a wrong password must give the wsse:FailedAuthentication fault.
//
// Usage: node node_wsse.js HELLO_WSSE_URL USER PASSWORD   (`soap` is resolved through
// NODE_PATH). Prints the result lines that `cargo xtask interop` reads (interop_common.py)
// for the service `hello-wsse`.
'use strict';

const assert = require('node:assert/strict');
const soap = require('soap');

const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const SERVICE = 'hello-wsse';
let failed = 0;

function line(op, status, detail) {
  const text = String(detail || '').split('\n').map((s) => s.trim()).filter(Boolean).join(' | ');
  process.stdout.write(`RESULT\t${SERVICE}.${op}\t${status}\t${text.replace(/\t/g, ' ')}\n`);
}

async function run(op, fn) {
  try {
    line(op, 'pass', await fn());
  } catch (e) {
    failed += 1;
    line(op, 'fail', e && e.message ? e.message : String(e));
  }
}

async function client(url, security) {
  const c = await soap.createClientAsync(url + '?wsdl', { endpoint: url });
  if (security) c.setSecurity(security);
  return c;
}

function greetings(r) {
  const v = r && r.say_helloResult && r.say_helloResult.string;
  return v === undefined ? [] : [].concat(v);
}

function callOk(url, security) {
  return async () => {
    const c = await client(url, security);
    // Twice: node-soap draws a fresh nonce per call, so the second is no replay.
    for (let i = 0; i < 2; i++) {
      const [r] = await c.say_helloAsync({ name: 'Node', times: 2 });
      assert.deepEqual(greetings(r), ['Hello, Node', 'Hello, Node']);
    }
  };
}

function wrongPassword(url, user, passwordType) {
  return async () => {
    const c = await client(url, new soap.WSSecurity(user, 'not-the-password', { passwordType, hasNonce: true }));
    try {
      await c.say_helloAsync({ name: 'Node', times: 1 });
    } catch (e) {
      const body = e && e.body ? String(e.body) : '';
      // The faultcode is a QName whose prefix is bound to the wsse namespace.
      const code = /<faultcode>\s*([^<:\s]+):FailedAuthentication\s*<\/faultcode>/.exec(body);
      assert.ok(code, `no wsse:FailedAuthentication faultcode in ${body.slice(0, 400)}`);
      assert.ok(body.includes(`xmlns:${code[1]}="${WSSE_NS}"`), `prefix ${code[1]} is not the wsse namespace`);
      return `fault ${code[0].replace(/<\/?faultcode>/g, '')}`;
    }
    throw new Error('a wrong password was accepted');
  };
}

async function main() {
  const [url, user, password] = process.argv.slice(2);
  await run('(wsdl)', async () => { await client(url); });
  await run('text', callOk(url, new soap.WSSecurity(user, password, { passwordType: 'PasswordText', hasNonce: true, hasTimeStamp: false })));
  await run('digest', callOk(url, new soap.WSSecurity(user, password, { passwordType: 'PasswordDigest', hasNonce: true, hasTimeStamp: false })));
  await run('digest+timestamp', callOk(url, new soap.WSSecurity(user, password, { passwordType: 'PasswordDigest', hasNonce: true, hasTimeStamp: true })));
  await run('wrong password (text)', wrongPassword(url, user, 'PasswordText'));
  await run('wrong password (digest)', wrongPassword(url, user, 'PasswordDigest'));
  process.stdout.write('DONE\n');
  process.exitCode = failed ? 1 : 0;
}

main();
