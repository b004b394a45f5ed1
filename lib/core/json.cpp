#include "core/json.hpp"

#include <cctype>

namespace mlserve::core {

Mark PositionMap::find(std::string_view pointer) const {
    std::string key(pointer);
    while (true) {
        if (auto it = m_marks.find(key); it != m_marks.end()) return it->second;
        if (key.empty()) return {};
        key.erase(key.rfind('/'));
    }
}

Mark PositionMap::exact(std::string_view pointer) const {
    auto it = m_marks.find(std::string(pointer));
    return it == m_marks.end() ? Mark{} : it->second;
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
    std::string out(pointer);
    out += '/';
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
