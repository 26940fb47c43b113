"""``with`` support and a last-chance close for objects that own library resources."""

from __future__ import annotations

from typing import Any


class Closing:
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # during garbage collection nobody could handle it
            pass
