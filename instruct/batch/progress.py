"""The batch's progress line on stderr."""

from __future__ import annotations

import time

from instruct.french import french_number


class Progress:
    """« 120/222 dossiers · 45,2 /s · reste ~2 s » on stderr: redrawn in place on a terminal,
    a line every few seconds in a log."""

    def __init__(self, stream, every: float = 5.0):
        self.stream, self.every = stream, every
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.perf_counter()
        self.last = -every
        self.width = 0  # of the line drawn last, to wipe what a shorter one leaves

    def __call__(self, done: int, total: int, reused: int) -> None:
        now = time.perf_counter()
        if not self.tty and done < total and now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        width = 24
        bar = "█" * (width * done // total) + "·" * (width - width * done // total)
        text = (
            f"{bar} {done}/{total} dossiers · {french_number(rate, 1)} /s · "
            + (f"reste ~{french_number(left, 0)} s" if done < total else f"fini en {french_number(elapsed, 1)} s")
            + (f" · {reused} repris" if reused else "")
        )
        self.stream.write(
            ("\r" + text.ljust(self.width) + ("\n" if done >= total else "")) if self.tty else text + "\n"
        )
        self.width = len(text)
        self.stream.flush()
