"""Output of the command line: human text by default, one JSON document with ``--json``.
Results go to stdout; progress, the login URL and state events go to stderr, so that stdout
stays parseable in JSON mode."""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

from .errors import ElizaCloudError
from .events import Event


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self._progress_open = False

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
        """A dot per poll on a terminal (one line), nothing when redirected."""
        if sys.stderr.isatty():
            sys.stderr.write("." if self._progress_open else f"  {word} .")
            sys.stderr.flush()
            self._progress_open = True

    def end_progress(self) -> None:
        if self._progress_open:
            sys.stderr.write("\n")
            self._progress_open = False

    def event(self, ev: Event) -> None:
        self.info(f"[event] {ev.describe()}")

    def error(self, exc: ElizaCloudError) -> None:
        self.end_progress()
        if self.as_json:
            print(json.dumps({"error": exc.to_dict()}, indent=2, sort_keys=True))
        print(f"error: {exc.status_name}: {exc.message}", file=sys.stderr, flush=True)
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
