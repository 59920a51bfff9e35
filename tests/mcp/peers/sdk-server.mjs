// A real MCP server built on the official TypeScript SDK (@modelcontextprotocol/server, pinned in
// tests/mcp/package-lock.json), served over stdio for secpilot to host as a `Format: MCP` plugin.
// Dual-era: an `initialize` opening is served in the legacy era, a `_meta` opening in the modern
// one; `--legacy-only` refuses the modern era (as most servers on npm do today). With `--http
// PORT` it serves Streamable HTTP at http://127.0.0.1:PORT/mcp instead (0: any free port; it
// prints "listening on port N"), through the SDK's createMcpHandler on node:http. `--echo-only`
// registers the echo tool alone (bench/mcp/run.sh).
// Tools: an echo, a lookup with structured output, a tool that fails, a tool that needs a secret
// from its environment, one that says it deletes, and (with --crash-on-call) one that kills the
// server.
import { createServer } from "node:http";
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server";
import { serveStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import * as z from "zod/v4";

const legacyOnly = process.argv.includes("--legacy-only");
const echoOnly = process.argv.includes("--echo-only");  // the benchmark's: one tool, least work

function build() {
  const server = new McpServer({ name: "sdk-peer", version: "1.0.0" });
  server.registerTool("echo", {
    description: "Echoes the text back.",
    inputSchema: z.object({ text: z.string().describe("What to echo") }),
    annotations: { readOnlyHint: true },
  }, async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }));
  if (echoOnly) return server;
  server.registerTool("ip-reputation", {
    title: "IP reputation",
    description: "Reputation of an IP address in the peer's tiny feed.",
    inputSchema: z.object({ ip: z.string().describe("An IPv4 address") }),
    outputSchema: z.object({ ip: z.string(), verdict: z.string(), score: z.number() }),
    annotations: { readOnlyHint: true },
  }, async ({ ip }) => {
    const verdict = ip.startsWith("203.0.113.") ? "malicious" : "unknown";
    const structured = { ip, verdict, score: verdict === "malicious" ? 97 : 0 };
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  });
  server.registerTool("fail", {
    description: "Always reports an error.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => ({ content: [{ type: "text", text: "the feed is down" }], isError: true }));
  server.registerTool("whoami", {
    description: "Tells whether the API key from the environment arrived.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => ({ content: [{ type: "text", text: `key length ${(process.env.PEER_API_KEY ?? "").length}` }] }));
  server.registerTool("delete-indicator", {
    description: "Removes an indicator from the feed.",
    inputSchema: z.object({ value: z.string() }),
  }, async ({ value }) => ({ content: [{ type: "text", text: `deleted ${value}` }] }));
  server.registerTool("crash", {
    description: "Ends the server's process.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => { process.exit(3); });
  return server;
}

// node:http in front of the SDK's web-standard handler (what @modelcontextprotocol/node's
// toNodeHandler does), on loopback only.
function serveHttp(port) {
  const handler = createMcpHandler(build);
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const answer = await handler.fetch(new Request(`http://127.0.0.1${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: body.length > 0 ? body : undefined,
    }));
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, "127.0.0.1", () => console.log(`listening on port ${server.address().port}`));
}

const http = process.argv.indexOf("--http");
if (http >= 0) serveHttp(Number(process.argv[http + 1] ?? 0));
else if (legacyOnly) await build().connect(new StdioServerTransport());  // server/discover: -32601
else serveStdio(build);
