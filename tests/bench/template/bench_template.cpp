// Benchmark: compile the InferenceService template once, evaluate it for N generated contexts, report
// evaluations per second (median of several runs). Run through tests/bench/template/run.sh, which
// runs json-e's reference implementation on the same template and contexts (bench_jsone.js) beside it.
//
//   bench_template TEMPLATE.yaml CONTEXT.yaml [--contexts N] [--runs R] [--sample OUT.json]
//
// --sample writes the results for the first 100 contexts, so the script can check that both engines
// produced the same documents.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "template/template.hpp"

using mlserve::core::Json;
namespace tmpl = mlserve::tmpl;

// Context i: the base context with the fields a fleet of models would vary. bench_jsone.js makes the
// same contexts.
static Json make_context(const Json& base, int i) {
    Json c = base;
    c["name"] = "model-" + std::to_string(i);
    c["hash"] = std::to_string(1000003 * i % 999983);
    c["scaling"]["minReplicas"] = 1 + i % 5;
    c["scaling"]["maxReplicas"] = 11 + i % 5;
    c["scaling"]["external"] = i % 4 != 0;
    if (i % 2) c["canary"] = nullptr;
    c["model"]["resources"]["gpu"] = i % 3 == 0 ? 1 : 0;
    c["model"]["env"][1]["value"] = "model-" + std::to_string(i);
    c["labels"]["shard"] = "s" + std::to_string(i % 16);
    return c;
}

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: bench_template TEMPLATE.yaml CONTEXT.yaml [--contexts N] [--runs R] [--sample OUT.json]\n";
        return 2;
    }
    int contexts = 100000, runs = 5;
    std::string sample;
    for (int i = 3; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--contexts") contexts = std::atoi(argv[i + 1]);
        else if (flag == "--runs") runs = std::atoi(argv[i + 1]);
        else if (flag == "--sample") sample = argv[i + 1];
    }
    auto template_docs = mlserve::core::load_yaml_file(argv[1]);
    auto context_docs = mlserve::core::load_yaml_file(argv[2]);
    if (!template_docs.ok() || !context_docs.ok()) {
        std::cerr << (template_docs.ok() ? context_docs.error() : template_docs.error()).headline() << "\n";
        return 2;
    }
    auto compiled = tmpl::compile_template(template_docs->at(0));
    if (!compiled.ok()) {
        std::cerr << compiled.error().headline() << "\n";
        return 2;
    }
    std::vector<Json> inputs;
    inputs.reserve(static_cast<size_t>(contexts));
    for (int i = 0; i < contexts; ++i) inputs.push_back(make_context(context_docs->at(0).value, i));

    tmpl::EvalOptions options;
    options.now = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1484843240974)); };
    std::vector<double> rates;
    size_t bytes = 0;
    for (int run = 0; run < runs; ++run) {
        auto start = std::chrono::steady_clock::now();
        for (const Json& context : inputs) {
            auto result = tmpl::evaluate(*compiled, context, options);
            if (!result.ok()) {
                std::cerr << result.error().headline() << "\n";
                return 1;
            }
            bytes += result->size();
        }
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        rates.push_back(contexts / elapsed.count());
    }
    std::sort(rates.begin(), rates.end());
    if (!sample.empty()) {
        Json out = Json::array();
        for (int i = 0; i < std::min(contexts, 100); ++i) out.push_back(*tmpl::evaluate(*compiled, inputs[static_cast<size_t>(i)], options));
        std::ofstream(sample) << out.dump() << "\n";
    }
    std::printf("mlserve: %d contexts x %d runs, median %.0f evaluations/s (min %.0f, max %.0f) [%zu]\n", contexts,
                runs, rates[rates.size() / 2], rates.front(), rates.back(), bytes % 10);
    return 0;
}
