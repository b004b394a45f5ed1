#pragma once
// Small text helpers shared by every domain: "did you mean" suggestions and UTF-8 checks.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlserve::core {

/// Optimal-string-alignment edit distance between two strings.
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a plausible typo; else "".
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

/// "did you mean 'x'?" for the closest candidate, else a list of the candidates ("known: a, b, c").
std::string suggestion_hint(std::string_view word, std::span<const std::string> candidates);

/// True when `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);

/// Splits on a delimiter, keeping empty pieces.
std::vector<std::string> split(std::string_view text, char delimiter);

} // namespace mlserve::core
