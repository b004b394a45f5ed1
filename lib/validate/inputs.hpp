#pragma once
// `validate -f ...`: what the inputs hold. Files, directories and standard input are read into the objects to
// check; ModelDeployment specs are loaded as specs and rendered, so that both the spec and its manifests are
// checked; what cannot be read or is not an object becomes a finding instead of stopping the run.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

/// Files larger than this are reported (input.too-large) instead of read: a 64 MiB manifest file already takes
/// about a gigabyte once parsed with positions; split larger streams into several files.
inline constexpr std::size_t k_max_input_bytes = 64u << 20;

struct InputOptions {
    std::vector<std::string> filenames; ///< -f values: files, directories, "-" for standard input
    bool recursive = true;              ///< directories: walk their subdirectories too
    std::string templates_dir;          ///< --templates: what specs are rendered with
};

/// The objects of the inputs, in input order, and what was wrong with the inputs themselves.
struct InputSet {
    std::vector<std::string> files;   ///< files read, in order ("-" for standard input)
    std::vector<Manifest> manifests;  ///< objects to check against schemas and rules (List items, rendered objects)
    std::vector<bool> rendered;       ///< per manifest: rendered from a spec (positions point at the spec's start)
    std::vector<ObjectRef> objects;   ///< every object read or rendered (specs and objects without kind included)
    std::vector<Finding> findings;    ///< input.* and spec.* findings
    bool malformed = false;           ///< an input could not be read or parsed (exit 2 after the report)
};

/// Expands `-f` values and reads every file. Directories give their *.yaml, *.yml and *.json files (entries
/// starting with '.' skipped) in sorted path order, recursively unless `recursive` is false; a file named twice
/// is read once. A document whose kind is List (or ends in List, with an items array) gives its items, located
/// where they stand in the file. A ModelDeployment is loaded (spec.invalid / spec.warning findings) and, when it
/// loads, rendered: its objects are checked like any other, located at the spec document's first line (see
/// README "validate"). A file that cannot be read, is over k_max_input_bytes or does not parse gives an
/// input.* finding at file:line:col and sets `malformed`; a document that is not a map or lacks apiVersion or
/// kind gives an input.* finding and is not checked further.
/// Errors (exit 2): no -f value, a path that does not exist, a directory with no manifest files, a --templates
/// value that is not a directory.
core::Result<InputSet> read_inputs(const InputOptions& options);

/// The input.* and spec.* rules, for the catalogue.
const std::vector<RuleInfo>& input_rules();

} // namespace mlserve::validate
