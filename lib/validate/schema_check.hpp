#pragma once
// Private to lib/validate/schema_check.cpp (and its tests' view of it): the walk of one manifest over a schema.

#include <string>
#include <vector>

#include "validate/schema_detail.hpp"

namespace mlserve::validate::schema_detail {

/// A value as JSON for messages, cut at 60 characters.
std::string show(const core::Json& value);
/// "field "a" set" for a branch that only requires fields (as CRDs spell "one of these fields"), else "an allowed form".
std::string describe(const Node* node);

class Checker {
public:
    Checker(const Manifest& manifest, const Schema& schema, const SchemaOptions& options, std::vector<Finding>& out);
    void run();

private:
    struct Segment {
        const std::string* key; ///< nullptr for an array index
        std::size_t index;
    };

    void check(const core::Json& value, const Node* node, int chain);
    void check_string(const std::string& text, const Node* node);
    void check_number(const core::Json& value, const Node* node);
    void check_array(const core::Json& value, const Node* node);
    void check_unique(const core::Json& value, const Node* node);
    void check_object(const core::Json& value, const Node* node);
    /// ValidateObjectMeta's checks on the object's own metadata (schema_metadata.cpp).
    void check_metadata();
    void check_alternatives(const core::Json& value, const Node* node, int chain);
    void unknown_field(const std::string& key, const Node* node);
    /// Checks `value` against `node` without reporting; returns how many problems it found (into `keep` if given).
    std::size_t trial(const core::Json& value, const Node* node, int chain, std::vector<Finding>* keep);
    void emit(std::string rule, std::string message, std::string hint, bool at_key = false,
              Severity severity = Severity::error);
    std::string pointer() const;
    const std::string& object_name();
    static const Node& k_string_node();

    const Manifest& m_manifest;
    const Schema& m_schema;
    const SchemaOptions& m_options;
    std::vector<Finding>* m_out;
    std::string m_object;
    std::vector<Segment> m_path;
    std::size_t m_errors = 0;
    std::size_t m_steps = 0;
    bool m_counting = false; ///< inside a trial whose findings nobody reads
    bool m_gave_up = false;
    std::string m_gave_up_at; ///< where the walk gave up
};

} // namespace mlserve::validate::schema_detail
