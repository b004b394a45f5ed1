#!/usr/bin/python3
"""Writes the shared schemas in kubeconform's layout, for the validate benchmark.

kubeconform reads one standalone JSON Schema per kind from a path template. This takes the CRDs'
openAPIV3Schema (every served version) and the Kubernetes OpenAPI v3 components of one Kubernetes version, as
tests/schema/check_manifests.py converts them (draft 4, `additionalProperties: false` wherever a schema declares
its properties and does not preserve unknown fields, so that kubeconform -strict and our validate reject the same
unknown fields), and writes OUT/{kind}_{group}_{version}.json, matching

    kubeconform -schema-location 'OUT/{{.ResourceKind}}_{{.Group}}_{{.ResourceAPIVersion}}.json'

(kubeconform lower-cases the kind; for the core group its .Group is the version, "v1").
It also prints, one per line, the schema files it read, so that the benchmark hands the same files to
`kubectl mlserve validate --schema-location`.

usage: to_kubeconform.py SHARED_DIR KUBE_VERSION OUT_DIR
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema"))
import check_manifests  # noqa: E402  (the independent checker's conversion; this script only lays it out)


def main():
    shared, kube_version, out = sys.argv[1:4]
    store = check_manifests.SchemaStore(shared, kube_version, [], use_cache=False)
    store._build()
    os.makedirs(out, exist_ok=True)
    for gvk, key in store.index.items():
        parts = gvk.split("/")
        group, version, kind = (parts[0], parts[1], parts[2]) if len(parts) == 3 else (parts[0], parts[0], parts[1])
        path = os.path.join(out, f"{kind.lower()}_{group}_{version}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(store.entries[key]["schema"], f, separators=(",", ":"))
    for path in store.kube_files + store.crd_files:
        print(path)


if __name__ == "__main__":
    main()
