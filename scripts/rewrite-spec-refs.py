#!/usr/bin/env python3
"""Rewrites references to the specification documents that are not in this
repository (rules.md, design.md, their Q-N quirk numbers) into references to
the docs/ file that now holds that content, in the project's own words.

  Q-N, rules.md Q-N          -> docs/reference-compatibility.md#rc-N
  rules.md [section] N.M     -> the docs/ page for that part (see RULES_SECTIONS)
  design.md [section] N      -> the docs/ page for that part (see DESIGN_SECTIONS)

Usage: scripts/rewrite-spec-refs.py [--dry-run] PATH...   (files or directories)
Prints how many references it rewrote per file and in total.
"""
import os
import re
import sys

RC = "docs/reference-compatibility.md"

# rules.md: 0 conventions, 1 overview, 2.N one family each, 3 primitives, 4 quirks, 5 batches, 6 reports.
RULES_FAMILY_PAGES = {
    "2.1": "ar", "2.2": "cp", "2.3": "juris_bl", "2.4": "sot-v2", "2.5": "vg", "2.6": "cs", "2.7": "ms",
    "2.8": "kp", "2.9": "ce", "2.10": "ts", "2.11": "dc", "2.12": "mr", "2.13.1": "md-struct",
    "2.13.2": "md-manifest", "2.13.3": "md-policy", "2.15": "sot-v2",
}


def rules_target(section):
    parts = section.split(".")
    for length in (3, 2):
        key = ".".join(parts[:length])
        if key in RULES_FAMILY_PAGES:
            return "docs/rules/" + RULES_FAMILY_PAGES[key] + ".md"
    top = parts[0]
    return {
        "0": "docs/catalog-format.md", "1": "docs/rules/README.md", "2": "docs/rules/README.md",
        "3": "docs/catalog-format.md", "4": RC, "5": "docs/ARCHITECTURE.md", "6": "docs/ci-integration.md",
    }.get(top, "docs/catalog-format.md")


DESIGN_SECTIONS = {
    "1": "docs/ARCHITECTURE.md", "2": "docs/ARCHITECTURE.md", "3": "docs/ARCHITECTURE.md", "4": "docs/profiles.md",
    "5": "docs/catalog-format.md", "6": "docs/ARCHITECTURE.md", "7": "docs/process-pool.md",
    "8": "docs/ci-integration.md", "9": "docs/bench.md", "10": "docs/bench.md", "11": "docs/robustness.md",
    "12": "docs/ARCHITECTURE.md", "13": "docs/ARCHITECTURE.md",
}

SECTION = r"(?:,? ?(?:section|sections|sec\.|§) ?| )"
# A letter after the number (Q-12c) names a sub-item; the page's RC-N covers it.
QUIRKS = re.compile(r"(?:\brules\.md,? (?:section )?)?\bQ[-‑](\d+)[a-z]?((?:\s*(?:/|,|and)\s*Q[-‑]\d+[a-z]?)*)")
RULES_SECTION = re.compile(r"(?<![\w/.-])rules\.md" + SECTION + r"(\d+(?:\.\d+)*)")
DESIGN_SECTION = re.compile(r"(?<![\w/.-])design\.md" + SECTION + r"(\d+)(?:\.\d+)*")
BARE = re.compile(r"(?<![\w/.-])(rules|design)\.md\b")

TEXT_SUFFIXES = (".cpp", ".hpp", ".h", ".c", ".py", ".sh", ".md", ".yaml", ".yml", ".txt", ".cmake", ".json", ".toml")


def rewrite(text):
    count = 0

    def quirks(m):
        nonlocal count
        numbers = [m.group(1)] + re.findall(r"Q[-‑](\d+)", m.group(2) or "")
        count += len(numbers)
        return RC + "#rc-" + numbers[0] + "".join(", #rc-" + n for n in numbers[1:])

    def rules_section(m):
        nonlocal count
        count += 1
        return rules_target(m.group(1))

    def design_section(m):
        nonlocal count
        count += 1
        return DESIGN_SECTIONS.get(m.group(1), "docs/ARCHITECTURE.md")

    def bare(m):
        nonlocal count
        count += 1
        return "docs/catalog-format.md" if m.group(1) == "rules" else "docs/ARCHITECTURE.md"

    text = QUIRKS.sub(quirks, text)
    text = RULES_SECTION.sub(rules_section, text)
    text = DESIGN_SECTION.sub(design_section, text)
    text = BARE.sub(bare, text)
    return text, count


SELF = {"rewrite-spec-refs.py", "check-doc-refs.sh"}


def files_under(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for directory, subdirs, names in os.walk(path):
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and not d.startswith("build")]
            for name in sorted(names):
                if name.endswith(TEXT_SUFFIXES) or name in ("CMakeLists.txt",):
                    yield os.path.join(directory, name)


def main(argv):
    dry_run = "--dry-run" in argv
    paths = [a for a in argv if a != "--dry-run"] or ["."]
    total = 0
    for path in files_under(paths):
        if os.path.basename(path) in SELF:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                original = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        updated, count = rewrite(original)
        if count:
            total += count
            print(f"{path}: {count}")
            if not dry_run:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(updated)
    print(f"rewrote {total} references")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
