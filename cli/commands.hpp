#pragma once
// One add_<verb>_command per cli/cmd_<verb>.cpp; main registers them all through add_all_commands.

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace mlserve::cli {

void add_all_commands(CLI::App& app, Context& ctx);

} // namespace mlserve::cli
