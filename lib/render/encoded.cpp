#include "render/encoded.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

// Layout (every count, length and number a LEB128 varint):
//   stream   := count document*
//   document := value positions
//   value    := tag payload   (tags below; integers zigzag-encoded, floats as their 8 bytes, little-endian)
//   positions := count (shared suffix_length suffix line column)*
// Positions are sorted by pointer and each pointer is stored as the length of the prefix it shares with the
// previous one plus the rest, which makes them about a third of the size of the plain pointers.

namespace mlserve::render {

using core::Json;

namespace {

enum class Tag : uint8_t { null, false_, true_, integer, unsigned_, floating, string, array, object };

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_text(std::string& out, std::string_view text) {
    put_varint(out, text.size());
    out.append(text);
}

void put_tag(std::string& out, Tag tag) { out += static_cast<char>(tag); }

struct Unencodable {
    std::string type;
};

void put_value(std::string& out, const Json& value) {
    switch (value.type()) {
    case Json::value_t::null: put_tag(out, Tag::null); return;
    case Json::value_t::boolean: put_tag(out, value.get<bool>() ? Tag::true_ : Tag::false_); return;
    case Json::value_t::number_integer: {
        put_tag(out, Tag::integer);
        const auto i = value.get<int64_t>();
        put_varint(out, (static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63));
        return;
    }
    case Json::value_t::number_unsigned: put_tag(out, Tag::unsigned_); put_varint(out, value.get<uint64_t>()); return;
    case Json::value_t::number_float: {
        put_tag(out, Tag::floating);
        const double d = value.get<double>();
        uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        for (int i = 0; i < 8; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
        return;
    }
    case Json::value_t::string: put_tag(out, Tag::string); put_text(out, value.get_ref<const std::string&>()); return;
    case Json::value_t::array:
        put_tag(out, Tag::array);
        put_varint(out, value.size());
        for (const auto& item : value) put_value(out, item);
        return;
    case Json::value_t::object:
        put_tag(out, Tag::object);
        put_varint(out, value.size());
        for (const auto& [key, item] : value.items()) {
            put_text(out, key);
            put_value(out, item);
        }
        return;
    default: throw Unencodable{value.type_name()};
    }
}

void put_positions(std::string& out, const core::PositionMap& positions) {
    std::vector<std::pair<std::string_view, core::Mark>> marks(positions.marks().begin(), positions.marks().end());
    std::sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    put_varint(out, marks.size());
    std::string_view previous;
    for (const auto& [pointer, mark] : marks) {
        const auto shared = static_cast<size_t>(
            std::mismatch(previous.begin(), previous.end(), pointer.begin(), pointer.end()).first - previous.begin());
        put_varint(out, shared);
        put_text(out, pointer.substr(shared));
        put_varint(out, static_cast<uint64_t>(mark.line));
        put_varint(out, static_cast<uint64_t>(mark.column));
        previous = pointer;
    }
}

struct Corrupt {};

/// Reads the stream; throws Corrupt at the first byte that does not fit.
class Reader {
public:
    explicit Reader(std::string_view data) : m_p(data.data()), m_end(data.data() + data.size()) {}

    bool done() const { return m_p == m_end; }

    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p == m_end) throw Corrupt{};
            const auto byte = static_cast<unsigned char>(*m_p++);
            v |= static_cast<uint64_t>(byte & 0x7f) << shift;
            if (byte < 0x80) return v;
        }
        throw Corrupt{};
    }

    /// A count of items that each take at least one byte, so a corrupt count cannot reserve gigabytes.
    size_t count() {
        const uint64_t n = varint();
        if (n > static_cast<uint64_t>(m_end - m_p)) throw Corrupt{};
        return static_cast<size_t>(n);
    }

    std::string_view text() {
        const size_t n = count();
        std::string_view out(m_p, n);
        m_p += n;
        return out;
    }

    int number() {
        const uint64_t n = varint();
        if (n > 1u << 30) throw Corrupt{};
        return static_cast<int>(n);
    }

    void value(Json& out, int depth) {
        if (m_p == m_end || depth > 1000) throw Corrupt{};
        switch (static_cast<Tag>(*m_p++)) {
        case Tag::null: out = nullptr; return;
        case Tag::false_: out = false; return;
        case Tag::true_: out = true; return;
        case Tag::integer: {
            const uint64_t z = varint();
            out = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
            return;
        }
        case Tag::unsigned_: out = varint(); return;
        case Tag::floating: {
            if (m_end - m_p < 8) throw Corrupt{};
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<unsigned char>(*m_p++)) << (8 * i);
            double d = 0;
            std::memcpy(&d, &bits, sizeof d);
            out = d;
            return;
        }
        case Tag::string: out = text(); return;
        case Tag::array: {
            out = Json::array();
            auto& items = out.get_ref<Json::array_t&>();
            items.resize(count());
            for (auto& item : items) value(item, depth + 1);
            return;
        }
        case Tag::object: {
            out = Json::object();
            auto& entries = out.get_ref<Json::object_t&>();
            const size_t n = count();
            entries.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                const std::string_view key = text();
                value(entries.emplace_back(std::string(key), nullptr).second, depth + 1);
            }
            return;
        }
        }
        throw Corrupt{};
    }

    void positions(core::PositionMap& out) {
        const size_t n = count();
        out.reserve(n);
        std::string pointer;
        for (size_t i = 0; i < n; ++i) {
            const size_t shared = static_cast<size_t>(varint());
            if (shared > pointer.size()) throw Corrupt{};
            pointer.resize(shared);
            pointer.append(text());
            const int line = number();
            const int column = number();
            out.set(pointer, core::Mark{line, column});
        }
    }

private:
    const char* m_p;
    const char* m_end;
};

} // namespace

core::Result<std::string> encode_documents(const std::vector<core::Document>& documents) {
    std::string out;
    put_varint(out, documents.size());
    try {
        for (const auto& document : documents) {
            put_value(out, document.value);
            put_positions(out, document.positions);
        }
    } catch (const Unencodable& e) {
        return core::Error{core::ExitCode::failure, "cannot encode a " + e.type + " value", {}, {}, {}, {}};
    }
    return out;
}

core::Result<std::vector<core::Document>> decode_documents(std::string_view encoded, std::string_view file) {
    std::vector<core::Document> documents;
    try {
        Reader reader(encoded);
        documents.resize(reader.count());
        for (auto& document : documents) {
            reader.value(document.value, 0);
            reader.positions(document.positions);
            document.file = file;
        }
        if (!reader.done()) throw Corrupt{};
    } catch (const Corrupt&) {
        return core::Error{core::ExitCode::failure, "the embedded form of " + std::string(file) + " is corrupt",
                           "rebuild kubectl-mlserve", {}, {}, {}};
    }
    return documents;
}

} // namespace mlserve::render
