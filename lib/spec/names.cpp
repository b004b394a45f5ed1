#include "spec/names.hpp"

#include "core/text.hpp"

namespace mlserve::spec {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

std::string qualified_name_problem(std::string_view name) {
    if (name.empty()) return "the name part is empty";
    if (name.size() > 63) return "the name part is " + std::to_string(name.size()) + " characters, over 63";
    for (char c : name)
        if (!alnum(c) && c != '-' && c != '_' && c != '.')
            return "it may contain only letters, digits, '-', '_' and '.'";
    if (!alnum(name.front()) || !alnum(name.back())) return "it must start and end with a letter or digit";
    return {};
}

} // namespace

std::string dns_label_problem(std::string_view name) {
    if (name.empty()) return "it is empty";
    if (name.size() > 63) return "it is " + std::to_string(name.size()) + " characters, over the limit of 63";
    for (char c : name)
        if (!lower_alnum(c) && c != '-')
            return "a DNS-1123 label may contain only lower-case letters, digits and '-'";
    if (name.front() == '-' || name.back() == '-') return "a DNS-1123 label must start and end with a letter or digit";
    return {};
}

std::string dns_subdomain_problem(std::string_view name) {
    if (name.empty()) return "it is empty";
    if (name.size() > 253) return "it is " + std::to_string(name.size()) + " characters, over the limit of 253";
    for (const auto& part : core::split(name, '.')) {
        if (part.empty()) return "a DNS-1123 subdomain has no empty parts between dots";
        for (char c : part)
            if (!lower_alnum(c) && c != '-')
                return "a DNS-1123 subdomain may contain only lower-case letters, digits, '-' and '.'";
        if (part.front() == '-' || part.back() == '-')
            return "each part of a DNS-1123 subdomain must start and end with a letter or digit";
    }
    return {};
}

std::string label_key_problem(std::string_view key) {
    size_t slash = key.rfind('/');
    if (slash != std::string_view::npos) {
        if (auto problem = dns_subdomain_problem(key.substr(0, slash)); !problem.empty()) return "prefix: " + problem;
        key = key.substr(slash + 1);
    }
    return qualified_name_problem(key);
}

std::string label_value_problem(std::string_view value) {
    if (value.empty()) return {};
    if (value.size() > 63) return "it is " + std::to_string(value.size()) + " characters, over the limit of 63";
    for (char c : value)
        if (!alnum(c) && c != '-' && c != '_' && c != '.')
            return "a label value may contain only letters, digits, '-', '_' and '.'";
    if (!alnum(value.front()) || !alnum(value.back())) return "a label value must start and end with a letter or digit";
    return {};
}

std::string name_hint(std::string_view name) {
    if (name.find('\n') != std::string_view::npos || name.find('\r') != std::string_view::npos)
        return "names are single words; remove the line break";
    if (name.find("${") != std::string_view::npos || name.find("{{") != std::string_view::npos ||
        name.find("$(") != std::string_view::npos)
        return "specs are not templates: write the final name (generate the spec if it varies)";
    std::string fixed;
    for (char c : name.substr(0, 63)) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        fixed += lower_alnum(c) ? c : '-';
    }
    while (!fixed.empty() && fixed.front() == '-') fixed.erase(fixed.begin());
    while (!fixed.empty() && fixed.back() == '-') fixed.pop_back();
    if (fixed.empty()) return "use lower-case letters, digits and '-', e.g. fraud-detection";
    return "use lower-case letters, digits and '-', e.g. \"" + fixed + "\"";
}

} // namespace mlserve::spec
