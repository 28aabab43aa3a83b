// The least a Node process can do for `lock-desktop show`: the look-up's own steps with Node's
// built-ins alone (no validation, no error handling, no messages). The bench times it beside the
// CLI to show how much of the CLI's time is Node itself. Usage: show-floor.mjs URL TOKEN-FILE DB-FILE
// Built-ins through getBuiltinModule: an ES import of node:http would copy its exports, loading undici.
const crypto = process.getBuiltinModule('node:crypto');
const fs = process.getBuiltinModule('node:fs');
const http = process.getBuiltinModule('node:http');
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');

const [url, tokenFile, dbFile] = process.argv.slice(2);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const db = new DatabaseSync(dbFile);
db.exec('CREATE TABLE IF NOT EXISTS entries (token_hash TEXT PRIMARY KEY, body TEXT)');
db.prepare('SELECT body FROM entries WHERE token_hash = ?').get(crypto.createHash('sha256').update(`${url}\n${token}`).digest('hex'));
const body = JSON.stringify({ token });
const request = http.request(`${url}/api/lock/v1/employee`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => (text += chunk));
  response.on('end', () => {
    const { employee } = JSON.parse(text);
    process.stdout.write(`${employee.name}\n`);
  });
});
request.end(body);
