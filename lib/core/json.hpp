#pragma once
// The tool's one JSON value type and the source positions that go with a parsed document.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
/// An open-addressing table over one buffer of pointer text: parsing sets a mark for nearly every node and
/// compiling a template looks one up for every node, so neither may cost an allocation.
class PositionMap {
public:
    /// Sets (or replaces) the mark of `pointer`.
    void set(std::string_view pointer, Mark mark);
    /// The mark of `pointer`, or of its nearest ancestor that has one; {0,0} if none.
    Mark find(std::string_view pointer) const;
    /// The mark of exactly `pointer`; {0,0} if it has none.
    Mark exact(std::string_view pointer) const;
    bool empty() const { return m_count == 0; }

private:
    struct Slot {
        uint32_t hash = 0;   ///< 0: empty
        uint32_t length = 0; ///< of the pointer at m_text[offset]
        size_t offset = 0;
        Mark mark;
    };
    static uint32_t hash_of(std::string_view pointer);
    /// The slot holding `pointer`, or the empty slot where it would go.
    size_t probe(std::string_view pointer, uint32_t hash) const;
    void grow();

    std::vector<Slot> m_slots; ///< a power of two long, at most three quarters full
    std::string m_text;        ///< every pointer set, back to back
    size_t m_count = 0;
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
