// A real MCP server built on the official TypeScript SDK (@modelcontextprotocol/server, pinned in
// tests/mcp/package-lock.json), served over stdio for secpilot to host as a `Format: MCP` plugin.
// Dual-era: an `initialize` opening is served in the legacy era, a `_meta` opening in the modern
// one; `--legacy-only` refuses the modern era (as most servers on npm do today). With `--http
// PORT` it serves Streamable HTTP at http://127.0.0.1:PORT/mcp instead (0: any free port; it
// prints "listening on port N"), through the SDK's createMcpHandler on node:http (both eras,
// stateless); with `--legacy-only` too, through the SDK's sessionful transport: one session per
// initialize (Mcp-Session-Id), 404 for a session it does not know, a plain-text 400 for anything
// else before initialize; it prints "event stream opened" when a client GETs its session's own
// stream, and "session closed" when a client DELETEs its session.
// `--api-key KEY` answers 401 to an HTTP request without `X-Peer-Api-Key: KEY`. `--echo-only`
// registers the echo tool alone (bench/mcp/run.sh).
// Tools: an echo, a lookup with structured output, a tool that fails, a tool that needs a secret
// (from its environment over stdio, from the X-Peer-Api-Key header over HTTP), one that logs
// before it answers, one named in more than ASCII, one that says it deletes, one that adds a tool
// (`add-tool`: then `late`, telling its process id), one whose stream is cut short (`cut-short`,
// over HTTP with --legacy-only), and one that kills the server.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import {
  McpServer, WebStandardStreamableHTTPServerTransport, createMcpHandler, isInitializeRequest,
} from "@modelcontextprotocol/server";
import { serveStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import * as z from "zod/v4";

const legacyOnly = process.argv.includes("--legacy-only");
const echoOnly = process.argv.includes("--echo-only");  // the benchmark's: one tool, least work
const apiKey = process.argv.includes("--api-key") ? process.argv[process.argv.indexOf("--api-key") + 1] : null;

// `context.requestInfo`: the HTTP request that the server serves (HTTP only).
let lateAdded = false;  // by add-tool, for the life of the process

function build(context) {
  const headerKey = context?.requestInfo?.headers.get("x-peer-api-key");
  const server = new McpServer({ name: "sdk-peer", version: "1.0.0" }, { capabilities: { logging: {} } });
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
  }, async () => ({ content: [{ type: "text", text: `key length ${(process.env.PEER_API_KEY ?? headerKey ?? "").length}` }] }));
  server.registerTool("delete-indicator", {
    description: "Removes an indicator from the feed.",
    inputSchema: z.object({ value: z.string() }),
  }, async ({ value }) => ({ content: [{ type: "text", text: `deleted ${value}` }] }));
  server.registerTool("chatty", {
    description: "Logs before it answers: a notification ahead of the result.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async (_, ctx) => {
    await ctx.mcpReq.log("info", "working on it");
    return { content: [{ type: "text", text: "said something first" }] };
  });
  server.registerTool("géo", {
    description: "A name that is not ASCII: over HTTP its Mcp-Name header is base64.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => ({ content: [{ type: "text", text: "géo ok" }] }));
  // Registering a tool on a connected server makes the SDK send notifications/tools/list_changed.
  const late = () => server.registerTool("late", {
    description: "A tool added while the server ran.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => ({ content: [{ type: "text", text: `late from ${process.pid}` }] }));
  if (lateAdded) late();
  server.registerTool("add-tool", {
    description: "Adds the tool `late`, which tells the client that the tool list changed.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => {
    if (!lateAdded) { lateAdded = true; late(); }
    return { content: [{ type: "text", text: `added by ${process.pid}` }] };
  });
  // With --legacy-only over HTTP, the response's event stream is cut after its priming event
  // (serveHttp): the client must resume it to get the answer.
  server.registerTool("cut-short", {
    description: "Answers after a while, on a stream the server cuts short.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { content: [{ type: "text", text: "answered after the cut" }] };
  });
  server.registerTool("crash", {
    description: "Ends the server's process.",
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true },
  }, async () => { process.exit(3); });
  return server;
}

// Resumability's event store: with one, the transport opens each event stream with a priming
// event, an id and empty data, which a client must skip; a client that GETs with Last-Event-ID
// gets the stream's later events again, and the rest of the stream there.
function eventStore() {
  const events = [];  // { id, streamId, message }
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}_${events.length + 1}`;
      events.push({ id, streamId, message });
      return id;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = lastEventId.slice(0, lastEventId.lastIndexOf("_"));
      console.log(`event stream resumed after ${lastEventId}`);
      const after = events.findIndex((event) => event.id === lastEventId);
      for (const event of events.slice(after + 1))
        if (event.streamId === streamId) await send(event.id, event.message);
      return streamId;
    },
  };
}

// The legacy era with sessions, as servers written for 2025-11-25 keep them: a transport and a
// server per session, found by its Mcp-Session-Id.
function sessionfulHandler() {
  const sessions = new Map();
  return {
    async fetch(request) {
      const session = request.headers.get("mcp-session-id");
      if (session) {
        const transport = sessions.get(session);
        if (!transport)
          return Response.json({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null },
                               { status: 404 });
        if (request.method === "GET") console.log(`event stream opened ${session}`);
        return transport.handleRequest(request);
      }
      const body = request.method === "POST" ? await request.clone().json().catch(() => null) : null;
      if (!isInitializeRequest(body))
        return new Response("Bad Request: no session; initialize first\n",
                            { status: 400, headers: { "content-type": "text/plain" } });
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        eventStore: eventStore(),
        onsessioninitialized: (id) => { sessions.set(id, transport); },
        onsessionclosed: (id) => { sessions.delete(id); console.log(`session closed ${id}`); },
      });
      await build({ requestInfo: request }).connect(transport);
      return transport.handleRequest(request);
    },
  };
}

// Whether the request body is a tools/call of `tool`.
function calls(body, tool) {
  try {
    const message = JSON.parse(body.toString());
    return message.method === "tools/call" && message.params?.name === tool;
  } catch {
    return false;
  }
}

// node:http in front of the SDK's web-standard handler (what @modelcontextprotocol/node's
// toNodeHandler does), on loopback only.
function serveHttp(port) {
  const handler = legacyOnly ? sessionfulHandler() : createMcpHandler(build);
  const server = createServer(async (request, response) => {
    if (apiKey !== null && request.headers["x-peer-api-key"] !== apiKey) {
      response.writeHead(401, { "content-type": "text/plain" });
      response.end("missing or wrong X-Peer-Api-Key\n");
      return;
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const answer = await handler.fetch(new Request(`http://127.0.0.1${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: body.length > 0 ? body : undefined,
    }));
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    // An event stream is passed on as it comes, event by event, as a server would send it; the
    // stream of a call of cut-short ends after its first event (the priming event).
    const cut = legacyOnly && calls(body, "cut-short");
    if (answer.body && answer.headers.get("content-type")?.startsWith("text/event-stream")) {
      for await (const chunk of answer.body) {
        response.write(chunk);
        if (cut) break;
      }
      response.end();
    } else {
      response.end(Buffer.from(await answer.arrayBuffer()));
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, "127.0.0.1", () => console.log(`listening on port ${server.address().port}`));
}

const http = process.argv.indexOf("--http");
if (http >= 0) serveHttp(Number(process.argv[http + 1] ?? 0));
else if (legacyOnly) await build().connect(new StdioServerTransport());  // server/discover: -32601
else serveStdio(build);
