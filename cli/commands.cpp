#include "commands.hpp"

namespace mlserve::cli {

void set_examples(CLI::App& command, const std::string& examples) { command.footer("Examples:\n" + examples); }

void add_all_commands(CLI::App& app, Context& ctx) {
    add_init_command(app, ctx);
    add_render_command(app, ctx);
    add_version_command(app, ctx);
    add_templates_command(app, ctx);
}

} // namespace mlserve::cli
