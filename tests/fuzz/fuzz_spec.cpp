// Fuzzes the spec loader: no input may crash or hang, every failure is an input error with a message, and
// a loaded spec written back as YAML (what `render --show-defaults` prints) loads again to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/yaml.hpp"
#include "spec/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > mlserve::spec::k_max_spec_bytes) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto docs = mlserve::core::parse_yaml(text, "fuzz.yaml");
    if (!docs.ok()) return 0;
    for (const auto& doc : *docs) {
        auto loaded = mlserve::spec::load_spec(doc);
        if (!loaded.ok()) {
            const auto& e = loaded.error();
            if (e.code != mlserve::core::ExitCode::usage || e.message.empty()) std::abort();
            continue;
        }
        std::string emitted = mlserve::core::to_yaml(loaded->value());
        auto again = mlserve::core::parse_yaml(emitted, "emitted.yaml");
        if (!again.ok() || again->size() != 1) std::abort();
        auto reloaded = mlserve::spec::load_spec(again->at(0));
        if (!reloaded.ok()) std::abort();
        if (nlohmann::json(reloaded->value()) != nlohmann::json(loaded->value())) std::abort();
    }
    return 0;
}
