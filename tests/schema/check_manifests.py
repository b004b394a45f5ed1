#!/usr/bin/python3
"""Independent structural checker for Kubernetes manifests.

Checks every object in the given files (multi-document YAML, JSON, or a v1 List) against the real upstream
schemas in the shared dir: the CRDs' openAPIV3Schema (chosen by apiVersion + kind among the CRD's served
versions) and, for built-in kinds, the Kubernetes OpenAPI v3 documents (the component whose
x-kubernetes-group-version-kind matches). It is strict the way `kubectl apply --validate=strict` is:

- an object field that its schema does not declare is an error, unless the schema (or an ancestor that
  declares no properties) says x-kubernetes-preserve-unknown-fields;
- missing required fields, wrong types (int-or-string and quantities included), enums, patterns, bounds;
- a null where the schema is not nullable (a renderer that emits `field: null` has a bug even though the
  API server would prune or ignore it);
- duplicate keys in x-kubernetes-list-type map/set lists (server-side apply refuses them);
- metadata as the API server checks it: name present and a DNS-1123 subdomain (a DNS-1035 label for
  Services, a DNS-1123 label for Namespaces), label keys/values and annotation keys syntactically valid.

CEL rules (x-kubernetes-validations) and formats are not evaluated.

This exists until kubectl-mlserve's own `validate` verb does; it shares no code with it on purpose.

Output: one line per problem on stdout, `FILE: doc N (Kind/name): PATH: MESSAGE` (N counts documents of a
YAML stream from 1, or items of a List from 1), then a summary on stderr. Exit 0 when every object passes,
1 when any problem was found, 2 on a usage error (no schemas, bad arguments).

Compiled schemas are cached under $MLSERVE_SCHEMA_CACHE (default ~/.cache/mlserve-test/schema-check), keyed
by the size and mtime of every schema file, so a run after the first loads only the schemas it needs.
"""

import argparse
import difflib
import hashlib
import json
import os
import re
import sys
import tempfile

import jsonschema
import yaml

CACHE_FORMAT = "7"  # bump when the conversion below changes

# Schema files that would shadow the ones to check against. Each is kept in shared/ for another purpose.
SKIPPED_SCHEMA_FILES = {
    # KServe's schema-less CRD variant: spec/status are x-kubernetes-preserve-unknown-fields, it accepts anything.
    "kserve/crd/minimal/serving.kserve.io_inferenceservices.yaml",
    # KServe v0.15.2, the release before spec.canary and the Standard/Knative names; pass it with --crd to use it.
    "kserve/crd/v0.15.2/serving.kserve.io_inferenceservices.yaml",
    # Seldon's base CRD leaves graph children untyped; the .rendered.yaml (patch applied) is what the operator installs.
    "seldon/v1/machinelearning.seldon.io_seldondeployments.yaml",
}

QUANTITY_PATTERN = (r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
                    r"([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$")
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
K8S_REF_PREFIX = "#/components/schemas/"

# Keys of an OpenAPI schema that carry validation; descriptions, defaults and the rest are dropped.
_KEPT_KEYS = ("enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
              "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
              "x-kubernetes-list-type", "x-kubernetes-list-map-keys")


# --------------------------------------------------------------------------------------------------------------
# OpenAPI (Kubernetes structural schema) -> JSON Schema draft 4 with the strictness described above.

def convert(node, structural=True):
    """Converts one OpenAPI v3 schema node. `structural` is false inside allOf/anyOf/oneOf/not, where Kubernetes
    schemas only add constraints and never declare the structure (so no additionalProperties: false there)."""
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref.startswith(K8S_REF_PREFIX):
            ref = "#/definitions/" + ref[len(K8S_REF_PREFIX):]
        return {"$ref": ref}
    out = {}
    for key in _KEPT_KEYS:
        if key in node:
            out[key] = node[key]
    nullable = bool(node.get("nullable"))
    if "type" in node:
        out["type"] = [node["type"], "null"] if nullable else node["type"]
        if nullable and "enum" in out and None not in out["enum"]:
            out["enum"] = list(out["enum"]) + [None]
    elif not nullable and (structural and ("properties" in node or "items" in node)):
        out["type"] = "object" if "properties" in node else "array"
    int_or_string = node.get("x-kubernetes-int-or-string") or node.get("format") == "int-or-string"
    if int_or_string:
        # both spellings: CRDs say x-kubernetes-int-or-string with anyOf [integer, string], built-ins say
        # format int-or-string with oneOf [integer, string]; one anyOf replaces either
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}] + ([{"type": "null"}] if nullable else [])
        out["x-int-or-string"] = True
    for key in ("allOf", "anyOf", "oneOf"):
        if key in node and not (int_or_string and key != "allOf"):
            out[key] = [convert(sub, structural=False) for sub in node[key]]
    if "not" in node:
        out["not"] = convert(node["not"], structural=False)
    if "items" in node:
        out["items"] = convert(node["items"])
    preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
    props = node.get("properties")
    if node.get("x-kubernetes-embedded-resource"):
        props = dict(props or {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"$ref": K8S_REF_PREFIX + OBJECT_META})
    if props is not None:
        out["properties"] = {name: convert(sub) for name, sub in props.items()}
        if "required" in node:
            out["required"] = list(node["required"])
    elif "required" in node:
        out["required"] = list(node["required"])
    if "additionalProperties" in node:
        ap = node["additionalProperties"]
        out["additionalProperties"] = ap if isinstance(ap, bool) else convert(ap)
    elif props is not None and structural and not preserve:
        out["additionalProperties"] = False
    if "x-kubernetes-list-type" in out and out["x-kubernetes-list-type"] not in ("map", "set"):
        del out["x-kubernetes-list-type"]
    return out


def k8s_closure(components, root_names):
    """Converted definitions for root_names and everything they reference, in Kubernetes' components/schemas."""
    defs, todo = {}, list(root_names)
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        src = components[name]
        if name == "io.k8s.apimachinery.pkg.api.resource.Quantity":
            defs[name] = {"anyOf": [{"type": "string", "pattern": QUANTITY_PATTERN}, {"type": "number"}],
                          "x-quantity": True}
        else:
            defs[name] = convert(src)
        todo.extend(ref[len(K8S_REF_PREFIX):] for ref in _refs(src) if ref.startswith(K8S_REF_PREFIX))
    return defs


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --------------------------------------------------------------------------------------------------------------
# Schema store: builds every GVK's standalone schema once per set of schema files, then loads on demand.

class SchemaStore:
    def __init__(self, shared_dir, kube_version, extra_crds, use_cache):
        self.schemas_dir = os.path.join(shared_dir, "schemas")
        self.kube_dir = os.path.join(self.schemas_dir, "kubernetes", "openapi-v3", kube_version)
        if not os.path.isdir(self.kube_dir):
            raise UsageError(f"no Kubernetes OpenAPI documents for {kube_version} in {self.kube_dir}")
        self.crd_files = self._crd_files(extra_crds)
        self.kube_files = sorted(os.path.join(self.kube_dir, f) for f in os.listdir(self.kube_dir)
                                 if f.endswith(".json"))
        self.index = None
        self.entries = {}
        self.validators = {}
        self.use_cache = use_cache
        self.cache_dir = os.path.join(_cache_root(), self._fingerprint()) if use_cache else None

    def _crd_files(self, extra_crds):
        found = []
        for root, dirs, files in os.walk(self.schemas_dir):
            dirs[:] = sorted(d for d in dirs if d != "kubernetes")
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, self.schemas_dir)
                if name.endswith((".yaml", ".yml")) and rel not in SKIPPED_SCHEMA_FILES:
                    found.append(path)
        # files given with --crd come last so that their GVKs replace the shared ones
        return found + [os.path.abspath(p) for p in extra_crds]

    def _fingerprint(self):
        digest = hashlib.sha256(CACHE_FORMAT.encode())
        for path in self.kube_files + self.crd_files:
            st = os.stat(path)
            digest.update(f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:24]

    def _load_index(self):
        if self.index is not None:
            return
        if self.cache_dir:
            try:
                with open(os.path.join(self.cache_dir, "index.json"), encoding="utf-8") as f:
                    self.index = json.load(f)
                return
            except (OSError, ValueError):
                pass
        self._build()

    def _build(self):
        """Converts every schema; writes them to the cache (atomically) when caching is on."""
        entries, index = {}, {}

        def add(gvk, schema, origin):
            blob = json.dumps({"origin": origin, "schema": schema}, sort_keys=True, separators=(",", ":"))
            key = hashlib.sha256(blob.encode()).hexdigest()[:24]
            entries[key] = blob
            index[gvk] = key

        meta_defs = None
        for path in self.kube_files:
            with open(path, encoding="utf-8") as f:
                components = json.load(f)["components"]["schemas"]
            if meta_defs is None and OBJECT_META in components:
                meta_defs = k8s_closure(components, [OBJECT_META])
            # api__v1_openapi.json serves core v1, apis__apps__v1_openapi.json apps/v1: index only the kinds
            # that the document's own group-version serves (it also lists shared kinds such as WatchEvent).
            served = os.path.basename(path)[:-len("_openapi.json")].split("__")[1:]
            served = (served[0], served[1]) if len(served) == 2 else ("", served[0])
            for name, comp in components.items():
                for gvk in comp.get("x-kubernetes-group-version-kind", []):
                    key = _gvk_key(gvk.get("group", ""), gvk["version"], gvk["kind"])
                    if (gvk.get("group", ""), gvk["version"]) != served or key in index or gvk["kind"] in _META_KINDS \
                            or gvk["kind"].endswith("List") or not comp.get("properties"):
                        continue
                    defs = k8s_closure(components, [name])
                    add(key, {"$ref": "#/definitions/" + name, "definitions": defs},
                        os.path.relpath(path, self.schemas_dir) + "#" + name)
        if meta_defs is None:
            raise UsageError(f"no ObjectMeta schema in {self.kube_dir}")
        for path in self.crd_files:
            with open(path, encoding="utf-8") as f:
                docs = list(yaml.load_all(f, Loader=_CrdLoader))
            for doc in docs:
                if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                for version in spec.get("versions", []):
                    if not version.get("served", False):
                        continue
                    raw = ((version.get("schema") or {}).get("openAPIV3Schema")) or {
                        "type": "object", "x-kubernetes-preserve-unknown-fields": True}
                    schema = convert(raw)
                    props = schema.setdefault("properties", {})
                    raw_meta = (raw.get("properties") or {}).get("metadata")
                    crd_meta = convert(raw_meta, structural=False) if raw_meta else None
                    meta_ref = {"$ref": "#/definitions/" + OBJECT_META}
                    # The API server validates every custom object's metadata as an ObjectMeta.
                    props["metadata"] = {"allOf": [meta_ref, crd_meta]} if crd_meta and len(crd_meta) > 1 \
                        else meta_ref
                    props.setdefault("apiVersion", {"type": "string"})
                    props.setdefault("kind", {"type": "string"})
                    schema["definitions"] = meta_defs
                    add(_gvk_key(spec["group"], version["name"], spec["names"]["kind"]), schema,
                        os.path.relpath(path, self.schemas_dir) if path.startswith(self.schemas_dir) else path)
        self.index = index
        self.entries = {key: json.loads(blob) for key, blob in entries.items()}
        if self.cache_dir:
            _write_cache(self.cache_dir, index, entries)

    def validator(self, api_version, kind):
        """The compiled validator for apiVersion+kind and where its schema came from, or (None, None)."""
        group, _, version = api_version.rpartition("/")
        gvk = _gvk_key(group, version, kind)
        if gvk in self.validators:
            return self.validators[gvk]
        self._load_index()
        key = self.index.get(gvk)
        result = (None, None)
        if key is not None:
            entry = self.entries.get(key)
            if entry is None:
                with open(os.path.join(self.cache_dir, key + ".json"), encoding="utf-8") as f:
                    entry = json.load(f)
            result = (_Validator(entry["schema"]), entry["origin"])
        self.validators[gvk] = result
        return result

    def kinds_for(self, api_version, kind):
        """apiVersions known for this kind, for the 'no schema' message."""
        self._load_index()
        return sorted(g.rsplit("/", 1)[0] for g in self.index if g.rsplit("/", 1)[1] == kind)


# Kinds every group-version document lists but nobody writes as a manifest.
_META_KINDS = {"WatchEvent", "DeleteOptions", "Status", "APIResourceList", "Eviction", "Scale", "TokenRequest"}


def _gvk_key(group, version, kind):
    return f"{group}/{version}/{kind}" if group else f"{version}/{kind}"


def _cache_root():
    if os.environ.get("MLSERVE_SCHEMA_CACHE"):
        return os.environ["MLSERVE_SCHEMA_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mlserve-test", "schema-check")


def _write_cache(cache_dir, index, entries):
    parent = os.path.dirname(cache_dir)
    try:
        os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".build-", dir=parent)
        for key, blob in entries.items():
            with open(os.path.join(tmp, key + ".json"), "w", encoding="utf-8") as f:
                f.write(blob)
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump(index, f, sort_keys=True)
        try:
            os.rename(tmp, cache_dir)  # atomic: a concurrent run either sees all of it or none
        except OSError:  # another run got there first
            for name in os.listdir(tmp):
                os.unlink(os.path.join(tmp, name))
            os.rmdir(tmp)
    except OSError as e:
        print(f"warning: cannot write the schema cache {cache_dir}: {e}", file=sys.stderr)


# --------------------------------------------------------------------------------------------------------------
# Validation with messages in Kubernetes' words.

def _type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _show(value, limit=60):
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _v_type(validator, types, instance, schema):
    types = types if isinstance(types, list) else [types]
    if not any(validator.is_type(instance, t) for t in types):
        shown = "" if isinstance(instance, (dict, list)) or instance is None else " " + _show(instance)
        yield jsonschema.ValidationError(f"expected {' or '.join(types)}, got {_type_name(instance)}{shown}")


def _v_required(validator, required, instance, schema):
    if not isinstance(instance, dict):
        return
    for name in required:
        if name not in instance:
            yield jsonschema.ValidationError("required field is missing", path=[name])


def _v_additional(validator, additional, instance, schema):
    if not isinstance(instance, dict):
        return
    props = schema.get("properties", {})
    extras = [k for k in instance if k not in props]
    if additional is False:
        for name in extras:
            hint = _suggestion(name, props)
            yield jsonschema.ValidationError(f'unknown field "{name}"{hint}', path=[name])
    elif isinstance(additional, dict):
        for name in extras:
            for error in validator.descend(instance[name], additional, path=name):
                yield error


def _same(a, b):
    # Python says True == 1; JSON does not
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _suggestion(name, known):
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f' (did you mean "{lowered[close[0]]}"?)' if close else ""


def _v_enum(validator, enums, instance, schema):
    if not any(_same(instance, e) for e in enums):
        supported = ", ".join(_show(e) for e in enums)
        yield jsonschema.ValidationError(f"unsupported value {_show(instance)}: supported values: {supported}")


def _v_pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not re.search(pattern, instance):
        if pattern == QUANTITY_PATTERN:
            yield jsonschema.ValidationError(f"invalid quantity {_show(instance)}: expected a Kubernetes "
                                             "quantity such as 500m, 2, 1.5, 8Gi")
        else:
            yield jsonschema.ValidationError(f"{_show(instance)} does not match the pattern {pattern}")


def _v_any_of(validator, subschemas, instance, schema):
    branches = []
    for sub in subschemas:
        errors = list(validator.descend(instance, sub))
        if not errors:
            return
        branches.append(errors)
    if schema.get("x-int-or-string") or schema.get("x-quantity"):
        # one question only: is it the right type (and, for a quantity string, the right syntax)?
        if isinstance(instance, str) and schema.get("x-quantity"):
            yield from branches[0]
            return
        want = "integer or string" if schema.get("x-int-or-string") else "quantity (string or number)"
        shown = "" if isinstance(instance, (dict, list)) else " " + _show(instance)
        yield jsonschema.ValidationError(f"expected {want}, got {_type_name(instance)}{shown}")
        return
    yield _combined(f"matches none of the {len(subschemas)} allowed forms", branches)


def _v_one_of(validator, subschemas, instance, schema):
    matched, branches = [], []
    for index, sub in enumerate(subschemas):
        errors = list(validator.descend(instance, sub))
        if errors:
            branches.append(errors)
        else:
            matched.append(index)
    if len(matched) == 1:
        return
    exclusive = _exclusive_fields(subschemas)
    if exclusive and isinstance(instance, dict):
        # Istio's spelling of "at most one of these fields": oneOf [not anyOf [required a, ...], required a, ...]
        present = ", ".join(f'"{f}"' for f in exclusive if f in instance)
        yield jsonschema.ValidationError(f"at most one of {', '.join(chr(34) + f + chr(34) for f in exclusive)} "
                                         f"may be set, found {present}")
        return
    if not matched:
        yield _combined(f"matches none of the {len(subschemas)} allowed forms", branches)
    else:
        described = [_describe(subschemas[i]) for i in matched]
        yield jsonschema.ValidationError("must match exactly one allowed form, matches " +
                                         "; ".join(described))


def _v_not(validator, not_schema, instance, schema):
    if not any(True for _ in validator.descend(instance, not_schema)):
        yield jsonschema.ValidationError(f"must not match {_describe(not_schema)}")


def _exclusive_fields(subschemas):
    fields = []
    for sub in subschemas:
        if isinstance(sub, dict) and set(sub) == {"required"} and len(sub["required"]) == 1:
            fields.append(sub["required"][0])
        elif not (isinstance(sub, dict) and set(sub) == {"not"} and set(sub["not"]) == {"anyOf"}):
            return None
    return fields


def _describe(schema):
    if isinstance(schema, dict) and set(schema) == {"required"}:
        return "(fields " + ", ".join(f'"{r}"' for r in schema["required"]) + " set)"
    if isinstance(schema, dict) and set(schema) == {"anyOf"}:
        return " or ".join(_describe(s) for s in schema["anyOf"])
    return _show(schema, 80)


def _combined(head, branches):
    best = min(branches, key=len)
    reasons = "; ".join(f"{_path(e.relative_path) or '.'}: {e.message}" for e in best[:3])
    return jsonschema.ValidationError(f"{head} (closest: {reasons})")


def _v_list_type(validator, list_type, instance, schema):
    if not isinstance(instance, list):
        return
    seen = {}
    keys = schema.get("x-kubernetes-list-map-keys") if list_type == "map" else None
    for index, item in enumerate(instance):
        if keys:
            if not isinstance(item, dict):
                continue
            ident = tuple((k, json.dumps(item.get(k), sort_keys=True)) for k in keys if k in item)
            shown = ", ".join(f"{k}={v}" for k, v in ident)
        else:
            ident = json.dumps(item, sort_keys=True)
            shown = _show(item)
        if ident in seen:
            what = "key" if keys else "value"
            yield jsonschema.ValidationError(f"duplicate {what} {shown} (same as [{seen[ident]}]): a "
                                             f"list-type {list_type} list must not repeat it", path=[index])
        else:
            seen[ident] = index


_Draft4Strict = jsonschema.validators.extend(jsonschema.Draft4Validator, {
    "type": _v_type, "required": _v_required, "additionalProperties": _v_additional, "enum": _v_enum,
    "pattern": _v_pattern, "anyOf": _v_any_of, "oneOf": _v_one_of, "not": _v_not,
    "x-kubernetes-list-type": _v_list_type,
})


def _Validator(schema):
    return _Draft4Strict(schema)


# --------------------------------------------------------------------------------------------------------------
# Metadata rules of apimachinery's ValidateObjectMeta that a schema cannot express.

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def metadata_problems(obj, kind):
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return [("metadata", "required field is missing")] if meta is None else []
    problems = []
    name = meta.get("name")
    if name is None and not meta.get("generateName"):
        problems.append(("metadata.name", "required field is missing (name or generateName is required)"))
    elif isinstance(name, str):
        if kind == "Service":
            ok, rule, limit = _DNS1035_LABEL.match(name), "a DNS-1035 label", 63
        elif kind == "Namespace":
            ok, rule, limit = _DNS1123_LABEL.match(name), "a DNS-1123 label", 63
        else:
            ok, rule, limit = _DNS1123_SUBDOMAIN.match(name), "a DNS-1123 subdomain", 253
        if not ok or len(name) > limit:
            problems.append(("metadata.name", f"invalid name {_show(name)}: must be {rule} (lowercase "
                             f"alphanumerics and '-', at most {limit} characters)"))
    for field, check_value in (("labels", True), ("annotations", False)):
        entries = meta.get(field)
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            where = f"metadata.{field}{_key_segment(key)}"
            reason = _qualified_name_problem(key)
            if reason:
                problems.append((where, f"invalid key {_show(key)}: {reason}"))
            if check_value and isinstance(value, str) and (len(value) > 63 or not _LABEL_VALUE.match(value)):
                problems.append((where, f"invalid label value {_show(value)}: at most 63 characters, "
                                 "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"))
    return problems


def _qualified_name_problem(key):
    prefix, _, name = key.rpartition("/")
    if "/" in key and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return "the prefix must be a DNS-1123 subdomain"
    if not name or len(name) > 63 or not _QUALIFIED_NAME.match(name):
        return "the name part must be at most 63 alphanumerics, '-', '_' or '.', starting and ending " \
               "with an alphanumeric"
    return None


# --------------------------------------------------------------------------------------------------------------
# Reading manifests the way kubectl does (sigs.k8s.io/yaml: YAML 1.1 scalars, timestamps stay strings,
# duplicate keys refused, every key a string).

class _ManifestLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    pass


class _CrdLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    pass


for _loader in (_ManifestLoader, _CrdLoader):
    _loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class DuplicateKey(Exception):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, bool):
            key = "true" if key else "false"
        elif key is None:
            key = "null"
        elif not isinstance(key, str):
            key = str(key)
        if key in result:
            mark = key_node.start_mark
            raise DuplicateKey(f"line {mark.line + 1} column {mark.column + 1}: duplicate key {_show(key)}")
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_ManifestLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_objects(path):
    """Yields (label, object) per document or List item, or (label, error message) for unreadable input."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        yield "file", f"cannot read: {e}"
        return
    try:
        if path.endswith(".json") or text.lstrip().startswith(("{", "[")):
            try:
                docs = [json.loads(text, object_pairs_hook=_json_pairs)]
            except json.JSONDecodeError:
                docs = list(yaml.load_all(text, Loader=_ManifestLoader))
        else:
            docs = list(yaml.load_all(text, Loader=_ManifestLoader))
    except (yaml.YAMLError, DuplicateKey) as e:
        yield "file", "cannot parse: " + " ".join(str(e).split())
        return
    for number, doc in enumerate(docs, start=1):
        if doc is None:
            continue  # an empty document, as kubectl skips it
        if isinstance(doc, dict) and doc.get("kind", "").endswith("List") and isinstance(doc.get("items"), list):
            for item_number, item in enumerate(doc["items"], start=1):
                yield f"doc {number} item {item_number}" if len(docs) > 1 else f"doc {item_number}", item
            continue
        yield f"doc {number}", doc


def _json_pairs(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(f"duplicate key {_show(key)}")
        result[key] = value
    return result


# --------------------------------------------------------------------------------------------------------------

class UsageError(Exception):
    pass


def _key_segment(key):
    return f".{key}" if re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", key) else f"[{json.dumps(key)}]"


def _path(parts):
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else _key_segment(str(part))
    return out.lstrip(".")


def _sort_key(error):
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in error.absolute_path]


def check_object(store, obj):
    """Problems of one object as (path, message) pairs."""
    if not isinstance(obj, dict):
        return [("(root)", f"expected an object, got {_type_name(obj)}")]
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    problems = []
    for field, value in (("apiVersion", api_version), ("kind", kind)):
        if not isinstance(value, str) or not value:
            problems.append((field, "required field is missing" if value is None else
                             f"expected a non-empty string, got {_type_name(value)}"))
    if problems:
        return problems
    validator, _ = store.validator(api_version, kind)
    if validator is None:
        known = store.kinds_for(api_version, kind)
        served = f" (served: {', '.join(known)})" if known else ""
        return [("apiVersion", f"no schema for {kind} in {api_version}{served}")]
    for error in sorted(validator.iter_errors(obj), key=_sort_key):
        problems.append((_path(error.absolute_path) or "(root)", error.message))
    problems.extend(metadata_problems(obj, kind))
    return problems


def main(argv):
    parser = argparse.ArgumentParser(
        prog="check_manifests.py",
        description="Check Kubernetes manifests strictly against the upstream CRD and OpenAPI schemas.")
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR|-",
                        help="manifest files (YAML streams, JSON, v1 List), directories of them, or - for stdin")
    parser.add_argument("--shared-dir", default=os.environ.get("MLSERVE_SHARED_DIR"),
                        help="the shared/ folder holding schemas/ (default: $MLSERVE_SHARED_DIR)")
    parser.add_argument("--kube-version", default="1.32", help="Kubernetes OpenAPI documents to use (default 1.32)")
    parser.add_argument("--crd", action="append", default=[], metavar="FILE",
                        help="an extra CRD file whose served versions replace the shared ones (repeatable)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the schema cache")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)
    try:
        if not args.shared_dir:
            raise UsageError("no shared dir: pass --shared-dir or set MLSERVE_SHARED_DIR")
        if not os.path.isdir(os.path.join(args.shared_dir, "schemas")):
            raise UsageError(f"{args.shared_dir} has no schemas/ folder")
        store = SchemaStore(args.shared_dir, args.kube_version, args.crd, not args.no_cache)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    files = []
    for path in args.paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml", ".json")))
        else:
            files.append(path)
    count = problems = 0
    out = []
    for path in files:
        shown = "<stdin>" if path == "-" else path
        for label, obj in read_objects(path):
            if label == "file":
                out.append(f"{shown}: {obj}")
                problems += 1
                continue
            count += 1
            meta = obj.get("metadata") if isinstance(obj, dict) else None
            name = meta.get("name") if isinstance(meta, dict) else None
            kind = obj.get("kind") if isinstance(obj, dict) else None
            header = f"{shown}: {label} ({kind or '<no kind>'}/{name or '<no name>'})"
            for where, message in check_object(store, obj):
                out.append(f"{header}: {where}: {message}")
                problems += 1
    if out:
        sys.stdout.write("\n".join(out) + "\n")
    if not args.quiet:
        print(f"checked {count} object(s) in {len(files)} file(s): "
              f"{problems} problem(s)" if problems else f"checked {count} object(s) in {len(files)} file(s): ok",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
