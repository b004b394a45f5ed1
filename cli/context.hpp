#pragma once
// What every subcommand shares: the global flags and where a command leaves its outcome for main.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "core/error.hpp"

namespace mlserve::cli {

struct GlobalFlags {
    std::string kubeconfig;
    std::string context;
    std::string cluster;
    std::string user;
    std::string namespace_;
    std::string request_timeout = "0";
    bool no_color = false;
    int verbosity = 0;
};

struct Context {
    GlobalFlags flags;
    /// Set by a command that failed; main prints it and exits with its code.
    std::optional<core::Error> error;
    /// Set by a command whose success still needs a non-zero exit (diff with differences, validate findings).
    core::ExitCode exit_code = core::ExitCode::ok;

    /// Records a failed Result's error; returns true when `result` succeeded.
    template <class T>
    bool check(const core::Result<T>& result) {
        if (result.ok()) return true;
        error = result.error();
        return false;
    }
};

/// Registers the long help's "Examples:" block the way kubectl prints it.
void set_examples(CLI::App& command, const std::string& examples);

void add_init_command(CLI::App& app, Context& ctx);
void add_render_command(CLI::App& app, Context& ctx);
void add_validate_command(CLI::App& app, Context& ctx);
void add_version_command(CLI::App& app, Context& ctx);
void add_templates_command(CLI::App& app, Context& ctx);

} // namespace mlserve::cli
