// compile_template: a YAML/JSON template document to the tree of template nodes, with every `${}`,
// `$eval`, `$if` and other expression parsed once. Needs no context.

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "template/compile_ops.hpp"
#include "template/parser.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

CompiledTemplate::CompiledTemplate() : m_impl(std::make_unique<Impl>()) {}
CompiledTemplate::~CompiledTemplate() = default;
CompiledTemplate::CompiledTemplate(CompiledTemplate&&) noexcept = default;
CompiledTemplate& CompiledTemplate::operator=(CompiledTemplate&&) noexcept = default;

namespace {
constexpr std::array<std::string_view, 16> k_operators = {
    "$eval", "$flatten", "$flattenDeep", "$fromNow", "$if", "$json", "$let", "$map",
    "$reduce", "$find", "$match", "$switch", "$merge", "$mergeDeep", "$sort", "$reverse"};

bool is_operator(std::string_view key) {
    if (key.empty() || key[0] != '$') return false; // most keys: no search
    return std::find(k_operators.begin(), k_operators.end(), key) != k_operators.end();
}

// /^\$[a-zA-Z][a-zA-Z0-9]*$/: keys reserved for operators.
bool is_reserved(std::string_view key) {
    if (key.size() < 2 || key[0] != '$') return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(key[1])) return false;
    for (char c : key.substr(1))
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}
} // namespace

Site Compiler::site_of(const std::string& pointer, const std::string& path) const {
    if (m_marks_on_demand) return Site{{}, path, pointer};
    return Site{m_doc.positions.find(pointer), path};
}

const Site* Compiler::site(const std::string& pointer, const std::string& path) {
    auto s = std::make_unique<Site>(site_of(pointer, path));
    m_impl.sites.push_back(std::move(s));
    return m_impl.sites.back().get();
}

Expression Compiler::expression(const std::string& source, const Site* where) {
    Expression e;
    e.source = source;
    e.site = where;
    try {
        Parser parser(source, 0, m_impl.exprs);
        e.root = parser.parse_all();
    } catch (Failure& f) {
        if (!f.site) f.site = where;
        throw;
    }
    return e;
}

// Splits a string at its `${...}` expressions; `$${` stands for a literal `${`.
std::vector<Part> Compiler::parts(const std::string& text, const Site* where) {
    std::vector<Part> out;
    std::string literal;
    size_t i = 0;
    try {
        while (i < text.size()) {
            if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
                if (!literal.empty()) out.push_back(Part{std::move(literal), {}});
                literal.clear();
                Parser parser(text, i + 2, m_impl.exprs);
                size_t end = 0;
                Part part;
                part.expression.root = parser.parse_interpolation(end);
                part.expression.source = text.substr(i + 2, end - 1 - (i + 2));
                part.expression.site = where;
                out.push_back(std::move(part));
                i = end;
            } else if (text.compare(i, 3, "$${") == 0) {
                literal += "${";
                i += 3;
            } else {
                literal += text[i++];
            }
        }
    } catch (Failure& f) {
        if (!f.site) f.site = where;
        throw;
    }
    if (!literal.empty() || out.empty()) out.push_back(Part{std::move(literal), {}});
    return out;
}

std::unique_ptr<TNode> Compiler::literal(Json value, Site where) {
    auto node = std::make_unique<TNode>();
    node->kind = TNode::Kind::literal;
    node->site = std::move(where);
    node->literal = std::move(value);
    node->literal_value = Value::borrow(node->literal);
    return node;
}

std::unique_ptr<TNode> Compiler::compile(const Json& value, const std::string& pointer, const std::string& path,
                                         int depth) {
    if (depth > k_max_template_depth)
        throw Failure{FailureKind::template_,
                      "template nested deeper than " + std::to_string(k_max_template_depth) + " levels", {},
                      site(pointer, path)};
    if (value.is_object()) {
        std::vector<std::string> operators;
        for (const auto& [key, item] : value.items())
            if (is_operator(key)) operators.push_back(key);
        if (operators.size() > 1)
            throw Failure{FailureKind::template_, "only one operator allowed",
                          "found " + operators[0] + " and " + operators[1] + "; nest one inside the other",
                          site(pointer, path)};
        if (operators.size() == 1) {
            try {
                return compile_operator(operators[0], value, pointer, path, depth);
            } catch (Failure& f) {
                if (!f.site) f.site = site(pointer, path);
                throw;
            }
        }
    }
    Site where = site_of(pointer, path);
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text.find("${") == std::string::npos) return literal(value, std::move(where));
        auto node = std::make_unique<TNode>();
        node->kind = TNode::Kind::interpolate;
        node->site = std::move(where);
        node->parts = parts(text, site(pointer, path));
        if (node->parts.size() == 1 && !node->parts[0].expression.root) return literal(node->parts[0].text, node->site);
        return node;
    }
    if (value.is_array()) {
        auto node = std::make_unique<TNode>();
        node->kind = TNode::Kind::array;
        node->site = std::move(where);
        bool constant = true;
        for (size_t i = 0; i < value.size(); ++i) {
            node->children.push_back(compile(value[i], core::pointer_append(pointer, std::to_string(i)),
                                             path_index(path, i), depth + 1));
            constant = constant && node->children.back()->kind == TNode::Kind::literal;
        }
        if (!constant) return node;
        Json folded = Json::array();
        for (auto& child : node->children) folded.push_back(std::move(child->literal));
        return literal(std::move(folded), std::move(node->site));
    }
    if (!value.is_object()) return literal(value, std::move(where));

    auto node = std::make_unique<TNode>();
    node->kind = TNode::Kind::object;
    node->site = std::move(where);
    bool constant = true;
    bool unescaped = false; // a "$$" key lost its escape, so it may now equal another key
    for (const auto& [key, item] : value.items()) {
        const std::string child_pointer = core::pointer_append(pointer, key);
        const std::string child_path = path_key(path, key);
        std::vector<Part> key_parts;
        std::string name = key;
        if (key.rfind("$$", 0) == 0) {
            name = key.substr(1);
            unescaped = true;
        } else if (is_reserved(key)) {
            std::vector<std::string> names(k_operators.begin(), k_operators.end());
            std::string best = core::closest_match(key, names);
            std::string escape = "write '$" + key + "' for a literal key named '" + key + "'";
            throw Failure{FailureKind::template_, "unknown operator '" + key + "'",
                          best.empty() ? escape : "did you mean '" + best + "'? (or " + escape + ")",
                          site(child_pointer, child_path)};
        } else if (key.find("${") != std::string::npos) {
            key_parts = parts(key, site(child_pointer, child_path));
            if (key_parts.size() == 1 && !key_parts[0].expression.root) {
                name = key_parts[0].text;
                key_parts.clear();
                unescaped = true;
            } else {
                node->keys_distinct = false;
                constant = false;
            }
        }
        node->children.push_back(compile(item, child_pointer, child_path, depth + 1));
        constant = constant && node->children.back()->kind == TNode::Kind::literal;
        node->keys.push_back(std::move(name));
        node->key_parts.push_back(std::move(key_parts));
    }
    if (node->keys_distinct && unescaped) {
        // YAML keys are distinct, but two can meet after unescaping ("$$" and "$${"); then the later wins.
        std::vector<std::string> sorted = node->keys;
        std::sort(sorted.begin(), sorted.end());
        node->keys_distinct = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
    }
    if (!constant || !node->keys_distinct) return node;
    Json folded = Json::object();
    auto& entries = folded.get_ref<Json::object_t&>();
    for (size_t i = 0; i < node->children.size(); ++i)
        entries.emplace_back(node->keys[i], std::move(node->children[i]->literal));
    return literal(std::move(folded), std::move(node->site));
}

} // namespace mlserve::tmpl

namespace mlserve::tmpl {

std::unique_ptr<TNode> Compiler::branch(const Json& value, const std::string& pointer, const std::string& path,
                                        int depth) {
    if (!m_lazy) return compile(value, pointer, path, depth);
    auto node = std::make_unique<TNode>();
    node->kind = TNode::Kind::deferred;
    node->site = site_of(pointer, path);
    node->deferred = std::make_unique<Deferred>();
    Deferred& deferred = *node->deferred;
    deferred.document = &m_doc;
    deferred.value = &value;
    deferred.pointer = pointer;
    deferred.path = path;
    deferred.depth = depth;
    deferred.marks_on_demand = m_marks_on_demand;
    return node;
}

const TNode& compile_deferred(const TNode& node) {
    Deferred& deferred = *node.deferred;
    deferred.once.run([&deferred] {
        deferred.compiled = std::make_unique<CompiledTemplate::Impl>();
        try {
            Compiler compiler(*deferred.document, *deferred.compiled, true, deferred.marks_on_demand);
            deferred.compiled->root = compiler.compile(*deferred.value, deferred.pointer, deferred.path, deferred.depth);
        } catch (const Failure& f) {
            deferred.failure = f; // its site is owned by deferred.compiled
        }
    });
    if (deferred.failure) throw *deferred.failure;
    return *deferred.compiled->root;
}

core::Result<CompiledTemplate> compile_template(const core::Document& doc) {
    CompiledTemplate compiled;
    auto& impl = *compiled.m_impl;
    impl.file = doc.file;
    try {
        Compiler compiler(doc, impl);
        impl.root = compiler.compile(doc.value, "", "", 0);
    } catch (const Failure& f) {
        return to_error(f, doc.file);
    }
    return compiled;
}

core::Result<CompiledTemplate> compile_template_lazily(core::Document doc, Locator locate) {
    CompiledTemplate compiled;
    auto& impl = *compiled.m_impl;
    impl.file = doc.file;
    impl.source = std::make_shared<const core::Document>(std::move(doc));
    impl.locate = std::move(locate);
    try {
        Compiler compiler(*impl.source, impl, true, static_cast<bool>(impl.locate));
        impl.root = compiler.compile(impl.source->value, "", "", 0);
    } catch (const Failure& f) {
        return to_error(f, impl.file, &impl.locate);
    }
    return compiled;
}

} // namespace mlserve::tmpl
