#!/usr/bin/env python3
"""Reads a home node's debug log and shows where its aggregated downloads' time went.

With `log.level: debug` (the benches: BENCH_LOG_LEVEL=debug and --logs DIR) a home logs one line
per range a download took whole:

    <time> DEBUG io.bamqp.session: peer:ABC...: bytes A-B (N MiB): asked at +T ms, open +T,
        first byte +T, whole +T (R Mbit/s)

(times in ms since that download began, the line written when the range was whole). This prints,
for the last --downloads downloads the log began (default 1):

  per source   ranges, MiB, idle gaps (time between one range's whole and the next one's first
               byte, when positive: its line carried nothing of this download), the time from asking
               to the response opening (p50/p90/max: a slow start of a range, or a wait for the
               helper), and the rate over the time it was busy;
  per second   each source's Mbit/s over all of those downloads, second by second (with several
               downloads at once, a source near 0 while the others run sat idle).

A range that arrived within one read (a 64 KiB range is one signed chunk from a neighbor) has no
duration: the gaps count its time as idle and overstate the busy rate; per second, its bytes go to
the second it ended. With many small ranges, read the per-second rows.

Usage: bench/timeline.py LOG [--downloads N]
"""
import argparse
import datetime
import re
import sys

RANGE = re.compile(
    r"^(\S+) DEBUG\s+io\.bamqp\.session: (\S+): bytes (\d+)-(\d+) \([^)]*\): asked at \+(\d+) ms,"
    r" open \+(\d+), first byte \+(\d+), whole \+(\d+)"
)
BEGIN = re.compile(r"io\.bamqp\.session: download .* across ")


def seconds(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def read(path, downloads):
    """The range lines logged after the first of the last `downloads` download beginnings."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    begins = [i for i, line in enumerate(lines) if BEGIN.search(line)]
    if not begins:
        sys.exit(f"{path}: no aggregated download began in this log")
    ranges = []
    for line in lines[begins[-min(downloads, len(begins))]:]:
        m = RANGE.search(line)
        if m:
            stamp, source = m.group(1), m.group(2)
            first, last, asked, opened, first_byte, whole = map(int, m.groups()[2:])
            end = seconds(stamp)  # the line is written when the range is whole
            ranges.append(
                {
                    "source": source.split("-")[0],
                    "bytes": last - first + 1,
                    "asked": asked,
                    "opened": opened,
                    "first_byte": first_byte,
                    "whole": whole,
                    "start": end - (whole - first_byte) / 1000,
                    "end": end,
                }
            )
    if not ranges:
        sys.exit(f"{path}: no range timeline lines: was the home's log.level debug?")
    return ranges


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def per_source(ranges):
    print(
        f"{'source':<14} {'ranges':>6} {'MiB':>7} {'idle gaps ms':>12} "
        f"{'ask→open p50/p90/max ms':>24} {'Mbit/s busy':>11}"
    )
    for source in sorted({r["source"] for r in ranges}):
        mine = sorted((r for r in ranges if r["source"] == source), key=lambda r: r["start"])
        idle = 0.0
        busy = 0.0
        reached = None  # the latest end so far, in seconds
        for r in mine:
            if reached is not None and r["start"] > reached:
                idle += r["start"] - reached
            covered_from = r["start"] if reached is None else max(r["start"], reached)
            if reached is None or r["end"] > reached:
                busy += r["end"] - covered_from
                reached = r["end"]
        waits = [r["opened"] - r["asked"] for r in mine]
        total = sum(r["bytes"] for r in mine)
        rate = total * 8 / busy / 1e6 if busy > 0 else float("nan")
        print(
            f"{source:<14} {len(mine):>6} {total / 2**20:>7.1f} {idle * 1000:>12.0f} "
            f"{percentile(waits, 0.5):>10}/{percentile(waits, 0.9)}/{max(waits):<8} {rate:>11.1f}"
        )


def per_second(ranges):
    t0 = min(r["start"] for r in ranges)
    span = int(max(r["end"] for r in ranges) - t0) + 1
    print(f"\nMbit/s per second since {datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).time()}:")
    for source in sorted({r["source"] for r in ranges}):
        bins = [0.0] * span
        for r in (r for r in ranges if r["source"] == source):
            lo, hi = r["start"] - t0, r["end"] - t0
            if hi <= lo:  # arrived within one read: all of it in the second it ended
                bins[min(span - 1, int(hi))] += r["bytes"]
                continue
            for k in range(int(lo), min(span, int(hi) + 1)):
                overlap = max(0.0, min(k + 1, hi) - max(k, lo))
                bins[k] += r["bytes"] * overlap / (hi - lo)
        print(f"{source:<14} " + " ".join(f"{b * 8 / 1e6:3.0f}" for b in bins))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--downloads", type=int, default=1)
    args = parser.parse_args()
    ranges = read(args.log, max(1, args.downloads))
    per_source(ranges)
    per_second(ranges)


if __name__ == "__main__":
    main()
