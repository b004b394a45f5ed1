// The small shared pieces of validate.hpp: severities and manifest identity.

#include "validate/validate.hpp"

namespace mlserve::validate {

std::string_view severity_name(Severity severity) {
    switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
    }
    return "error";
}

namespace {

std::string string_at(const core::Json& object, std::string_view key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

const core::Json& metadata_of(const core::Json& object) {
    static const core::Json k_empty = core::Json::object();
    if (!object.is_object()) return k_empty;
    auto it = object.find("metadata");
    return it != object.end() && it->is_object() ? *it : k_empty;
}

} // namespace

std::string Manifest::api_version() const { return string_at(doc.value, "apiVersion"); }

std::string Manifest::kind() const { return string_at(doc.value, "kind"); }

std::string Manifest::name() const {
    const core::Json& metadata = metadata_of(doc.value);
    std::string name = string_at(metadata, "name");
    return name.empty() ? string_at(metadata, "generateName") : name;
}

std::string Manifest::namespace_name() const { return string_at(metadata_of(doc.value), "namespace"); }

std::string Manifest::display_name() const {
    std::string kind_name = kind().empty() ? std::string("(no kind)") : kind();
    std::string object_name = name();
    return object_name.empty() ? kind_name : kind_name + "/" + object_name;
}

} // namespace mlserve::validate
