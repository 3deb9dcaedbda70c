// A Node.js payment service's Keyward client, no dependencies.
//   node keyward-client.mjs SOCKET MODE
// Fetches MODE's key set over keywardd's Unix socket and has Keyward sign an open-platform
// string (the private key stays in Keyward).
import { request } from "node:http";

function call(socketPath, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: data ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } : {} }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        const json = text ? JSON.parse(text) : null;
        if (res.statusCode >= 400) reject(new Error(`${json.error.code}: ${json.error.message} (${json.error.hint})`));
        else resolve({ status: res.statusCode, etag: res.headers.etag, json });
      });
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

const [socketPath, mode] = process.argv.slice(2);
const { json: keySet, etag } = await call(socketPath, "GET", `/v1/keysets/${mode}`);
console.log(`${mode} v${keySet.version} app_id=${keySet.appID} etag=${etag}`);
const content = `app_id=${keySet.appID}&method=alipay.trade.query&sign_type=RSA2`;
const { json: signed } = await call(socketPath, "POST", `/v1/keysets/${mode}/sign`, { text: content });
console.log(`signed with v${signed.keyVersion}: ${signed.signature.slice(0, 24)}…`);
