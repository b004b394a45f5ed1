// Fuzzes the render patches and output paths: input is a YAML stream of a document, then a patch.
// No input may crash or hang; merge patches are idempotent; an --out-dir path never leaves its directory.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/yaml.hpp"
#include "render/output.hpp"
#include "render/patch.hpp"

namespace {

void check_path(const mlserve::core::Json& object) {
    std::string path = mlserve::render::out_dir_path(object);
    if (path.empty() || path[0] == '/' || path[0] == '.') std::abort();
    if (path.find("/.") != std::string::npos || path.find("//") != std::string::npos) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto docs = mlserve::core::parse_yaml(text, "fuzz.yaml");
    if (!docs.ok() || docs->size() < 2) return 0;
    const auto& target = (*docs)[0].value;
    const auto& patch = (*docs)[1].value;
    check_path(target);

    auto once = mlserve::render::merge_patch(target, patch);
    auto twice = mlserve::render::merge_patch(once, patch);
    if (!mlserve::render::json_equal(once, twice)) std::abort();

    size_t failed = 0;
    auto patched = mlserve::render::json_patch(target, patch, &failed);
    if (patched.ok()) check_path(*patched);
    else if (patched.error().message.empty()) std::abort();
    return 0;
}
