#include "core/json.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>

namespace mlserve::core {

uint32_t PositionMap::hash_of(std::string_view pointer) {
    const auto hash = static_cast<uint32_t>(std::hash<std::string_view>{}(pointer));
    return hash == 0 ? 1 : hash;
}

size_t PositionMap::probe(std::string_view pointer, uint32_t hash) const {
    const size_t mask = m_slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = m_slots[i];
        if (slot.hash == 0) return i;
        if (slot.hash == hash && std::string_view(m_text).substr(slot.offset, slot.length) == pointer) return i;
    }
}

void PositionMap::grow() {
    std::vector<Slot> old(m_slots.empty() ? 16 : m_slots.size() * 2);
    old.swap(m_slots);
    const size_t mask = m_slots.size() - 1;
    for (const Slot& slot : old) {
        if (slot.hash == 0) continue;
        size_t i = slot.hash & mask;
        while (m_slots[i].hash != 0) i = (i + 1) & mask;
        m_slots[i] = slot;
    }
}

void PositionMap::set(std::string_view pointer, Mark mark) {
    if ((m_count + 1) * 4 > m_slots.size() * 3) grow();
    if (pointer.size() > UINT32_MAX) throw std::length_error("JSON pointer too long");
    const uint32_t hash = hash_of(pointer);
    Slot& slot = m_slots[probe(pointer, hash)];
    if (slot.hash == 0) {
        slot = Slot{hash, static_cast<uint32_t>(pointer.size()), m_text.size(), mark};
        m_text += pointer;
        ++m_count;
    } else {
        slot.mark = mark;
    }
}

Mark PositionMap::exact(std::string_view pointer) const {
    if (m_count == 0) return {};
    const Slot& slot = m_slots[probe(pointer, hash_of(pointer))];
    return slot.hash == 0 ? Mark{} : slot.mark;
}

Mark PositionMap::find(std::string_view pointer) const {
    if (m_count == 0) return {};
    while (true) {
        const Slot& slot = m_slots[probe(pointer, hash_of(pointer))];
        if (slot.hash != 0) return slot.mark;
        const size_t slash = pointer.rfind('/');
        if (pointer.empty() || slash == std::string_view::npos) return {};
        pointer = pointer.substr(0, slash);
    }
}

SourceLocation Document::location(std::string_view pointer) const {
    Mark mark = positions.find(pointer);
    return SourceLocation{file, mark.line, mark.column};
}

SourceLocation Document::key_location(std::string_view pointer) const {
    Mark mark = key_positions.exact(pointer);
    if (mark.line == 0) return location(pointer);
    return SourceLocation{file, mark.line, mark.column};
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
    std::string out;
    out.reserve(pointer.size() + 1 + token.size());
    out += pointer;
    out += '/';
    // Most tokens need no escaping: append them whole (compiling a template appends one per node).
    if (std::none_of(token.begin(), token.end(), [](char c) { return c == '~' || c == '/'; })) {
        out += token;
        return out;
    }
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string pointer_to_path(std::string_view pointer) {
    std::string out;
    size_t i = 0;
    while (i < pointer.size()) {
        size_t next = pointer.find('/', i + 1);
        std::string_view raw = pointer.substr(i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1);
        std::string token;
        for (size_t k = 0; k < raw.size(); ++k) {
            if (raw[k] == '~' && k + 1 < raw.size()) {
                token += raw[k + 1] == '1' ? '/' : '~';
                ++k;
            } else {
                token += raw[k];
            }
        }
        bool index = !token.empty();
        for (char c : token) index = index && std::isdigit(static_cast<unsigned char>(c));
        if (index)
            out += '[' + token + ']';
        else
            out += (out.empty() ? "" : ".") + token;
        if (next == std::string_view::npos) break;
        i = next;
    }
    return out;
}

} // namespace mlserve::core
