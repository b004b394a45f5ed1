#include "core/packed.hpp"

#include <cstdint>
#include <algorithm>
#include <cstring>

namespace mlserve::core {

namespace {

constexpr std::string_view k_magic = "mlserve-packed-2\n";

// A node is one tag byte (its type, plus k_has_mark when its position differs from its parent's, followed by
// line and column), then its payload. Numbers are LEB128 varints (signed ones zigzag-encoded). An array's or
// object's payload starts with its length in bytes, so that reading a document's top, or finding where each
// document starts, skips what it does not need in one step instead of walking it.
enum Tag : std::uint8_t { k_null, k_false, k_true, k_integer, k_unsigned, k_float, k_string, k_array, k_object };
constexpr std::uint8_t k_has_mark = 0x80;

void put_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

void put_string(std::string& out, const std::string& text) {
    put_varint(out, text.size());
    out += text;
}

/// Appends one RFC 6901 token to `pointer` in place (core::pointer_append makes a new string).
void append_token(std::string& pointer, std::string_view token) {
    pointer += '/';
    // Not find_first_of("~/"): libstdc++ calls memchr on the two-character set for every character.
    if (std::none_of(token.begin(), token.end(), [](char c) { return c == '~' || c == '/'; })) {
        pointer += token;
        return;
    }
    for (char c : token) pointer += c == '~' ? "~0" : c == '/' ? "~1" : std::string_view(&c, 1);
}

void put_node(std::string& out, const Json& value, const Document& document, std::string& pointer, Mark parent) {
    Mark mark = document.positions.find(pointer);
    bool has_mark = mark.line != parent.line || mark.column != parent.column;
    auto tag = [&](Tag t) {
        out += static_cast<char>(t | (has_mark ? k_has_mark : 0));
        if (has_mark) {
            put_varint(out, static_cast<std::uint64_t>(mark.line));
            put_varint(out, static_cast<std::uint64_t>(mark.column));
        }
    };
    switch (value.type()) {
    case Json::value_t::boolean: tag(value.get<bool>() ? k_true : k_false); return;
    case Json::value_t::number_integer: {
        tag(k_integer);
        auto v = value.get<std::int64_t>();
        put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
        return;
    }
    case Json::value_t::number_unsigned:
        tag(k_unsigned);
        put_varint(out, value.get<std::uint64_t>());
        return;
    case Json::value_t::number_float: {
        tag(k_float);
        double d = value.get<double>();
        char bytes[sizeof d];
        std::memcpy(bytes, &d, sizeof d);
        out.append(bytes, sizeof d);
        return;
    }
    case Json::value_t::string: tag(k_string); put_string(out, value.get_ref<const std::string&>()); return;
    case Json::value_t::array: {
        tag(k_array);
        std::string payload;
        put_varint(payload, value.size());
        size_t length = pointer.size();
        for (size_t i = 0; i < value.size(); ++i) {
            pointer += '/' + std::to_string(i);
            put_node(payload, value[i], document, pointer, mark);
            pointer.resize(length);
        }
        put_string(out, payload);
        return;
    }
    case Json::value_t::object: {
        tag(k_object);
        std::string payload;
        put_varint(payload, value.size());
        size_t length = pointer.size();
        for (auto it = value.begin(); it != value.end(); ++it) {
            put_string(payload, it.key());
            append_token(pointer, it.key());
            put_node(payload, it.value(), document, pointer, mark);
            pointer.resize(length);
        }
        put_string(out, payload);
        return;
    }
    default: tag(k_null); return; // null (binary and discarded never come from a parser)
    }
}

/// Reads nodes back; any overrun or unknown tag marks the input corrupt.
class Reader {
public:
    explicit Reader(std::string_view bytes, bool positions = true) : m_bytes(bytes), m_positions(positions) {}

    bool failed() const { return m_failed; }
    bool at_end() const { return m_at == m_bytes.size(); }
    size_t offset() const { return m_at; }

    bool expect(std::string_view text) {
        if (m_bytes.substr(m_at, text.size()) != text) return fail();
        m_at += text.size();
        return true;
    }

    std::uint64_t varint() {
        std::uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_at >= m_bytes.size()) return fail(), 0;
            auto byte = static_cast<std::uint8_t>(m_bytes[m_at++]);
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) return value;
        }
        return fail(), 0;
    }

    std::string_view bytes(std::uint64_t count) {
        if (count > m_bytes.size() - m_at) return fail(), std::string_view();
        std::string_view out = m_bytes.substr(m_at, count);
        m_at += count;
        return out;
    }

    /// Decodes one node into a value. Containers deeper than `max_depth` are skipped and read as null.
    /// `pointer` (the node's) is kept up to date only when positions are recorded.
    Json node(Document& document, std::string& pointer, size_t depth, size_t max_depth) {
        if (m_at >= m_bytes.size() || depth > 512) return fail(), Json();
        auto byte = static_cast<std::uint8_t>(m_bytes[m_at++]);
        if (byte & k_has_mark) {
            int line = static_cast<int>(varint());
            int column = static_cast<int>(varint());
            if (m_positions) document.positions.set(pointer, Mark{line, column});
        }
        auto tag = static_cast<Tag>(byte & ~k_has_mark);
        size_t end = 0; // containers: where their payload ends
        if (tag == k_array || tag == k_object) {
            std::uint64_t length = varint();
            if (length > m_bytes.size() - m_at) return fail(), Json();
            end = m_at + static_cast<size_t>(length);
            if (depth >= max_depth) {
                m_at = end;
                return Json();
            }
        }
        switch (tag) {
        case k_null: return Json();
        case k_false: return Json(false);
        case k_true: return Json(true);
        case k_integer: {
            std::uint64_t z = varint();
            return Json(static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)));
        }
        case k_unsigned: return Json(varint());
        case k_float: {
            std::string_view raw = bytes(sizeof(double));
            double d = 0;
            if (raw.size() == sizeof d) std::memcpy(&d, raw.data(), sizeof d);
            return Json(d);
        }
        case k_string: return Json(std::string(bytes(varint())));
        case k_array: {
            std::uint64_t count = varint();
            Json out = Json::array();
            auto& items = out.get_ref<Json::array_t&>();
            items.reserve(std::min<std::uint64_t>(count, m_bytes.size() - m_at));
            size_t length = pointer.size();
            for (std::uint64_t i = 0; i < count && !m_failed; ++i) {
                if (m_positions) {
                    pointer += '/';
                    pointer += std::to_string(i);
                }
                items.push_back(node(document, pointer, depth + 1, max_depth));
                pointer.resize(length);
            }
            if (m_at != end) return fail(), Json();
            return out;
        }
        case k_object: {
            std::uint64_t count = varint();
            Json out = Json::object();
            // pack_documents wrote distinct keys: append without ordered_map's search for an existing key.
            auto& members = static_cast<Json::object_t::Container&>(out.get_ref<Json::object_t&>());
            members.reserve(std::min<std::uint64_t>(count, m_bytes.size() - m_at));
            size_t length = pointer.size();
            for (std::uint64_t i = 0; i < count && !m_failed; ++i) {
                std::string key(bytes(varint()));
                if (m_positions) append_token(pointer, key);
                Json child = node(document, pointer, depth + 1, max_depth);
                pointer.resize(length);
                members.emplace_back(std::move(key), std::move(child));
            }
            if (m_at != end) return fail(), Json();
            return out;
        }
        }
        return fail(), Json();
    }

    /// Steps over one node without building anything.
    void skip() {
        if (m_at >= m_bytes.size()) return void(fail());
        auto byte = static_cast<std::uint8_t>(m_bytes[m_at++]);
        if (byte & k_has_mark) varint(), varint();
        skip_payload(static_cast<Tag>(byte & ~k_has_mark));
    }

private:
    void skip_payload(Tag tag) {
        switch (tag) {
        case k_null:
        case k_false:
        case k_true: return;
        case k_integer:
        case k_unsigned: varint(); return;
        case k_float: bytes(sizeof(double)); return;
        case k_string:
        case k_array:
        case k_object: bytes(varint()); return;
        }
        fail();
    }

    bool fail() {
        m_failed = true;
        m_at = m_bytes.size();
        return false;
    }

    std::string_view m_bytes;
    bool m_positions;
    size_t m_at = 0;
    bool m_failed = false;
};

Error corrupt(const std::string& file) {
    return Error{ExitCode::failure, "the packed form of " + file + " is corrupt", "rebuild kubectl-mlserve", {}, {},
                 {}};
}

} // namespace

std::string pack_documents(const std::vector<Document>& documents) {
    std::string out(k_magic);
    put_varint(out, documents.size());
    for (const auto& document : documents) {
        std::string pointer;
        put_node(out, document.value, document, pointer, Mark{});
    }
    return out;
}

Result<std::vector<std::string_view>> split_packed(std::string_view bytes, const std::string& file) {
    Reader reader(bytes);
    std::vector<std::string_view> documents;
    if (reader.expect(k_magic)) {
        std::uint64_t count = reader.varint();
        for (std::uint64_t i = 0; i < count && !reader.failed(); ++i) {
            size_t start = reader.offset();
            reader.skip();
            documents.push_back(bytes.substr(start, reader.offset() - start));
        }
    }
    if (reader.failed() || !reader.at_end()) return corrupt(file);
    return documents;
}

Result<Document> unpack_document(std::string_view packed, const std::string& file, size_t max_depth,
                                 bool positions) {
    Reader reader(packed, positions);
    Document document;
    document.file = file;
    std::string pointer;
    document.value = reader.node(document, pointer, 0, max_depth);
    if (reader.failed() || !reader.at_end()) return corrupt(file);
    return document;
}

Result<std::vector<Document>> unpack_documents(std::string_view bytes, const std::string& file) {
    auto views = split_packed(bytes, file);
    MLSERVE_TRY(views);
    std::vector<Document> documents;
    documents.reserve(views->size());
    for (auto view : *views) {
        auto document = unpack_document(view, file);
        MLSERVE_TRY(document);
        documents.push_back(std::move(*document));
    }
    return documents;
}

} // namespace mlserve::core
