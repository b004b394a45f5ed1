#pragma once
// Terminal concerns: whether to colour, and the one way errors are printed.

#include <cstdio>

#include "core/error.hpp"

namespace mlserve::core {

/// Colour only on a terminal, and never with --no-color, NO_COLOR or TERM=dumb; CLICOLOR_FORCE and
/// FORCE_COLOR turn it on even without a terminal (ninja's precedence).
bool use_color(std::FILE* stream, bool no_color_flag);

/// Writes "error: file:line:col: path: message", the offending source line with a caret when the file
/// can be read, the detail lines, and "hint: ...".
void print_error(const Error& error, bool color, std::FILE* stream = stderr);

/// Writes "warning: ..." the same way.
void print_warning(const std::string& message, bool color, std::FILE* stream = stderr);

} // namespace mlserve::core
