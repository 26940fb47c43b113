"""Output of the command line: human text by default, one JSON document with ``--json``.
Results go to stdout; progress, the login URL and state events go to stderr, so that stdout
stays parseable in JSON mode.

While the command waits (login in the browser, a provisioning job) a terminal shows a spinner with
the elapsed seconds and the last status on one line of stderr. It is written here rather than
taken from a library (rich would do it, with three more packages to install for one line): it
appears only when stderr is a terminal and not with --json, so redirected output is unchanged."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from typing import Any, Callable, TextIO

from .errors import ElizaCloudError
from .events import Event


class HeldErrors(logging.Filter):
    """Holds the library's ERROR lines until the command prints something else or ends, so that a
    line restating the error the command then reports ("Connect to agent … failed: X" before
    "error: …: X") is not printed as well: an error is printed once."""

    def __init__(self, handler: logging.Handler) -> None:
        super().__init__()
        self._handler = handler
        self._pending: list[logging.LogRecord] = []
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.name == "elizacloud":
            with self._lock:
                self._pending.append(record)
            return False
        return True

    def release(self, unless: str | None = None) -> None:
        """Prints the held lines, but those that contain ``unless`` (the reported error)."""
        with self._lock:
            pending, self._pending = self._pending, []
        for record in pending:
            if unless and unless in record.getMessage():
                continue
            self._handler.acquire()
            try:
                self._handler.emit(record)
            finally:
                self._handler.release()


class Spinner:
    """``⠋ waiting for approval: pending (12s)``, redrawn ten times a second on one line."""

    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, stream: TextIO, label: str, detail: str = "") -> None:
        self._stream = stream
        self._label = label
        self._detail = detail
        self._started = time.monotonic()
        self._frame = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="elizacloud-spinner", daemon=True)
        self._draw()
        self._thread.start()

    @property
    def label(self) -> str:
        return self._label

    def update(self, detail: str) -> None:
        with self._lock:
            self._detail = detail
        self._draw()

    def above(self, write: Callable[[], None]) -> None:
        """Runs ``write`` (that prints whole lines) with the spinner's line cleared first; the
        spinner comes back below at its next frame."""
        with self._lock:
            self._stream.write("\r\x1b[K")
            write()
            self._stream.flush()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            elapsed = int(time.monotonic() - self._started)
            frame = self.FRAMES[self._frame % len(self.FRAMES)]
            self._frame += 1
            detail = f": {self._detail}" if self._detail else ""
            self._stream.write(f"\r{frame} {self._label}{detail} ({elapsed}s)\x1b[K")
            self._stream.flush()


class Output:
    def __init__(self, as_json: bool, held: HeldErrors | None = None) -> None:
        self.as_json = as_json
        self._progress_open = False
        self._spinner: Spinner | None = None
        self._spinner_lock = threading.Lock()  # progress events come from library threads
        self.held = held

    @property
    def animated(self) -> bool:
        """Whether waits are shown by a spinner: stderr is a terminal and the output is not JSON."""
        return not self.as_json and sys.stderr.isatty()

    def spin(self, label: str, detail: str = "") -> None:
        """Shows (or updates) the spinner of a wait; nothing when not ``animated``. It ends at the
        next result, info line or error."""
        if not self.animated:
            return
        with self._spinner_lock:
            if self._spinner is not None and self._spinner.label == label:
                self._spinner.update(detail)
                return
            if self._spinner is not None:
                self._spinner.stop()
            self._spinner = Spinner(sys.stderr, label, detail)

    def release_logs(self, unless: str | None = None) -> None:
        if self.held is not None:
            self.held.release(unless)

    def result(self, data: Any, human: Callable[[Any], str] | None = None) -> None:
        self.end_progress()
        if self.as_json:
            print(json.dumps(data, indent=2, sort_keys=True, default=str))
        else:
            text = human(data) if human else format_value(data)
            if text:
                print(text)
        sys.stdout.flush()

    def info(self, text: str) -> None:
        self.end_progress()
        print(text, file=sys.stderr, flush=True)

    def progress(self, word: str) -> None:
        """A login poll's status: the spinner's detail on a terminal, nothing when redirected."""
        if self._spinner is not None:
            self._spinner.update(word)
        elif sys.stderr.isatty():  # --json on a terminal: a dot per poll, as before
            sys.stderr.write("." if self._progress_open else f"  {word} .")
            sys.stderr.flush()
            self._progress_open = True

    def _stop_spinner(self) -> None:
        with self._spinner_lock:
            spinner, self._spinner = self._spinner, None
        if spinner is not None:
            spinner.stop()
        if self._progress_open:
            sys.stderr.write("\n")
            self._progress_open = False

    def end_progress(self) -> None:
        self._stop_spinner()
        self.release_logs()

    def event(self, ev: Event) -> None:
        # Held library errors stay held: a failing connect's events come before its error.
        line = f"[event] {ev.describe()}"
        if self._spinner is not None:
            self._spinner.above(lambda: print(line, file=sys.stderr))
            return
        if self._progress_open:
            sys.stderr.write("\n")
            self._progress_open = False
        print(line, file=sys.stderr, flush=True)

    def error(self, exc: ElizaCloudError, hints: list[str] | None = None) -> None:
        """The error, once (library lines restating it are dropped), then what to do about it."""
        self._stop_spinner()
        self.release_logs(unless=exc.message or None)
        if self.as_json:
            data = exc.to_dict()
            if hints:
                data["hints"] = hints
            print(json.dumps({"error": data}, indent=2, sort_keys=True))
        print(f"error: {exc.status_name}: {exc.message}", file=sys.stderr, flush=True)
        for hint in hints or []:
            print(hint, file=sys.stderr, flush=True)
        pricing = getattr(exc, "pricing", None)
        if isinstance(pricing, dict) and pricing.get("acceptanceValue"):
            # The quote, and the explicit way to accept it: never accepted on the user's behalf.
            print(
                f"price: {pricing.get('hourlyRateUsd')} {pricing.get('currency', 'USD')}/hour, "
                f"at least {pricing.get('minimumActivationChargeUsd')} per start; to accept, "
                f"run again with --confirm-price {pricing['acceptanceValue']}",
                file=sys.stderr,
                flush=True,
            )


def format_value(data: Any, indent: str = "") -> str:
    """A readable rendering of a JSON record: ``key: value`` lines, nested by indentation."""
    if isinstance(data, dict):
        lines = []
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{indent}{key}:")
                lines.append(format_value(value, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {scalar(value)}")
        return "\n".join(lines)
    if isinstance(data, list):
        return "\n".join(
            f"{indent}- {scalar(v) if not isinstance(v, (dict, list)) else ''}"
            + ("\n" + format_value(v, indent + "  ") if isinstance(v, (dict, list)) else "")
            for v in data
        )
    return f"{indent}{scalar(data)}"


def scalar(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """A plain text table of the given (key, header) columns."""
    if not rows:
        return "(none)"
    cells = [[header for _, header in columns]]
    cells += [[scalar(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)
