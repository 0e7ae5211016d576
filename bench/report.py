"""Read ``wrk --latency`` outputs and print the benchmark table.

Usage: ``report.py [--check] FILE...`` where each FILE is named
``PAGE.MODE.txt`` (``article.uncached.txt``). Without ``--check`` it prints one
row per file; with it, it prints nothing unless a file shows error responses.
Either way it exits 1 when any run had a non-2xx/3xx response, a timeout or
no requests at all: a benchmark of error pages is worthless.
"""

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# Requests per second the issues ask for ("Reader site: fast, transparent
# pages"; the content API's article at least 1,000 cached, and uncached at
# least as fast as the uncached article page).
TARGETS = {
    ("article", "uncached"): 300,
    ("article", "cached"): 2000,
    ("api", "cached"): 1000,
}
AT_LEAST_AS_FAST_AS = {("api", "uncached"): ("article", "uncached")}
_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.M)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)


@dataclass(frozen=True)
class Run:
    page: str
    mode: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    timeouts: int

    @property
    def failed(self) -> bool:
        return self.non_2xx > 0 or self.timeouts > 0 or self.requests == 0


def parse(path: Path) -> Run:
    text = path.read_text()
    page, mode = path.name.split(".")[:2]
    latency = {p: float(v) * _TO_MS[unit] for p, v, unit in _LATENCY.findall(text)}
    rate, total = _RATE.search(text), _TOTAL.search(text)
    if rate is None or total is None or set(latency) != {"50", "99"}:
        raise SystemExit(f"{path}: not the output of wrk --latency")
    non_2xx = _NON_2XX.search(text)
    sockets = _SOCKET.search(text)
    return Run(
        page=page,
        mode=mode,
        rate=float(rate.group(1)),
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, sockets.groups())) if sockets else 0,
        timeouts=int(sockets.group(4)) if sockets else 0,
    )


def table(runs: list[Run]) -> str:
    rows = [("page", "mode", "req/s", "p50 ms", "p99 ms", "non-2xx", "target")]
    rates = {(run.page, run.mode): run.rate for run in runs}
    for run in runs:
        target = TARGETS.get((run.page, run.mode))
        other = AT_LEAST_AS_FAST_AS.get((run.page, run.mode))
        if other in rates:
            target = round(rates[other])
        verdict = ""
        if target is not None:
            verdict = f">={target} {'met' if run.rate >= target else 'MISSED'}"
        rows.append(
            (
                run.page,
                run.mode,
                f"{run.rate:,.0f}" if run.rate >= 100 else f"{run.rate:.1f}",
                f"{run.p50_ms:.1f}",
                f"{run.p99_ms:.1f}",
                str(run.non_2xx),
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i in (0, 1, 6) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    runs = [parse(path) for path in args.files]
    if not args.check:
        print(table(runs))
    for run in runs:
        if run.socket_errors:
            print(f"{run.page} ({run.mode}): {run.socket_errors} socket errors")
        if run.failed:
            print(
                f"FAILED {run.page} ({run.mode}): {run.non_2xx} non-2xx/3xx "
                f"responses and {run.timeouts} timeouts of {run.requests}",
                file=sys.stderr,
            )
    return 1 if any(run.failed for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
