#include <iostream>

#include "context.hpp"
#include "render/embedded.hpp"
#include "template/tools.hpp"

namespace mlserve::cli {

namespace {

struct TemplatesOptions {
    tmpl::EvalFileOptions eval;
    std::string now;
    std::string export_dir;
    bool force = false;
};

const char* k_templates_help = R"(Work with the templates that render manifests.

The built-in templates are JSON-e documents (https://json-e.js.org) embedded in the binary. List them,
export them to a folder to customise them (render with --templates DIR), and evaluate one template
against a context while you write it.)";

const char* k_eval_help = R"(Evaluate one JSON-e template against a context and print the result.

The template file may hold several YAML documents; each is evaluated. The context is one YAML or JSON
map; its names are what the template's expressions refer to. Errors name the template file, line,
column and field, and exit with code 2.)";

void add_list(CLI::App& parent, Context&) {
    auto* cmd = parent.add_subcommand("list", "list the built-in templates");
    cmd->description("Print the path of every built-in template, one per line.");
    set_examples(*cmd, "  # List the built-in templates\n  kubectl mlserve templates list\n");
    cmd->callback([] {
        for (const auto& file : render::embedded_templates()) std::cout << file.path << "\n";
    });
}

void add_export(CLI::App& parent, Context& ctx, TemplatesOptions& opts) {
    auto* cmd = parent.add_subcommand("export", "write the built-in templates into a folder");
    cmd->description("Write every built-in template under DIR, creating folders. Existing files are left alone\n"
                     "unless --force is given; render with --templates DIR to use the edited copies.");
    cmd->add_option("DIR", opts.export_dir, "the folder to write into")->required();
    cmd->add_flag("--force", opts.force, "overwrite files that already exist");
    set_examples(*cmd, "  # Export the templates, edit them, render with them\n"
                       "  kubectl mlserve templates export ./my-templates\n"
                       "  kubectl mlserve render -f model.yaml --templates ./my-templates\n\n"
                       "  # Refresh an earlier export\n"
                       "  kubectl mlserve templates export ./my-templates --force\n");
    cmd->callback([&ctx, &opts] {
        auto written = tmpl::export_templates(render::embedded_templates(), opts.export_dir, opts.force);
        if (!ctx.check(written)) return;
        for (const auto& path : *written) std::cout << path << "\n";
    });
}

void add_eval(CLI::App& parent, Context& ctx, TemplatesOptions& opts) {
    auto* cmd = parent.add_subcommand("eval", "evaluate one template against a context");
    cmd->description(k_eval_help);
    cmd->add_option("TEMPLATE", opts.eval.template_path, "the template file (YAML or JSON)")->required();
    cmd->add_option("--context", opts.eval.context_path, "the context file (YAML or JSON map; - for stdin)");
    cmd->add_option("-o,--output", opts.eval.output, "output format: yaml|json")
        ->check(CLI::IsMember({"yaml", "json"}));
    cmd->add_option("--now", opts.now, "the time $fromNow counts from, e.g. 2017-01-19T16:27:20.974Z");
    set_examples(*cmd, "  # Evaluate a template against a context\n"
                       "  kubectl mlserve templates eval inferenceservice.yaml --context context.yaml\n\n"
                       "  # Print JSON, with a fixed clock for $fromNow\n"
                       "  kubectl mlserve templates eval job.yaml --context ctx.json -o json --now 2024-01-01T00:00:00Z\n");
    cmd->callback([&ctx, &opts] {
        if (!opts.now.empty()) opts.eval.now = opts.now;
        auto output = tmpl::eval_template_file(opts.eval);
        if (ctx.check(output)) std::cout << *output;
    });
}

} // namespace

void add_templates_command(CLI::App& app, Context& ctx) {
    static TemplatesOptions opts;
    auto* cmd = app.add_subcommand("templates", "list, export and evaluate the built-in templates");
    cmd->description(k_templates_help);
    cmd->require_subcommand(1);
    set_examples(*cmd, "  kubectl mlserve templates list\n"
                       "  kubectl mlserve templates export ./my-templates\n"
                       "  kubectl mlserve templates eval my-templates/kserve/inferenceservice.yaml --context ctx.yaml\n");
    add_list(*cmd, ctx);
    add_export(*cmd, ctx, opts);
    add_eval(*cmd, ctx, opts);
}

} // namespace mlserve::cli
