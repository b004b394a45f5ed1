// Prints what the structural-schema validator costs: adding schema locations, compiling the schema of each kind
// the manifests use, and checking the manifests (repeated to measure throughput).
//
//   schema_bench [--repeat N] LOCATION... -- MANIFEST_FILE...
//
// Run it under `valgrind --tool=callgrind` for instruction counts, which stay stable on a busy machine.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "validate/validate.hpp"

using namespace mlserve;

namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> locations, files;
    int repeat = 1;
    bool manifests = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0) manifests = true;
        else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else (manifests ? files : locations).push_back(argv[i]);
    }
    auto start = std::chrono::steady_clock::now();
    validate::SchemaStore store;
    for (const auto& location : locations) {
        auto added = store.add_location(location);
        if (!added) {
            std::fprintf(stderr, "error: %s\n", added.error().headline().c_str());
            return 2;
        }
    }
    const double add_ms = ms_since(start);
    start = std::chrono::steady_clock::now();
    std::vector<validate::Manifest> objects;
    for (const auto& file : files) {
        auto docs = core::load_yaml_file(file, core::YamlLimits{256u << 20, 128, 50'000'000});
        if (!docs) {
            std::fprintf(stderr, "error: %s\n", docs.error().headline().c_str());
            return 2;
        }
        for (auto& doc : *docs) objects.push_back({std::move(doc), objects.size()});
    }
    const double parse_ms = ms_since(start);
    start = std::chrono::steady_clock::now();
    std::vector<const validate::Schema*> schemas;
    for (const auto& object : objects) {
        auto schema = store.find(object.api_version(), object.kind());
        if (!schema) {
            std::fprintf(stderr, "error: %s\n", schema.error().headline().c_str());
            return 2;
        }
        schemas.push_back(*schema);
    }
    const double find_ms = ms_since(start);
    std::size_t findings = 0;
    start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeat; ++r) {
        std::vector<validate::Finding> out;
        for (std::size_t i = 0; i < objects.size(); ++i)
            if (schemas[i]) validate::check_schema(objects[i], *schemas[i], {}, out);
        findings = out.size();
    }
    const double check_ms = ms_since(start);
    const double checked = static_cast<double>(objects.size()) * repeat;
    std::printf("add_location  %9.3f ms  (%zu sources)\n", add_ms, store.stats().sources);
    std::printf("parse YAML    %9.3f ms  (%zu objects)\n", parse_ms, objects.size());
    std::printf("find/compile  %9.3f ms\n", find_ms);
    std::printf("check         %9.3f ms  (%.0f objects/s, %zu findings per pass)\n", check_ms,
                checked / (check_ms / 1000.0), findings);
    return 0;
}
