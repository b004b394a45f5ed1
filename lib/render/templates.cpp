#include "render/templates.hpp"

#include <filesystem>
#include <map>
#include <system_error>

#include "core/yaml.hpp"
#include "render/embedded.hpp"

namespace mlserve::render {

namespace fs = std::filesystem;

core::Result<std::vector<TemplateFile>> template_files(const std::string& dir) {
    std::map<std::string, TemplateFile> files;
    for (const auto& embedded : embedded_templates()) {
        std::string path(embedded.path);
        files[path] = TemplateFile{path, "templates/" + path, embedded.text, embedded.packed};
    }
    if (!dir.empty()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            return core::input_error("--templates " + dir + " is not a directory", {}, {},
                                     "export the built-in templates with kubectl mlserve templates export DIR");
        fs::recursive_directory_iterator it(dir, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->path().extension() != ".yaml" || !it->is_regular_file(ec)) continue;
            std::string path = it->path().lexically_relative(dir).generic_string();
            auto text = core::read_file(it->path().string());
            MLSERVE_TRY(text);
            auto storage = std::make_shared<const std::string>(std::move(*text));
            files[path] = TemplateFile{path, it->path().string(), *storage, {}, storage};
        }
        if (ec) return core::input_error("cannot read templates from " + dir + ": " + ec.message());
    }
    std::vector<TemplateFile> out;
    out.reserve(files.size());
    for (auto& [path, file] : files) out.push_back(std::move(file));
    return out;
}

} // namespace mlserve::render
