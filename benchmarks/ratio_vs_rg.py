#!/usr/bin/env python3
"""The docs/bench.md figure: a full strict `sotcheck validate` next to `rg -uuu -a -c .` (reading every byte) on
the same tree, as a ratio of medians.

The runs are interleaved (rg, auto, thread, rg, auto, thread, ...) rather than done in blocks as hyperfine
does, so a shared machine's slow minutes fall on every command alike. Each command runs once first to warm the
page cache.

    benchmarks/ratio_vs_rg.py [--runs N] [--binary build-release/sotcheck] [--yaml-catalog rules] TREE

--yaml-catalog DIR adds `validate --catalog DIR` (the catalog parsed from YAML at run time) beside the embedded,
precompiled catalog, to show what compiling the catalog at build time saves.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--binary", default="build-release/sotcheck")
    parser.add_argument("--yaml-catalog", default="", help="also time validate --catalog DIR")
    args = parser.parse_args()
    if shutil.which("rg") is None:
        print("ratio_vs_rg: rg (ripgrep) is not installed", file=sys.stderr)
        return 2
    validate = [args.binary, "validate", args.tree, "--format", "json", "--output", "/dev/null"]
    commands = {
        "rg -uuu -a -c .": ["rg", "-uuu", "-a", "-c", ".", args.tree],
        "validate (auto)": validate,
        "validate --mode thread": validate + ["--mode", "thread"],
    }
    if args.yaml_catalog:
        commands["validate --catalog (YAML)"] = validate + ["--catalog", args.yaml_catalog]
    times = {name: [] for name in commands}
    load_before = os.getloadavg()[0]
    for command in commands.values():
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(args.runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["rg -uuu -a -c ."])
    # On a shared machine the ratio means little above a load of about the CPU count: say what it was.
    print(f"1-minute load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
          f"({os.cpu_count()} CPUs)")
    print(f"{'command':26s} {'median ms':>10s} {'min ms':>8s} {'max ms':>8s} {'x rg':>6s}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:26s} {median * 1e3:10.1f} {min(samples) * 1e3:8.1f} {max(samples) * 1e3:8.1f} "
              f"{median / floor:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
