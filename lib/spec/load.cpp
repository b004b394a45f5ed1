// load_spec: strict structure checks driven by the field table, then defaults, then semantic checks.
#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "spec/detail.hpp"
#include "spec/spec.hpp"

namespace mlserve::spec {
namespace detail {

using core::Json;

core::Error Reporter::error(std::string_view pointer, std::string message, std::string hint) const {
    return core::input_error(std::move(message), m_document.location(pointer), core::pointer_to_path(pointer),
                             std::move(hint));
}

core::Error Reporter::error_at_key(std::string_view pointer, std::string message, std::string hint) const {
    return core::input_error(std::move(message), m_document.key_location(pointer), core::pointer_to_path(pointer),
                             std::move(hint));
}

void Reporter::warn(std::string_view pointer, std::string message, std::string hint) {
    m_warnings.push_back(error(pointer, std::move(message), std::move(hint)));
}

std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) (out += i ? ", " : "") += values[i];
    return out;
}

namespace {

std::string json_type(const Json& value) {
    switch (value.type()) {
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::object: return "a map";
    case Json::value_t::array: return "a list";
    default: return "null";
    }
}

// Suggestions only for words that look like a typo, never for megabytes of junk.
std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.size() > 64) return {};
    return core::closest_match(word, candidates);
}

Field simple_field(std::string name, Kind kind) {
    Field field;
    field.name = std::move(name);
    field.kind = kind;
    return field;
}

class StructureChecker {
public:
    explicit StructureChecker(Reporter& reporter) : m_reporter(reporter) {}

    core::Result<Json> check(const Field& field, const Json& value, const std::string& pointer, bool partial) {
        switch (field.kind) {
        case Kind::string: return scalar_string(field, value, pointer);
        case Kind::integer: return integer(value, pointer);
        case Kind::number:
            if (!value.is_number()) return type_error(field, value, pointer);
            return value;
        case Kind::boolean: return boolean(field, value, pointer);
        case Kind::object: return object(field, value, pointer, partial || field.partial);
        case Kind::string_map: return string_map(field, value, pointer);
        case Kind::string_list:
        case Kind::integer_list: return scalar_list(field, value, pointer);
        case Kind::object_list: return object_list(field, value, pointer, partial || field.partial);
        case Kind::any_object:
            if (!value.is_object()) return type_error(field, value, pointer);
            return value;
        case Kind::any_list:
            if (!value.is_array()) return type_error(field, value, pointer);
            return value;
        }
        return value;
    }

private:
    core::Error type_error(const Field& field, const Json& value, const std::string& pointer) const {
        std::string hint;
        if (field.kind == Kind::string && (value.is_number() || value.is_boolean()))
            hint = "quote the value so that YAML reads it as a string, e.g. \"" +
                   (value.is_boolean() ? std::string(value.get<bool>() ? "true" : "false")
                                       : core::format_number(value)) +
                   "\"";
        else if (field.kind == Kind::boolean && value.is_string())
            hint = "write true or false without quotes";
        else if ((field.kind == Kind::integer || field.kind == Kind::number) && value.is_string())
            hint = "write the number without quotes";
        return m_reporter.error(pointer, "expected " + kind_description(field.kind) + ", got " + json_type(value),
                                hint);
    }

    core::Result<Json> scalar_string(const Field& field, const Json& value, const std::string& pointer) {
        Json out = value;
        if (field.format == Format::quantity && value.is_number() && !value.is_boolean())
            out = core::format_number(value); // `cpu: 2` is as common as `cpu: "2"`
        if (!out.is_string()) return type_error(field, value, pointer);
        const std::string text = out.get<std::string>(); // a copy: `out` is reassigned below
        for (const auto& [legacy, current] : field.aliases) {
            if (text == legacy) {
                m_reporter.warn(pointer, "\"" + legacy + "\" is the name used before KServe 0.16; using \"" + current + "\"",
                                "write " + field.name + ": " + current);
                out = current;
            }
        }
        const std::string& normalised = out.get_ref<const std::string&>();
        if (!field.allowed.empty() &&
            std::find(field.allowed.begin(), field.allowed.end(), normalised) == field.allowed.end()) {
            std::string hint;
            if (field.allowed.size() == 1)
                hint = "set " + field.name + ": " + field.allowed.front();
            else if (auto best = closest(normalised, field.allowed); !best.empty())
                hint = "did you mean '" + best + "'? allowed values: " + join(field.allowed);
            else
                hint = "allowed values: " + join(field.allowed);
            std::string shown = normalised.size() > 64 ? normalised.substr(0, 64) + "..." : normalised;
            return m_reporter.error(pointer, "unsupported value \"" + shown + "\"", hint);
        }
        // An empty optional string means "not set" (the loader writes "" for them, and must read its output back).
        if (!normalised.empty() || field.presence == Presence::required)
            MLSERVE_TRY(check_format(field.format, out, pointer, m_reporter));
        if (field.format == Format::version) {
            // Keep MAJOR.MINOR only: "v0.16.2" -> "0.16".
            std::string v = normalised.front() == 'v' ? normalised.substr(1) : normalised;
            if (size_t second = v.find('.', v.find('.') + 1); second != std::string::npos) v.erase(second);
            out = v;
        }
        return out;
    }

    // Kubernetes keeps replicas, ports, periods and weights in 32-bit integers.
    core::Result<Json> integer(const Json& value, const std::string& pointer) {
        if (!value.is_number()) return type_error(simple_field({}, Kind::integer), value, pointer);
        double d = value.get<double>();
        if (value.is_number_float() && d != std::floor(d))
            return m_reporter.error(pointer, "expected an integer, got " + core::format_number(value),
                                    "write a whole number");
        if (d < -2147483648.0 || d > 2147483647.0)
            return m_reporter.error(pointer, "integer " + core::format_number(value) + " is out of range",
                                    "Kubernetes stores it in 32 bits: -2147483648 to 2147483647");
        return Json(static_cast<long long>(d));
    }

    core::Result<Json> boolean(const Field& field, const Json& value, const std::string& pointer) {
        if (!value.is_boolean()) return type_error(field, value, pointer);
        return value;
    }

    core::Result<Json> object(const Field& field, const Json& value, const std::string& pointer, bool partial) {
        if (!value.is_object()) return type_error(field, value, pointer);
        for (const auto& [key, child] : value.items()) {
            if (field.find(key)) continue;
            std::string child_pointer = core::pointer_append(pointer, key);
            std::string where = pointer.empty() ? "the document" : core::pointer_to_path(pointer);
            std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
            std::string hint = "known fields of " + where + ": " + join(field.child_names());
            if (auto best = closest(key, field.child_names()); !best.empty()) hint = "did you mean '" + best + "'?";
            return m_reporter.error_at_key(child_pointer, "unknown field \"" + shown + "\"", hint);
        }
        Json out = Json::object();
        for (const auto& child : field.children) {
            auto it = value.find(child.name);
            if (it == value.end() || it->is_null()) { // most fields of the table: no pointer to build for them
                if (child.presence == Presence::required && !partial)
                    return m_reporter.error(core::pointer_append(pointer, child.name),
                                            "required field \"" + child.name + "\" is missing",
                                            missing_hint(child, pointer));
                continue;
            }
            auto checked = check(child, *it, core::pointer_append(pointer, child.name), partial);
            if (!checked.ok()) return std::move(checked).error();
            out[child.name] = std::move(checked.value());
        }
        return out;
    }

    static std::string missing_hint(const Field& child, const std::string& parent_pointer) {
        std::string where = parent_pointer.empty() ? "the top level" : core::pointer_to_path(parent_pointer);
        if (!child.allowed.empty()) return "add " + child.name + " under " + where + ", one of: " + join(child.allowed);
        return "add " + child.name + " under " + where;
    }

    core::Result<Json> string_map(const Field& field, const Json& value, const std::string& pointer) {
        if (!value.is_object()) return type_error(field, value, pointer);
        Field entry = simple_field(field.name, Kind::string);
        for (const auto& [key, item] : value.items())
            if (!item.is_string()) return type_error(entry, item, core::pointer_append(pointer, key));
        return value;
    }

    core::Result<Json> scalar_list(const Field& field, const Json& value, const std::string& pointer) {
        if (!value.is_array()) return type_error(field, value, pointer);
        Json out = Json::array();
        Kind item_kind = field.kind == Kind::string_list ? Kind::string : Kind::integer;
        Field item = simple_field(field.name, item_kind);
        for (size_t i = 0; i < value.size(); ++i) {
            auto checked = check(item, value[i], core::pointer_append(pointer, std::to_string(i)), false);
            if (!checked.ok()) return std::move(checked).error();
            out.push_back(std::move(checked.value()));
        }
        return out;
    }

    core::Result<Json> object_list(const Field& field, const Json& value, const std::string& pointer, bool partial) {
        if (!value.is_array()) return type_error(field, value, pointer);
        Field item = field;
        item.kind = Kind::object;
        Json out = Json::array();
        for (size_t i = 0; i < value.size(); ++i) {
            auto checked = object(item, value[i], core::pointer_append(pointer, std::to_string(i)), partial);
            if (!checked.ok()) return std::move(checked).error();
            out.push_back(std::move(checked.value()));
        }
        return out;
    }

    Reporter& m_reporter;
};

} // namespace

core::Result<Json> check_structure(const Json& value, Reporter& reporter) {
    const Field& root = model_deployment_schema();
    if (!value.is_object())
        return reporter.error("", "expected a ModelDeployment map, got " + json_type(value),
                              "start from `kubectl mlserve init --format sklearn --backend kserve`");
    // kind first: a manifest passed by mistake gets a hint about what this file is.
    auto kind = value.find("kind");
    if (kind != value.end() && kind->is_string() && *kind != k_kind)
        return reporter.error("/kind", "kind must be " + std::string(k_kind) + ", got \"" +
                                           kind->get<std::string>().substr(0, 64) + "\"",
                              "a spec starts with apiVersion: " + std::string(k_api_version) + " and kind: " +
                                  std::string(k_kind) + "; to check Kubernetes manifests use `kubectl mlserve validate`");
    auto api = value.find("apiVersion");
    if (api != value.end() && api->is_string() && *api != k_api_version)
        return reporter.error("/apiVersion", "apiVersion must be " + std::string(k_api_version) + ", got \"" +
                                                 api->get<std::string>().substr(0, 64) + "\"",
                              "set apiVersion: " + std::string(k_api_version));
    StructureChecker checker(reporter);
    return checker.check(root, value, "", false);
}

} // namespace detail

core::Result<LoadedSpec> load_spec(const core::Document& document) {
    detail::Reporter reporter(document);
    auto written = detail::check_structure(document.value, reporter);
    if (!written.ok()) return std::move(written).error();
    auto value = detail::apply_defaults(*written, reporter);
    if (!value.ok()) return std::move(value).error();
    MLSERVE_TRY(detail::check_semantics(*value, reporter));
    LoadedSpec loaded{core::Document{std::move(value.value()), document.positions, document.file, document.key_positions}, {}};
    loaded.warnings = std::move(reporter.warnings());
    return loaded;
}

core::Result<std::vector<LoadedSpec>> load_spec_file(const std::string& path) {
    core::YamlLimits limits;
    limits.max_bytes = k_max_spec_bytes;
    auto documents = core::load_yaml_file(path, limits);
    if (!documents.ok()) return std::move(documents).error();
    std::string shown = path == "-" ? "<stdin>" : path;
    if (documents->empty())
        return core::input_error("no ModelDeployment in " + shown, core::SourceLocation{shown, 0, 0}, {},
                                 "write one with `kubectl mlserve init --format sklearn --backend kserve -o " +
                                     (path == "-" ? std::string("model.yaml") : path) + "`");
    std::vector<LoadedSpec> specs;
    for (const auto& document : *documents) {
        auto loaded = load_spec(document);
        if (!loaded.ok()) return std::move(loaded).error();
        const auto& metadata = loaded->value()["metadata"];
        for (const auto& earlier : specs) {
            const auto& m = earlier.value()["metadata"];
            if (m["name"] == metadata["name"] && m["namespace"] == metadata["namespace"])
                return core::input_error("a second ModelDeployment named \"" + metadata["name"].get<std::string>() +
                                             "\" in namespace \"" + metadata["namespace"].get<std::string>() + "\"",
                                         document.location("/metadata/name"), "metadata.name",
                                         "each document of a file must name a different model");
        }
        specs.push_back(std::move(loaded.value()));
    }
    return specs;
}

} // namespace mlserve::spec
