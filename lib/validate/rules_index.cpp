// The per-file-set index of the cross-object and policy rules: names, pod labels and Service labels by
// namespace, and label lookups that keep selector matching near linear in the size of the set.

#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

std::string label_key(const std::string& key, const std::string& value) { return key + '\0' + value; }

std::string name_key(const std::string& kind, const std::string& name) { return kind + '/' + name; }

} // namespace

std::optional<std::pair<std::string, std::string>> first_label(const Json* selector) {
    const Json* labels = object_of(selector, "matchLabels");
    if (!labels) labels = selector; // a map selector
    if (!labels || !labels->is_object()) return std::nullopt;
    auto it = labels->begin();
    if (it == labels->end() || !it->is_string()) return std::nullopt; // none, or unreadable: every set is a candidate
    return std::make_pair(it.key(), it->get<std::string>());
}

void LabelIndex::add(size_t id, const LabelSet* set) {
    size_t at = m_sets.size();
    m_sets.emplace_back(id, set);
    for (const auto& [key, value] : set->labels) m_by_label[label_key(key, value)].push_back(at);
    m_open_lacking.clear();
}

bool LabelIndex::find(const std::optional<std::pair<std::string, std::string>>& first,
                      const std::function<bool(size_t, const LabelSet&)>& visit) const {
    if (!first) {
        for (const auto& [id, set] : m_sets)
            if (visit(id, *set)) return true;
        return false;
    }
    if (auto it = m_by_label.find(label_key(first->first, first->second)); it != m_by_label.end())
        for (size_t at : it->second)
            if (visit(m_sets[at].first, *m_sets[at].second)) return true;
    auto lacking = m_open_lacking.find(first->first);
    if (lacking == m_open_lacking.end()) {
        std::vector<size_t> list;
        for (size_t at = 0; at < m_sets.size(); ++at)
            if (m_sets[at].second->open && !m_sets[at].second->labels.count(first->first)) list.push_back(at);
        lacking = m_open_lacking.emplace(first->first, std::move(list)).first;
    }
    for (size_t at : lacking->second)
        if (visit(m_sets[at].first, *m_sets[at].second)) return true;
    return false;
}

Index::Index(const std::vector<Manifest>& all) : m_all(all) {
    size_t n = all.size();
    m_ns.reserve(n);
    m_pods.reserve(n);
    m_implied.reserve(n);
    m_pod_refs.reserve(n);
    m_service_labels.resize(n);
    std::vector<std::string> kinds(n);
    for (size_t i = 0; i < n; ++i) {
        const Manifest& m = all[i];
        m_ns.push_back(m.namespace_name());
        kinds[i] = m.kind();
        m_pods.push_back(pod_labels(m));
        m_implied.push_back(implied_objects(m));
        m_pod_refs.push_back(pods_of(m));
        m_by_name[name_key(kinds[i], m.name())].push_back(i);
        m_names_by_kind[kinds[i]].push_back(m.name());
        for (const Implied& implied : m_implied[i]) {
            m_by_name[name_key(implied.kind, implied.name)].push_back(i);
            m_names_by_kind[implied.kind].push_back(implied.name);
        }
        if (kinds[i] == "ServingRuntime" || kinds[i] == "ClusterServingRuntime")
            if (const Json* formats = array_of(object_of(&m.doc.value, "spec"), "supportedModelFormats"))
                for (const Json& f : *formats) m_runtime_formats.insert(string_of(&f, "name"));
    }
    // A Rollout with a workloadRef runs the pods of its target's template.
    for (size_t i = 0; i < n; ++i) {
        if (!is_rollout(all[i])) continue;
        const Json* ref = object_of(object_of(&all[i].doc.value, "spec"), "workloadRef");
        if (!ref) continue;
        for (size_t target : find(string_of(ref, "kind"), string_of(ref, "name"), m_ns[i]))
            if (target != i && m_pods[target].known) {
                m_pods[i] = m_pods[target];
                break;
            }
    }
    for (size_t i = 0; i < n; ++i) {
        Bucket& bucket = m_buckets[m_ns[i]];
        // A Rollout with a workloadRef runs its target's pods: counting them once is enough.
        bool duplicate = is_rollout(all[i]) && member(object_of(&all[i].doc.value, "spec"), "workloadRef");
        if (!m_pods[i].known) bucket.unknown_pods = true;
        else if (!duplicate)
            for (size_t s = 0; s < m_pods[i].sets.size(); ++s) {
                bucket.pods.add(m_pod_sets.size(), &m_pods[i].sets[s]);
                m_pod_sets.push_back({i, s});
            }
        if (kinds[i] == "Service" && group_of(all[i]).empty()) {
            m_service_labels[i] = {string_map(object_of(&all[i].doc.value, "metadata"), "labels"), false};
            bucket.services.add(i, &m_service_labels[i]);
        }
    }
}

std::vector<size_t> Index::find(const std::string& kind, const std::string& name, const std::string& ns) const {
    std::vector<size_t> out;
    if (auto it = m_by_name.find(name_key(kind, name)); it != m_by_name.end())
        for (size_t i : it->second)
            if (same_namespace(m_ns[i], ns)) out.push_back(i);
    return out;
}

const std::vector<std::string>& Index::names_of(const std::string& kind) const {
    static const std::vector<std::string> k_none;
    auto it = m_names_by_kind.find(kind);
    return it == m_names_by_kind.end() ? k_none : it->second;
}

template <class F> void Index::visible(const std::string& ns, F f) const {
    if (ns.empty()) {
        for (const auto& [name, bucket] : m_buckets)
            if (f(bucket)) return;
        return;
    }
    for (const std::string& key : {ns, std::string()})
        if (auto it = m_buckets.find(key); it != m_buckets.end() && f(it->second)) return;
}

std::optional<bool> Index::any_pods(const std::string& ns,
                                    const std::optional<std::pair<std::string, std::string>>& first,
                                    const std::function<bool(const LabelSet&)>& matches) const {
    bool unknown = false, seen = false, found = false;
    visible(ns, [&](const Bucket& b) {
        unknown |= b.unknown_pods;
        seen |= !b.pods.empty();
        found = b.pods.find(first, [&](size_t, const LabelSet& set) { return matches(set); });
        return found || unknown;
    });
    if (found) return true;
    if (unknown || !seen) return std::nullopt;
    return false;
}

void Index::candidate_pods(const std::string& ns, const std::optional<std::pair<std::string, std::string>>& first,
                           const std::function<bool(size_t, const LabelSet&)>& visit) const {
    visible(ns, [&](const Bucket& b) { return b.pods.find(first, visit); });
}

void Index::candidate_services(const std::string& ns,
                               const std::optional<std::pair<std::string, std::string>>& first,
                               const std::function<bool(size_t, const LabelSet&)>& visit) const {
    visible(ns, [&](const Bucket& b) { return b.services.find(first, visit); });
}

bool Index::has_services(const std::string& ns) const {
    bool any = false;
    visible(ns, [&](const Bucket& b) { return any = !b.services.empty(); });
    return any;
}

} // namespace mlserve::validate::detail
