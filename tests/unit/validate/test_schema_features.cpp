// Each schema feature, accepted and refused, with exact messages and positions (CRD schemas written inline).

#include <doctest/doctest.h>

#include "schema_helpers.hpp"

using mlserve::test::check_widget;
using mlserve::test::k_widget_head;
using Lines = std::vector<std::string>;

namespace {

// spec: {...} with the given properties and extra keywords
std::string spec_schema(const std::string& spec_body) {
    return R"({"type": "object", "properties": {"spec": )" + spec_body + "}}";
}

} // namespace

TEST_CASE("schema: types, with the value shown for scalars") {
    const std::string schema = spec_schema(
        R"({"type": "object", "properties": {"replicas": {"type": "integer"}, "name": {"type": "string"},
            "ratio": {"type": "number"}, "on": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  replicas: 3\n  name: x\n  ratio: 2\n  on: true\n  tags: [a]\n")
              .empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  replicas: \"3\"\n  ratio: 1.5\n  on: yes\n  tags: a\n") ==
          Lines{"6:13 schema.type spec.replicas: expected integer, got string \"3\"",
                "8:7 schema.type spec.on: expected boolean, got string \"yes\"",
                "9:9 schema.type spec.tags: expected array, got string \"a\""});
    CHECK(check_widget(schema, k_widget_head + "spec:\n  replicas: 1.5\n  name: {a: 1}\n") ==
          Lines{"6:13 schema.type spec.replicas: expected integer, got number 1.5",
                "7:9 schema.type spec.name: expected string, got object"});
}

TEST_CASE("schema: null only where nullable") {
    const std::string schema =
        spec_schema(R"({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string", "nullable": true}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  b: null\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  a: null\n") ==
          Lines{"6:6 schema.type spec.a: expected string, got null (remove the field or give it a value: the API "
                "server drops null fields)"});
}

TEST_CASE("schema: required fields are reported at the key of the object that lacks them") {
    const std::string schema = spec_schema(
        R"({"type": "object", "required": ["storageUri", "format"], "properties": {"storageUri": {"type": "string"}, "format": {"type": "string"}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  storageUri: s3://m\n  format: x\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  format: x\n") ==
          Lines{"5:1 schema.required spec: missing required field \"storageUri\" (add spec.storageUri)"});
    const std::string root_required = R"({"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object"}}})";
    CHECK(check_widget(root_required, k_widget_head) ==
          Lines{"1:1 schema.required : missing required field \"spec\" (add spec)"});
}

TEST_CASE("schema: unknown fields point at the key and suggest the closest name") {
    const std::string schema = spec_schema(
        R"({"type": "object", "properties": {"canaryTrafficPercent": {"type": "integer"}, "minReplicas": {"type": "integer"}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  canaryTrafficPercnt: 10\n  zzz: 1\n") ==
          Lines{"6:3 schema.unknown-field spec.canaryTrafficPercnt: unknown field \"canaryTrafficPercnt\" (did you mean "
                "\"canaryTrafficPercent\"?)",
                "7:3 schema.unknown-field spec.zzz: unknown field \"zzz\" (remove it: the API server would drop it "
                "silently)"});
    CHECK(check_widget(schema, k_widget_head + "spex: {}\n") ==
          Lines{"5:1 schema.unknown-field spex: unknown field \"spex\" (did you mean \"spec\"?)"});
    mlserve::validate::SchemaOptions lenient;
    lenient.unknown_fields_are_errors = false;
    auto warned = check_widget(schema, k_widget_head + "spec:\n  zzz: 1\n", lenient);
    CHECK(warned.size() == 1);
}

TEST_CASE("schema: unknown field severity follows the options") {
    mlserve::test::TempDir dir;
    mlserve::test::write_file(dir.path() + "/crd.yaml",
                              mlserve::test::widget_crd(spec_schema(R"({"type": "object", "properties": {}})")));
    mlserve::validate::SchemaStore store;
    REQUIRE(store.add_location(dir.path()).ok());
    auto docs = mlserve::core::parse_yaml(k_widget_head + "spec:\n  x: 1\n", "m.yaml");
    REQUIRE(docs.ok());
    mlserve::validate::Manifest manifest{docs->at(0), 0};
    auto schema = store.find("example.com/v1", "Widget");
    REQUIRE(schema.ok());
    REQUIRE(*schema != nullptr);
    std::vector<mlserve::validate::Finding> findings;
    mlserve::validate::SchemaOptions options;
    options.unknown_fields_are_errors = false;
    mlserve::validate::check_schema(manifest, **schema, options, findings);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == mlserve::validate::Severity::warning);
    CHECK(findings[0].object == "Widget/w");
    CHECK(findings[0].location.file == "m.yaml");
}

TEST_CASE("schema: additionalProperties as a boolean or a schema, and preserve-unknown-fields") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "closed": {"type": "object", "additionalProperties": false},
        "open": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": true},
        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}}}})");
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  labels: {a: b}\n  open: {a: x, b: 1}\n  free: {b: {c: 1}}\n")
              .empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  labels:\n    a: 1\n  closed:\n    x: 1\n  free:\n    a: 2\n") ==
          Lines{"7:8 schema.type spec.labels.a: expected string, got integer 1",
                "9:5 schema.unknown-field spec.closed.x: unknown field \"x\" (remove it: the API server would drop it "
                "silently)",
                "11:8 schema.type spec.free.a: expected string, got integer 2"});
}

TEST_CASE("schema: enum") {
    const std::string schema =
        spec_schema(R"({"type": "object", "properties": {"mode": {"type": "string", "enum": ["Knative", "Standard"]}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  mode: Standard\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  mode: Serverless\n") ==
          Lines{"6:9 schema.enum spec.mode: unsupported value \"Serverless\": supported values: \"Knative\", \"Standard\""});
}

TEST_CASE("schema: pattern, compiled once, RE2's (?i) understood, partial match as Go does") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
        "action": {"type": "string", "pattern": "^(?i)(abort|warn)?$"},
        "part": {"type": "string", "pattern": "b+"}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  name: my-model\n  action: ABORT\n  part: abbbc\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  name: My_Model\n  action: stop\n  part: ac\n") ==
          Lines{"6:9 schema.pattern spec.name: \"My_Model\" does not match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                "7:11 schema.pattern spec.action: \"stop\" does not match the pattern ^(?i)(abort|warn)?$",
                "8:9 schema.pattern spec.part: \"ac\" does not match the pattern b+"});
}

TEST_CASE("schema: formats as Kubernetes checks them") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "port": {"type": "integer", "format": "int32"}, "big": {"type": "integer", "format": "int64"},
        "at": {"type": "string", "format": "date-time"}, "day": {"type": "string", "format": "date"},
        "data": {"type": "string", "format": "byte"}, "id": {"type": "string", "format": "uuid"},
        "ip": {"type": "string", "format": "ipv4"}, "net": {"type": "string", "format": "cidr"},
        "wait": {"type": "string", "format": "duration"}, "ratio": {"type": "number", "format": "double"}}})");
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  port: 2147483647\n  big: 9223372036854775807\n  at: \"2024-02-29T12:00:00.5+01:00\"\n"
                                   "  day: \"2024-02-29\"\n  data: aGVsbG8=\n  id: 123e4567-e89b-12d3-a456-426614174000\n"
                                   "  ip: 10.0.0.1\n  net: 10.0.0.0/16\n  wait: 1h30m\n  ratio: 0.5\n")
              .empty());
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  port: 2147483648\n  at: \"2024-02-30T12:00:00Z\"\n  day: \"2023-02-29\"\n"
                                   "  data: aGVsbG8\n  id: \"123\"\n  ip: 10.0.0.256\n  net: 10.0.0.0/33\n  wait: 5 minutes\n") ==
          Lines{"6:9 schema.format spec.port: 2147483648 does not fit in a 32-bit integer",
                "7:7 schema.format spec.at: \"2024-02-30T12:00:00Z\" is not a valid date-time (write an RFC 3339 time "
                "such as 2024-05-31T12:00:00Z)",
                "8:8 schema.format spec.day: \"2023-02-29\" is not a valid date (write a date such as 2024-05-31)",
                "9:9 schema.format spec.data: \"aGVsbG8\" is not a valid base64 string (format byte) (write base64-encoded "
                "data (RFC 4648 standard alphabet, padded))",
                "10:7 schema.format spec.id: \"123\" is not a valid uuid (write a UUID such as "
                "123e4567-e89b-12d3-a456-426614174000)",
                "11:7 schema.format spec.ip: \"10.0.0.256\" is not a valid IPv4 address (write an IPv4 address such as "
                "10.0.0.1)",
                "12:8 schema.format spec.net: \"10.0.0.0/33\" is not a valid CIDR (write a CIDR such as 10.0.0.0/16)",
                "13:9 schema.format spec.wait: \"5 minutes\" is not a valid duration (write a duration such as 30s, 5m "
                "or 1h30m)"});
}

TEST_CASE("schema: int-or-string and quantities in both spellings") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
        "cpu": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}],
                "pattern": "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  port: http\n  cpu: 500m\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  port: 8080\n  cpu: 2\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  cpu: 1.5Gi\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  port: true\n  cpu: 2 cores\n") ==
          Lines{"6:9 schema.type spec.port: expected integer or string, got boolean true",
                "7:8 schema.format spec.cpu: invalid quantity \"2 cores\": expected a Kubernetes quantity (write a "
                "quantity such as 500m, 2, 1.5 or 8Gi)"});
}

TEST_CASE("schema: numeric bounds, inclusive and exclusive") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "percent": {"type": "integer", "minimum": 0, "maximum": 100},
        "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  percent: 100\n  ratio: 0.5\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  percent: 101\n  ratio: 0\n") ==
          Lines{"6:12 schema.range spec.percent: must be less than or equal to 100, got 101",
                "7:10 schema.range spec.ratio: must be greater than 0, got 0"});
    CHECK(check_widget(schema, k_widget_head + "spec:\n  percent: -1\n  ratio: 1\n") ==
          Lines{"6:12 schema.range spec.percent: must be greater than or equal to 0, got -1",
                "7:10 schema.range spec.ratio: must be less than 1, got 1"});
}

TEST_CASE("schema: string length counts code points, list and map sizes") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 3},
        "steps": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "integer"}},
        "env": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": {"type": "string"}}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  name: \"ééé\"\n  steps: [1, 2]\n  env: {a: b}\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  name: abcd\n  steps: []\n  env: {}\n") ==
          Lines{"6:9 schema.length spec.name: must be at most 3 characters long, got 4",
                "7:3 schema.items spec.steps: must have at least 1 items, got 0",
                "8:3 schema.properties spec.env: must have at least 1 properties, got 0"});
    CHECK(check_widget(schema, k_widget_head + "spec:\n  name: a\n  steps: [1, 2, x]\n  env: {a: b, c: d}\n") ==
          Lines{"6:9 schema.length spec.name: must be at least 2 characters long, got 1",
                "7:3 schema.items spec.steps: must have at most 2 items, got 3",
                "7:17 schema.type spec.steps[2]: expected integer, got string \"x\"",
                "8:3 schema.properties spec.env: must have at most 1 properties, got 2"});
}

TEST_CASE("schema: list-type set and map refuse repeats; atomic allows them") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {
        "finalizers": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
        "anything": {"type": "array", "x-kubernetes-list-type": "atomic", "items": {"type": "string"}},
        "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
                  "items": {"type": "object", "properties": {"port": {"type": "integer"}, "protocol": {"type": "string"},
                            "name": {"type": "string"}}}}}})");
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  finalizers: [a, b]\n  anything: [a, a]\n  ports:\n"
                                   "  - {port: 80, protocol: TCP}\n  - {port: 80, protocol: UDP}\n")
              .empty());
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  finalizers: [a, b, a]\n  ports:\n  - {port: 80, protocol: TCP, name: a}\n"
                                   "  - {port: 80, protocol: TCP, name: b}\n") ==
          Lines{"6:22 schema.list-unique spec.finalizers[2]: duplicate value \"a\" (same as [0]): a list-type set must not "
                "repeat it (remove the duplicate)",
                "9:5 schema.list-unique spec.ports[1]: duplicate key port=80, protocol=\"TCP\" (same as [0]): a list-type "
                "map must not repeat it (give each entry a distinct port)"});
}

TEST_CASE("schema: allOf, anyOf, oneOf and not") {
    const std::string schema = spec_schema(R"({"type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "n": {"type": "integer",
            "allOf": [{"minimum": 1}, {"maximum": 5}], "not": {"enum": [3]}}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}]})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  a: x\n  n: 2\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  a: x\n  b: y\n  n: 3\n") ==
          Lines{"8:6 schema.one-of spec.n: must not match an allowed form",
                "5:1 schema.one-of spec: must match exactly one of the 2 allowed forms (oneOf), matches 2: field \"a\" "
                "set; field \"b\" set"});
    CHECK(check_widget(schema, k_widget_head + "spec:\n  n: 9\n") ==
          Lines{"6:6 schema.range spec.n: must be less than or equal to 5, got 9",
                "5:1 schema.one-of spec: expected exactly one of \"a\", \"b\" to be set"});
    const std::string any = spec_schema(R"({"type": "object", "properties": {"v": {
        "anyOf": [{"type": "integer", "minimum": 10}, {"type": "string", "maxLength": 2}]}}})");
    CHECK(check_widget(any, k_widget_head + "spec:\n  v: 12\n").empty());
    CHECK(check_widget(any, k_widget_head + "spec:\n  v: 5\n") ==
          Lines{"6:6 schema.one-of spec.v: matches none of the 2 allowed forms (anyOf) (closest form: spec.v: must be "
                "greater than or equal to 10, got 5)"});
}

TEST_CASE("schema: embedded resources may carry apiVersion, kind and metadata") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {"template": {"type": "object",
        "x-kubernetes-embedded-resource": true, "properties": {"spec": {"type": "object"}}}}})");
    CHECK(check_widget(schema, k_widget_head +
                                   "spec:\n  template:\n    apiVersion: v1\n    kind: Pod\n    metadata: {name: p, labels: {a: b}}\n"
                                   "    spec: {}\n")
              .empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  template:\n    kind: 5\n    metadata: {labels: {a: 1}}\n    spek: {}\n") ==
          Lines{"7:11 schema.type spec.template.kind: expected string, got integer 5",
                "8:28 schema.type spec.template.metadata.labels.a: expected string, got integer 1",
                "9:5 schema.unknown-field spec.template.spek: unknown field \"spek\" (did you mean \"spec\"?)"});
}

TEST_CASE("schema: CEL rules are never reported as passed, only as not evaluated with -v") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
        "x-kubernetes-validations": [{"rule": "self.min <= self.max", "message": "min must not exceed max"}]})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  min: 5\n  max: 1\n").empty());
    mlserve::validate::SchemaOptions verbose;
    verbose.report_unevaluated_cel = true;
    CHECK(check_widget(schema, k_widget_head + "spec:\n  min: 5\n  max: 1\n", verbose) ==
          Lines{"5:1 schema.cel-not-evaluated spec: CEL rule not evaluated: self.min <= self.max (the API server "
                "evaluates it: kubectl apply --dry-run=server)"});
}

TEST_CASE("schema: metadata without a Kubernetes OpenAPI document gets the basic checks") {
    const std::string schema = R"({"type": "object", "properties": {"spec": {"type": "object"}}})";
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: 5\n  labels: {a: [1]}\n") ==
          Lines{"4:9 schema.type metadata.name: expected string, got integer 5",
                "5:15 schema.type metadata.labels.a: expected string, got array"});
}

TEST_CASE("schema: metadata names, namespaces, labels and annotations as the API server checks them") {
    const std::string schema = R"({"type": "object"})";
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a.b-c\n  namespace: ml\n"
                               "  labels: {app.kubernetes.io/name: x, empty: \"\"}\n  annotations: {example.com/any: \"a b\"}\n")
              .empty());
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  generateName: w-\n").empty());
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: Fraud_Detection\n"
                               "  namespace: ML\n  labels:\n    team: pay ments\n    example.com/: x\n"
                               "  annotations:\n    bad key!: x\n") ==
          Lines{"4:9 schema.metadata metadata.name: invalid name \"Fraud_Detection\": must be a DNS-1123 subdomain "
                "(lowercase alphanumerics, '-' and '.', at most 253 characters)",
                "5:14 schema.metadata metadata.namespace: invalid namespace \"ML\": must be a DNS-1123 label (lowercase "
                "alphanumerics and '-', at most 63 characters)",
                "7:11 schema.metadata metadata.labels.team: invalid label value \"pay ments\": at most 63 characters, "
                "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
                "8:5 schema.metadata metadata.labels.example.com/: invalid key \"example.com/\": the name part must be "
                "at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
                "10:5 schema.metadata metadata.annotations.bad key!: invalid key \"bad key!\": the name part must be "
                "at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"});
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  labels: {a: b}\n") ==
          Lines{"3:1 schema.required metadata: missing required field \"name\" (add metadata.name (or "
                "metadata.generateName))"});
    CHECK(check_widget(schema, "apiVersion: example.com/v1\nkind: Widget\n") ==
          Lines{"1:1 schema.required : missing required field \"metadata\" (add metadata.name)"});
}

TEST_CASE("schema: Istio's oneOf spelling of 'at most one of these fields'") {
    const std::string schema = spec_schema(R"({"type": "object", "properties": {"uri": {"type": "object",
        "properties": {"exact": {"type": "string"}, "prefix": {"type": "string"}, "regex": {"type": "string"}},
        "oneOf": [{"not": {"anyOf": [{"required": ["exact"]}, {"required": ["prefix"]}, {"required": ["regex"]}]}},
                  {"required": ["exact"]}, {"required": ["prefix"]}, {"required": ["regex"]}]}}})");
    CHECK(check_widget(schema, k_widget_head + "spec:\n  uri: {}\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  uri: {prefix: /v1}\n").empty());
    CHECK(check_widget(schema, k_widget_head + "spec:\n  uri: {exact: /a, prefix: /v1}\n") ==
          Lines{"6:3 schema.one-of spec.uri: at most one of \"exact\", \"prefix\", \"regex\" may be set, found \"exact\", "
                "\"prefix\" (keep one of them)"});
}
