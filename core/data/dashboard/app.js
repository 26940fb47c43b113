// The dashboard's views: account, status and credits, agents, connection, chat, backups.
// Everything goes through the local REST API (api.js); nothing is loaded from anywhere else.

import {
  adoptTokenFromFragment, api, setToken, setUnauthorizedHandler, stream,
} from "./api.js";

const $ = (id) => document.getElementById(id);

const view = {
  status: null, // the last GET /api/cloud/status
  agents: [], // the last GET /api/cloud/agents
  connection: { state: "unknown", agentId: null },
  busy: new Map(), // agentId -> what the page is doing to it ("connect", "shutdown")
  progress: new Map(), // agentId -> provisioning statuses seen during its last connect
  keyPrefix: "",
  backupAgentChosen: false, // the user picked an agent in Backups (else: the connected one)
  loginTimer: 0,
  disconnecting: false, // a disconnect is running: its final backup needs no list refresh
  unauthorized: false,
  tokenTried: false,
  events: null, // AbortController of the running events stream
  eventsRetryMs: 3000,
  eventsOpened: 0,
};

// ---- small helpers ------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = value;
    } else if (name === "className") {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  node.append(...children);
  return node;
}

function setText(id, text) {
  $(id).textContent = text;
}

function showError(id, err) {
  setText(id, err ? messageOf(err) : "");
}

function messageOf(err) {
  if (typeof err === "string") {
    return err;
  }
  return err && err.message ? err.message : "Something went wrong";
}

function isTokenError(err) {
  return err && err.status === 401 && view.unauthorized;
}

function formatDate(value) {
  if (!value) {
    return "—";
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function formatBytes(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return "—";
  }
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} bytes` : `${size.toFixed(1)} ${units[unit]}`;
}

function formatDelay(ms) {
  if (typeof ms !== "number") {
    return "—";
  }
  return ms < 1000 ? `in ${ms} ms` : `in ${(ms / 1000).toFixed(1)} s`;
}

function yesNo(value) {
  return value ? "yes" : "no";
}

/** Only http(s) addresses become links (no javascript: or data: URLs from a server answer). */
function safeUrl(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
  } catch {
    return "";
  }
}

function agentName(agentId) {
  const agent = view.agents.find((a) => a.id === agentId);
  return agent ? agent.name || agent.agentName || agentId : agentId;
}

/** Runs an action with its button disabled and marked busy. */
async function withBusy(button, action) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

// ---- token --------------------------------------------------------------------------------------

function askForToken() {
  if (view.unauthorized) {
    return;
  }
  view.unauthorized = true;
  stopLoginPoll();
  $("main").hidden = true;
  $("token-panel").hidden = false;
  setText("token-error", view.tokenTried ? "The server refused that token." : "");
  setText("stream-state", "Waiting for the token");
  $("token-input").focus();
}

function useToken(event) {
  event.preventDefault();
  const token = $("token-input").value.trim();
  if (!token) {
    setText("token-error", "Enter the token that elizacloud serve was started with.");
    return;
  }
  setToken(token);
  $("token-input").value = "";
  view.tokenTried = true;
  view.unauthorized = false;
  $("token-panel").hidden = true;
  $("main").hidden = false;
  $("main").focus();
  refreshAll();
  startEvents();
}

// ---- account ------------------------------------------------------------------------------------

function renderAccount() {
  const status = view.status;
  let text;
  if (!status) {
    text = "Checking…";
  } else if (status.hasApiKey) {
    text = view.keyPrefix
      ? `Logged in to Eliza Cloud with the key ${view.keyPrefix}…`
      : "Logged in to Eliza Cloud.";
  } else {
    text = "Not logged in.";
  }
  if (!view.loginTimer) {
    setText("account-state", text);
  }
  $("login-button").hidden = loggedIn();
  $("disconnect-button").hidden = !loggedIn();
}

function stopLoginPoll() {
  if (view.loginTimer) {
    clearTimeout(view.loginTimer);
    view.loginTimer = 0;
  }
  $("login-button").disabled = false;
  $("login-button").removeAttribute("aria-busy");
}

async function login() {
  showError("account-error", "");
  stopLoginPoll();
  const button = $("login-button");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  let session;
  try {
    session = await api("POST", "/api/cloud/login");
  } catch (err) {
    stopLoginPoll();
    if (!isTokenError(err)) {
      showError("account-error", `Could not start the login: ${messageOf(err)}`);
    }
    return;
  }
  const url = safeUrl(session.browserUrl);
  if (url) {
    window.open(url, "_blank", "noopener");
    $("login-link").href = url;
    $("login-link-line").hidden = false;
  }
  setText("account-state", "Waiting for you to approve the login on the Eliza Cloud page…");
  view.loginTimer = setTimeout(() => pollLogin(session.sessionId), 1000);
}

async function pollLogin(sessionId) {
  let answer;
  try {
    answer = await api("GET", `/api/cloud/login/status?sessionId=${encodeURIComponent(sessionId)}`);
  } catch (err) {
    stopLoginPoll();
    if (!isTokenError(err)) {
      showError("account-error", `The login did not complete: ${messageOf(err)}`);
      renderAccount();
    }
    return;
  }
  if (!view.loginTimer) {
    return; // cancelled meanwhile (disconnect, token)
  }
  if (answer.status === "pending") {
    view.loginTimer = setTimeout(() => pollLogin(sessionId), 1000);
    return;
  }
  stopLoginPoll();
  $("login-link-line").hidden = true;
  if (answer.status === "authenticated") {
    view.keyPrefix = typeof answer.keyPrefix === "string" ? answer.keyPrefix : "";
    await refreshAll();
    return;
  }
  const why = answer.status === "expired"
    ? "The login session expired before it was approved; log in again."
    : `The login failed: ${answer.error || "unknown error"}`;
  showError("account-error", why);
  renderAccount();
}

async function disconnect() {
  showError("account-error", "");
  stopLoginPoll();
  $("login-link-line").hidden = true;
  view.disconnecting = true;
  try {
    await withBusy($("disconnect-button"), () => api("POST", "/api/cloud/disconnect"));
    view.keyPrefix = "";
    await refreshAll();
    setText("account-state", "Disconnected. The key was removed from this machine.");
  } catch (err) {
    if (!isTokenError(err)) {
      showError("account-error", `Could not disconnect: ${messageOf(err)}`);
    }
  } finally {
    view.disconnecting = false;
  }
}

function loggedIn() {
  return Boolean(view.status && view.status.hasApiKey);
}

// ---- status and credits -------------------------------------------------------------------------

function renderStatus(status, credits) {
  setText("status-connected", status.connected ? "connected" : "not connected");
  setText("status-enabled", yesNo(status.enabled));
  setText("status-user", status.userId || "—");
  setText("status-org", status.organizationId || "—");
  // The reason is a code such as not_authenticated; the account line already says "not logged in".
  const reason = status.hasApiKey && status.reason ? String(status.reason).replace(/_/g, " ") : "";
  $("status-reason").hidden = !reason;
  setText("status-reason", reason ? `Why: ${reason}` : "");

  const balance = credits && typeof credits.balance === "number" ? credits.balance : null;
  setText("credits-balance", balance === null ? "—" : `$${balance.toFixed(2)}`);
  $("credits-low").hidden = !(credits && credits.low && !credits.critical);
  $("credits-critical").hidden = !(credits && credits.critical);
  const topUp = safeUrl((credits && credits.topUpUrl) || status.topUpUrl);
  $("topup-link").hidden = !topUp;
  if (topUp) {
    $("topup-link").href = topUp;
  }
  showError("status-error", credits && credits.error ? `Credits: ${credits.error}` : "");
}

async function refreshStatus() {
  try {
    const [status, credits] = await Promise.all([
      api("GET", "/api/cloud/status"),
      api("GET", "/api/cloud/credits").catch((err) => {
        if (err.status === 401 && view.unauthorized) {
          throw err;
        }
        return { error: messageOf(err) };
      }),
    ]);
    view.status = status;
    renderStatus(status, status.hasApiKey ? credits : null);
  } catch (err) {
    if (!isTokenError(err)) {
      showError("status-error", `Could not read the status: ${messageOf(err)}`);
    }
  }
  renderAccount();
}

// ---- agents -------------------------------------------------------------------------------------

function isConnectedAgent(agentId) {
  return view.connection.agentId === agentId && view.connection.state === "connected";
}

function agentRow(agent) {
  const name = agent.name || agent.agentName || agent.id;
  const busy = view.busy.get(agent.id);
  const progress = view.progress.get(agent.id) || [];
  const nameCell = el("td", { "data-label": "Name" },
    el("span", { className: "name", text: name }));
  if (isConnectedAgent(agent.id)) {
    nameCell.append(" ", el("span", { className: "badge ok", text: "connected" }));
  }
  const progressText = busy === "connect"
    ? `Connecting…${progress.length ? " provisioning: " + progress.join(" → ") : ""}`
    : progress.length ? `Last provisioning: ${progress.join(" → ")}` : "";
  nameCell.append(el("span", {
    className: "progress", "data-testid": "agent-progress", text: progressText,
  }));
  if (busy === "shutdown") {
    nameCell.lastChild.textContent = "Shutting down…";
  }

  const connect = el("button", {
    type: "button", "data-action": "connect", "data-testid": "agent-connect",
    "aria-label": `Connect ${name}`, text: "Connect",
  });
  const shutdown = el("button", {
    type: "button", className: "danger", "data-action": "shutdown",
    "data-testid": "agent-shutdown", "aria-label": `Shut down ${name}`, text: "Shut down",
  });
  if (busy) {
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    connect.setAttribute("aria-disabled", "true");
    shutdown.setAttribute("aria-disabled", "true");
    (busy === "connect" ? connect : shutdown).setAttribute("aria-busy", "true");
  }
  return el("tr", { "data-testid": "agent-row", "data-agent-id": agent.id, "data-name": name },
    nameCell,
    el("td", {
      "data-label": "Status", "data-testid": "agent-status", text: agent.status || "—",
    }),
    el("td", { "data-label": "Created", text: formatDate(agent.createdAt) }),
    el("td", { "data-label": "Actions", className: "row-actions" }, connect, shutdown));
}

function renderAgents() {
  const body = $("agents-body");
  // Re-rendering replaces the buttons: keep the keyboard focus on the same one.
  const focused = body.contains(document.activeElement) ? document.activeElement : null;
  const row = focused && focused.closest("tr");
  body.replaceChildren(...view.agents.map(agentRow));
  if (focused && row) {
    const again = body.querySelector(
      `tr[data-agent-id="${CSS.escape(row.dataset.agentId)}"] ` +
      `button[data-action="${CSS.escape(focused.dataset.action || "")}"]`);
    if (again) {
      again.focus();
    }
  }
  $("agents-table").hidden = view.agents.length === 0;
  $("agents-empty").hidden = view.agents.length > 0;
  renderBackupChoices();
}

async function refreshAgents() {
  if (!loggedIn()) {
    view.agents = [];
    view.progress.clear();
    view.backupAgentChosen = false;
    setText("agents-empty", "Log in to list and create agents.");
    for (const id of ["agents-message", "agents-error", "backups-message", "backups-error"]) {
      setText(id, "");
    }
    renderAgents();
    return;
  }
  try {
    const answer = await api("GET", "/api/cloud/agents");
    view.agents = Array.isArray(answer.agents) ? answer.agents : [];
    setText("agents-empty", "No agents yet.");
    showError("agents-error", "");
    renderAgents();
  } catch (err) {
    if (!isTokenError(err)) {
      showError("agents-error", `Could not list the agents: ${messageOf(err)}`);
    }
  }
}

async function connectAgent(agentId) {
  const name = agentName(agentId);
  showError("agents-error", "");
  setText("agents-message", `Connecting ${name}…`);
  view.busy.set(agentId, "connect");
  view.progress.set(agentId, []);
  renderAgents();
  try {
    await api("POST", `/api/cloud/agents/${encodeURIComponent(agentId)}/connect`);
    setText("agents-message", `Connected to ${name}.`);
  } catch (err) {
    setText("agents-message", "");
    if (!isTokenError(err)) {
      showError("agents-error", `Could not connect ${name}: ${messageOf(err)}`);
    }
  } finally {
    view.busy.delete(agentId);
    renderAgents();
  }
  await refreshAgents();
}

async function shutdownAgent(agentId) {
  const name = agentName(agentId);
  if (!window.confirm(`Shut down ${name}? The cloud agent is stopped and deleted.`)) {
    return;
  }
  showError("agents-error", "");
  setText("agents-message", `Shutting down ${name}…`);
  view.busy.set(agentId, "shutdown");
  renderAgents();
  try {
    await api("POST", `/api/cloud/agents/${encodeURIComponent(agentId)}/shutdown`);
    setText("agents-message", `${name} was shut down.`);
  } catch (err) {
    setText("agents-message", "");
    if (!isTokenError(err)) {
      showError("agents-error", `Could not shut down ${name}: ${messageOf(err)}`);
    }
  } finally {
    view.busy.delete(agentId);
    view.progress.delete(agentId);
    renderAgents();
  }
  await refreshAgents();
}

function onAgentAction(event) {
  const button = event.target.closest("button[data-action]");
  if (!button || button.getAttribute("aria-disabled") === "true") {
    return;
  }
  const agentId = button.closest("tr").dataset.agentId;
  if (button.dataset.action === "connect") {
    connectAgent(agentId);
  } else if (button.dataset.action === "shutdown") {
    shutdownAgent(agentId);
  }
}

/** The create form's fields as the API's body, or a message naming what to fix. */
function readCreateForm() {
  const fields = { name: $("agent-name"), config: $("agent-config"), env: $("agent-env") };
  for (const field of Object.values(fields)) {
    field.removeAttribute("aria-invalid");
  }
  const fail = (field, message) => {
    field.setAttribute("aria-invalid", "true");
    return { field, message };
  };
  const agentName = fields.name.value.trim();
  if (!agentName) {
    return fail(fields.name, "Give the agent a name.");
  }
  const body = { agentName };
  const configText = fields.config.value.trim();
  if (configText) {
    let config;
    try {
      config = JSON.parse(configText);
    } catch (err) {
      return fail(fields.config, `The configuration is not valid JSON (${messageOf(err)}).`);
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      return fail(fields.config, 'The configuration must be a JSON object, like {"bio": "…"}.');
    }
    body.agentConfig = config;
  }
  const env = {};
  const lines = fields.env.value.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (!line || line.startsWith("#")) {
      continue;
    }
    const eq = line.indexOf("=");
    const key = eq < 0 ? "" : line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      return fail(fields.env, `Line ${i + 1} of the environment is not KEY=VALUE.`);
    }
    env[key] = line.slice(eq + 1);
  }
  if (Object.keys(env).length) {
    body.environmentVars = env;
  }
  return { body };
}

async function createAgent(event) {
  event.preventDefault();
  showError("create-error", "");
  const form = readCreateForm();
  if (!form.body) {
    showError("create-error", form.message);
    form.field.focus();
    return;
  }
  try {
    const answer = await withBusy($("create-button"),
      () => api("POST", "/api/cloud/agents", form.body));
    $("create-form").reset();
    const created = answer.agent || {};
    setText("agents-message", `Created ${created.name || form.body.agentName}.`);
    await refreshAgents();
  } catch (err) {
    if (!isTokenError(err)) {
      showError("create-error", `Could not create the agent: ${messageOf(err)}`);
    }
  }
}

// ---- connection (events stream) -----------------------------------------------------------------

function renderConnection() {
  const c = view.connection;
  const state = $("conn-state");
  state.textContent = c.state;
  state.dataset.state = c.state;
  setText("conn-agent", c.agentId ? agentName(c.agentId) : "—");
  const retrying = c.state === "reconnecting" || c.state === "error";
  setText("conn-attempt", retrying && typeof c.attempt === "number" && c.attempt > 0
    ? String(c.attempt) : "—");
  setText("conn-next", c.state === "reconnecting" ? formatDelay(c.nextDelayMs) : "—");
  setText("conn-reason", c.reason || "—");
  const target = c.state === "connected" && c.agentId
    ? `Talking to ${agentName(c.agentId)}.`
    : "No agent is connected. Connect one under Agents to chat.";
  setText("chat-target", target);
}

function logConnection(text, state) {
  const log = $("conn-log");
  const time = new Date().toLocaleTimeString();
  log.prepend(el("li", {
    "data-testid": "conn-log-entry", "data-state": state, text: `${time} ${text}`,
  }));
  while (log.children.length > 30) {
    log.lastChild.remove();
  }
}

function onConnectionEvent(name, data) {
  const before = view.connection;
  view.connection = {
    state: data.state || "unknown",
    agentId: data.agentId || null,
    attempt: data.attempt,
    nextDelayMs: data.nextDelayMs,
    reason: data.reason || null,
  };
  if (name === "snapshot") {
    logConnection(`now ${view.connection.state}`, view.connection.state);
  } else {
    let text = `${data.previousState || before.state} → ${data.state}`;
    if (typeof data.attempt === "number" && data.attempt > 0) {
      text += `, attempt ${data.attempt}`;
    }
    if (typeof data.nextDelayMs === "number") {
      text += `, next retry ${formatDelay(data.nextDelayMs)}`;
    }
    if (data.reason) {
      text += `: ${data.reason}`;
    }
    logConnection(text, view.connection.state);
  }
  renderConnection();
  renderAgents();
  if (view.connection.agentId !== before.agentId || view.connection.state !== before.state) {
    followConnectedAgent();
  }
  if (view.connection.state === "connected" && before.state !== "connected") {
    refreshAgents();
  }
}

function onProgressEvent(data) {
  if (!data.agentId || !view.busy.has(data.agentId) || !data.status) {
    return;
  }
  const seen = view.progress.get(data.agentId) || [];
  if (seen[seen.length - 1] !== data.status) {
    seen.push(String(data.status));
  }
  view.progress.set(data.agentId, seen);
  renderAgents();
}

function onBackupEvent(data) {
  if (data.ok === false) {
    const why = data.error || "unknown error";
    showError("backups-error", `A backup of ${agentName(data.agentId)} failed: ${why}`);
    return;
  }
  if (!view.disconnecting && data.agentId && data.agentId === $("backup-agent").value) {
    refreshBackups();
  }
}

function onServerEvent(name, data) {
  if (name === "snapshot" || name === "state") {
    onConnectionEvent(name, data);
  } else if (name === "progress") {
    onProgressEvent(data);
  } else if (name === "backup") {
    onBackupEvent(data);
  }
}

function startEvents() {
  if (view.events) {
    return;
  }
  const controller = new AbortController();
  view.events = controller;
  setText("stream-state", "Connecting to live updates…");
  stream("GET", "/api/cloud/events", undefined, onServerEvent, {
    signal: controller.signal,
    onRetry: (ms) => {
      view.eventsRetryMs = Math.min(Math.max(ms, 500), 60000);
    },
    onOpen: () => {
      setText("stream-state", "Live updates on");
      view.eventsOpened += 1;
      if (view.eventsOpened > 1) {
        refreshAll(); // things may have changed while the stream was down
      }
    },
  }).then(
    () => eventsEnded(controller, "The live updates stopped"),
    (err) => eventsEnded(controller, messageOf(err), err),
  );
}

function eventsEnded(controller, why, err) {
  if (view.events !== controller) {
    return;
  }
  view.events = null;
  if (err && err.name === "AbortError") {
    return;
  }
  if (err && err.status === 401 && view.unauthorized) {
    return; // resumed once a token is given
  }
  // Without the stream the last known state may be stale: say so rather than show it.
  view.connection = { ...view.connection, state: "unknown" };
  renderConnection();
  const seconds = Math.round(view.eventsRetryMs / 100) / 10;
  setText("stream-state", `${why}. Reconnecting in ${seconds} s…`);
  setTimeout(startEvents, view.eventsRetryMs);
}

// ---- chat ---------------------------------------------------------------------------------------

function chatMessage(role, text) {
  const who = role === "user" ? "You" : "Agent";
  const body = el("span", { className: "text", "data-testid": "chat-text", text });
  const item = el("li", {
    className: `msg ${role}`, "data-testid": "chat-message", "data-role": role,
  }, el("span", { className: "who", text: `${who}: ` }), body);
  $("chat-log").append(item);
  item.scrollIntoView({ block: "nearest" });
  return { item, body };
}

async function sendChat(event) {
  event.preventDefault();
  showError("chat-error", "");
  const input = $("chat-input");
  const text = input.value.trim();
  if (!text) {
    showError("chat-error", "Write a message first.");
    input.focus();
    return;
  }
  const streaming = $("chat-stream").checked;
  chatMessage("user", text);
  input.value = "";
  const reply = chatMessage("agent", "");
  reply.item.setAttribute("aria-busy", "true");
  try {
    await withBusy($("chat-send"), async () => {
      if (!streaming) {
        const answer = await api("POST", "/api/cloud/chat", { text });
        reply.body.textContent = answer.text || "";
        return;
      }
      let done = false;
      await stream("POST", "/api/cloud/chat/stream", { text }, (name, data) => {
        if (name === "chunk" && typeof data.text === "string") {
          reply.body.textContent += data.text;
        } else if (name === "done") {
          done = true;
          if (typeof data.text === "string") {
            reply.body.textContent = data.text;
          }
        } else if (name === "error") {
          throw new Error(data.error || "The agent's reply failed");
        }
      });
      if (!done) {
        throw new Error("The reply was cut off before it ended");
      }
    });
    reply.item.dataset.done = "true";
  } catch (err) {
    reply.item.dataset.failed = "true";
    if (!reply.body.textContent) {
      reply.item.remove();
    }
    if (!isTokenError(err)) {
      showError("chat-error", `The message was not answered: ${messageOf(err)}`);
    }
  } finally {
    reply.item.removeAttribute("aria-busy");
  }
}

function chatKeys(event) {
  // Enter sends, Shift+Enter starts a new line.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("chat-form").requestSubmit();
  }
}

// ---- backups ------------------------------------------------------------------------------------

function renderBackupChoices() {
  const select = $("backup-agent");
  const current = select.value;
  const options = [el("option", { value: "", text: "Choose an agent" })];
  for (const agent of view.agents) {
    const label = agent.name || agent.agentName || agent.id;
    options.push(el("option", {
      value: agent.id, text: isConnectedAgent(agent.id) ? `${label} (connected)` : label,
    }));
  }
  select.replaceChildren(...options);
  if (view.agents.some((a) => a.id === current)) {
    select.value = current;
  } else if (current) {
    select.value = "";
    renderBackups([]);
  }
}

function followConnectedAgent() {
  const agentId = view.connection.agentId;
  const select = $("backup-agent");
  if (view.backupAgentChosen || !agentId || select.value === agentId) {
    return;
  }
  if (view.agents.some((a) => a.id === agentId)) {
    select.value = agentId;
    refreshBackups();
  }
}

function renderBackups(backups) {
  const newest = (a, b) => String(b.createdAt).localeCompare(String(a.createdAt));
  const sorted = [...backups].sort(newest);
  $("backups-body").replaceChildren(...sorted.map((backup) => {
    const id = backup.id || backup.backupId;
    const when = formatDate(backup.createdAt);
    return el("tr", { "data-testid": "backup-row", "data-backup-id": id },
      el("td", { "data-label": "Created", text: when }),
      el("td", { "data-label": "Type", text: backup.snapshotType || "—" }),
      el("td", { "data-label": "Size", text: formatBytes(backup.sizeBytes) }),
      el("td", { "data-label": "Restore" }, el("button", {
        type: "button", className: "secondary", "data-backup-id": id,
        "data-testid": "backup-restore", "aria-label": `Restore the backup of ${when}`,
        "data-when": when, text: "Restore",
      })));
  }));
  $("backups-table").hidden = sorted.length === 0;
  $("backups-empty").hidden = sorted.length > 0;
  if (!$("backup-agent").value) {
    setText("backups-empty", "Choose an agent to see its backups.");
  }
}

async function refreshBackups() {
  const agentId = $("backup-agent").value;
  showError("backups-error", "");
  if (!agentId || !loggedIn()) {
    renderBackups([]);
    return;
  }
  try {
    const answer = await api("GET", `/api/cloud/agents/${encodeURIComponent(agentId)}/backups`);
    if ($("backup-agent").value !== agentId) {
      return; // another agent was chosen meanwhile
    }
    setText("backups-empty", "This agent has no backups yet.");
    renderBackups(Array.isArray(answer.backups) ? answer.backups : []);
  } catch (err) {
    if (!isTokenError(err)) {
      showError("backups-error", `Could not list the backups: ${messageOf(err)}`);
    }
  }
}

/** Clears the last action's message and error; the chosen agent's id, or "" after saying so. */
function backupTarget() {
  showError("backups-error", "");
  setText("backups-message", "");
  delete $("backups-message").dataset.backupId;
  const agentId = $("backup-agent").value;
  if (!agentId) {
    showError("backups-error", "Choose an agent first.");
    $("backup-agent").focus();
  }
  return agentId;
}

async function snapshotNow() {
  const agentId = backupTarget();
  if (!agentId) {
    return;
  }
  try {
    const answer = await withBusy($("snapshot-button"),
      () => api("POST", `/api/cloud/agents/${encodeURIComponent(agentId)}/snapshot`));
    const backup = answer.backup || {};
    setText("backups-message",
      `Snapshot saved (${formatBytes(backup.sizeBytes)}, ${formatDate(backup.createdAt)}).`);
    $("backups-message").dataset.backupId = backup.backupId || "";
    await refreshBackups();
  } catch (err) {
    if (!isTokenError(err)) {
      showError("backups-error", `Could not take a snapshot: ${messageOf(err)}`);
    }
  }
}

async function restore(button, backupId, when) {
  const agentId = backupTarget();
  if (!agentId) {
    return;
  }
  const name = agentName(agentId);
  const what = backupId ? `the backup of ${when}` : "its latest backup";
  if (!window.confirm(`Restore ${name} from ${what}? Its current state is replaced.`)) {
    return;
  }
  try {
    const answer = await withBusy(button, () => api("POST",
      `/api/cloud/agents/${encodeURIComponent(agentId)}/restore`, backupId ? { backupId } : {}));
    const restored = answer.restored || {};
    setText("backups-message",
      `Restored ${name} from the backup of ${formatDate(restored.createdAt)}.`);
    $("backups-message").dataset.backupId = restored.restoredFromBackupId || "";
  } catch (err) {
    if (!isTokenError(err)) {
      showError("backups-error", `Could not restore: ${messageOf(err)}`);
    }
  }
}

function onBackupAction(event) {
  const button = event.target.closest("button[data-backup-id]");
  if (button) {
    restore(button, button.dataset.backupId, button.dataset.when);
  }
}

// ---- start --------------------------------------------------------------------------------------

async function refreshAll() {
  await refreshStatus();
  await refreshAgents();
  renderConnection();
  followConnectedAgent();
}

function start() {
  adoptTokenFromFragment();
  setUnauthorizedHandler(askForToken);
  $("token-form").addEventListener("submit", useToken);
  $("login-button").addEventListener("click", login);
  $("disconnect-button").addEventListener("click", disconnect);
  $("refresh-button").addEventListener("click", () => withBusy($("refresh-button"), refreshAll));
  $("create-form").addEventListener("submit", createAgent);
  $("agents-body").addEventListener("click", onAgentAction);
  $("chat-form").addEventListener("submit", sendChat);
  $("chat-input").addEventListener("keydown", chatKeys);
  $("backup-agent").addEventListener("change", () => {
    view.backupAgentChosen = $("backup-agent").value !== "";
    refreshBackups();
  });
  $("backups-refresh").addEventListener("click",
    () => withBusy($("backups-refresh"), refreshBackups));
  $("snapshot-button").addEventListener("click", snapshotNow);
  $("restore-latest").addEventListener("click", () => restore($("restore-latest"), "", ""));
  $("backups-body").addEventListener("click", onBackupAction);
  renderConnection();
  renderAgents();
  renderBackups([]);
  refreshAll().finally(() => {
    document.documentElement.dataset.ready = "true";
  });
  startEvents();
}

start();
