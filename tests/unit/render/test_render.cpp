// The render pipeline end to end (spec loader, context, JSON-e engine, overrides, order, output), with
// templates of the test's own so that these tests do not change when the built-in templates do.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/yaml.hpp"
#include "render/embedded.hpp"
#include "render/render.hpp"
#include "render/run.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using mlserve::core::ExitCode;
using mlserve::render::OutputFormat;
using mlserve::render::run_render;
using mlserve::test::run_cli;
using mlserve::test::slurp;
using mlserve::test::TempDir;

namespace {

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// A fresh --templates directory that disables every built-in template (an empty file each) and adds `own`.
/// (Compiled templates are cached per directory for the life of the process, so each set gets its own.)
std::string templates(const TempDir& tmp, const std::vector<std::pair<std::string, std::string>>& own) {
    static int count = 0;
    std::string dir = tmp.path() + "/templates-" + std::to_string(++count);
    fs::create_directories(dir);
    for (const auto& file : mlserve::render::embedded_templates()) write(dir + "/" + std::string(file.path), "");
    for (const auto& [path, text] : own) write(dir + "/" + path, text);
    return dir;
}

std::string spec(const std::string& name, const std::string& extra = {}, const std::string& ns = "ml") {
    return "apiVersion: mlserve.io/v1alpha1\n"
           "kind: ModelDeployment\n"
           "metadata: {name: " + name + ", namespace: " + ns + "}\n"
           "spec:\n"
           "  model: {format: sklearn, storageUri: 'gs://models/iris'}\n" +
           extra;
}

const char* k_service = "apiVersion: v1\n"
                        "kind: Service\n"
                        "metadata: {name: '${name}', namespace: '${namespace}', labels: {$eval: labels}}\n"
                        "spec: {ports: [{port: 80}]}\n";

const char* k_configmaps = "- apiVersion: v1\n"
                           "  kind: ConfigMap\n"
                           "  metadata: {name: '${name}-b', namespace: '${namespace}'}\n"
                           "  data: {$eval: model.spec.model.env}\n"
                           "- apiVersion: v1\n"
                           "  kind: ConfigMap\n"
                           "  metadata: {name: '${name}-a', namespace: '${namespace}'}\n";

const char* k_never = "$if: model.spec.backend == 'nothing'\n"
                      "then: {apiVersion: v1, kind: Secret, metadata: {name: x}}\n";

struct Rendered {
    mlserve::core::Result<mlserve::render::RenderOutput> result;
    std::string text() const { return result.ok() ? result->text : "error: " + result.error().headline(); }
};

Rendered render(std::vector<std::string> inputs, const std::string& templates_dir,
                OutputFormat format = OutputFormat::yaml, const std::string& out_dir = {}) {
    return {run_render({std::move(inputs), format, out_dir, templates_dir, false})};
}

} // namespace

TEST_CASE("render evaluates every template, drops null results and orders the objects") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}, {"b/configmaps.yaml", k_configmaps},
                               {"c/never.yaml", k_never}});
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto out = render({tmp.path() + "/m.yaml"}, dir, OutputFormat::name);
    CHECK(out.text() == "configmap/iris-a\nconfigmap/iris-b\nservice/iris\n");
}

TEST_CASE("render applies the spec's overrides after the templates") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    write(tmp.path() + "/m.yaml",
          spec("iris", "  overrides:\n"
                       "    - target: {kind: Service}\n"
                       "      jsonPatch: [{op: add, path: /spec/ports/-, value: {port: 8080}}]\n"
                       "    - target: {kind: Service, name: iris}\n"
                       "      mergePatch: {metadata: {labels: {app.kubernetes.io/part-of: null}}}\n"));
    auto out = render({tmp.path() + "/m.yaml"}, dir);
    CHECK(out.text() == "---\n"
                        "apiVersion: v1\n"
                        "kind: Service\n"
                        "metadata:\n"
                        "  name: iris\n"
                        "  namespace: ml\n"
                        "  labels:\n"
                        "    app.kubernetes.io/name: iris\n"
                        "    app.kubernetes.io/managed-by: kubectl-mlserve\n"
                        "spec:\n"
                        "  ports:\n"
                        "  - port: 80\n"
                        "  - port: 8080\n");
}

TEST_CASE("render reports overrides that match nothing and patches that fail, at the spec's position") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    write(tmp.path() + "/m.yaml", spec("iris", "  overrides:\n"
                                               "    - target: {kind: HorizontalPodAutoscaler}\n"
                                               "      mergePatch: {spec: {}}\n"));
    auto unmatched = render({tmp.path() + "/m.yaml"}, dir);
    REQUIRE_FALSE(unmatched.result.ok());
    CHECK(unmatched.result.error().headline() ==
          tmp.path() +
              "/m.yaml:7:15: spec.overrides[0].target: no rendered object matches kind HorizontalPodAutoscaler");
    CHECK(unmatched.result.error().hint == "rendered objects: Service/iris");
    CHECK(unmatched.result.error().code == ExitCode::usage);

    write(tmp.path() + "/p.yaml", spec("iris", "  overrides:\n"
                                               "    - target: {kind: Service}\n"
                                               "      jsonPatch:\n"
                                               "        - {op: test, path: /spec/ports/0/port, value: 81}\n"));
    auto failed = render({tmp.path() + "/p.yaml"}, dir);
    REQUIRE_FALSE(failed.result.ok());
    CHECK(failed.result.error().headline() ==
          tmp.path() + "/p.yaml:9:11: spec.overrides[0].jsonPatch[0]: test /spec/ports/0/port: the value is 80, "
                       "not 81 in Service/iris");
}

TEST_CASE("render keeps template syntax and newlines in spec values verbatim") {
    TempDir tmp;
    auto dir = templates(tmp, {{"b/configmaps.yaml", k_configmaps}});
    std::string text = spec("iris");
    text.replace(text.find("storageUri"), 0, "env: {A: '${name}', B: '{{ .Values.x }}', C: \"$eval\", "
                                               "D: \"two\\nlines: {$eval: name}\"}, ");
    write(tmp.path() + "/m.yaml", text);
    auto out = render({tmp.path() + "/m.yaml"}, dir, OutputFormat::json);
    REQUIRE_MESSAGE(out.result.ok(), out.text());
    auto list = mlserve::core::Json::parse(out.result->text);
    CHECK(list["items"][1]["data"].dump() ==
          R"({"A":"${name}","B":"{{ .Values.x }}","C":"$eval","D":"two\nlines: {$eval: name}"})");
}

TEST_CASE("render refuses names with newlines or template syntax before anything is rendered") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    for (std::string name : {"\"iris\\nkind: Secret\"", "\"${name}\"", "\"../../etc\""}) {
        CAPTURE(name);
        write(tmp.path() + "/m.yaml", spec(name));
        auto out = render({tmp.path() + "/m.yaml"}, dir);
        REQUIRE_FALSE(out.result.ok());
        CHECK(out.result.error().code == ExitCode::usage);
        CHECK(out.result.error().location.to_string() == tmp.path() + "/m.yaml:3:18");
    }
}

TEST_CASE("render names the template whose result is not a Kubernetes object") {
    TempDir tmp;
    auto dir = templates(tmp, {{"zz/bad.yaml", "[{apiVersion: v1, kind: ConfigMap, metadata: {}}]\n"}});
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto out = render({tmp.path() + "/m.yaml"}, dir);
    REQUIRE_FALSE(out.result.ok());
    CHECK(out.result.error().message == "template zz/bad.yaml: item 0: ConfigMap has no metadata.name");
    REQUIRE(out.result.error().details.size() == 1);
    CHECK(out.result.error().details[0] == "while rendering ModelDeployment iris from " + tmp.path() + "/m.yaml:1:1");
}

TEST_CASE("render reports template errors at the template's position") {
    TempDir tmp;
    auto dir = templates(tmp, {{"zz/typo.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {$evl: name}}\n"}});
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto out = render({tmp.path() + "/m.yaml"}, dir);
    REQUIRE_FALSE(out.result.ok());
    CHECK(out.result.error().location.file == dir + "/zz/typo.yaml");
    CHECK(out.result.error().location.line == 3);
}

TEST_CASE("render refuses two templates that give the same object") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}, {"b/service.yaml", k_service}});
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto out = render({tmp.path() + "/m.yaml"}, dir);
    REQUIRE_FALSE(out.result.ok());
    CHECK(out.result.error().message == "two rendered objects are both Service ml/iris: from a/service.yaml and "
                                        "b/service.yaml");
}

TEST_CASE("render of a tree keeps an identical shared object once and refuses conflicting ones") {
    TempDir tmp;
    const char* ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: '${namespace}'}\n";
    auto dir = templates(tmp, {{"a/namespace.yaml", ns}, {"b/service.yaml", k_service}});
    write(tmp.path() + "/specs/a/model.yaml", spec("iris"));
    write(tmp.path() + "/specs/b/model.yaml", spec("wine"));
    write(tmp.path() + "/specs/notes.yaml", "apiVersion: v1\nkind: ConfigMap\n");
    auto out = render({tmp.path() + "/specs"}, dir, OutputFormat::name);
    CHECK(out.text() == "namespace/ml\nservice/iris\nservice/wine\n");

    // A second spec with the same name and namespace but another transformer renders another Service.
    write(tmp.path() + "/specs/c/model.yaml", spec("iris", "  transformer: {image: 'x.io/t:1'}\n"));
    auto dir2 = templates(tmp, {{"a/namespace.yaml", ns},
                                {"b/service.yaml", "apiVersion: v1\nkind: Service\n"
                                                   "metadata: {name: '${name}', namespace: '${namespace}'}\n"
                                                   "spec: {$eval: model.spec}\n"}});
    auto conflict = render({tmp.path() + "/specs"}, dir2);
    REQUIRE_FALSE(conflict.result.ok());
    CHECK(conflict.result.error().message == "two specs render Service ml/iris differently: " + tmp.path() +
                                                 "/specs/a/model.yaml:1:1 and " + tmp.path() +
                                                 "/specs/c/model.yaml:1:1");
}

TEST_CASE("render --out-dir writes sanitised names inside the directory and refuses collisions") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/escape.yaml", "apiVersion: v1\nkind: ConfigMap\n"
                                                 "metadata: {name: '../../${name}/x', namespace: '/etc'}\n"}});
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto out = render({tmp.path() + "/m.yaml"}, dir, OutputFormat::yaml, tmp.path() + "/out");
    REQUIRE_MESSAGE(out.result.ok(), out.text());
    CHECK(out.text() == tmp.path() + "/out/-etc/configmap-..-..-iris-x.yaml\n");
    std::string written = slurp(tmp.path() + "/out/-etc/configmap-..-..-iris-x.yaml");
    CHECK(written.find("name: ../../iris/x\n") != std::string::npos);

    auto dir2 = templates(tmp, {{"a/one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'a_b'}\n"},
                                {"b/two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'a-b'}\n"}});
    auto collision = render({tmp.path() + "/m.yaml"}, dir2, OutputFormat::yaml, tmp.path() + "/out2");
    REQUIRE_FALSE(collision.result.ok());
    CHECK(collision.result.error().message == "two objects would be written to " + tmp.path() +
                                                  "/out2/configmap-a-b.yaml: " + tmp.path() +
                                                  "/m.yaml:1:1 (template b/two.yaml) and " + tmp.path() +
                                                  "/m.yaml:1:1 (template a/one.yaml)");
    CHECK_FALSE(fs::exists(tmp.path() + "/out2"));
}

TEST_CASE("render --show-defaults prints the loaded spec") {
    TempDir tmp;
    write(tmp.path() + "/m.yaml", spec("iris"));
    auto yaml = run_render({{tmp.path() + "/m.yaml"}, OutputFormat::yaml, {}, {}, true});
    REQUIRE(yaml.ok());
    auto documents = mlserve::core::parse_yaml(yaml->text, "out");
    REQUIRE(documents.ok());
    REQUIRE(documents->size() == 1);
    CHECK(documents->at(0).value["spec"]["backend"] == "kserve");
    CHECK(documents->at(0).value["metadata"]["name"] == "iris");
    auto json = run_render({{tmp.path() + "/m.yaml"}, OutputFormat::json, {}, {}, true});
    REQUIRE(json.ok());
    CHECK(mlserve::core::Json::parse(json->text) == documents->at(0).value);
    auto name = run_render({{tmp.path() + "/m.yaml"}, OutputFormat::name, {}, {}, true});
    REQUIRE_FALSE(name.ok());
    CHECK(name.error().message == "--show-defaults prints the specs as YAML or JSON");
}

TEST_CASE("kubectl mlserve render reads stdin, prints only data and exits 2 on input errors") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    auto ok = run_cli("render -f - -o name --templates '" + dir + "'", spec("iris"));
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == "service/iris\n");
    CHECK(ok.err.empty());

    auto missing = run_cli("render -f '" + tmp.path() + "/missing.yaml'");
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.empty());
    CHECK(missing.err.rfind("error: ", 0) == 0);

    auto conflicting = run_cli("render -f - -o json --out-dir '" + tmp.path() + "/o'", spec("iris"));
    CHECK(conflicting.exit_code == 2);
    CHECK(conflicting.err == "error: --out-dir writes YAML files and cannot be combined with -o json or -o name\n"
                             "hint: drop -o, or drop --out-dir to print to standard output\n");

    auto bad_format = run_cli("render -f - -o table", spec("iris"));
    CHECK(bad_format.exit_code == 2);
    CHECK(bad_format.out.empty());
}

TEST_CASE("kubectl mlserve render prints the loader's warnings on stderr only") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    write(tmp.path() + "/m.yaml", spec("iris", "  kserve: {mode: Serverless}\n"));
    auto result = run_cli("render -o name -f '" + tmp.path() + "/m.yaml' --templates '" + dir + "'");
    CHECK(result.exit_code == 0);
    CHECK(result.out == "service/iris\n");
    CHECK(result.err.rfind("warning: " + tmp.path() + "/m.yaml:6:18: spec.kserve.mode: ", 0) == 0);
}

TEST_CASE("render -f DIR writes each spec's objects before reading the next and stops at a failing spec") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    write(tmp.path() + "/specs/a/model.yaml", spec("iris"));
    write(tmp.path() + "/specs/b/model.yaml", spec("wine", "  backend: nothing\n"));
    write(tmp.path() + "/specs/c/model.yaml", spec("rose"));
    for (auto format : {OutputFormat::yaml, OutputFormat::json, OutputFormat::name}) {
        std::ostringstream out;
        std::vector<mlserve::core::Error> warnings;
        auto result = run_render({{tmp.path() + "/specs"}, format, {}, dir, false}, out,
                                 [&](const mlserve::core::Error& warning) { warnings.push_back(warning); });
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().location.file == tmp.path() + "/specs/b/model.yaml");
        CHECK(result.error().code == ExitCode::usage);
        // iris was written before wine was loaded; rose never was. The JSON List stays unclosed, so that a
        // consumer cannot take the partial output for a complete one.
        CHECK(out.str().find("iris") != std::string::npos);
        CHECK(out.str().find("rose") == std::string::npos);
        if (format == OutputFormat::name) CHECK(out.str() == "service/iris\n");
        if (format == OutputFormat::json) CHECK_THROWS(mlserve::core::Json::parse(out.str()));
    }
    // The buffered form gives all or nothing.
    auto buffered = render({tmp.path() + "/specs"}, dir, OutputFormat::name);
    CHECK(buffered.text().rfind("error: " + tmp.path() + "/specs/b/model.yaml:", 0) == 0);
}

TEST_CASE("render -f DIR with --out-dir writes spec by spec and never overwrites a file of the same run") {
    TempDir tmp;
    // Two objects with different identities (API groups) but the same file name, from two specs.
    auto dir = templates(tmp, {{"a/thing.yaml", "apiVersion: {$if: \"name == 'a'\", then: v1, else: example.com/v1}\n"
                                                "kind: Thing\n"
                                                "metadata: {name: shared, namespace: ml}\n"
                                                "data: {from: '${name}'}\n"}});
    write(tmp.path() + "/specs/a/model.yaml", spec("a"));
    write(tmp.path() + "/specs/b/model.yaml", spec("b"));
    std::ostringstream out;
    auto result = run_render({{tmp.path() + "/specs"}, OutputFormat::yaml, tmp.path() + "/out", dir, false}, out, {});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message == "two objects would be written to " + tmp.path() + "/out/ml/thing-shared.yaml: " +
                                        tmp.path() + "/specs/a/model.yaml:1:1 (template a/thing.yaml) and " +
                                        tmp.path() + "/specs/b/model.yaml:1:1 (template a/thing.yaml)");
    CHECK(out.str() == tmp.path() + "/out/ml/thing-shared.yaml\n");
    CHECK(slurp(tmp.path() + "/out/ml/thing-shared.yaml").find("from: a\n") != std::string::npos);
}

TEST_CASE("render --show-defaults -o json of several specs prints a List of them in input order") {
    TempDir tmp;
    write(tmp.path() + "/specs/a.yaml", spec("iris"));
    write(tmp.path() + "/specs/b.yaml", spec("wine"));
    auto json = run_render({{tmp.path() + "/specs"}, OutputFormat::json, {}, {}, true});
    REQUIRE(json.ok());
    auto list = mlserve::core::Json::parse(json->text);
    CHECK(list["kind"] == "List");
    REQUIRE(list["items"].size() == 2);
    CHECK(list["items"][0]["metadata"]["name"] == "iris");
    CHECK(list["items"][1]["metadata"]["name"] == "wine");
    CHECK(list["items"][1]["spec"]["backend"] == "kserve");
}

TEST_CASE("kubectl mlserve render -f DIR prints the specs before a failing one, then the error, and exits 2") {
    TempDir tmp;
    auto dir = templates(tmp, {{"a/service.yaml", k_service}});
    write(tmp.path() + "/specs/a/model.yaml", spec("iris"));
    write(tmp.path() + "/specs/b/model.yaml", spec("wine", "  replicas: 3\n"));
    auto result = run_cli("render -o name -f '" + tmp.path() + "/specs' --templates '" + dir + "'");
    CHECK(result.exit_code == 2);
    CHECK(result.out == "service/iris\n");
    CHECK(result.err.rfind("error: " + tmp.path() + "/specs/b/model.yaml:6:3: spec.replicas: ", 0) == 0);
}

// The built-in templates are unpacked without positions (render.cpp: compile_packed); a message about one of
// them must still say where in the template the failing node stands.
TEST_CASE("an error in a built-in template names the template file, line and column") {
    // load_spec would refuse this spec (no kserve.mode, no scaling): a hand-made LoadedSpec reaches the templates.
    auto docs = mlserve::core::parse_yaml("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\n"
                                          "metadata: {name: x, namespace: ml}\nspec: {backend: kserve, model: {}}\n",
                                          "bad.yaml");
    REQUIRE(docs.ok());
    const mlserve::spec::LoadedSpec loaded{docs->front(), {}};
    auto rendered = mlserve::render::render(loaded, {});
    REQUIRE_FALSE(rendered.ok());
    CHECK(rendered.error().headline() == "templates/common/hpa.yaml:17:8: in: unknown context value 'spec.scaling'");

    auto docs2 = mlserve::core::parse_yaml("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\n"
                                          "metadata: {name: x, namespace: ml}\nspec: {backend: kserve, model: {}, "
                                          "scaling: {metric: concurrency, minReplicas: 1, maxReplicas: 1}, "
                                          "network: {allowFromNamespaces: [a]}}\n",
                                          "bad.yaml");
    REQUIRE(docs2.ok());
    auto rendered2 = mlserve::render::render(mlserve::spec::LoadedSpec{docs2->front(), {}}, {});
    REQUIRE_FALSE(rendered2.ok());
    // ... also in a $if branch compiled only when taken.
    CHECK(rendered2.error().headline() ==
          "templates/common/networkpolicy.yaml:19:24: in.then.$let.knative: unknown context value 'spec.kserve'");
}
