// Fuzzes the JSON-e engine: expression parsing, `${}` interpolation and whole templates evaluated against
// contexts. The first byte picks the mode; no input may crash, hang or produce output that cannot be
// written out, and evaluation must be deterministic.
//   0: the rest is one `$eval` expression      1: the rest is one string with `${}` parts
//   other: the rest is a YAML stream: template document, then an optional context document
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "template/template.hpp"

namespace {

using mlserve::core::Json;
namespace tmpl = mlserve::tmpl;

const Json& sample_context() {
    static const Json context = Json::parse(R"({
        "name": "fraud", "replicas": 3, "ratio": 0.25, "flag": true, "nothing": null,
        "list": [1, 2, "three", [4, 5], {"six": 6}], "text": "h\u00e9llo w\u00f6rld \ud83d\ude00",
        "model": {"format": "sklearn", "resources": {"cpu": "2", "gpu": 1}}, "labels": {"team": "ml"}})");
    return context;
}

void run(const Json& template_value, const Json& context) {
    tmpl::EvalOptions options;
    options.now = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1484843240974)); };
    auto compiled = tmpl::compile_template(mlserve::core::Document{template_value, {}, "fuzz.yaml"});
    if (!compiled.ok()) {
        if (compiled.error().message.empty()) std::abort();
        return;
    }
    auto first = tmpl::evaluate(*compiled, context, options);
    auto second = tmpl::evaluate(*compiled, context, options);
    if (first.ok() != second.ok()) std::abort();
    if (!first.ok()) {
        if (first.error().message.empty() || first.error().message != second.error().message) std::abort();
        return;
    }
    if (first->dump() != second->dump()) std::abort(); // dump() also throws on invalid UTF-8
    (void)mlserve::core::to_yaml(*first);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] == 0 || data[0] == 1) {
        std::string text(rest);
        if (!mlserve::core::valid_utf8(text)) return 0; // the YAML loader refuses such templates
        run(data[0] == 0 ? Json{{"$eval", text}} : Json(text), sample_context());
        return 0;
    }
    // A small node budget: yaml-cpp turns a stray ',' into an endless run of null events, which the
    // loader's default budget of two million nodes takes seconds (under ASan) to stop.
    mlserve::core::YamlLimits limits;
    limits.max_nodes = 20000;
    auto docs = mlserve::core::parse_yaml(rest, "fuzz.yaml", limits);
    if (!docs.ok() || docs->empty()) return 0;
    const Json context = docs->size() > 1 && docs->at(1).value.is_object() ? docs->at(1).value : sample_context();
    run(docs->at(0).value, context);
    return 0;
}
