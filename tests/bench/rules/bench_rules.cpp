// Rules benchmark: check_rules over one file set of N manifests made from the rendered examples
// (examples/*/expected.yaml), each copy in its own namespace or all in one (SAME_NAMESPACE=1), so that the
// cross-object and policy rules meet many candidates. Prints the median wall time of RUNS runs and findings.
// Not a test: it never fails on time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "validate/validate.hpp"

using namespace mlserve;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_rules EXAMPLES_DIR [N] [RUNS]\n");
        return 2;
    }
    size_t n = argc > 2 ? std::stoul(argv[2]) : 10000;
    int runs = argc > 3 ? std::stoi(argv[3]) : 5;
    bool same_namespace = std::getenv("SAME_NAMESPACE") && std::string(std::getenv("SAME_NAMESPACE")) == "1";
    std::vector<core::Document> base;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
        auto docs = core::load_yaml_file((entry.path() / "expected.yaml").string());
        if (!docs.ok()) continue;
        for (auto& d : *docs) base.push_back(std::move(d));
    }
    std::vector<validate::Manifest> set;
    for (size_t copy = 0; set.size() < n; ++copy)
        for (const auto& doc : base) {
            if (set.size() == n) break;
            validate::Manifest m{doc, set.size()};
            if (m.doc.value.contains("metadata") && m.doc.value["metadata"].is_object()) {
                auto& meta = m.doc.value["metadata"];
                if (same_namespace) meta["name"] = meta.value("name", "x") + "-" + std::to_string(copy);
                else meta["namespace"] = meta.value("namespace", "default") + "-" + std::to_string(copy);
            }
            set.push_back(std::move(m));
        }
    std::vector<double> times;
    size_t findings = 0;
    for (int r = 0; r < runs; ++r) {
        std::vector<validate::Finding> out;
        auto start = std::chrono::steady_clock::now();
        validate::check_rules(set, {}, out);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        findings = out.size();
    }
    std::sort(times.begin(), times.end());
    std::printf("check_rules: %zu manifests (%s), median %.1f ms over %d runs, %zu findings\n", set.size(),
                same_namespace ? "one namespace" : "a namespace per copy", times[times.size() / 2], runs, findings);
}
