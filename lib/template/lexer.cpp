#include "template/lexer.hpp"

#include <string>

#include "template/failure.hpp"

namespace mlserve::tmpl {

std::string_view token_name(Tok kind) {
    static constexpr std::string_view k_names[] = {
        "end of input", "**", "+", "-", "*", "/", "[", "]", ".", "(", ")", "{", "}", ":", ",",
        ">=", "<=", "<", ">", "==", "!=", "!", "&&", "||", "true", "false", "in", "null", "number", "identifier",
        "string"};
    return k_names[static_cast<size_t>(kind)];
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word(char c) { return is_word_start(c) || is_digit(c); }

// Length of white space at s[i] (JavaScript's \s: ASCII spaces plus a few Unicode ones), 0 if none.
size_t space_length(std::string_view s, size_t i) {
    char c = s[i];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    if (at(0) == 0xC2 && at(1) == 0xA0) return 2;                                         // U+00A0
    if (at(0) == 0xE2 && at(1) == 0x80 && (at(2) <= 0x8A || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF) &&
        at(2) >= 0x80)
        return 3;                                                                          // U+2000-200A, 2028/9, 202F
    if (at(0) == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;                         // U+205F
    if (at(0) == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                         // U+3000
    if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;                         // U+FEFF
    if (at(0) == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;                         // U+1680
    return 0;
}

} // namespace

Token Lexer::next() {
    const std::string_view s = m_source;
    size_t i = m_offset;
    while (i < s.size()) {
        size_t n = space_length(s, i);
        if (n == 0) break;
        i += n;
    }
    Token t;
    t.start = i;
    if (i >= s.size()) {
        m_offset = t.end = s.size();
        return t;
    }
    auto two = [&](char a, char b) { return s[i] == a && i + 1 < s.size() && s[i + 1] == b; };
    size_t len = 1;
    const char c = s[i];
    if (two('*', '*')) t.kind = Tok::pow, len = 2;
    else if (two('>', '=')) t.kind = Tok::ge, len = 2;
    else if (two('<', '=')) t.kind = Tok::le, len = 2;
    else if (two('=', '=')) t.kind = Tok::eq, len = 2;
    else if (two('!', '=')) t.kind = Tok::ne, len = 2;
    else if (two('&', '&')) t.kind = Tok::and_, len = 2;
    else if (two('|', '|')) t.kind = Tok::or_, len = 2;
    else if (c == '+') t.kind = Tok::plus;
    else if (c == '-') t.kind = Tok::minus;
    else if (c == '*') t.kind = Tok::star;
    else if (c == '/') t.kind = Tok::slash;
    else if (c == '[') t.kind = Tok::lbracket;
    else if (c == ']') t.kind = Tok::rbracket;
    else if (c == '.') t.kind = Tok::dot;
    else if (c == '(') t.kind = Tok::lparen;
    else if (c == ')') t.kind = Tok::rparen;
    else if (c == '{') t.kind = Tok::lbrace;
    else if (c == '}') t.kind = Tok::rbrace;
    else if (c == ':') t.kind = Tok::colon;
    else if (c == ',') t.kind = Tok::comma;
    else if (c == '<') t.kind = Tok::lt;
    else if (c == '>') t.kind = Tok::gt;
    else if (c == '!') t.kind = Tok::not_;
    else if (is_digit(c)) {
        // [0-9]+(\.[0-9]+)? : "1." is the number 1 followed by a dot
        t.kind = Tok::number;
        size_t k = i;
        while (k < s.size() && is_digit(s[k])) ++k;
        if (k + 1 < s.size() && s[k] == '.' && is_digit(s[k + 1])) {
            ++k;
            while (k < s.size() && is_digit(s[k])) ++k;
        }
        len = k - i;
    } else if (is_word_start(c)) {
        size_t k = i;
        while (k < s.size() && is_word(s[k])) ++k;
        len = k - i;
        std::string_view word = s.substr(i, len);
        t.kind = word == "true" ? Tok::true_
               : word == "false" ? Tok::false_
               : word == "in" ? Tok::in
               : word == "null" ? Tok::null
                                 : Tok::identifier;
    } else if (c == '"' || c == '\'') {
        size_t close = s.find(c, i + 1); // no escapes in JSON-e strings
        if (close == std::string_view::npos) len = 0;
        else t.kind = Tok::string, len = close + 1 - i;
    } else {
        len = 0;
    }
    if (len == 0) {
        std::string rest(s.substr(i, 40));
        if (s.size() - i > 40) rest += "...";
        std::string source(s.substr(0, 80));
        if (s.size() > 80) source += "...";
        fail(FailureKind::syntax, "Unexpected input for '" + source + "' at '" + rest + "'",
             c == '"' || c == '\'' ? "close the string; JSON-e strings have no escapes"
                                   : "JSON-e expressions have no such operator");
    }
    t.text = s.substr(i, len);
    t.end = m_offset = i + len;
    return t;
}

} // namespace mlserve::tmpl
