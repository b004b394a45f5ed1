// What the API server checks in every object's metadata beyond its schema (apimachinery's ValidateObjectMeta):
// a name (or generateName) that is a DNS-1123 subdomain (a DNS-1035 label for Services, a DNS-1123 label for
// Namespaces), a namespace that is a DNS-1123 label, and label/annotation keys and label values of the right shape.

#include "spec/names.hpp"
#include "validate/schema_check.hpp"

namespace mlserve::validate::schema_detail {

namespace {

// The name grammars are spec/names.hpp's; the messages here say what the API server would refuse.
bool dns_label(std::string_view text, bool letter_first = false) {
    if (!spec::dns_label_problem(text).empty()) return false;
    return !letter_first || (text.front() >= 'a' && text.front() <= 'z'); // DNS-1035: a letter first
}

bool dns_subdomain(std::string_view text) { return spec::dns_subdomain_problem(text).empty(); }

bool label_value(std::string_view text) { return spec::label_value_problem(text).empty(); }

std::string key_problem(std::string_view key) {
    const std::size_t slash = key.rfind('/');
    if (slash != std::string_view::npos && !dns_subdomain(key.substr(0, slash)))
        return "the prefix before '/' must be a DNS-1123 subdomain";
    const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
    if (name.empty() || !label_value(name))
        return "the name part must be at most 63 alphanumerics, '-', '_' or '.', starting and ending with an "
               "alphanumeric";
    return {};
}

std::string json_text(std::string_view text) { return core::Json(std::string(text)).dump(); }

} // namespace

void Checker::check_metadata() {
    const core::Json& root = m_manifest.doc.value;
    if (!root.is_object()) return;
    auto meta_it = root.find("metadata");
    if (meta_it == root.end()) {
        emit("schema.required", "missing required field \"metadata\"", "add metadata.name", false);
        return;
    }
    if (!meta_it->is_object()) return; // the schema walk reported its type
    const core::Json& meta = *meta_it;
    static const std::string k_metadata = "metadata";
    m_path.push_back({&k_metadata, 0});
    auto kind_it = root.find("kind");
    const std::string_view kind =
        kind_it != root.end() && kind_it->is_string() ? std::string_view(kind_it->get_ref<const std::string&>()) : "";
    auto name = meta.find("name");
    auto generate = meta.find("generateName");
    if (name == meta.end() && (generate == meta.end() || !generate->is_string() || generate->get_ref<const std::string&>().empty())) {
        emit("schema.required", "missing required field \"name\"", "add metadata.name (or metadata.generateName)", true);
    } else if (name != meta.end() && name->is_string()) {
        const std::string& text = name->get_ref<const std::string&>();
        const bool ok = kind == "Service" ? dns_label(text, true) : kind == "Namespace" ? dns_label(text) : dns_subdomain(text);
        if (!ok) {
            static const std::string k_name = "name";
            m_path.push_back({&k_name, 0});
            const std::string rule = kind == "Service"     ? "a DNS-1035 label (lowercase alphanumerics and '-', "
                                                             "starting with a letter, at most 63 characters)"
                                     : kind == "Namespace" ? "a DNS-1123 label (lowercase alphanumerics and '-', at "
                                                             "most 63 characters)"
                                                           : "a DNS-1123 subdomain (lowercase alphanumerics, '-' and "
                                                             "'.', at most 253 characters)";
            emit("schema.metadata", "invalid name " + json_text(text) + ": must be " + rule, {});
            m_path.pop_back();
        }
    }
    if (auto ns = meta.find("namespace"); ns != meta.end() && ns->is_string() &&
                                          !dns_label(ns->get_ref<const std::string&>())) {
        static const std::string k_namespace = "namespace";
        m_path.push_back({&k_namespace, 0});
        emit("schema.metadata",
             "invalid namespace " + json_text(ns->get_ref<const std::string&>()) +
                 ": must be a DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters)",
             {});
        m_path.pop_back();
    }
    static const std::string k_labels = "labels", k_annotations = "annotations";
    for (const std::string* field : {&k_labels, &k_annotations}) {
        auto entries = meta.find(*field);
        if (entries == meta.end() || !entries->is_object()) continue;
        m_path.push_back({field, 0});
        for (const auto& item : entries->items()) {
            m_path.push_back({&item.key(), 0});
            if (std::string problem = key_problem(item.key()); !problem.empty())
                emit("schema.metadata", "invalid key " + json_text(item.key()) + ": " + problem, {}, true);
            if (field == &k_labels && item.value().is_string() &&
                !label_value(item.value().get_ref<const std::string&>()))
                emit("schema.metadata",
                     "invalid label value " + json_text(item.value().get_ref<const std::string&>()) +
                         ": at most 63 characters, alphanumerics, '-', '_' or '.', starting and ending with an "
                         "alphanumeric",
                     {});
            m_path.pop_back();
        }
        m_path.pop_back();
    }
    m_path.pop_back();
}

} // namespace mlserve::validate::schema_detail
