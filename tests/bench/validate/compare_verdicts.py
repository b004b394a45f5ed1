#!/usr/bin/python3
"""Compares the verdicts of `kubectl mlserve validate -o json` and `kubeconform -output json -verbose`.

Objects are matched per file and kind (names can be what is broken): both tools must count the same objects and
find the same number of invalid ones of each kind in each file. Prints one line: "agree: N objects, M invalid" or
"DISAGREE: ..." with the first differences; exits 1 when they disagree.

usage: compare_verdicts.py OURS_JSON KUBECONFORM_JSON
"""

import collections
import json
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        ours = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        theirs = json.load(f)
    ours_invalid = collections.Counter()
    seen = set()
    for finding in ours["findings"]:
        if finding["severity"] != "error":
            continue
        key = (finding["file"], finding["object"], finding["line"] if not finding["object"] else 0)
        if key in seen:
            continue  # one verdict per object, however many findings
        seen.add(key)
        ours_invalid[(finding["file"], finding["object"].split("/")[0])] += 1
    theirs_invalid = collections.Counter()
    theirs_objects = 0
    for resource in theirs.get("resources", []):
        theirs_objects += 1
        if resource["status"] in ("statusInvalid", "statusError"):
            theirs_invalid[(resource["filename"], resource["kind"])] += 1
    problems = []
    if ours["summary"]["objects"] != theirs_objects:
        problems.append(f"objects: ours {ours['summary']['objects']}, kubeconform {theirs_objects}")
    for key in sorted(set(ours_invalid) | set(theirs_invalid)):
        if ours_invalid[key] != theirs_invalid[key]:
            problems.append(f"{key[0]} {key[1]}: ours {ours_invalid[key]} invalid, kubeconform {theirs_invalid[key]}")
    if problems:
        print("DISAGREE: " + "; ".join(problems[:5]))
        sys.exit(1)
    print(f"agree: {theirs_objects} objects, {sum(theirs_invalid.values())} invalid")


if __name__ == "__main__":
    main()
