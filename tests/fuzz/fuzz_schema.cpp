// Fuzzes schema compilation and checking: input is "SCHEMA\n===\nMANIFEST". The schema text goes through the
// source scanners, the eager compiler and the lazy one (as a cached schema would); the manifest is checked against
// whatever compiled. No input may crash or hang.
#include <cstdint>
#include <string_view>

#include "core/yaml.hpp"
#include "validate/schema_detail.hpp"
#include "validate/schema_sources.hpp"

using namespace mlserve;
using namespace mlserve::validate::schema_detail;

namespace {

void check_all(const std::vector<core::Document>& docs, const validate::Schema& schema) {
    std::vector<validate::Finding> findings;
    validate::SchemaOptions options;
    options.report_unevaluated_cel = true;
    for (const auto& doc : docs) validate::check_schema(validate::Manifest{doc, 0}, schema, options, findings);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find("\n===\n");
    const std::string schema_text(input.substr(0, split));
    const std::string_view manifest_text = split == std::string_view::npos ? "" : input.substr(split + 5);

    bool claims = false, complete = false, is_openapi = false;
    (void)scan_crd_yaml(schema_text, claims, complete);
    (void)scan_openapi_json(schema_text, "fuzz.json", is_openapi);

    auto docs = core::parse_yaml(manifest_text, "fuzz.yaml");
    if (!docs.ok()) return 0;
    Arena arena;
    auto no_refs = [](std::string_view) -> core::Result<const Node*> { return core::input_error("no $ref here"); };

    const nlohmann::json json = nlohmann::json::parse(schema_text, nullptr, false);
    if (!json.is_discarded()) {
        Compiler compiler(arena, no_refs, "fuzz.json");
        auto root = compiler.compile(json);
        if (root.ok()) check_all(*docs, validate::Schema{*root, basic_object_meta(arena), "fuzz"});
    }

    LazyText& lazy = arena.lazy_texts.emplace_back();
    lazy.text = schema_text;
    lazy.arena = &arena;
    const nlohmann::json shallow = shallow_schema(lazy.text, 0, lazy.text.size());
    if (shallow.is_object()) {
        Compiler compiler(arena, no_refs, "fuzz.json");
        compiler.set_lazy(&lazy);
        auto root = compiler.compile(shallow);
        if (root.ok()) check_all(*docs, validate::Schema{*root, basic_object_meta(arena), "fuzz"});
    }
    return 0;
}
