// Starts a tajo-sandbox process for a conformance test and stops it afterwards.
// The binary comes from $TAJO_SANDBOX (ctest sets it); it prints "hubspot listening on URL".
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export const DEFAULT_TOKEN = 'pat-na1-11111111-2222-4333-8444-555555555555';

export async function startSandbox(args = []) {
  const bin = process.env.TAJO_SANDBOX;
  if (!bin) throw new Error('TAJO_SANDBOX must name the tajo-sandbox binary');
  const child = spawn(bin, ['--hubspot-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/hubspot listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      return child.exitCode;
    },
  };
}
