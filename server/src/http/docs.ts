/** Browsable API docs at /api/docs: a small page that renders /api/v1/openapi.json (no inline script, CSP-safe). */
export const docsHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Mainstream Monitor API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ccc;margin-top:2rem;text-transform:capitalize}
details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.4rem .7rem}summary{cursor:pointer}
code.m{display:inline-block;min-width:4.5rem;font-weight:700}.get{color:#0072B2}.post{color:#009E73}.patch,.put{color:#b35f00}.delete{color:#b00020}
pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:12px}.who{color:#555;font-size:13px}</style></head>
<body><h1>Mainstream Monitor API</h1><p>Generated from the server's own schemas: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).
State-changing requests need the header <code>X-Requested-With: MainstreamMonitor</code>; writes of versioned records need <code>If-Match</code>.</p>
<main id="docs">Loading…</main><script src="/api/docs.js"></script></body></html>`;

export const docsScript = `(async () => {
  const root = document.getElementById('docs');
  const doc = await (await fetch('/api/v1/openapi.json')).json();
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  root.textContent = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    const h = document.createElement('h2'); h.textContent = tag; root.append(h);
    for (const { path, method, op } of ops) {
      const d = document.createElement('details');
      const s = document.createElement('summary');
      const m = document.createElement('code'); m.className = 'm ' + method; m.textContent = method.toUpperCase();
      const p = document.createElement('code'); p.textContent = path;
      s.append(m, ' ', p, ' — ', op.summary); d.append(s);
      const who = document.createElement('p'); who.className = 'who'; who.textContent = op.description; d.append(who);
      const pre = document.createElement('pre');
      pre.textContent = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2);
      d.append(pre); root.append(d);
    }
  }
})();`;
