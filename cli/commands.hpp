#pragma once
// One add_<verb>_command per cli/cmd_<verb>.cpp; main registers them all through add_all_commands.

#include <CLI/CLI.hpp>

#include <string_view>

#include "context.hpp"

namespace mlserve::cli {

void add_all_commands(CLI::App& app, Context& ctx);

/// Registers only the command called `name` and returns true when it can run without the others registered;
/// false otherwise, and main registers them all. Setting up every command's flags and help costs each run
/// (0.17 M instructions and ~80 KiB for four commands, growing with each), while `kubectl mlserve render ...`
/// needs render's alone.
bool add_command(CLI::App& app, Context& ctx, std::string_view name);

} // namespace mlserve::cli
