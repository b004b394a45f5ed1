#pragma once
// Tokens of JSON-e expressions, read one at a time: `${...}` ends at the first `}` token after a complete
// expression, and whatever follows it is plain text that must never be tokenized.

#include <cstdint>
#include <string_view>

namespace mlserve::tmpl {

enum class Tok : uint8_t {
    end, pow, plus, minus, star, slash, lbracket, rbracket, dot, lparen, rparen, lbrace, rbrace, colon, comma,
    ge, le, lt, gt, eq, ne, not_, and_, or_, true_, false_, in, null, number, identifier, string
};

struct Token {
    Tok kind = Tok::end;
    std::string_view text; ///< as written (strings keep their quotes)
    size_t start = 0;      ///< byte offsets in the source
    size_t end = 0;
};

/// The name of a token kind in messages, as json-e spells it ("identifier", "**", "in").
std::string_view token_name(Tok kind);

class Lexer {
public:
    Lexer(std::string_view source, size_t offset) : m_source(source), m_offset(offset) {}
    /// The next token; Tok::end at the end of the source. Throws a syntax failure on unexpected input.
    Token next();

private:
    std::string_view m_source;
    size_t m_offset;
};

} // namespace mlserve::tmpl
