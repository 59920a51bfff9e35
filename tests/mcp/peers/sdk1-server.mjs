// A real MCP server written the way most vendors' servers on npm are today: on version 1 of the
// official TypeScript SDK (@modelcontextprotocol/sdk, pinned in tests/mcp/package-lock.json),
// which speaks the legacy era only (initialize, up to 2025-11-25). Over stdio by default; with
// `--http PORT` over Streamable HTTP at http://127.0.0.1:PORT/mcp in the SDK's stateless mode (a
// server and a transport per request, no Mcp-Session-Id, JSON answers), printing "listening on
// port N".
// Tools: a domain lookup with structured output, an echo, and a tool that fails.
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import * as z from "zod/v4";

function build() {
  const server = new McpServer({ name: "sdk1-peer", version: "1.0.0" });
  server.registerTool("domain-age", {
    title: "Domain age",
    description: "Days since a domain was registered, from the peer's tiny WHOIS table.",
    inputSchema: { domain: z.string().describe("A domain name") },
    outputSchema: { domain: z.string(), days: z.number(), newlyRegistered: z.boolean() },
    annotations: { readOnlyHint: true },
  }, async ({ domain }) => {
    const days = domain.endsWith(".example") ? 3 : 4200;
    const structured = { domain, days, newlyRegistered: days < 30 };
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  });
  server.registerTool("echo", {
    description: "Echoes the text back.",
    inputSchema: { text: z.string() },
    annotations: { readOnlyHint: true },
  }, async ({ text }) => ({ content: [{ type: "text", text: `sdk1: ${text}` }] }));
  server.registerTool("fail", {
    description: "Always reports an error.",
    inputSchema: {},
    annotations: { readOnlyHint: true },
  }, async () => ({ content: [{ type: "text", text: "whois is unavailable" }], isError: true }));
  return server;
}

function serveHttp(port) {
  const http = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString();
    let body;
    try { body = text.length > 0 ? JSON.parse(text) : undefined; } catch { body = undefined; }
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on("close", () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  http.listen(port, "127.0.0.1", () => console.log(`listening on port ${http.address().port}`));
}

const httpAt = process.argv.indexOf("--http");
if (httpAt >= 0) serveHttp(Number(process.argv[httpAt + 1] ?? 0));
else await build().connect(new StdioServerTransport());
