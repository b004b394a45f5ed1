// The rule catalogue: every rule of every category (validate --list-rules).

#include <algorithm>

#include "validate/inputs.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

std::vector<RuleInfo> rule_catalog() {
    std::vector<RuleInfo> all = schema_rules();
    for (const auto* part : {&semantic_rules(), &policy_rules(), &input_rules()})
        all.insert(all.end(), part->begin(), part->end());
    std::sort(all.begin(), all.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return all;
}

} // namespace mlserve::validate
