// Seldon Core v1 SeldonDeployment rules: the validating webhook's checks (seldondeployment_webhook.go
// ValidateSeldonDeployment, messages verbatim) and the `traffic: 0` trap (SeldonIO/seldon-core#4067).

#include <set>

#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

// Seldon's own implementations need no container; prepackaged servers get theirs from seldon-config.
constexpr std::string_view k_prepackaged[] = {"SKLEARN_SERVER",    "XGBOOST_SERVER", "TENSORFLOW_SERVER",
                                              "MLFLOW_SERVER",     "TRITON_SERVER",  "HUGGINGFACE_SERVER",
                                              "TEMPO_SERVER",      "ALIBI_DETECT_SERVER"};

bool is_prepackaged(std::string_view implementation) {
    for (auto p : k_prepackaged)
        if (p == implementation) return true;
    return false;
}

bool has_container(const Json* predictor, const std::string& name) {
    const Json* specs = array_of(predictor, "componentSpecs");
    for (size_t j = 0; specs && j < specs->size(); ++j)
        if (const Json* containers = array_of(object_of(&(*specs)[j], "spec"), "containers"))
            for (const Json& c : *containers)
                if (string_of(&c, "name") == name) return true;
    return false;
}

void check_graph(const Manifest& m, const Json* predictor, const Json* unit, const std::string& pointer,
                 const std::string& protocol, std::set<std::string>& names, Sink& sink, int depth = 0) {
    if (!unit || !unit->is_object() || depth > 64) return;
    std::string name = string_of(unit, "name"), implementation = string_of(unit, "implementation");
    if (!name.empty() && !names.insert(name).second)
        sink.report(m, "seldon.graph-names", ptr(pointer, "name"),
                    "graph node name " + shown(name) + " is used twice in predictor " +
                        shown(string_of(predictor, "name")),
                    "each node runs as the container of its name; give every node its own name");
    if (implementation.empty() || implementation == "UNKNOWN_IMPLEMENTATION") {
        if (!has_container(predictor, name))
            sink.report(m, "seldon.graph-containers", ptr(pointer, "name"),
                        "Can't find container for Predictive Unit " + shown(name),
                        "add a container named " + shown(name) +
                            " under componentSpecs[].spec.containers, or set implementation to a prepackaged server");
    } else if (is_prepackaged(implementation)) {
        if (string_of(unit, "modelUri").empty() && implementation != "HUGGINGFACE_SERVER")
            sink.report(m, "seldon.prepackaged-server", pointer,
                        "Predictive unit modelUri required when using standalone servers (" + implementation + ")",
                        "add modelUri: s3://bucket/path (or gs://, pvc://) to node " + shown(name));
        if (protocol == "tensorflow" && (implementation == "SKLEARN_SERVER" || implementation == "XGBOOST_SERVER" ||
                                         implementation == "MLFLOW_SERVER"))
            sink.report(m, "seldon.prepackaged-server", ptr(pointer, "implementation"),
                        "Prepackaged server does not handle tensorflow protocol " + implementation,
                        "use protocol seldon or v2 for " + implementation);
    }
    if (const Json* children = array_of(unit, "children"))
        for (size_t i = 0; i < children->size(); ++i)
            check_graph(m, predictor, &(*children)[i], ptr(ptr(pointer, "children"), i), protocol, names, sink,
                        depth + 1);
}

} // namespace

void check_seldon(const Manifest& m, Sink& sink) {
    if (!is_seldon_deployment(m)) return;
    const Json* spec = object_of(&m.doc.value, "spec");
    if (!spec) return;
    const Json* predictors_json = member(spec, "predictors");
    if (predictors_json && !predictors_json->is_array()) return;
    if (!predictors_json || predictors_json->empty()) {
        sink.report(m, "seldon.predictors", predictors_json ? "/spec/predictors" : "/spec", "Graph contains no predictors",
                    "add a predictor: predictors: [{name: default, graph: {...}}]");
        return;
    }
    const Json& predictors = *predictors_json;
    std::string protocol = string_of(spec, "protocol");
    std::set<std::string> predictor_names;
    long long sum = 0;
    size_t shadows = 0, weighted = 0;
    for (size_t i = 0; i < predictors.size(); ++i) {
        const Json* p = &predictors[i];
        std::string at = ptr("/spec/predictors", i), name = string_of(p, "name");
        if (!predictor_names.insert(name).second)
            sink.report(m, "seldon.predictors", ptr(at, "name"), "Duplicate predictor name " + shown(name),
                        "give each predictor its own name");
        std::set<std::string> graph_names;
        check_graph(m, p, object_of(p, "graph"), ptr(at, "graph"), protocol, graph_names, sink);
        long long traffic = int_of(p, "traffic").value_or(0);
        if (true_at(p, "shadow")) {
            if (++shadows > 1)
                sink.report(m, "seldon.shadow", ptr(at, "shadow"), "Multiple shadows are not allowed",
                            "keep one predictor with shadow: true");
            if (traffic < 0 || traffic > 100)
                sink.report(m, "seldon.shadow", ptr(at, "traffic"),
                            "shadow traffic is illegal, the traffic number should be between [0, 100]",
                            "the shadow's traffic is the share of requests mirrored to it");
        } else {
            sum += traffic;
            ++weighted;
        }
    }
    if (predictors.size() == 1 && true_at(&predictors[0], "shadow"))
        sink.report(m, "seldon.shadow", "/spec/predictors/0/shadow", "Shadow can not exist as only predictor",
                    "add the predictor the shadow mirrors, or remove shadow: true");
    if (weighted > 1 && sum != 100)
        sink.report(m, "seldon.traffic-sum", "/spec/predictors",
                    "Traffic must sum to 100 for multiple predictors (the non-shadow predictors sum to " +
                        std::to_string(sum) + ")",
                    "set traffic on every non-shadow predictor so that they add up to 100");
    if (sum > 0 && sum < 100 && predictors.size() == 1)
        sink.report(m, "seldon.traffic-sum", "/spec/predictors/0/traffic",
                    "Traffic must sum be 100 for a single predictor when set", "set traffic: 100, or leave it out");
    if (weighted > 1)
        for (size_t i = 0; i < predictors.size(); ++i) {
            const Json* p = &predictors[i];
            if (true_at(p, "shadow") || int_of(p, "traffic") != 0LL) continue;
            sink.report(m, "seldon.traffic-zero", ptr(ptr("/spec/predictors", i), "traffic"),
                        "predictor " + shown(string_of(p, "name")) +
                            " has traffic: 0, which is dropped when serialised; Seldon's Ambassador mappings then "
                            "split traffic evenly instead of sending it none",
                        "remove the predictor to stop its traffic (SeldonIO/seldon-core#4067), or give it a share");
        }
}

} // namespace mlserve::validate::detail
