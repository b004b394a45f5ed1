#pragma once
// Kubernetes name and label syntax. Each check returns "" for a valid value, else what is wrong with it.

#include <string>
#include <string_view>

namespace mlserve::spec {

/// RFC 1123 label (Service, namespace and model names): <= 63 characters, lower-case alphanumerics or '-',
/// starting and ending with an alphanumeric.
std::string dns_label_problem(std::string_view name);

/// RFC 1123 subdomain (most object names, PVC names): <= 253 characters, dot-separated labels.
std::string dns_subdomain_problem(std::string_view name);

/// A label or annotation key: an optional DNS subdomain prefix and '/', then a name of <= 63 characters of
/// alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.
std::string label_key_problem(std::string_view key);

/// A label value: empty, or <= 63 characters of alphanumerics, '-', '_' and '.', starting and ending with an
/// alphanumeric.
std::string label_value_problem(std::string_view value);

/// A hint for an invalid name: why template syntax or line breaks do not work, or a valid spelling to use.
std::string name_hint(std::string_view name);

} // namespace mlserve::spec
