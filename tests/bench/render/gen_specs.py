#!/usr/bin/python3
"""Writes N variations of examples/fraud-detection for the render benchmark, once per tool, from the same
parameters, so that both tools render the same N sets of objects:

  OUT/specs/model-NNNN.yaml      ModelDeployment specs for `kubectl mlserve render -f OUT/specs`
  OUT/values/values-NNNN.yaml    Helm values for `helm template NAME chart -f values-NNNN.yaml`
  OUT/umbrella/                  one Helm chart holding the N models as N aliased instances of the chart
                                 (Helm's way to render many releases in one process; its values.yaml has one
                                 key per alias)

usage: gen_specs.py EXAMPLE_SPEC CHART_DIR OUT_DIR N
"""

import copy
import os
import shutil
import sys

import yaml


def params(i):
    name = f"fraud-detection-{i:04d}"
    return {
        "name": name,
        "namespace": f"ml-team-{i % 20:02d}",
        "team": f"team-{i % 13}",
        "min": 1 + i % 5,
        "max": 10 + i % 5 + i % 7,
        "uri": f"pvc://model-storage/{name}/v{i}",
        "canary_uri": f"pvc://model-storage/{name}/v{i + 1}",
        "first_step": 5 + i % 20,
        "clients": [f"client-{i % 7}"],
        "path": f"production/{name}",
    }


def spec_for(base, p):
    spec = copy.deepcopy(base)
    spec["metadata"].update({"name": p["name"], "namespace": p["namespace"], "labels": {"team": p["team"]}})
    s = spec["spec"]
    s["scaling"].update({"minReplicas": p["min"], "maxReplicas": p["max"]})
    s["model"]["storageUri"] = p["uri"]
    s["canary"]["model"]["storageUri"] = p["canary_uri"]
    s["canary"]["steps"] = [p["first_step"]] + [x for x in s["canary"]["steps"] if x > p["first_step"]]
    s["network"]["allowFromNamespaces"] = p["clients"]
    s["gitops"]["argocd"]["path"] = p["path"]
    return spec


def values_for(base, p):
    values = copy.deepcopy(base)
    values["fullnameOverride"] = p["name"]
    values["namespaceOverride"] = p["namespace"]
    values["commonLabels"] = {"team": p["team"]}
    values["predictor"].update({"minReplicas": p["min"], "maxReplicas": p["max"]})
    values["model"]["storageUri"] = p["uri"]
    values["canary"]["storageUri"] = p["canary_uri"]
    values["canary"]["steps"] = [p["first_step"]] + [x for x in values["canary"]["steps"] if x > p["first_step"]]
    values["networkPolicy"]["allowFromNamespaces"] = p["clients"]
    values["argocd"]["path"] = p["path"]
    return values


def main(example, chart, out, count):
    with open(example, encoding="utf-8") as f:
        base_spec = yaml.safe_load(f)
    with open(os.path.join(chart, "values.yaml"), encoding="utf-8") as f:
        base_values = yaml.safe_load(f)
    with open(os.path.join(chart, "Chart.yaml"), encoding="utf-8") as f:
        chart_meta = yaml.safe_load(f)
    for sub in ("specs", "values", "umbrella/charts"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    umbrella_values, dependencies = {}, []
    for i in range(count):
        p = params(i)
        with open(os.path.join(out, "specs", f"model-{i:04d}.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump(spec_for(base_spec, p), f, sort_keys=False)
        values = values_for(base_values, p)
        with open(os.path.join(out, "values", f"values-{i:04d}.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump(values, f, sort_keys=False)
        alias = f"m{i:04d}"
        dependencies.append({"name": chart_meta["name"], "alias": alias, "version": chart_meta["version"]})
        umbrella_values[alias] = values
    copy_to = os.path.join(out, "umbrella", "charts", chart_meta["name"])
    if not os.path.exists(copy_to):
        shutil.copytree(chart, copy_to)
    with open(os.path.join(out, "umbrella", "Chart.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump({"apiVersion": "v2", "name": "all-models", "version": "0.1.0",
                        "dependencies": dependencies}, f, sort_keys=False)
    with open(os.path.join(out, "umbrella", "values.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump(umbrella_values, f, sort_keys=False)
    # the first spec's parameters, for the output comparison of run.sh
    with open(os.path.join(out, "first.txt"), "w", encoding="utf-8") as f:
        f.write(f"{params(0)['name']} {params(0)['namespace']}\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
