// SchemaStore: sources (files, directories, URLs), lazy indexing, and schema files that are themselves broken.

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <thread>

#include "schema_helpers.hpp"

using mlserve::test::check_with;
using mlserve::test::k_widget_head;
using mlserve::test::TempDir;
using mlserve::test::widget_crd;
using mlserve::test::write_file;
using mlserve::validate::SchemaStore;
using Lines = std::vector<std::string>;

namespace {

const std::string k_simple = R"({"type": "object", "properties": {"spec": {"type": "object"}}})";

std::string openapi(const std::string& schemas) {
    return R"({"openapi": "3.0.0", "info": {"title": "t", "version": "v"}, "paths": {},
  "components": {"schemas": )" + schemas + "}}";
}

} // namespace

TEST_CASE("schema store: a directory is read recursively, non-schema files beside CRDs are skipped") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() + "/a/b");
    write_file(dir.path() + "/a/b/crd.yaml", widget_crd(k_simple));
    write_file(dir.path() + "/kustomization.yaml", "resources:\n- a/b/crd.yaml\n");
    write_file(dir.path() + "/SOURCE.md", "# not a schema\n");
    write_file(dir.path() + "/a/runtime.yaml", "apiVersion: serving.kserve.io/v1alpha1\nkind: ClusterServingRuntime\n");
    write_file(dir.path() + "/a/broken-but-no-crd.yaml", "a: [\n");
    SchemaStore store;
    REQUIRE(store.add_location(dir.path()).ok());
    CHECK(store.stats().kinds == 1);
    CHECK(store.stats().sources == 1);
    CHECK(check_with(store, k_widget_head + "spec: {}\n").empty());
    auto missing = store.find("example.com/v2", "Widget");
    REQUIRE(missing.ok());
    CHECK(*missing == nullptr);
}

TEST_CASE("schema store: multi-document CRD files, every served version, and earlier sources win") {
    TempDir dir;
    std::string two = widget_crd(k_simple) + "---\n" + widget_crd(R"({"type": "object", "properties": {"spec": {"type": "string"}}})");
    // the second document names another kind and two versions, one not served
    std::string other = widget_crd(R"({"type": "object", "properties": {"spec": {"type": "integer"}}})");
    other.replace(other.find("kind: Widget"), 12, "kind: Gadget");
    other += "  - name: v2\n    served: false\n    storage: false\n    schema:\n      openAPIV3Schema: {type: object}\n";
    write_file(dir.path() + "/one.yaml", two + "---\n" + other);
    SchemaStore store;
    REQUIRE(store.add_location(dir.path() + "/one.yaml").ok());
    CHECK(store.stats().kinds == 2);
    CHECK(check_with(store, k_widget_head + "spec: {}\n").empty());
    CHECK(check_with(store, "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: x\n") ==
          Lines{"4:7 schema.type spec: expected integer, got string \"x\""});
    auto unserved = store.find("example.com/v2", "Gadget");
    REQUIRE(unserved.ok());
    CHECK(*unserved == nullptr);
}

TEST_CASE("schema store: missing locations and files that are not schemas are input errors") {
    SchemaStore store;
    auto missing = store.add_location("/nonexistent/schemas");
    REQUIRE(!missing.ok());
    CHECK(missing.error().message == "schema location /nonexistent/schemas does not exist");
    CHECK(missing.error().code == mlserve::core::ExitCode::usage);
    TempDir dir;
    write_file(dir.path() + "/k.yaml", "resources: []\n");
    auto not_schema = store.add_location(dir.path() + "/k.yaml");
    REQUIRE(!not_schema.ok());
    CHECK(not_schema.error().message == "no CustomResourceDefinition or OpenAPI v3 document in schema file " +
                                            dir.path() + "/k.yaml");
    TempDir empty_dir;
    auto nothing = store.add_location(empty_dir.path());
    REQUIRE(!nothing.ok());
    CHECK(nothing.error().message == "no CRD or OpenAPI schema files in " + empty_dir.path());
}

TEST_CASE("schema store: a broken CRD file is an error naming the file and line") {
    TempDir dir;
    // flow style hides the group from the scan, so the file is parsed when added
    write_file(dir.path() + "/crd.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                                         "spec: {group: example.com, names: {kind: Widget}, versions: [\n");
    SchemaStore store;
    auto added = store.add_location(dir.path());
    REQUIRE(!added.ok());
    CHECK(added.error().location.file == dir.path() + "/crd.yaml");
    CHECK(added.error().location.line >= 3);

    // block style, broken further down: the error comes when the kind is first needed
    write_file(dir.path() + "/crd.yaml", widget_crd(k_simple) + "    extra: [\n");
    SchemaStore lazy;
    REQUIRE(lazy.add_location(dir.path()).ok());
    auto found = lazy.find("example.com/v1", "Widget");
    REQUIRE(!found.ok());
    CHECK(found.error().location.file == dir.path() + "/crd.yaml");
    CHECK(found.error().location.line == 18);
}

TEST_CASE("schema store: a CRD version without openAPIV3Schema is an error at its line") {
    TempDir dir;
    std::string crd = widget_crd(k_simple);
    crd = crd.substr(0, crd.find("    schema:")) + "    subresources: {}\n";
    write_file(dir.path() + "/crd.yaml", crd);
    SchemaStore store;
    REQUIRE(store.add_location(dir.path()).ok());
    auto found = store.find("example.com/v1", "Widget");
    REQUIRE(!found.ok());
    CHECK(found.error().message ==
          "CustomResourceDefinition widgets.example.com version v1 in " + dir.path() + "/crd.yaml has no schema.openAPIV3Schema");
    CHECK(found.error().location.line == 12);
}

TEST_CASE("schema store: a $ref in a CRD schema or a dangling one in an OpenAPI document is an error") {
    TempDir dir;
    write_file(dir.path() + "/crd.yaml",
               widget_crd(R"({"type": "object", "properties": {"spec": {"$ref": "#/definitions/Spec"}}})"));
    SchemaStore store;
    REQUIRE(store.add_location(dir.path()).ok());
    auto found = store.find("example.com/v1", "Widget");
    REQUIRE(!found.ok());
    CHECK(found.error().message == dir.path() + "/crd.yaml at /properties/spec: dangling $ref \"#/definitions/Spec\": "
                                                "a CRD schema cannot refer to other schemas");
    CHECK(found.error().location.line == 16);

    write_file(dir.path() + "/doc.json", openapi(R"({"W": {"type": "object",
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "W"}],
        "properties": {"spec": {"$ref": "#/components/schemas/Missing"}}}})"));
    SchemaStore json_store;
    REQUIRE(json_store.add_location(dir.path() + "/doc.json").ok());
    auto dangling = json_store.find("example.com/v1", "W");
    REQUIRE(!dangling.ok());
    CHECK(dangling.error().message ==
          dir.path() + "/doc.json (W) at /properties/spec: dangling $ref \"#/components/schemas/Missing\" in " +
              dir.path() + "/doc.json");
    CHECK(dangling.error().location.line == 2);
}

TEST_CASE("schema store: malformed OpenAPI JSON names the file and line") {
    TempDir dir;
    write_file(dir.path() + "/doc.json", "{\"components\": {\"schemas\": {\n\"A\": {\"type\": \"object\"\n\n");
    SchemaStore store;
    auto added = store.add_location(dir.path() + "/doc.json");
    REQUIRE(!added.ok());
    CHECK(added.error().message == "malformed JSON in schema file " + dir.path() + "/doc.json");
    CHECK(added.error().location.line == 4);
    // well nested but broken inside one component: found when that component is compiled
    write_file(dir.path() + "/doc.json",
               openapi("{\"A\": {\"type\": \"object\", \"x-kubernetes-group-version-kind\": "
                       "[{\"group\": \"\", \"version\": \"v1\", \"kind\": \"A\"}],\n \"properties\": {,}}}"));
    SchemaStore lazy;
    REQUIRE(lazy.add_location(dir.path() + "/doc.json").ok());
    auto found = lazy.find("v1", "A");
    REQUIRE(!found.ok());
    CHECK(found.error().message == "malformed JSON in schema A of " + dir.path() + "/doc.json");
    CHECK(found.error().location.line == 2);
    auto again = lazy.find("v1", "A"); // the same error, not a half-compiled schema that accepts anything
    REQUIRE(!again.ok());
    CHECK(again.error().message == found.error().message);
}

TEST_CASE("schema store: recursive $refs compile once and validation stays bounded") {
    TempDir dir;
    write_file(dir.path() + "/doc.json", openapi(R"({
      "Tree": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Tree"}],
               "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"},
                              "metadata": {"type": "object"},
                              "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
      "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Loop"}]},
      "Fork": {"anyOf": [{"$ref": "#/components/schemas/Fork"}, {"$ref": "#/components/schemas/Fork"}],
               "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Fork"}]}})"));
    SchemaStore store;
    REQUIRE(store.add_location(dir.path() + "/doc.json").ok());
    std::string tree = "apiVersion: example.com/v1\nkind: Tree\nmetadata: {name: t}\nname: root\n";
    std::string indent;
    for (int i = 0; i < 30; ++i) {
        tree += indent + "children:\n" + indent + "- name: n" + std::to_string(i) + "\n";
        indent += "  ";
    }
    tree += indent + "nme: typo\n";
    auto found = check_with(store, tree);
    REQUIRE(found.size() == 1);
    CHECK(found[0].find("schema.unknown-field") != std::string::npos);
    CHECK(check_with(store, "apiVersion: example.com/v1\nkind: Loop\n") ==
          Lines{"1:1 schema.depth : the schema is too deeply recursive to check this value (the schema refers to itself "
                "without a field in between; fix the schema)"});
    CHECK(check_with(store, "apiVersion: example.com/v1\nkind: Fork\n") ==
          Lines{"1:1 schema.depth : the schema is too deeply recursive to check this value (the schema refers to itself "
                "without a field in between; fix the schema)"});
}

TEST_CASE("schema store: a schema nested thousands of levels deep is refused, not a stack overflow") {
    TempDir dir;
    std::string deep = R"({"type": "object"})";
    for (int i = 0; i < 5000; ++i) deep = R"({"type": "object", "properties": {"a": )" + deep + "}}";
    write_file(dir.path() + "/doc.json", openapi(R"({"D": {"x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "D"}],
        "type": "object", "properties": {"x": )" + deep + "}}}"));
    SchemaStore store;
    REQUIRE(store.add_location(dir.path() + "/doc.json").ok());
    auto found = store.find("v1", "D");
    REQUIRE(!found.ok());
    CHECK(found.error().message.find("schema nested deeper than 256 levels") != std::string::npos);
}

TEST_CASE("schema store: OpenAPI documents named by group-version are read only when their group-version is asked for") {
    TempDir dir;
    // a broken document whose name says apps/v1: harmless until an apps/v1 object turns up
    write_file(dir.path() + "/apis__apps__v1_openapi.json", "{ not json");
    write_file(dir.path() + "/crd.yaml", widget_crd(k_simple));
    SchemaStore store;
    REQUIRE(store.add_location(dir.path()).ok());
    CHECK(check_with(store, k_widget_head + "spec: {}\n").empty());
    auto apps = store.find("apps/v1", "Deployment");
    REQUIRE(!apps.ok());
    CHECK(apps.error().message == "malformed JSON in schema file " + dir.path() + "/apis__apps__v1_openapi.json");
}

TEST_CASE("schema store: http URLs are fetched from a real server, and failures name the URL") {
    TempDir dir;
    write_file(dir.path() + "/crd.yaml", widget_crd(k_simple));
    std::optional<mlserve::test::FileServer> server(std::in_place, dir.path());
    const std::string base = server->url();
    REQUIRE(!base.empty());
    SchemaStore store;
    auto added = store.add_location(base + "/crd.yaml");
    auto missing = SchemaStore().add_location(base + "/nope.yaml");
    server.reset(); // stopped: the port now refuses connections
    REQUIRE(added.ok());
    CHECK(check_with(store, k_widget_head + "spex: {}\n") ==
          Lines{"5:1 schema.unknown-field spex: unknown field \"spex\" (did you mean \"spec\"?)"});
    REQUIRE(!missing.ok());
    CHECK(missing.error().message == "cannot fetch schema " + base + "/nope.yaml: the server answered HTTP 404");
    auto refused = SchemaStore().add_location(base + "/crd.yaml");
    REQUIRE(!refused.ok());
    CHECK(refused.error().message.rfind("cannot fetch schema " + base + "/crd.yaml: ", 0) == 0);
}

TEST_CASE("schema store: libcurl is not loaded while every location is local") {
    if (std::getenv("MLSERVE_CURL_PROBE")) { // the fresh process started below
        TempDir dir;
        write_file(dir.path() + "/crd.yaml", widget_crd(k_simple));
        SchemaStore store;
        const bool ok = store.add_location(dir.path()).ok() && check_with(store, k_widget_head).empty();
        const bool loaded = mlserve::test::slurp("/proc/self/maps").find("libcurl") != std::string::npos;
        _exit(!ok ? 1 : loaded ? 2 : 0);
    }
    // a fresh process: another test case in this one may have fetched a URL already
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        setenv("MLSERVE_CURL_PROBE", "1", 1);
        execl("/proc/self/exe", "mlserve_tests", "--test-case=schema store: libcurl is not loaded*",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("schema store: a wide OpenAPI document is indexed without compiling what is not asked for") {
    TempDir dir;
    std::string schemas = "{";
    for (int i = 0; i < 20000; ++i) {
        schemas += "\"C" + std::to_string(i) + "\": {\"type\": \"object\", \"description\": \"" + std::string(40, 'x') +
                   "\", \"properties\": {\"next\": {\"$ref\": \"#/components/schemas/C" + std::to_string(i < 5 ? i + 1 : 0) +
                   "\"}, \"v\": {\"type\": \"integer\"}}},";
    }
    schemas += R"("Root": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "wide.example.com", "version": "v1", "kind": "Root"}],
        "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
                       "first": {"$ref": "#/components/schemas/C0"}}}})";
    write_file(dir.path() + "/wide.json", openapi(schemas));
    SchemaStore store;
    REQUIRE(store.add_location(dir.path() + "/wide.json").ok());
    CHECK(store.stats().kinds == 1);
    CHECK(check_with(store, "apiVersion: wide.example.com/v1\nkind: Root\nmetadata: {name: r}\n"
                            "first: {next: {next: {v: x}}}\n") ==
          Lines{"4:26 schema.type first.next.next.v: expected integer, got string \"x\""});
}

TEST_CASE("schema store: the schema.* rule catalogue is sorted, unique and documented") {
    const auto& rules = mlserve::validate::schema_rules();
    REQUIRE(rules.size() >= 14);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        CAPTURE(rules[i].id);
        CHECK(rules[i].id.rfind("schema.", 0) == 0);
        CHECK(rules[i].category == "schema");
        CHECK(!rules[i].doc.empty());
        CHECK(rules[i].doc.find('\n') == std::string::npos);
        if (i > 0) CHECK(rules[i - 1].id < rules[i].id);
    }
    for (const char* id : {"schema.type", "schema.required", "schema.unknown-field", "schema.enum", "schema.pattern",
                           "schema.format", "schema.range", "schema.length", "schema.items", "schema.properties",
                           "schema.list-unique", "schema.one-of", "schema.cel-not-evaluated", "schema.metadata",
                           "schema.depth"})
        CHECK(std::any_of(rules.begin(), rules.end(), [&](const auto& rule) { return rule.id == id; }));
}

TEST_CASE("schema store: CRDs in flow style or JSON are parsed when added, since a scan cannot index them") {
    TempDir dir;
    const std::string crd_json =
        R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "widgets.example.com"},
  "spec": {"group": "example.com", "names": {"kind": "Widget", "plural": "widgets"}, "scope": "Namespaced",
    "versions": [{"name": "v1", "served": true, "storage": true,
      "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
        "properties": {"size": {"type": "integer"}}}}}}}]}})";
    write_file(dir.path() + "/crd.json", crd_json);
    SchemaStore store;
    REQUIRE(store.add_location(dir.path() + "/crd.json").ok());
    CHECK(store.stats().kinds == 1);
    CHECK(check_with(store, k_widget_head + "spec: {size: big}\n") ==
          Lines{"5:14 schema.type spec.size: expected integer, got string \"big\""});
}
