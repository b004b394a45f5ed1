#include "template/tools.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/yaml.hpp"
#include "template/dates.hpp"
#include "template/strings.hpp"
#include "template/template.hpp"

namespace mlserve::tmpl {

namespace {

core::Result<core::Json> load_context(const std::string& path) {
    if (path.empty()) return core::Json::object();
    auto docs = core::load_yaml_file(path);
    if (!docs.ok()) return std::move(docs).error();
    if (docs->empty()) return core::Json::object();
    if (docs->size() > 1)
        return core::input_error("the context file holds " + std::to_string(docs->size()) + " documents",
                                 docs->at(1).location(""), {}, "give one map of names to values");
    const core::Document& doc = docs->front();
    if (!doc.value.is_object())
        return core::input_error("the context must be a map of names to values, not " +
                                     std::string(doc.value.type_name()),
                                 doc.location(""));
    for (const auto& [key, value] : doc.value.items())
        if (!is_identifier(key))
            return core::input_error("context name '" + key + "' is not an identifier",
                                     doc.location(core::pointer_append("", key)), key,
                                     "names must match [a-zA-Z_][a-zA-Z0-9_]*; nest the value under such a name");
    return doc.value;
}

} // namespace

core::Result<std::string> eval_template_file(const EvalFileOptions& options) {
    if (options.output != "yaml" && options.output != "json")
        return core::input_error("unknown output format '" + options.output + "'", {}, {}, "use yaml or json");
    EvalOptions eval_options;
    if (options.now) {
        auto ms = parse_date(*options.now);
        if (!ms)
            return core::input_error("--now '" + *options.now + "' is not an ISO 8601 time", {}, {},
                                     "write e.g. 2017-01-19T16:27:20.974Z");
        const auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(static_cast<int64_t>(*ms)));
        eval_options.now = [when] { return when; };
    }
    auto context = load_context(options.context_path);
    if (!context.ok()) return std::move(context).error();
    auto docs = core::load_yaml_file(options.template_path);
    if (!docs.ok()) return std::move(docs).error();
    if (docs->empty())
        return core::input_error("the template file holds no document", core::SourceLocation{options.template_path, 0, 0});

    std::vector<core::Json> results;
    for (const auto& doc : *docs) {
        auto compiled = compile_template(doc);
        if (!compiled.ok()) return std::move(compiled).error();
        auto result = evaluate(*compiled, *context, eval_options);
        if (!result.ok()) return std::move(result).error();
        results.push_back(std::move(*result));
    }
    if (options.output == "json")
        return (results.size() == 1 ? results.front() : core::Json(results)).dump(2) + "\n";
    if (results.size() == 1) return core::to_yaml(results.front());
    std::vector<core::Json> present;
    for (auto& r : results)
        if (!r.is_null()) present.push_back(std::move(r));
    return core::to_yaml_stream(present);
}

core::Result<std::vector<std::string>> export_templates(std::span<const render::EmbeddedFile> files,
                                                        const std::string& dir, bool force) {
    namespace fs = std::filesystem;
    std::vector<std::string> targets, existing;
    for (const auto& file : files) {
        fs::path relative(file.path);
        for (const auto& part : relative)
            if (part == ".." || relative.is_absolute())
                return core::Error{core::ExitCode::failure, "embedded template path '" + std::string(file.path) +
                                                                "' leaves the export folder", {}, {}, {}, {}};
        targets.push_back((fs::path(dir) / relative).string());
        std::error_code ec;
        if (fs::exists(targets.back(), ec)) existing.push_back(targets.back());
    }
    if (!existing.empty() && !force) {
        std::string list;
        for (size_t i = 0; i < existing.size() && i < 3; ++i) list += (i ? ", " : "") + existing[i];
        if (existing.size() > 3) list += ", ...";
        return core::Error{core::ExitCode::usage,
                           "refusing to overwrite " + std::to_string(existing.size()) + " existing file" +
                               (existing.size() == 1 ? "" : "s") + ": " + list,
                           "pass --force to overwrite them, or export into an empty folder", {}, {}, {}};
    }
    for (size_t i = 0; i < files.size(); ++i) {
        std::error_code ec;
        fs::create_directories(fs::path(targets[i]).parent_path(), ec);
        std::ofstream out(targets[i], std::ios::binary | std::ios::trunc);
        if (out) out.write(files[i].text.data(), static_cast<std::streamsize>(files[i].text.size()));
        if (!out || ec)
            return core::Error{core::ExitCode::failure, "cannot write " + targets[i] + ": " + std::strerror(errno), {},
                               {}, {}, {}};
    }
    return targets;
}

} // namespace mlserve::tmpl
