#!/usr/bin/python3
"""Compares two manifest streams as sets of objects (order of documents and keys ignored).

usage: compare.py A B     prints "same N objects" or the differences; exit 0 when the same, 1 otherwise
"""

import json
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    docs = [json.loads(text)] if text.lstrip().startswith("{") else list(yaml.safe_load_all(text))
    objects = {}
    for doc in docs:
        if doc is None:
            continue
        for obj in doc["items"] if doc.get("kind") == "List" else [doc]:
            meta = obj.get("metadata", {})
            key = (obj.get("apiVersion"), obj.get("kind"), meta.get("namespace", ""), meta.get("name"))
            objects[key] = obj
    return objects


def first_difference(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'B' if k not in a else 'A'}"
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b and type(a) is type(b) else f"{path}: {json.dumps(a)} vs {json.dumps(b)}"


def main(a_path, b_path):
    a, b = load(a_path), load(b_path)
    problems = [f"only in A: {'/'.join(str(x) for x in k)}" for k in sorted(set(a) - set(b), key=str)]
    problems += [f"only in B: {'/'.join(str(x) for x in k)}" for k in sorted(set(b) - set(a), key=str)]
    for key in sorted(set(a) & set(b), key=str):
        diff = first_difference(a[key], b[key])
        if diff:
            problems.append(f"{key[1]}/{key[3]}: {diff}")
    if problems:
        print(f"{len(problems)} difference(s) between {len(a)} and {len(b)} objects, e.g.:")
        for line in problems[:8]:
            print("  " + line)
        return 1
    print(f"same {len(a)} objects")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
