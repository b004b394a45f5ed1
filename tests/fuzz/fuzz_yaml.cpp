// Fuzzes the YAML loader and the canonical emitter: no input may crash, hang or fail to round-trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto docs = mlserve::core::parse_yaml(text, "fuzz.yaml");
    if (!docs.ok()) return 0;
    for (const auto& doc : *docs) {
        std::string emitted = mlserve::core::to_yaml(doc.value);
        auto back = mlserve::core::parse_yaml(emitted, "emitted.yaml");
        // What we emit must parse back (NaN never equals itself, so compare only the ability to parse).
        if (!back.ok()) std::abort();
    }
    return 0;
}
