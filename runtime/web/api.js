// Talking to secpilotd: every call sends the API key as a bearer token (the API takes nothing
// else, so another site cannot make the browser act for the user). The key lives in
// sessionStorage: gone when the tab closes, never in a URL.
const KEY = "secpilot.apiKey";

export const credentials = {
  get key() {
    return sessionStorage.getItem(KEY) ?? "";
  },
  set(key) {
    sessionStorage.setItem(KEY, key);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

// An answer other than 2xx, with the RFC 9457 problem the daemon sent.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

// Called when the key stops working (revoked, or the daemon's store changed).
let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

function headers(extra) {
  return { Authorization: `Bearer ${credentials.key}`, ...extra };
}

async function failure(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not JSON: the status says enough.
  }
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, problem);
}

// Calls the API. `body`: an object (sent as JSON) or a string (sent as `contentType`).
// Returns the parsed JSON (null for 204), or the Response itself with `raw`.
export async function api(path, { method = "GET", body, contentType, raw = false, signal } = {}) {
  const extra = {};
  let payload;
  if (typeof body === "string") {
    payload = body;
    extra["Content-Type"] = contentType ?? "text/plain; charset=utf-8";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    extra["Content-Type"] = "application/json";
  }
  const response = await fetch(path, {
    method,
    headers: headers(extra),
    body: payload,
    cache: "no-store",
    signal,
  });
  if (!response.ok) throw await failure(response);
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

// Path segments are names and ids; encode them anyway.
export const segment = encodeURIComponent;

// One server-sent event block ("id: 3\nevent: step.started\ndata: {...}") -> its fields.
function parseBlock(block) {
  const event = { id: null, type: "message", data: [] };
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === 0) continue;  // a comment
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "id") event.id = value;
    else if (name === "event") event.type = value;
    else if (name === "data") event.data.push(value);
  }
  return event;
}

// Follows an event stream (an evaluation's or a promptbook run's) with fetch, because
// EventSource cannot send the Authorization header. Stored events come first, then live ones;
// calls onEvent(type, data, id) for each, in order. A dropped connection resumes after the last
// id (Last-Event-ID). Resolves after `done`, or when `signal` aborts; rejects on a 4xx.
export async function followEvents(path, onEvent, signal) {
  let lastId = "";
  let retryMs = 1000;
  while (!signal?.aborted) {
    try {
      const extra = { Accept: "text/event-stream" };
      if (lastId) extra["Last-Event-ID"] = lastId;
      const response = await fetch(path, { headers: headers(extra), cache: "no-store", signal });
      if (!response.ok) throw await failure(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.id !== null) lastId = event.id;
          if (event.data.length === 0) continue;
          onEvent(event.type, JSON.parse(event.data.join("\n")), event.id);
          if (event.type === "done") {
            reader.cancel().catch(() => {});
            return;
          }
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      const status = error instanceof ApiError ? error.status : 0;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw error;
    }
    // The connection dropped before `done`: try again a little later.
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    retryMs = Math.min(retryMs * 2, 10000);
  }
}
