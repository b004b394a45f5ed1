// The real schemas in shared/schemas against real manifests: the upstream corpus, this repository's examples, and
// mutations of valid objects that must each produce exactly one finding at the right place.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/text.hpp"

#include "schema_helpers.hpp"

using mlserve::test::shared_dir;
using mlserve::test::source_dir;
using mlserve::validate::Finding;
using mlserve::validate::Manifest;
using mlserve::validate::SchemaStore;
using Lines = std::vector<std::string>;

namespace {

/// Every schema of shared/schemas for one Kubernetes version, loaded once per version.
const SchemaStore& real_store(const std::string& kube_version = "1.35") {
    static std::map<std::string, SchemaStore> stores;
    auto it = stores.find(kube_version);
    if (it != stores.end()) return it->second;
    SchemaStore store;
    const std::string schemas = shared_dir() + "/schemas";
    for (const std::string& location :
         {"/kubernetes/openapi-v3/" + kube_version, std::string("/kserve/crd"), std::string("/seldon/v1"),
          std::string("/argo-rollouts"), std::string("/prometheus-operator"), std::string("/istio"),
          std::string("/argo-cd"), std::string("/gateway-api")}) {
        auto added = store.add_location(schemas + location);
        REQUIRE_MESSAGE(added.ok(), (added.ok() ? "" : added.error().headline()));
    }
    return stores.emplace(kube_version, std::move(store)).first->second;
}

/// The objects of a manifest file: each document, or each item of a v1 List.
std::vector<Manifest> objects_of(const std::string& path) {
    std::vector<Manifest> out;
    auto docs = mlserve::core::load_yaml_file(path);
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    for (std::size_t i = 0; i < docs->size(); ++i) {
        auto& doc = (*docs)[i];
        if (doc.value.is_object() && doc.value.value("kind", "") == "List" && doc.value.contains("items")) {
            // items keep their positions only through the whole document; check each against its own schema
            for (std::size_t j = 0; j < doc.value["items"].size(); ++j) {
                mlserve::core::Document item{doc.value["items"][j], {}, doc.file};
                out.push_back(Manifest{std::move(item), j});
            }
            continue;
        }
        out.push_back(Manifest{std::move(doc), i});
    }
    return out;
}

/// "file: Kind/name: problem" per finding or missing schema.
Lines problems_of(const std::string& path, const SchemaStore& store, const std::string& shown_as) {
    Lines out;
    for (const Manifest& manifest : objects_of(path)) {
        auto schema = store.find(manifest.api_version(), manifest.kind());
        if (!schema) {
            out.push_back(shown_as + ": schema error: " + schema.error().headline());
            continue;
        }
        if (*schema == nullptr) {
            out.push_back(shown_as + ": " + manifest.display_name() + ": no schema for " + manifest.api_version());
            continue;
        }
        std::vector<Finding> findings;
        mlserve::validate::check_schema(manifest, **schema, {}, findings);
        for (const auto& line : mlserve::test::lines_of(findings))
            out.push_back(shown_as + ": " + manifest.display_name() + ": " + line);
    }
    return out;
}

std::vector<std::string> files_in(const std::string& dir, const std::string& suffix) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().string().size() > suffix.size() && entry.path().string().ends_with(suffix))
            out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("schema real: every upstream manifest of the corpus is accepted (Kubernetes 1.32 and 1.35)") {
    for (const char* version : {"1.32", "1.35"}) {
        CAPTURE(version);
        Lines problems;
        for (const auto& path : files_in(shared_dir() + "/corpus/real-world", ".yaml")) {
            auto found = problems_of(path, real_store(version), std::filesystem::path(path).filename().string());
            problems.insert(problems.end(), found.begin(), found.end());
        }
        // the one exception of tests/schema/corpus_exceptions.txt: Istio's Gateway CRD is not among the schemas
        CHECK(problems == Lines{"argo-rollouts__examples__istio__istio-mirror.yaml: Gateway/istio-host-split-gateway: "
                                "no schema for networking.istio.io/v1alpha3"});
    }
}

TEST_CASE("schema real: every example's expected.yaml validates clean") {
    std::size_t examples = 0;
    Lines problems;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/examples")) {
        const std::string expected = entry.path().string() + "/expected.yaml";
        if (!std::filesystem::exists(expected)) continue;
        ++examples;
        auto found = problems_of(expected, real_store(), entry.path().filename().string());
        problems.insert(problems.end(), found.begin(), found.end());
    }
    CHECK(examples >= 5);
    CHECK(problems == Lines{});
}

namespace {

struct Mutation {
    const char* example; ///< examples/<example>/expected.yaml
    const char* from;    ///< text found exactly once in it
    const char* to;      ///< its replacement
    const char* finding; ///< the one finding expected, "Kind/name: line:col rule path: message (hint)"
};

// Drop a required field, set a wrong type, add an unknown field, set a bad enum value: on each kind we render.
const Mutation k_mutations[] = {
    // InferenceService (KServe CRD)
    {"fraud-detection", "    canaryTrafficPercent: 10\n", "    canaryTrafficPercnt: 10\n",
     "InferenceService/fraud-detection: 47:5 schema.unknown-field spec.predictor.canaryTrafficPercnt: unknown field "
     "\"canaryTrafficPercnt\" (did you mean \"canaryTrafficPercent\"?)"},
    {"fraud-detection", "    minReplicas: 5\n", "    minReplicas: five\n",
     "InferenceService/fraud-detection: 43:18 schema.type spec.predictor.minReplicas: expected integer, got string "
     "\"five\""},
    {"fraud-detection", "    - name: kserve-container\n      image: registry.example.com/fraud-pre:1.4\n",
     "    - image: registry.example.com/fraud-pre:1.4\n",
     "InferenceService/fraud-detection: 68:7 schema.required spec.transformer.containers[0]: missing required field "
     "\"name\" (add spec.transformer.containers[0].name)"},
    {"fraud-detection", "    scaleMetric: concurrency\n", "    scaleMetric: latency\n",
     "InferenceService/fraud-detection: 45:18 schema.enum spec.predictor.scaleMetric: unsupported value \"latency\": "
     "supported values: \"cpu\", \"memory\", \"concurrency\", \"rps\""},
    // SeldonDeployment (Seldon v1 CRD, graph children patched in)
    {"seldon-abtest", "  protocol: v2\n", "  protocl: v2\n",
     "SeldonDeployment/churn-model: 12:3 schema.unknown-field spec.protocl: unknown field \"protocl\" (did you mean "
     "\"protocol\"?)"},
    {"seldon-abtest", "        value: \"0.5\"\n", "        value: 0.5\n",
     "SeldonDeployment/churn-model: 21:16 schema.type spec.predictors[0].graph.parameters[0].value: expected string, "
     "got number 0.5"},
    {"seldon-abtest", "  predictors:\n  - name: default\n    graph:\n", "  predictors:\n  - graph:\n",
     "SeldonDeployment/churn-model: 14:5 schema.required spec.predictors[0]: missing required field \"name\" (add "
     "spec.predictors[0].name)"},
    // Rollout (Argo Rollouts CRD)
    {"argo-canary", "  replicas: 4\n", "  replicas: \"4\"\n",
     "Rollout/credit-risk: 83:13 schema.type spec.replicas: expected integer, got string \"4\""},
    {"argo-canary", "      stableService: credit-risk-stable\n", "      stableServce: credit-risk-stable\n",
     "Rollout/credit-risk: 91:7 schema.unknown-field spec.strategy.canary.stableServce: unknown field \"stableServce\" "
     "(did you mean \"stableService\"?)"},
    // HorizontalPodAutoscaler (Kubernetes OpenAPI)
    {"text-classifier", "  maxReplicas: 10\n", "",
     "HorizontalPodAutoscaler/text-classifier: 179:1 schema.required spec: missing required field \"maxReplicas\" "
     "(add spec.maxReplicas)"},
    {"text-classifier", "  minReplicas: 2\n", "  minReplicas: 2.5\n",
     "HorizontalPodAutoscaler/text-classifier: 184:16 schema.type spec.minReplicas: expected integer, got number 2.5"},
    // Service
    {"fraud-detection", "    port: 8082\n", "    port: \"8082\"\n",
     "Service/fraud-detection-metrics: 20:11 schema.type spec.ports[0].port: expected integer, got string \"8082\""},
    {"fraud-detection", "  clusterIP: None\n", "  clusterIp: None\n",
     "Service/fraud-detection-metrics: 14:3 schema.unknown-field spec.clusterIp: unknown field \"clusterIp\" (did you "
     "mean \"clusterIP\"?)"},
    {"fraud-detection", "    port: 8082\n", "",
     "Service/fraud-detection-metrics: 19:5 schema.required spec.ports[0]: missing required field \"port\" (add "
     "spec.ports[0].port)"},
    // NetworkPolicy
    {"fraud-detection", "  policyTypes:\n  - Ingress\n", "  policyType:\n  - Ingress\n",
     "NetworkPolicy/fraud-detection: 119:3 schema.unknown-field spec.policyType: unknown field \"policyType\" (did you "
     "mean \"policyTypes\"?)"},
    {"fraud-detection", "  podSelector:\n    matchLabels:\n      serving.kserve.io/inferenceservice: fraud-detection\n  policyTypes",
     "  podSelector:\n    matchLabels:\n      serving.kserve.io/inferenceservice: 5\n  policyTypes",
     "NetworkPolicy/fraud-detection: 118:43 schema.type spec.podSelector.matchLabels.serving.kserve.io/inferenceservice: "
     "expected string, got integer 5"},
    // ServiceMonitor (prometheus-operator CRD)
    {"fraud-detection", "  - port: metrics\n    path: /metrics\n    interval: 30s\n",
     "  - port: metrics\n    path: /metrics\n    interval: 30 seconds\n",
     "ServiceMonitor/fraud-detection: 161:15 schema.pattern spec.endpoints[0].interval: \"30 seconds\" does not match "
     "the pattern ^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"},
    {"fraud-detection", "  - port: metrics\n    path: /metrics\n", "  - port: metrics\n    scheme: ftp\n    path: /metrics\n",
     "ServiceMonitor/fraud-detection: 160:13 schema.enum spec.endpoints[0].scheme: unsupported value \"ftp\": "
     "supported values: \"http\", \"https\", \"HTTP\", \"HTTPS\""},
    {"fraud-detection", "  - port: metrics\n    path: /metrics\n", "  - port: metrics\n    pth: /metrics\n",
     "ServiceMonitor/fraud-detection: 160:5 schema.unknown-field spec.endpoints[0].pth: unknown field \"pth\" (did you "
     "mean \"path\"?)"},
};

} // namespace

TEST_CASE("schema real: each mutation of a valid object yields exactly its one finding") {
    for (const Mutation& mutation : k_mutations) {
        const std::string example = mutation.example, from = mutation.from;
        CAPTURE(example);
        CAPTURE(from);
        std::string text = mlserve::test::slurp(source_dir() + "/examples/" + mutation.example + "/expected.yaml");
        const std::size_t at = text.find(mutation.from);
        REQUIRE(at != std::string::npos);
        REQUIRE(text.find(mutation.from, at + 1) == std::string::npos);
        text.replace(at, std::strlen(mutation.from), mutation.to);
        mlserve::test::TempDir dir;
        const std::string path = dir.path() + "/expected.yaml";
        mlserve::test::write_file(path, text);
        Lines found;
        for (const auto& line : problems_of(path, real_store(), "m")) found.push_back(line.substr(3));
        CHECK(found == Lines{mutation.finding});
    }
}

TEST_CASE("schema real: the independent Python checker's fixtures get the same number of problems per document") {
    // tests/schema/fixtures/*.expected hold what tests/schema/check_manifests.py (jsonschema-based, sharing no code
    // with this validator) reports; both must find as many problems in each document.
    for (const char* name : {"bad-values.yaml", "list.json", "missing-required.yaml", "unknown-field.yaml",
                             "unknown-kind.yaml", "valid-all-kinds.yaml", "wrong-type.yaml"}) {
        const std::string fixture = source_dir() + "/tests/schema/fixtures/" + name;
        const std::string base = std::filesystem::path(fixture).replace_extension(".expected").string();
        std::map<std::string, int> theirs, ours;
        for (const auto& line : mlserve::core::split(mlserve::test::slurp(base), '\n')) {
            if (line.empty()) continue;
            const std::size_t doc = line.find(": doc ");
            REQUIRE(doc != std::string::npos);
            ++theirs[line.substr(doc + 2, line.find(' ', doc + 6) - doc - 2)];
        }
        std::size_t index = 0;
        for (const Manifest& manifest : objects_of(fixture)) {
            ++index;
            const std::string doc = "doc " + std::to_string(index);
            auto schema = real_store("1.32").find(manifest.api_version(), manifest.kind());
            REQUIRE(schema.ok());
            if (*schema == nullptr) {
                ++ours[doc];
                continue;
            }
            std::vector<Finding> findings;
            mlserve::validate::check_schema(manifest, **schema, {}, findings);
            for (const auto& line : mlserve::test::lines_of(findings)) {
                CAPTURE(line);
                ++ours[doc];
            }
        }
        CAPTURE(name);
        CHECK(ours == theirs);
    }
}

TEST_CASE("schema real: the on-disk cache gives the same findings, and a damaged entry is ignored") {
    mlserve::test::TempDir cache;
    const char* saved = std::getenv("MLSERVE_SCHEMA_CACHE_DIR");
    const std::string previous = saved ? saved : "";
    setenv("MLSERVE_SCHEMA_CACHE_DIR", cache.path().c_str(), 1);
    const std::string isvc = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: m}\n"
                             "spec:\n  predictor:\n    minReplica: 1\n    model:\n      modelFormat: {name: sklearn}\n"
                             "      resources: {limits: {cpu: 2 cores}}\n";
    const Lines expected{
        "6:5 schema.unknown-field spec.predictor.minReplica: unknown field \"minReplica\" (did you mean \"minReplicas\"?)",
        "9:33 schema.format spec.predictor.model.resources.limits.cpu: invalid quantity \"2 cores\": expected a "
        "Kubernetes quantity (write a quantity such as 500m, 2, 1.5 or 8Gi)"};
    auto run = [&] {
        SchemaStore store;
        REQUIRE(store.add_location(shared_dir() + "/schemas/kserve/crd").ok());
        REQUIRE(store.add_location(shared_dir() + "/schemas/kubernetes/openapi-v3/1.35").ok());
        return mlserve::test::check_with(store, isvc);
    };
    CHECK(run() == expected); // cold: parses the CRD's YAML, writes the cache
    std::vector<std::string> entries;
    for (const auto& entry : std::filesystem::directory_iterator(cache.path())) entries.push_back(entry.path().string());
    const auto schema_entry = std::find_if(entries.begin(), entries.end(), [](const std::string& path) {
        return path.ends_with(".serving.kserve.io_v1beta1_InferenceService.json");
    });
    REQUIRE(schema_entry != entries.end());
    CHECK(mlserve::test::slurp(*schema_entry).find("\"description\"") == std::string::npos);
    CHECK(run() == expected); // warm: the cached schema, compiled where the manifest goes
    mlserve::test::write_file(*schema_entry, "{\"type\": \"object\", \"properties\": {");
    CHECK(run() == expected); // damaged: back to the YAML
    if (saved) setenv("MLSERVE_SCHEMA_CACHE_DIR", previous.c_str(), 1);
    else unsetenv("MLSERVE_SCHEMA_CACHE_DIR");
}
