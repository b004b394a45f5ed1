#pragma once
// Private to lib/validate/schema_*.cpp: the compiled form of a structural schema, the compiler that builds it
// from OpenAPI v3 JSON, and the pattern cache. A compiled schema is a graph of Nodes owned by one Arena (the
// SchemaStore's); a $ref is a pointer to the Node of its target, so recursive schemas are cycles, not copies.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate::schema_detail {

/// JSON types a node accepts, as a bit set; 0 means any type.
enum TypeBit : std::uint8_t {
    k_null = 1,
    k_boolean = 2,
    k_integer = 4,
    k_number = 8, ///< integer or float
    k_string = 16,
    k_array = 32,
    k_object = 64,
};

/// String formats checked the way Kubernetes' format registry does; the numeric ones bound integers.
enum class Format : std::uint8_t { none, int32, int64, byte, date, date_time, duration, uuid, ipv4, ipv6, cidr, hostname };

enum class ListType : std::uint8_t { none, atomic, set, map };
enum class Additional : std::uint8_t { unspecified, allow, deny, schema };

/// One `pattern`, compiled once. Kubernetes' resource quantity pattern is recognised and checked by hand.
struct Pattern {
    std::string source;
    std::regex regex;
    bool valid = false;     ///< false when std::regex refused it: the pattern is then not checked
    bool quantity = false;  ///< the quantity pattern every CRD generator emits
    bool matches(std::string_view text) const;
};

/// Whether `text` is a Kubernetes resource quantity (resource.ParseQuantity's grammar).
bool is_quantity(std::string_view text);
/// Empty when `text` is valid for `format`, else what it should look like.
std::string_view format_problem(Format format, std::string_view text);
std::string_view format_name(Format format);

struct Arena;

/// Schema text whose subschemas are compiled when a manifest first reaches them (a cached CRD schema: most of a
/// 600 kB InferenceService schema is never visited by any one manifest).
struct LazyText {
    std::string text;
    Arena* arena = nullptr;
};

struct Node {
    const LazyText* lazy = nullptr; ///< while set, the node is not compiled: its schema is lazy->text[lazy_begin, lazy_end)
    std::size_t lazy_begin = 0, lazy_end = 0;
    std::uint8_t types = 0;
    bool nullable = false;
    bool structural = true;       ///< reports unknown fields (false inside allOf/anyOf/oneOf/not)
    bool has_properties = false;  ///< `properties` was given (possibly empty)
    bool preserve_unknown = false;
    bool embedded_resource = false;
    bool int_or_string = false;
    bool quantity = false;        ///< io.k8s.apimachinery.pkg.api.resource.Quantity
    Format format = Format::none;
    ListType list_type = ListType::none;
    Additional additional = Additional::unspecified;
    const Node* additional_schema = nullptr;
    const Node* items = nullptr;
    const Node* base = nullptr;   ///< a $ref target (validated structurally along with this node)
    const Node* not_schema = nullptr;
    const Pattern* pattern = nullptr;
    bool has_minimum = false, has_maximum = false, exclusive_minimum = false, exclusive_maximum = false;
    double minimum = 0, maximum = 0;
    std::int64_t min_length = -1, max_length = -1, min_items = -1, max_items = -1;
    std::int64_t min_properties = -1, max_properties = -1;
    std::vector<std::pair<std::string, const Node*>> properties; ///< sorted by name
    std::vector<std::string> required;
    std::vector<core::Json> enum_values;
    std::vector<const Node*> all_of, any_of, one_of;
    std::vector<std::string> list_map_keys;
    std::vector<std::string> cel_rules;

    /// The schema of property `name`, or nullptr.
    const Node* property(std::string_view name) const;
};

/// Owns every Node and Pattern of a store; addresses stay stable.
struct Arena {
    std::deque<Node> nodes;
    std::deque<LazyText> lazy_texts;
    std::unordered_map<std::string, std::unique_ptr<Pattern>> patterns;
    const Pattern* pattern(const std::string& source);
};

/// Resolves a "$ref" string to the Node of its target (compiling it on first use), or an error message.
using RefResolver = std::function<core::Result<const Node*>(std::string_view ref)>;

/// Compiles OpenAPI v3 schema JSON into Nodes. `where` names the source for error messages.
class Compiler {
public:
    Compiler(Arena& arena, RefResolver resolve, std::string where)
        : m_arena(arena), m_resolve(std::move(resolve)), m_where(std::move(where)) {}

    // J is core::Json (documents parsed with positions) or nlohmann::json (schema text parsed fast: an ordered_json
    // object inserts in linear time, which made parsing a large CRD schema quadratic).

    /// Compiles `schema` into `into` (a Node of the arena, possibly already referenced: a $ref placeholder).
    template <class J>
    core::Result<void> compile_into(const J& schema, Node& into, bool structural = true);
    /// Compiles `schema` into a new Node.
    template <class J>
    core::Result<const Node*> compile(const J& schema, bool structural = true);
    /// Subschemas written as {"$lazy": [begin, end]} (shallow_schema) become lazy nodes over `lazy`.
    void set_lazy(const LazyText* lazy) { m_lazy = lazy; }
    /// Errors then point into `document` at `base` + the schema-relative pointer.
    void set_document(const core::Document* document, std::string base) {
        m_document = document;
        m_base = std::move(base);
    }

private:
    template <class J>
    core::Result<const Node*> compile_at(const J& schema, bool structural, std::string& pointer, int depth);
    template <class J>
    core::Result<void> fill(const J& schema, Node& node, std::string& pointer, int depth);
    core::Error error(const std::string& pointer, const std::string& message) const;

    Arena& m_arena;
    RefResolver m_resolve;
    std::string m_where;
    const core::Document* m_document = nullptr;
    std::string m_base;
    const LazyText* m_lazy = nullptr;
};

/// Compiles a lazy node in place on first use (a no-op for any other); returns it.
const Node* ensure_compiled(const Node* node);

/// The ObjectMeta fallback used when no Kubernetes OpenAPI document supplies one: name/namespace/generateName
/// strings, labels/annotations string maps, anything else allowed.
const Node* basic_object_meta(Arena& arena);

} // namespace mlserve::validate::schema_detail

namespace mlserve::validate {

/// A compiled structural schema for one group/version/kind.
class Schema {
public:
    const schema_detail::Node* root = nullptr;
    const schema_detail::Node* object_meta = nullptr; ///< for x-kubernetes-embedded-resource metadata
    std::string source; ///< file or URL it came from (and component name for OpenAPI documents)
};

} // namespace mlserve::validate
