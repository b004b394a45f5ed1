#include "commands.hpp"

namespace mlserve::cli {

void set_examples(CLI::App& command, const std::string& examples) { command.footer("Examples:\n" + examples); }

namespace {

struct Command {
    std::string_view name;
    void (*add)(CLI::App&, Context&);
    bool alone = true; ///< false for a command that reads the others (shell completion lists them)
};

// In the order `kubectl mlserve --help` lists them.
constexpr Command k_commands[] = {
    {"init", add_init_command},
    {"render", add_render_command},
    {"validate", add_validate_command},
    {"version", add_version_command},
    {"templates", add_templates_command},
};

} // namespace

void add_all_commands(CLI::App& app, Context& ctx) {
    for (const auto& command : k_commands) command.add(app, ctx);
}

bool add_command(CLI::App& app, Context& ctx, std::string_view name) {
    for (const auto& command : k_commands) {
        if (command.name != name) continue;
        if (!command.alone) return false;
        command.add(app, ctx);
        return true;
    }
    return false;
}

} // namespace mlserve::cli
