#!/usr/bin/python3
"""Generates N manifests for the validate benchmark: the objects of every examples/*/expected.yaml (KServe,
Seldon, Argo Rollouts, HPA, Services, monitoring, network and GitOps objects: what this tool's users keep in
Git), cycled, each round of the cycle in its own namespace (so that the objects' references to each other, HPA
targets, selectors, still hold), written FILES files of N/FILES documents each. One object in every 500 is broken in
a way both validators must see: an unknown top-level field, or a metadata.name that is not a string.

usage: gen_manifests.py EXAMPLES_DIR OUT_DIR N FILES
Prints the number of objects written and how many were broken.
"""

import glob
import os
import sys

import yaml


def main():
    examples, out, count, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    pool = []
    for path in sorted(glob.glob(os.path.join(examples, "*", "expected.yaml"))):
        with open(path, encoding="utf-8") as f:
            pool.extend(doc for doc in yaml.safe_load_all(f) if isinstance(doc, dict))
    os.makedirs(out, exist_ok=True)
    per_file = (count + files - 1) // files
    broken = 0
    for n in range(files):
        docs = []
        for i in range(n * per_file, min(count, (n + 1) * per_file)):
            obj = yaml.safe_load(yaml.safe_dump(pool[i % len(pool)]))
            obj["metadata"]["namespace"] = f"bench-{i // len(pool):04d}"
            if i % 500 == 250:
                broken += 1
                if (i // 500) % 2:
                    obj["spex"] = {"replicas": 2}
                else:
                    obj["metadata"]["name"] = 12345
            docs.append(obj)
        with open(os.path.join(out, f"manifests-{n:04d}.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)
    print(count, broken)


if __name__ == "__main__":
    main()
