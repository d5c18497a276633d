// Starts a tajo-sandbox process for the Brevo conformance tests and stops it afterwards.
// The binary comes from $TAJO_SANDBOX (ctest sets it); it prints "brevo listening on URL"
// (URL ends in /v3, the base URL Brevo's SDK expects).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

// The sandbox's default Brevo API key (see `tajo-sandbox --help`).
export const DEFAULT_API_KEY =
  'xkeysib-74616a6f2d73616e64626f782d627265766f2d6b65792d303100000000000000-TajoSandboxKey01';

export async function startSandbox(args = []) {
  const bin = process.env.TAJO_SANDBOX;
  if (!bin) throw new Error('TAJO_SANDBOX must name the tajo-sandbox binary');
  const child = spawn(bin, ['--hubspot-port', '0', '--brevo-port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/brevo listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited ${code}: ${stderr}`)); });
  });
  const origin = new URL(url).origin;
  return {
    url,
    // POSTs JSON to the sandbox's admin API (/_sandbox/...) and returns the parsed answer.
    async admin(path, body = {}, method = 'POST') {
      const res = await fetch(`${origin}/_sandbox/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`admin ${path}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      return child.exitCode;
    },
  };
}
