#pragma once
// String semantics JSON-e takes from JavaScript: number formatting, code-point lengths and slices,
// whitespace, case mapping, and JSON.stringify with sorted keys for $json.

#include <string>
#include <string_view>

#include "template/value.hpp"

namespace mlserve::tmpl {

/// A number as JavaScript's Number.prototype.toString writes it ("3", "0.1", "1e+21", "NaN").
std::string js_number(double n);
/// Appends js_number(n) to out.
void append_js_number(std::string& out, double n);

/// Code points in a UTF-8 string (a malformed byte counts as one).
size_t code_points(std::string_view s);
/// Byte offset of code point `index` (clamped to the end).
size_t code_point_offset(std::string_view s, size_t index);
/// True when s is all ASCII (then bytes and code points coincide).
bool is_ascii(std::string_view s);

/// JavaScript's String.prototype.trim family (Unicode white space and line terminators).
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

/// Unicode simple case mapping (as String.prototype.toLowerCase/toUpperCase for 1:1 mappings).
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

/// /^[a-zA-Z_][a-zA-Z0-9_]*$/, the shape of context and $let names.
bool is_identifier(std::string_view s);

/// JSON text with object keys sorted by code point and no white space, as json-stable-stringify writes it.
std::string stable_stringify(const Value& v);

/// Appends a JSON string literal ("..." with JSON.stringify's escapes).
void append_json_string(std::string& out, std::string_view s);

/// Path segments of error messages: `.key` for plain names, `["a.b/c"]` otherwise, `[3]` for indexes.
std::string path_key(std::string_view path, std::string_view key);
std::string path_index(std::string_view path, size_t index);

} // namespace mlserve::tmpl
