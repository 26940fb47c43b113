"""The ``elizacloud`` command line (also ``python -m elizacloud``).

Every plain operation of the catalogue is a command, ``elizacloud [RESOURCE] ACTION [ARGS]
[--param VALUE]`` (generated from the table in ``resources``; see docs/operations.md); the
commands that predate the catalogue (login, agents create…) and the session ones (connect,
chat, serve…) are written here.

Exit codes: 0 success; 1 a library error (its status name is printed, e.g. EC_ERR_UNAUTHORIZED,
then what to do about it), a declined confirmation or ``auth status`` when logged out; 2 bad
usage; 130 interrupted.

Destructive commands (``logout``, ``agents delete``, ``backups restore`` and the generated
``… delete`` ones) ask for confirmation when stdin is a terminal; ``--yes``/``-y`` skips the
question, and so does a stdin that is not a terminal (scripts, pipes), as scripts expect."""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import logging
import os
import re
import signal
import sys
import threading
import webbrowser
from importlib import metadata
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

from . import _core, _env
from .resources import CLI_WRITTEN_BY_HAND, OPERATIONS
from ._cli_output import HeldErrors, Output, format_value, table
from .cloud import Cloud
from .errors import (
    AuthError,
    ElizaCloudError,
    InsufficientCreditsError,
    InvalidArgumentError,
    NotConnectedError,
    RateLimitedError,
    UrlBlockedError,
)
from .events import Event
from .proxy import Proxy

Handler = Callable[[argparse.Namespace, Output], int]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _open_cloud(args: argparse.Namespace) -> Cloud:
    # What is not given here, Cloud takes from the environment (ELIZACLOUD_BASE_URL,
    # ELIZACLOUD_API_KEY, ELIZACLOUD_INSECURE_LOCAL, MILADY_CONFIG_PATH), then the config file.
    return Cloud(
        args.base_url or None,
        config_path=args.config or None,
        insecure_local=True if args.insecure_local else None,
        ca_file=args.ca_file,
        api_generation=args.api_generation,
        # The commands that can start paid compute take --confirm-price (the generated ones from
        # the registry rows' confirm_price parameter, the others below).
        confirm_price=getattr(args, "confirm_price", None),
        site_url=args.site_url,
    )


def _has_display() -> bool:
    return sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def _add_yes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-y", "--yes", action="store_true",
        help="do not ask for confirmation (it is asked only when stdin is a terminal)",
    )  # fmt: skip


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    """Asks ``question`` on a terminal; True with --yes or when stdin is not a terminal."""
    if getattr(args, "yes", False) or not sys.stdin.isatty():
        return True
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def _declined(out: Output) -> int:
    out.info("aborted: nothing was changed (pass --yes to skip the question)")
    return 1


# ---- account ------------------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:

        def show_url(url: str) -> None:
            out.info(f"Open this URL in your browser to log in:\n  {url}")
            if not args.no_browser and _has_display():
                try:
                    webbrowser.open(url)
                except Exception:  # a failing browser must not fail the login
                    pass
            if out.animated:
                out.spin("waiting for approval in the browser")
            else:
                out.info("Waiting for approval…")

        result = cloud.login(
            on_browser_url=show_url, on_progress=out.progress, timeout=args.timeout
        )
        result = {**result, "configPath": cloud.config_path}
    out.result(
        result,
        lambda r: f"Logged in (key {r.get('keyPrefix')}…, user {r.get('userId')})."
        f"\nKey saved to {r['configPath'] or 'memory only'}.",
    )
    return 0


def cmd_logout(args: argparse.Namespace, out: Output) -> int:
    if not _confirmed(args, "Log out and remove the saved API key?"):
        return _declined(out)
    with _open_cloud(args) as cloud:
        cloud.logout(timeout=args.timeout)
    out.result({"loggedOut": True}, lambda _: "Logged out: the API key was removed.")
    return 0


DEFAULT_BASE_URL = "https://www.elizacloud.ai"


def _config_cloud(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    cloud = data.get("cloud") if isinstance(data, dict) else None
    return cloud if isinstance(cloud, dict) else {}


def _base_url_shown(url: str) -> str:
    url = url.strip().rstrip("/")
    return url[: -len("/api/v1")] if url.endswith("/api/v1") else url


def cmd_auth_status(args: argparse.Namespace, out: Output) -> int:
    """Where the configuration comes from, and whether a key is there (its prefix only)."""
    with _open_cloud(args) as cloud:
        path = cloud.config_path
        config = _config_cloud(path) if path else {}
        base_url = args.base_url or _env.base_url()
        base_source = "--base-url" if args.base_url else _env.BASE_URL_VAR if base_url else None
        if not base_url and config.get("baseUrl"):
            base_url, base_source = str(config["baseUrl"]), "config"
        key = cloud.api_key
        key_source = next((v for v in _env.API_KEY_VARS if _env.text(v)), None) if key else None
        info: dict[str, Any] = {
            "loggedIn": bool(key),
            "configPath": path or None,
            "baseUrl": _base_url_shown(base_url or DEFAULT_BASE_URL),
            "baseUrlSource": base_source or "default",
            "apiGeneration": args.api_generation or config.get("apiGeneration") or "auto",
            "keyPrefix": key[:12] if key else None,
            "keySource": (key_source or "config") if key else None,
        }
        if key:
            status = cloud.status(timeout=args.timeout)
            info["loggedIn"] = bool(status.get("connected"))
            info["apiGeneration"] = status.get("apiGeneration") or info["apiGeneration"]
            for name in ("userId", "organizationId", "reason"):
                if status.get(name):
                    info[name] = status[name]
        elif isinstance(config.get("apiKey"), str) and config["apiKey"].strip():
            # A stored key this base URL does not get: the one another cloud issued (status
            # tells, without sending it anywhere).
            issued_by = cloud.status(timeout=args.timeout).get("apiKeyBaseUrl")
            if issued_by:
                info["keyPrefix"] = config["apiKey"].strip()[:12]
                info["keySource"] = "config"
                info["apiKeyBaseUrl"] = issued_by

    def human(r: dict[str, Any]) -> str:
        generation = r["apiGeneration"]
        if generation == "auto":
            generation += " (detected at the first call that needs it)"
        lines = [
            f"config:          {r['configPath'] or '(none)'}",
            f"base URL:        {r['baseUrl']} ({r['baseUrlSource']})",
            f"API generation:  {generation}",
        ]
        if r.get("apiKeyBaseUrl"):
            lines.append(f"API key:         {r['keyPrefix']}… (config, issued by "
                         f"{r['apiKeyBaseUrl']}: not sent to {r['baseUrl']})")
            lines.append("logged in:       no: the stored key belongs to another cloud")
        elif r["keyPrefix"]:
            lines.append(f"API key:         {r['keyPrefix']}… ({r['keySource']})")
            state = f"yes (user {r.get('userId')})" if r["loggedIn"] else "no: the key is refused"
            lines.append(f"logged in:       {state}")
        else:
            lines.append("logged in:       no (run: elizacloud login)")
        return "\n".join(lines)

    out.result(info, human)
    if info.get("apiKeyBaseUrl"):
        out.info(f"run: elizacloud login (or pass --base-url {info['apiKeyBaseUrl']})")
    elif not info["loggedIn"] and key:
        out.info("run: elizacloud login")
    return 0 if info["loggedIn"] else 1


# The status record's reason codes (the REST API's, seed 000) as sentences for a person; --json
# keeps the codes.
_NO_KEY = "not logged in (no API key): run elizacloud login"
_KEY_REFUSED = (
    "an API key is stored but the cloud did not accept it (check the base URL with elizacloud "
    "auth status, or run elizacloud login for a new key)"
)
# The "runtime" of the codes is a host's agent runtime: nothing a person at the shell acts on.
_STATUS_REASONS = {
    "not_authenticated": _NO_KEY,
    "runtime_not_started": _NO_KEY,
    "api_key_present_not_authenticated": _KEY_REFUSED,
    "api_key_present_runtime_not_started": _KEY_REFUSED,
}


def _status_text(status: dict[str, Any]) -> str:
    shown = dict(status)
    reason = shown.get("reason")
    if isinstance(reason, str):
        shown["reason"] = _STATUS_REASONS.get(reason, reason)
    return format_value(shown)


def cmd_status(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        out.result(cloud.status(timeout=args.timeout), _status_text)
    return 0


def _credits_text(c: dict[str, Any]) -> str:
    balance = c.get("balance")
    if balance is None:
        return f"balance: unknown (not connected)\ntop up: {c.get('topUpUrl')}"
    flag = " (critical)" if c.get("critical") else " (low)" if c.get("low") else ""
    return f"balance: ${float(balance):.2f}{flag}\ntop up: {c.get('topUpUrl')}"


def cmd_credits(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        out.result(cloud.credits(fresh=args.fresh or None, timeout=args.timeout), _credits_text)
    return 0


# ---- agents -------------------------------------------------------------------------------------

_AGENT_COLUMNS = [
    ("id", "ID"),
    ("agentName", "NAME"),
    ("status", "STATUS"),
    ("createdAt", "CREATED"),
]


def _progress_printer(out: Output) -> Callable[[Event], None]:
    # A terminal shows one spinner line with the job's status and the elapsed time; otherwise a
    # line per status.
    def show(ev: Event) -> None:
        if out.animated:
            out.spin("provisioning", ev.text or ev.describe())
        else:
            out.info(f"  provisioning: {ev.text or ev.describe()}")

    return show


def cmd_agents_list(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        out.result(cloud.agents.list(timeout=args.timeout), lambda r: table(r, _AGENT_COLUMNS))
    return 0


def _parse_env(pairs: Sequence[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidArgumentError(f"--env expects KEY=VALUE, got {pair!r}")
        env[key] = value
    return env


def cmd_agents_create(args: argparse.Namespace, out: Output) -> int:
    try:
        config = json.loads(args.agent_config) if args.agent_config else None
    except ValueError as exc:
        raise InvalidArgumentError(f"--agent-config is not valid JSON: {exc}") from None
    with _open_cloud(args) as cloud:
        agent: dict[str, Any] = dict(
            cloud.agents.create(
                args.name,
                config=config,
                environment=_parse_env(args.env) or None,
                timeout=args.timeout,
            )
        )
        if args.provision and agent.get("id"):
            out.info(f"Agent {agent['id']} created; provisioning…")
            agent = {
                **agent,
                **cloud.agents.provision(
                    agent["id"], timeout=args.timeout, on_progress=_progress_printer(out)
                ),
            }
    out.result(
        agent,
        lambda a: f"Created agent {a.get('agentName', args.name)}: {a.get('id')}"
        f" ({a.get('status', 'pending')})",
    )
    return 0


def cmd_agents_delete(args: argparse.Namespace, out: Output) -> int:
    if not _confirmed(args, f"Delete agent {args.agent_id}? This cannot be undone."):
        return _declined(out)
    with _open_cloud(args) as cloud:
        cloud.agents.delete(args.agent_id, timeout=args.timeout)
    out.result({"deleted": args.agent_id}, lambda r: f"Deleted agent {r['deleted']}.")
    return 0


# ---- connection and chat ------------------------------------------------------------------------


def _wait_for_signal(seconds: float | None) -> None:
    """Sleeps until SIGINT/SIGTERM (or for ``seconds``), so the connection stays up meanwhile."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait(seconds)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_connect(args: argparse.Namespace, out: Output) -> int:
    events: list[dict[str, Any]] = []
    connected = threading.Event()

    def on_state(ev: Event) -> None:
        events.append(ev.to_dict())
        if connected.is_set():  # later errors (reconnects…) show as they come
            out.release_logs()
        if not out.as_json:
            out.event(ev)

    with _open_cloud(args) as cloud:
        cloud.on_state_change(on_state)
        args.agent_id = _agent_id(cloud, args.agent_id, args.timeout)
        cloud.connect(args.agent_id, on_progress=_progress_printer(out), timeout=args.timeout)
        connected.set()
        out.release_logs()
        if args.duration is None:
            out.info(f"Connected to {args.agent_id}. Press Ctrl-C to disconnect.")
        _wait_for_signal(args.duration)
        out.info("Disconnecting (final backup)…")
        cloud.disconnect(timeout=args.timeout)
        state = str(cloud.state)
    out.result(
        {"agentId": args.agent_id, "state": state, "events": events},
        lambda r: f"Disconnected from {r['agentId']}.",
    )
    return 0


def _messages(args: argparse.Namespace, out: Output) -> Any:
    if args.message:
        yield " ".join(args.message)
        return
    interactive = sys.stdin.isatty() and not out.as_json
    while True:
        if interactive:
            sys.stdout.write("you> ")
            sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            return
        if line.strip():
            yield line.rstrip("\n")


def cmd_chat(args: argparse.Namespace, out: Output) -> int:
    exchanges: list[dict[str, Any]] = []
    # The "agent> " prompt is for a person; piped output carries the replies alone.
    prefix = "agent> " if sys.stdout.isatty() else ""
    with _open_cloud(args) as cloud:
        agent_id = _agent_id(cloud, args.agent_id, args.timeout)
        # A running agent is talked to directly: connecting would provision-check it, start
        # heartbeats and take a backup at the end, for every one-shot chat. Only an agent that
        # is not running is connected to (which starts it).
        running = cloud.agents.get(agent_id, timeout=args.timeout).get("status") == "running"
        proxy = (
            Proxy(cloud, agent_id, direct=True)
            if running
            else cloud.connect(agent_id, on_progress=_progress_printer(out), timeout=args.timeout)
        )
        try:
            for text in _messages(args, out):
                if args.stream:
                    chunks = []
                    if not out.as_json:
                        sys.stdout.write(prefix)
                    for chunk in proxy.stream(
                        text, room_id=args.room, channel_type=args.channel, timeout=args.timeout
                    ):
                        chunks.append(chunk)
                        if out.as_json:  # JSON lines as the reply streams, then the message
                            print(json.dumps({"delta": chunk}), flush=True)
                        else:
                            sys.stdout.write(chunk)
                            sys.stdout.flush()
                    reply = "".join(chunks)
                    if out.as_json:
                        print(json.dumps({"agentId": agent_id, "text": text, "reply": reply}),
                              flush=True)
                    else:
                        sys.stdout.write("\n")
                    exchanges.append({"text": text, "reply": reply, "chunks": chunks})
                else:
                    reply = proxy.send(
                        text, room_id=args.room, channel_type=args.channel, timeout=args.timeout
                    )
                    if not out.as_json:
                        print(f"{prefix}{reply}", flush=True)
                    exchanges.append({"text": text, "reply": reply})
        finally:
            if not running:
                cloud.disconnect(timeout=args.timeout)
    if out.as_json and not args.stream:
        out.result({"agentId": agent_id, "messages": exchanges})
    return 0


def _agent_id(cloud: Cloud, ref: str, timeout: float | None) -> str:
    """An agent given by id or by name: a UUID is taken as it is; a name must name exactly one
    of the organisation's agents (exactly as written, else ignoring case)."""
    if _UUID.fullmatch(ref):
        return ref
    agents = cloud.agents.list(timeout=timeout)
    named = [a for a in agents if a.get("agentName") == ref] or [
        a for a in agents if str(a.get("agentName", "")).casefold() == ref.casefold()
    ]
    if not named:
        raise InvalidArgumentError(
            f"no agent is named {ref!r} (give its id or name; elizacloud agents list shows them)"
        )
    if len(named) > 1:
        ids = ", ".join(str(a.get("id")) for a in named)
        raise InvalidArgumentError(f"{len(named)} agents are named {ref!r} ({ids}): give the id")
    return str(named[0]["id"])


# ---- backups ------------------------------------------------------------------------------------


def cmd_backups_list(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        backups = cloud.backups(_agent_id(cloud, args.agent_id, args.timeout), timeout=args.timeout)
    columns = [
        ("id", "ID"),
        ("snapshotType", "TYPE"),
        ("sizeBytes", "BYTES"),
        ("createdAt", "CREATED"),
    ]
    out.result(backups, lambda r: table(r, columns))
    return 0


def cmd_backups_snapshot(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        snap = cloud.snapshot(_agent_id(cloud, args.agent_id, args.timeout), timeout=args.timeout)
    out.result(snap, lambda s: f"Backup {s.get('backupId', s.get('id'))} taken.")
    return 0


def cmd_backups_restore(args: argparse.Namespace, out: Output) -> int:
    backup = f"backup {args.backup_id}" if args.backup_id else "its latest backup"
    question = f"Restore agent {args.agent_id} from {backup}? Its current state is replaced."
    if not _confirmed(args, question):
        return _declined(out)
    with _open_cloud(args) as cloud:
        done = cloud.restore(args.backup_id, agent_id=args.agent_id, timeout=args.timeout)
    restored = done.get("restoredFromBackupId", args.backup_id or "latest")
    out.result(done, lambda _: f"Restored from backup {restored}.")
    return 0


# ---- commands generated from the catalogue ----------------------------------------------------

def _dest(param: dict[str, Any]) -> str:
    # A prefix keeps an operation's params apart from the common options (--config, --timeout).
    return "op_" + str(param["arg"])


def _cli_value(param: dict[str, Any], value: Any) -> Any:
    """A command-line value as the JSON the operation expects."""
    kind = param["type"]
    if kind in ("object", "json"):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise InvalidArgumentError(f"{param['arg']} is not valid JSON: {exc}") from None
    if kind == "string-map":
        return _parse_env(value)
    if kind == "file[]":  # paths: the core streams each file from disk
        return list(value)
    return value


def _destructive(op: dict[str, Any]) -> bool:
    return bool(op["action"] == "delete")


def _operation_command(op: dict[str, Any]) -> Handler:
    def run(args: argparse.Namespace, out: Output) -> int:
        params = {}
        for param in op["params"]:
            value = getattr(args, _dest(param))
            if value is not None and value != []:
                params[param["name"]] = _cli_value(param, value)
        if _destructive(op):
            what = " ".join(str(params[p["name"]]) for p in op["params"]
                            if p["required"] and p["name"] in params)
            if not _confirmed(args, f"{op['name']} {what}".rstrip() + "? This cannot be undone."):
                return _declined(out)
        progress = _progress_printer(out) if op["followsJob"] else None
        with _open_cloud(args) as cloud:
            result = cloud._call_operation(
                op["name"], params, timeout=args.timeout, on_progress=progress
            )
        out.result({} if result is None else result)
        return 0

    return run


def _add_param(p: argparse.ArgumentParser, param: dict[str, Any]) -> None:
    kind, doc = param["type"], param.get("doc") or None
    # argparse formats help with %: a literal one ("0 to 100 %") is written %%.
    options: dict[str, Any] = {"dest": _dest(param), "help": doc and doc.replace("%", "%%")}
    if kind == "boolean":
        options["action"] = argparse.BooleanOptionalAction
    elif kind == "integer":
        options["type"] = int
    elif kind == "number":
        options["type"] = float
    elif kind == "enum":
        options["choices"] = param.get("enum")
    elif kind == "string-map":
        options.update(action="append", metavar="KEY=VALUE")
    elif kind in ("object", "json"):
        options["metavar"] = "JSON"
    elif kind in ("file", "file[]"):
        options["metavar"] = "FILE"
        if kind == "file[]":
            options.update(action="extend", nargs="+")
    if param["required"]:
        options["metavar"] = options.get("metavar") or str(param["arg"]).upper()
        if kind == "string-map":
            options.update(action="extend", nargs="+")
        if kind == "boolean":
            raise ValueError("a required boolean cannot be positional")  # not in the catalogue
        p.add_argument(**{k: v for k, v in options.items() if k != "dest"}, dest=options["dest"])
    else:
        if kind not in ("boolean", "enum"):
            options.setdefault("metavar", str(param["arg"]).upper())
        p.add_argument("--" + str(param["arg"]).replace("_", "-"), **options)


def _add_operation_commands(
    sub: Any, groups: dict[str, Any], add: Callable[..., argparse.ArgumentParser]
) -> None:
    for op in OPERATIONS:
        # Connected-agent operations need the connection of this process: `chat` does that.
        if op["surface"] != "plain" or op["scope"] == "connected":
            continue
        if op["name"] in CLI_WRITTEN_BY_HAND:  # written above, as in earlier releases
            continue
        parent = sub
        if op["resource"]:
            if op["resource"] not in groups:
                actions = [o["action"] for o in OPERATIONS if o["resource"] == op["resource"]]
                groups[op["resource"]] = sub.add_parser(
                    op["resource"], help=f"{op['resource']}: {', '.join(actions)}"
                ).add_subparsers(
                    dest=f"{op['resource']}_command", metavar="ACTION", required=True
                )
            parent = groups[op["resource"]]
        p = add(op["action"], _operation_command(op), op["summary"], parent)
        for param in op["params"]:
            _add_param(p, param)
        if _destructive(op):
            _add_yes(p)


# ---- inference and media --------------------------------------------------------------------


def _prompt(words: Sequence[str]) -> str:
    text = " ".join(words).strip() or sys.stdin.read().strip()
    if not text:
        raise SystemExit("error: give the message as arguments or on stdin")
    return text


def _print_deltas(stream: Any, out: Output) -> None:
    """Prints the text deltas of an inference stream as they come (JSON lines with --json)."""
    with stream:
        for piece in stream:
            if not piece:
                continue
            if out.as_json:
                print(json.dumps({"delta": piece}), flush=True)
            else:
                sys.stdout.write(piece)
                sys.stdout.flush()
    if not out.as_json:
        sys.stdout.write("\n")


def cmd_chat_completion(args: argparse.Namespace, out: Output) -> int:
    messages = [{"role": "system", "content": args.system}] if args.system else []
    messages.append({"role": "user", "content": _prompt(args.message)})
    with _open_cloud(args) as cloud:
        if args.stream:
            _print_deltas(
                cloud.chat_completions.stream(args.model, messages, max_tokens=args.max_tokens),
                out,
            )
            return 0
        reply = cloud.chat_completions.create(args.model, messages, max_tokens=args.max_tokens)
    if out.as_json:
        out.result(reply)
    else:
        print(reply["choices"][0]["message"]["content"])
    return 0


def cmd_message(args: argparse.Namespace, out: Output) -> int:
    messages = [{"role": "user", "content": _prompt(args.message)}]
    with _open_cloud(args) as cloud:
        if args.stream:
            model, most = args.model, args.max_tokens
            _print_deltas(cloud.messages.stream(model, most, messages, system=args.system), out)
            return 0
        reply = cloud.messages.create(args.model, args.max_tokens, messages, system=args.system)
    if out.as_json:
        out.result(reply)
    else:
        print("".join(b.get("text", "") for b in reply.get("content", []) if isinstance(b, dict)))
    return 0


def _decode_image(image: dict[str, Any]) -> bytes:
    data = image.get("image")
    url = image.get("url") or ""
    if not data and url.startswith("data:") and "," in url:
        data = url.split(",", 1)[1]
    if not data:
        raise SystemExit(f"error: the image is at {url}; download it from there")
    return base64.b64decode(data)


def cmd_images_generate(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        result = cloud.images.generate(
            args.prompt, num_images=args.num_images, aspect_ratio=args.aspect_ratio,
            model=args.model,
        )  # fmt: skip
    if args.output:
        images = result.get("images") or []
        stem, dot, ext = args.output.rpartition(".")
        for i, image in enumerate(images):
            path = args.output if i == 0 else f"{stem or ext}-{i + 1}{dot}{ext if stem else ''}"
            with open(path, "wb") as f:
                f.write(_decode_image(image))
            out.info(f"wrote {path}")
        return 0
    out.result(result)
    return 0


def cmd_voices_tts(args: argparse.Namespace, out: Output) -> int:
    with _open_cloud(args) as cloud:
        with cloud.voices.tts(
            _prompt(args.text), voice_id=args.voice_id, model_id=args.model_id
        ) as stream:
            written = stream.write_to(args.output)
    out.info(f"wrote {written} bytes to {args.output}")
    return 0


# ---- the rest -----------------------------------------------------------------------------------


def _pairs(items: Sequence[str], sep: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, found, value = item.partition(sep)
        if not found or not key.strip():
            raise SystemExit(f"error: {what} must look like KEY{sep}VALUE: {item!r}")
        out[key.strip()] = value.strip() if sep == ":" else value
    return out


def _files(items: Sequence[str]) -> dict[str, Any]:
    # --file files=a.txt --file files=b.txt sends two parts named files.
    out: dict[str, Any] = {}
    for field, path in _pairs_list(items, "--file"):
        out.setdefault(field, []).append(path)
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def _pairs_list(items: Sequence[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, found, value = item.partition("=")
        if not found or not key.strip() or not value:
            raise SystemExit(f"error: {what} must look like FIELD=PATH: {item!r}")
        out.append((key.strip(), value))
    return out


def _query(items: Sequence[str]) -> dict[str, Any]:
    # --query tag=a --query tag=b sends tag twice.
    out: dict[str, Any] = {}
    for key, value in (item.partition("=")[::2] for item in items):
        if not key:
            raise SystemExit("error: --query must look like KEY=VALUE")
        if key in out:
            previous = out[key]
            out[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[key] = value
    return out


def _data(text: str | None) -> Any:
    if text is None:
        return None
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            text = f.read()
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SystemExit(f"error: --data is not JSON: {exc}") from None


def cmd_api(args: argparse.Namespace, out: Output) -> int:
    data = _data(args.data)
    if data is not None and not isinstance(data, dict):
        raise SystemExit("error: --data must be a JSON object (use --body for anything else)")
    with _open_cloud(args) as cloud:
        kwargs: dict[str, Any] = dict(
            path_params=_pairs(args.param, "=", "--param") or None,
            query=_query(args.query) or None,
            json=data,
            body=args.body,
            content_type=args.content_type,
            files=_files(args.file) or None,
            form=_pairs(args.form, "=", "--form") or None,
            headers=_pairs(args.header, ":", "--header") or None,
            max_retries=args.max_retries,
            idempotent=True if args.idempotent else None,
            uncatalogued=args.uncatalogued,
        )
        if args.stream:
            stream = cloud.request(args.method, args.path, stream=args.stream, **kwargs)
            with stream:
                if args.output:
                    written = stream.write_to(args.output)
                    out.info(f"wrote {written} bytes to {args.output}")
                    return 0
                for item in stream:
                    if isinstance(item, bytes):
                        sys.stdout.buffer.write(item)
                        sys.stdout.buffer.flush()
                    elif out.as_json:
                        print(json.dumps({"event": item.event, "data": item.data, "id": item.id}))
                    else:
                        print(item.data, flush=True)
            return 0
        response = cloud.request(args.method, args.path, **kwargs)
    if args.output:
        with open(args.output, "wb") as f:
            f.write(response.content)
        out.info(f"wrote {len(response.content)} bytes to {args.output}")
        return 0
    if out.as_json:
        out.result(dataclasses.asdict(response) | {"content": None})
        return 0
    if args.include:
        print(f"HTTP {response.status}")
        for name, value in response.headers.items():
            print(f"{name}: {value}")
        print()
    if response.data is not None:
        print(json.dumps(response.data, indent=2, ensure_ascii=False))
    elif response.text is not None:
        print(response.text)
    elif response.events:
        for frame in response.events:
            print(frame.data)
    elif response.content:
        size = len(response.content)
        raise SystemExit(f"error: the answer is binary ({size} bytes): use -o FILE")
    return 0


def cmd_serve(args: argparse.Namespace, out: Output) -> int:
    from .serve import print_json, serve

    return serve(
        lambda: _open_cloud(args),
        args.host,
        args.port,
        args.token,
        allowed_hosts=args.allowed_hosts,
        announce=print_json if out.as_json else None,
    )


def cmd_emulator(args: argparse.Namespace, out: Output) -> int:
    return _emulator_passthrough(["emulator", *args.emulator_args]) or 0


def cmd_completion(args: argparse.Namespace, out: Output) -> int:
    from ._completion import script

    sys.stdout.write(script(args.shell, build_parser()))
    return 0


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from .demo import run

    return run(json_output=out.as_json)


# ---- parser -------------------------------------------------------------------------------------


def _add_confirm_price(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confirm-price",
        metavar="ACCEPTANCE",
        help="the dedicated price you accept (the acceptanceValue a price-confirmation error "
        "shows), sent when starting paid compute (eliza generation)",
    )


class _Options(argparse.ArgumentParser):
    """The global options' parser. In a command's copy (``quiet``) their help is suppressed: they
    are listed once, in ``elizacloud --help``, and each command's help says so."""

    def __init__(self, quiet: bool) -> None:
        super().__init__(add_help=False)
        self.quiet = quiet

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if self.quiet:
            kwargs["help"] = argparse.SUPPRESS
        return super().add_argument(*args, **kwargs)


def _common(suppress: bool) -> argparse.ArgumentParser:
    # The same options before or after the command; after it, only when given (SUPPRESS), so a
    # subcommand never resets what was set before it.
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    p = _Options(quiet=suppress)
    p.add_argument("--base-url", default=default(None), help="cloud URL (env ELIZACLOUD_BASE_URL)")
    p.add_argument("--config", default=default(None), help="config file (env MILADY_CONFIG_PATH)")
    p.add_argument(
        "--json", action="store_true", default=default(False), help="machine-readable output"
    )
    p.add_argument(
        "--insecure-local",
        action="store_true",
        default=default(False),
        help="allow http:// and loopback (development; env ELIZACLOUD_INSECURE_LOCAL=1)",
    )
    p.add_argument("--ca-file", default=default(None), help="PEM bundle to trust")
    p.add_argument(
        "--api-generation",
        choices=("auto", "milady", "eliza"),
        default=default(None),
        help="the cloud's API generation (default: config cloud.apiGeneration, else auto-detect)",
    )
    p.add_argument(
        "--site-url",
        default=default(None),
        help="the browser site for login and billing pages when it is not the API origin "
        "(default: config cloud.siteUrl, else derived from the base URL)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=default(None),
        help="seconds to wait (default: the library's limits)",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(0),
        help="log more (-v info, -vv debug; env ELIZACLOUD_LOG=debug|info|warn|error)",
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="elizacloud",
        parents=[_common(False)],
        description="Connect to Eliza Cloud: login, agents, chat, backups, local emulator.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = [_common(True)]

    def add(name: str, fn: Handler, help: str, parent: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, help=help.replace("%", "%%"), parents=common, description=help
        )
        p.set_defaults(func=fn)
        return p

    add("login", cmd_login, "log in through the browser").add_argument(
        "--no-browser", action="store_true", help="only print the URL"
    )
    _add_yes(add("logout", cmd_logout, "disconnect and remove the API key"))
    auth = sub.add_parser(
        "auth", help="status: where the key and the cloud come from"
    ).add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    add(
        "status", cmd_auth_status,
        "config path, base URL, API generation and key prefix (exit 1 when logged out)", auth,
    )  # fmt: skip
    add("status", cmd_status, "connection status of the stored key")
    add("credits", cmd_credits, "credit balance").add_argument(
        "--fresh", action="store_true", help="bypass the cache"
    )

    agents = sub.add_parser(
        "agents", help="create, list, get, delete, provision, suspend, resume cloud agents"
    ).add_subparsers(dest="agents_command", metavar="ACTION", required=True)
    add("list", cmd_agents_list, "list agents", agents)
    p = add("create", cmd_agents_create, "create an agent", agents)
    p.add_argument("name")
    p.add_argument("--agent-config", help="agentConfig as JSON")
    p.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE", help="environment variable"
    )
    p.add_argument("--provision", action="store_true", help="also start it and wait until it runs")
    _add_confirm_price(p)
    p = add("delete", cmd_agents_delete, "delete an agent", agents)
    p.add_argument("agent_id")
    _add_yes(p)

    p = add("connect", cmd_connect, "connect to an agent until Ctrl-C (heartbeat, backups)")
    p.add_argument("agent_id", metavar="AGENT", help="the agent's id or name")
    p.add_argument(
        "--duration", type=float, help="stay connected this many seconds, then disconnect"
    )
    _add_confirm_price(p)
    p = add("chat", cmd_chat, "chat with an agent (message from the arguments or stdin)")
    p.add_argument("agent_id", metavar="AGENT", help="the agent's id or name")
    p.add_argument("message", nargs="*")
    p.add_argument("--stream", action="store_true",
                   help="print the reply as it streams (--json: a {\"delta\"} line per chunk)")
    p.add_argument("--room", default="web-chat", help="room id (default web-chat)")
    p.add_argument("--channel", default="DM", help="channel type (default DM)")

    backups = sub.add_parser("backups", help="list, take, restore backups").add_subparsers(
        dest="backups_command", metavar="ACTION", required=True
    )
    add("list", cmd_backups_list, "list an agent's backups", backups).add_argument(
        "agent_id", metavar="AGENT", help="the agent's id or name")
    add("snapshot", cmd_backups_snapshot, "take a backup now", backups).add_argument(
        "agent_id", metavar="AGENT", help="the agent's id or name")
    p = add("restore", cmd_backups_restore, "restore a backup (latest by default)", backups)
    p.add_argument("agent_id")
    p.add_argument("--backup-id")
    _add_yes(p)

    p = add(
        "api",
        cmd_api,
        "call any public route of the cloud: elizacloud api GET /api/v1/models",
    )
    p.add_argument(
        "method", type=str.upper, choices=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
    )
    p.add_argument("path", help="e.g. /api/v1/apps/{id} (with --param id=…) or a concrete path")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a {placeholder} of the path (percent-encoded for you)")
    p.add_argument("--query", action="append", default=[], metavar="KEY=VALUE",
                   help="a query parameter (repeat a key to send it several times)")
    p.add_argument("--data", metavar="JSON", help="a JSON object body, or @file")
    p.add_argument("--body", help="a text body (with --content-type)")
    p.add_argument("--content-type", help="the Content-Type of --body")
    p.add_argument("--file", action="append", default=[], metavar="FIELD=PATH",
                   help="a file part of a multipart body (repeat for more files)")
    p.add_argument("--form", action="append", default=[], metavar="KEY=VALUE",
                   help="a text field of the multipart body (with --file)")
    p.add_argument("--header", action="append", default=[], metavar="NAME: VALUE",
                   help="an extra request header (X-App-Id, X-PAYMENT …)")
    p.add_argument("--stream", choices=["sse", "bytes"], help="print the answer as it streams")
    p.add_argument("-o", "--output", metavar="FILE", help="write the body to FILE")
    p.add_argument("-i", "--include", action="store_true", help="print the status and headers")
    p.add_argument("--max-retries", type=int, help="retries of transient failures (default 2)")
    p.add_argument("--idempotent", action="store_true", help="the request is safe to repeat")
    p.add_argument("--uncatalogued", action="store_true",
                   help="call a path that is not in the route catalogue")
    p = add(
        "chat-completion",
        cmd_chat_completion,
        "an OpenAI-compatible chat completion (message from the arguments or stdin)",
    )
    p.add_argument("message", nargs="*")
    p.add_argument("--model", default="openai/gpt-5-mini", help="default openai/gpt-5-mini")
    p.add_argument("--system", help="a system prompt")
    p.add_argument("--max-tokens", type=int)
    p.add_argument("--stream", action="store_true", help="print the answer as it streams")
    p = add(
        "message",
        cmd_message,
        "an Anthropic-compatible message (message from the arguments or stdin)",
    )
    p.add_argument("message", nargs="*")
    p.add_argument("--model", default="anthropic/claude-haiku-4.5")
    p.add_argument("--system", help="a system prompt")
    p.add_argument("--max-tokens", type=int, default=1024, help="default 1024")
    p.add_argument("--stream", action="store_true", help="print the answer as it streams")
    images = sub.add_parser("images", help="generate images").add_subparsers(
        dest="images_command", metavar="ACTION", required=True
    )
    p = add("generate", cmd_images_generate, "generate images from a prompt", images)
    p.add_argument("prompt")
    p.add_argument("-o", "--output", metavar="FILE", help="write the image(s) to FILE (.png)")
    p.add_argument("--num-images", type=int)
    p.add_argument("--aspect-ratio")
    p.add_argument("--model")
    voices = sub.add_parser(
        "voices", help="text to speech, list, get, delete voices"
    ).add_subparsers(dest="voices_command", metavar="ACTION", required=True)
    p = add("tts", cmd_voices_tts, "text to speech: the audio to a file", voices)
    p.add_argument("text", nargs="*")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="e.g. out.mp3")
    p.add_argument("--voice-id")
    p.add_argument("--model-id")
    p = add(
        "serve", cmd_serve, "serve the local REST API /api/cloud/* and the dashboard until SIGTERM"
    )
    p.add_argument("--host", help="address to bind (env MILADY_API_BIND; default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, help="port (env MILADY_PORT; default 2138; 0 = any free port)"
    )
    p.add_argument("--token", help="require 'Authorization: Bearer TOKEN' (env MILADY_API_TOKEN)")
    p.add_argument("--allowed-hosts", help="Host names accepted besides loopback, comma-separated")
    _add_confirm_price(p)
    p = add("emulator", cmd_emulator, "run the bundled local cloud emulator (args are passed on)")
    p.add_argument("emulator_args", nargs=argparse.REMAINDER)
    add("demo", cmd_demo, "run the full lifecycle against the bundled emulator")
    p = add("completion", cmd_completion, "print the shell completion script for bash, zsh or fish")
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    _add_operation_commands(
        sub, {"agents": agents, "backups": backups, "images": images, "voices": voices}, add
    )
    _add_examples(parser)
    return parser


# The examples of the commands written here, by command path; the generated ones come with the
# catalogue's table (tools/gen_surfaces.py). A group's help shows its actions' first examples.
_EXAMPLES: dict[str, list[str]] = {
    "": [
        "elizacloud login",
        "elizacloud agents create my-agent --provision",
        "elizacloud chat my-agent hello",
        "elizacloud --base-url http://127.0.0.1:8787 --insecure-local status   # an emulator",
        "elizacloud demo",
    ],
    "login": ["elizacloud login", "elizacloud login --no-browser   # print the URL only"],
    "logout": ["elizacloud logout", "elizacloud logout --yes"],
    "auth status": ["elizacloud auth status", "elizacloud auth status --json"],
    "status": ["elizacloud status", "elizacloud status --json"],
    "credits": ["elizacloud credits", "elizacloud credits --fresh --json"],
    "agents list": ["elizacloud agents list", "elizacloud agents list --json"],
    "agents create": [
        "elizacloud agents create my-agent",
        "elizacloud agents create my-agent --env OPENAI_API_KEY=sk-… --provision",
    ],
    "agents delete": ["elizacloud agents delete my-agent", "elizacloud agents delete AGENT_ID -y"],
    "connect": [
        "elizacloud connect my-agent",
        "elizacloud connect my-agent --duration 60   # then disconnect (final backup)",
    ],
    "chat": [
        "elizacloud chat my-agent hello",
        "echo hello | elizacloud chat my-agent --stream",
    ],
    "backups list": ["elizacloud backups list my-agent"],
    "backups snapshot": ["elizacloud backups snapshot my-agent"],
    "backups restore": [
        "elizacloud backups restore my-agent   # the latest backup",
        "elizacloud backups restore my-agent --backup-id BACKUP_ID --yes",
    ],
    "api": [
        "elizacloud api GET /api/v1/models",
        "elizacloud api GET /api/v1/apps/{id}/analytics --param id=APP --query period=7d",
        "elizacloud api POST /api/v1/chat/completions --data "
        "'{\"model\":\"openai/gpt-5-mini\",\"messages\":"
        "[{\"role\":\"user\",\"content\":\"hi\"}]}'",
        "elizacloud api POST /api/v1/voice/stt --file audio=memo.mp3 --form languageCode=en",
        "elizacloud routes --json   # every route the generation has",
    ],
    "chat-completion": [
        "elizacloud chat-completion 'What is Eliza Cloud?'",
        "elizacloud chat-completion --stream --model openai/gpt-5-mini hello",
    ],
    "message": [
        "elizacloud message 'Summarise this' < notes.txt",
        "elizacloud message --stream hi",
    ],
    "images generate": ["elizacloud images generate 'a red fox' -o fox.png"],
    "voices tts": ["elizacloud voices tts Hello there -o hello.mp3"],
    "serve": [
        "elizacloud serve   # dashboard: http://127.0.0.1:2138/",
        "elizacloud serve --port 0 --token SECRET   # prints the dashboard URL with the token",
    ],
    "emulator": [
        "elizacloud emulator --port 8787 --auto-approve",
        "elizacloud emulator --help   # the emulator's own options",
    ],
    "demo": ["elizacloud demo", "elizacloud demo --json"],
    "completion": [
        "elizacloud completion bash > ~/.local/share/bash-completion/completions/elizacloud",
        "elizacloud completion zsh > \"${fpath[1]}/_elizacloud\"",
        "elizacloud completion fish > ~/.config/fish/completions/elizacloud.fish",
    ],
}

_GLOBAL_NOTE = (
    "global options (--base-url, --config, --json, --insecure-local, --timeout, -v …) go\n"
    "before or after the command: elizacloud --help lists them"
)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _add_examples(parser: argparse.ArgumentParser) -> None:
    """Every help ends with examples (a group's: its actions' first ones)."""
    examples = dict(_EXAMPLES)
    for op in OPERATIONS:
        path = f"{op['resource']} {op['action']}" if op["resource"] else str(op["action"])
        examples.setdefault(path, list(op.get("examples") or []))

    def walk(p: argparse.ArgumentParser, path: str) -> list[str]:
        children = _subparsers(p)
        mine = list(examples.get(path, []))
        for name, child in children.items():
            child_examples = walk(child, f"{path} {name}".strip())
            if path and child_examples and len(mine) < 4:
                mine.append(child_examples[0])
        lines = ["examples:", *(f"  {e}" for e in mine)] if mine else []
        if path:
            lines += ["", _GLOBAL_NOTE]
        p.epilog = "\n".join(lines)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        return mine

    walk(parser, "")


def _emulator_passthrough(argv: Sequence[str]) -> int | None:
    # `elizacloud emulator ARGS…` hands every ARG to the emulator untouched (argparse would try
    # to parse --port and friends itself).
    if argv and argv[0] == "emulator":
        from ._emulator import EmulatorNotFound, find_binary

        try:
            binary = find_binary()
        except EmulatorNotFound as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        os.execv(binary, [binary, *argv[1:]])
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    code = _emulator_passthrough(argv)
    if code is not None:
        return code
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `chat ID --stream hello world`: words after an option still belong to the message.
        if args.command == "chat" and not any(word.startswith("-") for word in extra):
            args.message = [*args.message, *extra]
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    held = None
    if args.command != "demo":  # the demo shows the library's log lines in its own timeline
        level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
        logging.basicConfig(level=level, format="elizacloud: %(levelname)s: %(message)s")
        if args.verbose:  # -v/-vv win over ELIZACLOUD_LOG
            logging.getLogger("elizacloud").setLevel(level)
        handlers = logging.getLogger().handlers
        if args.command != "serve" and handlers:  # serve prints nothing else: lines go out now
            held = HeldErrors(handlers[0])
            handlers[0].addFilter(held)
    out = Output(args.json, held)
    try:
        result: int = args.func(args, out)
        return result
    except ElizaCloudError as exc:
        out.error(exc, _hints(exc, args))
        return 1
    except KeyboardInterrupt:
        out.info("interrupted")
        return 130
    finally:
        out.release_logs()


def _version() -> str:
    library = _core.version_string()
    try:
        package = metadata.version("elizacloud")
    except metadata.PackageNotFoundError:
        package = library
    return f"elizacloud {package} (library {library})"


def _loopback(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return host in ("localhost", "::1") or host.startswith("127.") or host.endswith(".localhost")


def _money(value: float | None) -> str:
    return "unknown" if value is None else f"${value:.2f}"


def _top_up_url(args: argparse.Namespace) -> str | None:
    try:
        with _open_cloud(args) as cloud:
            url = cloud.status(timeout=5).get("topUpUrl")
    except ElizaCloudError:
        return None
    return str(url) if url else None


def _hints(exc: ElizaCloudError, args: argparse.Namespace) -> list[str]:
    """What to do about an error, as lines to print after it."""
    if isinstance(exc, UrlBlockedError):
        urls = re.findall(r'"([a-zA-Z][a-zA-Z0-9+.-]*://[^"]*)"', exc.message)
        url = urls[-1] if urls else ""
        if _loopback(url):
            return [
                "hint: for a local cloud (such as `elizacloud emulator`), pass --insecure-local "
                "or set ELIZACLOUD_INSECURE_LOCAL=1 (development only)"
            ]
        if url.startswith("http:"):
            return ["hint: use the https:// address of the cloud (--base-url or "
                    "ELIZACLOUD_BASE_URL)"]
        return []
    if isinstance(exc, RateLimitedError):
        if exc.retry_after is not None:
            return [f"retry in {max(exc.retry_after, 0):g} s (the cloud's rate limit)"]
        return ["retry later (the cloud's rate limit)"]
    if isinstance(exc, InsufficientCreditsError):
        top_up = _top_up_url(args)
        return [
            f"required balance: {_money(exc.required)}, current balance: {_money(exc.current)}",
            f"top up: {top_up}" if top_up else "top up: `elizacloud credits` shows the page",
        ]
    if isinstance(exc, NotConnectedError) and "issued by" in exc.message:
        return []  # the message says which cloud issued the key and what to do
    if isinstance(exc, NotConnectedError) and "API key" in exc.message:
        return ["run: elizacloud login (or set ELIZACLOUD_API_KEY)"]
    if isinstance(exc, AuthError):
        return ["the API key was refused; run: elizacloud login (or check ELIZACLOUD_API_KEY)"]
    return []
