// The local REST API /api/cloud/* as the dashboard uses it: the bearer token (taken from the
// page's #token= fragment, kept in sessionStorage), JSON requests with errors in plain words,
// and Server-Sent Events read with fetch() so that the Authorization header goes with them.

const TOKEN_KEY = "elizacloud.token";
let memoryToken = "";
let onUnauthorized = () => {};

/** An answer of the API that is not a success, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** Moves a token from the URL fragment (#token=...) into sessionStorage and removes the
 * fragment from the address bar and the history. Call once, before any request. */
export function adoptTokenFromFragment() {
  const fragment = location.hash.replace(/^#/, "");
  if (!fragment) {
    return;
  }
  const params = new URLSearchParams(fragment);
  if (!params.has("token")) {
    return;
  }
  const token = params.get("token") || "";
  if (token) {
    setToken(token);
  }
  params.delete("token");
  const rest = params.toString();
  history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || memoryToken;
  } catch {
    return memoryToken;
  }
}

export function setToken(token) {
  memoryToken = token;
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the token lives as long as the page.
  }
}

/** Called (with no argument) whenever the server refuses the token. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

function headers(extra) {
  const out = { ...extra };
  const token = getToken();
  if (token) {
    out.Authorization = "Bearer " + token;
  }
  return out;
}

async function readJson(response) {
  const text = await response.text();
  if (!text) {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    return { error: `The server answered something that is not JSON (HTTP ${response.status})` };
  }
}

// The token check answers exactly {"error":"Unauthorized"}; other 401s (no cloud key) are errors
// of the action, not of the token.
function failure(status, body) {
  const message = body && typeof body.error === "string" && body.error
    ? body.error
    : "The server answered HTTP " + status;
  if (status === 401 && message === "Unauthorized") {
    onUnauthorized();
    return new ApiError(401, "This dashboard needs the server's token");
  }
  return new ApiError(status, message);
}

async function send(method, path, body, accept, signal) {
  const init = { method, headers: headers({ Accept: accept }), cache: "no-store", signal };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") {
      throw err;
    }
    throw new ApiError(0, "Cannot reach the local server; is elizacloud serve still running?");
  }
}

/** A JSON request; resolves to the parsed body of a 2xx answer, rejects with an ApiError. */
export async function api(method, path, body) {
  const response = await send(method, path, body, "application/json");
  const data = await readJson(response);
  if (!response.ok) {
    throw failure(response.status, data);
  }
  return data;
}

/** Incremental Server-Sent Events parser: push() text as it arrives, events come out through
 * onEvent(name, data) and the server's retry: value through onRetry(ms). */
export class SseParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = "";
    this.name = "";
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) {
        return;
      }
      // A lone CR at the end may be the first half of a CRLF split across two chunks.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) {
        return;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === "") {
      if (this.data.length) {
        this.onEvent(this.name || "message", this.data.join("\n"));
      }
      this.name = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (field === "event") {
      this.name = value;
    } else if (field === "data") {
      this.data.push(value);
    } else if (field === "retry" && /^\d+$/.test(value)) {
      this.onRetry(Number(value));
    }
  }
}

/** Opens an event stream (GET, or POST with a JSON body) and calls onEvent(name, parsedData)
 * for each event until the stream ends; resolves then. Rejects with an ApiError when the server
 * refuses the request, or when the connection drops. */
export async function stream(method, path, body, onEvent, { signal, onRetry, onOpen } = {}) {
  const response = await send(method, path, body, "text/event-stream", signal);
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.startsWith("text/event-stream")) {
    throw failure(response.status, await readJson(response));
  }
  if (onOpen) {
    onOpen();
  }
  const parser = new SseParser((name, text) => {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      data = { text };
    }
    onEvent(name, data);
  }, onRetry);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (err) {
      if (err && err.name === "AbortError") {
        throw err;
      }
      throw new ApiError(0, "The connection to the local server dropped");
    }
    if (chunk.done) {
      break;
    }
    try {
      parser.push(decoder.decode(chunk.value, { stream: true }));
    } catch (err) {
      // onEvent refused the stream (an error event): stop reading it.
      reader.cancel().catch(() => {});
      throw err;
    }
  }
  // An event cut off by the end of the stream is dropped, as EventSource does.
  parser.push(decoder.decode());
}
