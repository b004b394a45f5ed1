#pragma once
// What the report formats share: counts, the summary line, findings grouped by object.

#include <cstddef>
#include <string>
#include <vector>

#include "validate/validate.hpp"

namespace mlserve::validate::detail {

struct Counts {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t infos = 0;
};

Counts count_findings(const std::vector<Finding>& findings);

/// "2 errors, 1 warning in 12 objects from 3 files" (", 4 info" after the warnings when there are some).
std::string summary_line(const Report& report);

/// True for a finding in an object rendered from a spec (its location is the spec's first line).
bool rendered(const Finding& finding);

/// The message as the line formats print it: rendered objects' findings say which object and field they are in,
/// since their location points at the spec.
std::string located_message(const Finding& finding);

/// One test per object (junit, tap): the object and the indices of its findings. Findings that match no checked
/// object (a file that did not parse) get a test of their own, named after their object or file.
struct ObjectTests {
    ObjectRef object;
    std::vector<std::size_t> findings;
};
std::vector<ObjectTests> group_by_object(const Report& report);

} // namespace mlserve::validate::detail
