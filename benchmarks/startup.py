"""Start-up time of the command line against importing pandas, in the same process tree.

A CLI call should spend its time on the work, not on imports: ``topics --help`` and
``import topics`` load nothing heavy (the public API is lazy; each command imports what it
needs when it runs). Every command is run ``--repeats`` times in a fresh interpreter and the
median wall time is kept; the final JSON line gives the ratios to ``python -c "import pandas"``
(the reference: any analysis needs pandas anyway).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "import_pandas": [sys.executable, "-c", "import pandas"],
    "import_topics": [sys.executable, "-c", "import topics"],
    "topics_help": [str(Path(sys.executable).with_name("topics")), "--help"],
    "topics_trends_help": [str(Path(sys.executable).with_name("topics")), "trends", "--help"],
}


def median_seconds(command: list[str], repeats: int) -> float:
    """Median wall time of ``command`` run ``repeats`` times (one warm-up run first)."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args()
    seconds = {name: median_seconds(cmd, args.repeats) for name, cmd in COMMANDS.items()}
    for name, value in seconds.items():
        print(f"{name:>20}: {value * 1000:7.1f} ms")
    reference = seconds["import_pandas"]
    result = {
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "help_vs_import_pandas": round(seconds["topics_help"] / reference, 2),
        "trends_help_vs_import_pandas": round(seconds["topics_trends_help"] / reference, 2),
        "import_topics_vs_import_pandas": round(seconds["import_topics"] / reference, 2),
        "repeats": args.repeats,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
