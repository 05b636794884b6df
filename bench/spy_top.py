"""Where the time goes, from a py-spy raw (collapsed stacks) profile: the frames with the largest
inclusive share of samples, optionally only among stacks containing a given frame.

    .venv/bin/python bench/spy_top.py PROFILE.txt [--top 25] [--within read_documents]

Record one with `bench/year.py --py-spy DIR` or
`py-spy record --subprocesses --format raw -o P.txt -- kiemchung prescreen ...`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

_LOCATION = re.compile(r" \((?P<file>[^()]*):\d+\)$")


def _frame(raw: str) -> str:
    """`func (path/to/module.py:12)` -> `func (module.py)`: lines differ, functions do not."""
    m = _LOCATION.search(raw)
    if not m:
        return raw
    short = "/".join(Path(m.group("file")).parts[-2:])
    return f"{raw[: m.start()]} ({short})"


def load(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append(([_frame(f) for f in stack.split(";")], int(count)))
    return stacks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--within", help="only stacks with a frame containing this text")
    args = parser.parse_args()
    stacks = load(args.profile)
    if args.within:
        stacks = [(s, n) for s, n in stacks if any(args.within in f for f in s)]
    total = sum(n for _, n in stacks)
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, n in stacks:
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    print(f"{args.profile}: {total} samples" + (f" within {args.within!r}" if args.within else ""))
    print("\ninclusive  self   frame")
    for frame, n in inclusive.most_common(args.top):
        print(f"{n / total:8.1%} {own[frame] / total:6.1%}  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
