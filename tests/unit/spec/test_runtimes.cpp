// Our compiled-in runtime table against KServe's own ClusterServingRuntime manifests in shared/.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/yaml.hpp"
#include "spec/runtimes.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

using mlserve::core::Json;
namespace spec = mlserve::spec;

namespace {

struct Upstream {
    std::map<std::string, Json> runtimes; ///< name -> spec
    std::set<std::string> installed;      ///< names the kustomization installs
};

const Upstream& upstream() {
    static const Upstream data = [] {
        Upstream u;
        std::string dir = mlserve::test::shared_dir() + "/schemas/kserve/runtimes";
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".yaml") continue;
            auto docs = mlserve::core::load_yaml_file(entry.path().string());
            REQUIRE_MESSAGE(docs.ok(), entry.path().string());
            for (const auto& doc : *docs) {
                const Json& v = doc.value;
                if (v.value("kind", "") != "ClusterServingRuntime") continue;
                std::string name = v["metadata"]["name"];
                // The rendered file repeats every runtime with real images; both copies must agree.
                if (u.runtimes.count(name))
                    CHECK_MESSAGE(nlohmann::json(u.runtimes[name]["supportedModelFormats"]) ==
                                      nlohmann::json(v["spec"]["supportedModelFormats"]),
                                  name);
                u.runtimes[name] = v["spec"];
            }
        }
        // A runtime is installed by default when its file is a kustomization resource.
        auto kust = mlserve::core::load_yaml_file(dir + "/kustomization.yaml");
        REQUIRE(kust.ok());
        for (const auto& file : kust->at(0).value["resources"]) {
            auto docs = mlserve::core::load_yaml_file(dir + "/" + file.get<std::string>());
            REQUIRE(docs.ok());
            for (const auto& doc : *docs) u.installed.insert(doc.value["metadata"]["name"].get<std::string>());
        }
        return u;
    }();
    return data;
}

// KServe's GetSupportingRuntimes + sortSupportedRuntimeByPriority, written against the manifests.
std::string upstream_choice(const std::string& format, const std::string& protocol, const std::string& version) {
    std::vector<std::pair<std::string, int>> candidates; // name, priority (-1: none)
    for (const auto& name : upstream().installed) {
        const Json& s = upstream().runtimes.at(name);
        if (s.contains("workerSpec") || s.value("disabled", false) || s.value("multiModel", false)) continue;
        bool labelled = false;
        for (const auto& f : s["supportedModelFormats"])
            if (f.value("autoSelect", false) && f["name"] == format &&
                (version.empty() || f.value("version", "") == version))
                labelled = true;
        bool speaks = !s.contains("protocolVersions") || protocol.empty();
        for (const auto& p : s.value("protocolVersions", Json::array())) speaks |= p == protocol;
        if (!labelled || !speaks) continue;
        int priority = -1;
        for (const auto& f : s["supportedModelFormats"])
            if (f["name"] == format) {
                priority = f.value("priority", -1);
                break;
            }
        candidates.emplace_back(name, priority);
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return a.first < b.first;
    });
    // Priorities of runtimes that share a format, version and protocol are unique (KServe's runtime webhook).
    if (candidates.size() > 1) CHECK(candidates[0].second != candidates[1].second);
    return candidates.empty() ? std::string() : candidates.front().first;
}

std::set<std::string> all_format_names() {
    std::set<std::string> names;
    for (const auto& [name, s] : upstream().runtimes)
        for (const auto& f : s["supportedModelFormats"]) names.insert(f["name"].get<std::string>());
    return names;
}

} // namespace

TEST_CASE("the runtime table lists exactly KServe's ClusterServingRuntimes") {
    std::set<std::string> ours;
    for (const auto& r : spec::kserve_runtimes()) ours.insert(std::string(r.name));
    std::set<std::string> theirs;
    for (const auto& [name, unused] : upstream().runtimes) theirs.insert(name);
    CHECK(ours == theirs);
    CHECK(theirs.size() >= 14);
}

TEST_CASE("each runtime's formats, autoSelect, priorities, protocols and install state match the manifests") {
    for (const auto& r : spec::kserve_runtimes()) {
        std::string name(r.name);
        CAPTURE(name);
        REQUIRE(upstream().runtimes.count(name));
        const Json& s = upstream().runtimes.at(name);
        Json formats = Json::array();
        for (const auto& f : r.formats) {
            Json entry = {{"name", f.name}, {"version", f.version}, {"autoSelect", f.auto_select}, {"priority", f.priority}};
            formats.push_back(entry);
        }
        Json expected = Json::array();
        for (const auto& f : s["supportedModelFormats"])
            expected.push_back({{"name", f["name"]},
                                {"version", f.value("version", "")},
                                {"autoSelect", f.value("autoSelect", false)},
                                {"priority", f.value("priority", 0)}});
        CHECK(formats.dump() == expected.dump());
        std::vector<std::string> protocols(r.protocols.begin(), r.protocols.end());
        CHECK(protocols == s.value("protocolVersions", std::vector<std::string>{}));
        CHECK(r.multinode == s.contains("workerSpec"));
        CHECK(r.installed_by_default == (upstream().installed.count(name) == 1));
    }
}

TEST_CASE("runtime selection agrees with KServe's autoSelect and priority rules for every format and protocol") {
    std::vector<std::string> versions = {"", "0", "1", "2", "3", "4", "8", "10"};
    int compared = 0;
    for (const auto& format : all_format_names()) {
        for (const char* protocol : {"", "v1", "v2", "grpc-v1", "grpc-v2"}) {
            for (const auto& version : versions) {
                CAPTURE(format);
                CAPTURE(protocol);
                CAPTURE(version);
                const auto* ours = spec::select_kserve_runtime(format, protocol, version);
                std::string expected = upstream_choice(format, protocol, version);
                CHECK((ours ? std::string(ours->name) : std::string()) == expected);
                ++compared;
            }
        }
    }
    CHECK(compared > 300);
    // The gotcha from KServe's docs: sklearn over v2 goes to MLServer, over v1 to the sklearn server.
    CHECK(spec::select_kserve_runtime("sklearn", "v2")->name == "kserve-mlserver");
    CHECK(spec::select_kserve_runtime("sklearn", "v1")->name == "kserve-sklearnserver");
}

TEST_CASE("default runtime and protocol per format are what KServe would run") {
    std::map<std::string, std::pair<std::string, std::string>> expected = {
        {"sklearn", {"kserve-sklearnserver", "v1"}},     {"xgboost", {"kserve-xgbserver", "v1"}},
        {"lightgbm", {"kserve-lgbserver", "v1"}},        {"tensorflow", {"kserve-tensorflow-serving", "v1"}},
        {"pytorch", {"kserve-torchserve", "v1"}},        {"onnx", {"kserve-tritonserver", "v2"}},
        {"triton", {"kserve-tritonserver", "v2"}},       {"mlflow", {"kserve-mlserver", "v2"}},
        {"huggingface", {"kserve-huggingfaceserver", "v2"}}};
    for (const auto& [format, choice] : expected) {
        CAPTURE(format);
        auto docs = mlserve::core::parse_yaml("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: m}\n"
                                              "spec:\n  model: {format: " + format + ", storageUri: s3://b/m}\n",
                                              "m.yaml");
        REQUIRE(docs.ok());
        auto loaded = spec::load_spec(docs->at(0));
        REQUIRE(loaded.ok());
        const Json& model = loaded->value()["spec"]["model"];
        CHECK(model["runtime"] == choice.first);
        CHECK(model["protocol"] == choice.second);
        // Whatever we pick is what KServe itself picks for that format and protocol.
        CHECK(upstream_choice(format, model["protocol"], "") == model["runtime"].get<std::string>());
    }
}

TEST_CASE("GPU-capable runtimes are the ones whose images use GPUs") {
    std::set<std::string> gpu;
    for (const auto& r : spec::kserve_runtimes())
        if (r.gpu) gpu.insert(std::string(r.name));
    CHECK(gpu == std::set<std::string>{"kserve-tensorflow-serving", "kserve-torchserve", "kserve-tritonserver",
                                       "kserve-huggingfaceserver", "kserve-huggingfaceserver-multinode",
                                       "kserve-vllmserver"});
}

TEST_CASE("Seldon prepackaged servers cover our formats except lightgbm") {
    CHECK(spec::select_seldon_server("sklearn", "")->implementation == "SKLEARN_SERVER");
    CHECK(spec::select_seldon_server("tensorflow", "v1")->implementation == "TENSORFLOW_SERVER");
    CHECK(spec::select_seldon_server("tensorflow", "v2")->implementation == "TRITON_SERVER");
    CHECK(spec::select_seldon_server("onnx", "")->implementation == "TRITON_SERVER");
    CHECK(spec::select_seldon_server("huggingface", "v1") == nullptr);
    CHECK(spec::select_seldon_server("lightgbm", "") == nullptr);
}
