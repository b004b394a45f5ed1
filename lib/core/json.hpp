#pragma once
// The tool's one JSON value type and the source positions that go with a parsed document.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

namespace mlserve::core {

/// Key order is kept as written (templates decide the order of fields in the output).
using Json = nlohmann::ordered_json;

/// Line and column (1-based) of a node in its source file.
struct Mark {
    int line = 0;
    int column = 0;
};

/// Positions of the nodes of one document, keyed by RFC 6901 JSON pointer ("" is the root).
class PositionMap {
public:
    void set(std::string pointer, Mark mark) { m_marks.insert_or_assign(std::move(pointer), mark); }
    /// The mark of `pointer`, or of its nearest ancestor that has one; {0,0} if none.
    Mark find(std::string_view pointer) const;
    /// The mark of exactly `pointer`; {0,0} if it has none.
    Mark exact(std::string_view pointer) const;
    bool empty() const { return m_marks.empty(); }

private:
    std::unordered_map<std::string, Mark> m_marks;
};

/// A parsed YAML or JSON document: its value, where each node came from, and the file name.
struct Document {
    Json value;
    PositionMap positions;
    std::string file;
    PositionMap key_positions = {}; ///< where the key of each map entry stands (its value is in `positions`)

    /// The source location of the node at `pointer` (or its nearest known ancestor).
    SourceLocation location(std::string_view pointer) const;
    /// The location of the key naming the node at `pointer` (for "unknown field" errors); falls back to
    /// location(pointer) when the key's position is not known.
    SourceLocation key_location(std::string_view pointer) const;
};

/// Appends one RFC 6901 reference token (escaping '~' and '/') to a pointer.
std::string pointer_append(std::string_view pointer, std::string_view token);
/// "/spec/model/0/format" -> "spec.model[0].format" for messages.
std::string pointer_to_path(std::string_view pointer);

} // namespace mlserve::core
