#pragma once
// JSON patching implemented here: RFC 7386 JSON merge patch, RFC 6902 JSON patch and RFC 6901 pointers.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::render {

/// RFC 7386: merges `patch` into `target` (objects recursively, a null member removes, anything else replaces).
core::Json merge_patch(core::Json target, const core::Json& patch);

/// RFC 6901: splits a JSON pointer into unescaped reference tokens ("" is the whole document).
/// Errors (exit 2): a pointer not starting with '/', a '~' not followed by '0' or '1'.
core::Result<std::vector<std::string>> parse_pointer(std::string_view pointer);

/// RFC 6902: applies the operations of `patch` (a list of {op, path, value|from}) in order to a copy of
/// `document` and returns it; nothing is applied when one fails. The error (exit 2) says which operation
/// failed and why, e.g. "replace /spec/x: '/spec/x' does not exist"; `failed_op` receives its index.
core::Result<core::Json> json_patch(core::Json document, const core::Json& patch, size_t* failed_op = nullptr);

/// JSON equality as RFC 6902 `test` defines it: object member order does not matter, numbers compare by
/// value (1 == 1.0), arrays compare element by element.
bool json_equal(const core::Json& a, const core::Json& b);

} // namespace mlserve::render
