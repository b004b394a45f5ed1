#pragma once
// The ModelDeployment fields as one declarative table: names, types, allowed values, defaults and children.
// Strict loading (unknown fields, types), defaults and `render --show-defaults` all read this table.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace mlserve::spec {

/// The JSON shape a field takes.
enum class Kind {
    string,
    integer,
    number,
    boolean,
    object,       ///< fixed fields: `children`
    string_map,   ///< map<string,string>
    string_list,  ///< list of strings
    integer_list, ///< list of integers
    object_list,  ///< list of objects whose fields are `children`
    any_object,   ///< any JSON object (patches)
    any_list,     ///< any JSON list
};

/// What a string (or number) field holds beyond its Kind; the loader checks it.
enum class Format {
    none,
    dns_label,   ///< RFC 1123 label: lower-case alphanumerics and '-', <= 63 characters
    quantity,    ///< Kubernetes quantity; a YAML number is accepted and written back as a string
    duration,    ///< Go duration
    percentage,  ///< "<number>%" in 0..100
    version,     ///< "MAJOR.MINOR"
    storage_uri, ///< a scheme KServe's storage initializer supports
    url,         ///< http:// or https://
};

/// Whether a field must be written, and what happens when it is not.
enum class Presence {
    optional, ///< filled with its default (or the empty value of its kind)
    required, ///< an error when missing
    section,  ///< an optional feature block: stays absent unless written, then its own fields get defaults
};

struct Field {
    std::string name;
    Kind kind = Kind::string;
    Presence presence = Presence::optional;
    core::Json default_value;                                 ///< null: the empty value of the kind
    std::vector<std::string> allowed;                         ///< enum values, if any
    std::vector<std::pair<std::string, std::string>> aliases; ///< legacy spelling -> allowed value
    Format format = Format::none;
    bool computed = false; ///< the default depends on other fields (defaults.cpp)
    bool partial = false;  ///< an overlay: no required fields and no defaults below (canary.model, tolerations)
    std::string doc;       ///< one line for the starter spec and --show-defaults readers
    std::vector<Field> children;

    /// The child named `child`, or nullptr.
    const Field* find(std::string_view child) const;
    /// The children's names, in table order (for "did you mean" hints).
    std::vector<std::string> child_names() const;
};

/// The whole ModelDeployment document: apiVersion, kind, metadata, spec, in the order of the README's spec reference.
const Field& model_deployment_schema();

/// The field at a dotted path below the root ("spec.model.format"), or nullptr.
const Field* find_field(std::string_view dotted_path);

/// "a string", "an integer", ... for type errors.
std::string kind_description(Kind kind);

inline constexpr std::string_view k_api_version = "mlserve.io/v1alpha1";
inline constexpr std::string_view k_kind = "ModelDeployment";

} // namespace mlserve::spec
