#pragma once
// YAML (and JSON, which is YAML) to Json with source positions, and canonical YAML out.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::core {

/// Bounds that keep hostile input from exhausting memory or the stack.
struct YamlLimits {
    size_t max_bytes = 16u << 20;     ///< larger inputs are refused before parsing
    size_t max_depth = 128;           ///< nesting of maps and sequences
    size_t max_nodes = 500'000;       ///< nodes after alias expansion (stops "billion laughs")
};

/// Parses every document of a YAML stream (YAML 1.2 core schema; `<<` merge keys). Rejects duplicate
/// keys, invalid UTF-8, non-string keys and anything past the limits, with file:line:col and a hint.
/// Empty documents (a lone `---`) are skipped.
Result<std::vector<Document>> parse_yaml(std::string_view text, std::string_view file, const YamlLimits& limits = {});

/// Reads and parses a file ("-" is standard input). Exit code 2 on any failure.
Result<std::vector<Document>> load_yaml_file(const std::string& path, const YamlLimits& limits = {});

/// Reads a whole file ("-" is standard input) with a size bound.
Result<std::string> read_file(const std::string& path, size_t max_bytes = 16u << 20);

/// Canonical block YAML for one value: keys in stored order, strings that another YAML reader could take
/// for a number, boolean, null, date or version are quoted, no scientific notation, integral floats as
/// integers, multi-line strings as literal blocks. Ends with a newline.
std::string to_yaml(const Json& value);

/// Several documents, each preceded by "---".
std::string to_yaml_stream(const std::vector<Json>& documents);

/// A number as the emitters print it: integers as is, floats in shortest fixed notation.
std::string format_number(const Json& number);

} // namespace mlserve::core
