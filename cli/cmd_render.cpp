// `kubectl mlserve render`: ModelDeployment specs to Kubernetes manifests.
#include <iostream>
#include <map>
#include <memory>

#include "context.hpp"
#include "core/terminal.hpp"
#include "render/run.hpp"

namespace mlserve::cli {
namespace {

constexpr const char* k_render_long =
    "Reads one or more specs (files, directories searched recursively for ModelDeployment documents, or - for\n"
    "standard input), evaluates the built-in templates (or those of --templates) against each, applies the\n"
    "spec's overrides and prints the objects in a stable order, ready for kubectl apply -f -. Nothing is sent\n"
    "to a cluster.\n\n"
    "Specs are rendered one at a time and each one's objects are written before the next spec is read, so\n"
    "memory stays flat for thousands of specs. An object that two specs render identically is written once,\n"
    "where it first appears; two specs rendering the same object differently is an error. An error stops the\n"
    "run with exit code 2 after what the specs before it produced was written (-o json then leaves the List\n"
    "unclosed): render to a file and apply it only when render succeeded.\n\n"
    "With --out-dir, each spec's files are checked before any of them is written: a path that would leave\n"
    "DIR (.., an absolute path, a symbolic link) or that a file written earlier in the same run already\n"
    "took is refused, and nothing of that spec is written. Files that were in DIR before are overwritten.";

constexpr const char* k_render_examples =
    "  # Render one spec as YAML and apply it\n"
    "  kubectl mlserve render -f model.yaml | kubectl apply -f -\n\n"
    "  # Render every spec below a directory, one file per object\n"
    "  kubectl mlserve render -f models/ --out-dir manifests/\n\n"
    "  # List the objects a spec renders\n"
    "  kubectl mlserve render -f model.yaml -o name\n\n"
    "  # Render with customised templates (see kubectl mlserve templates export)\n"
    "  kubectl mlserve render -f model.yaml --templates my-templates/\n\n"
    "  # Show the spec with every default filled in\n"
    "  kubectl mlserve render -f model.yaml --show-defaults\n";

struct RenderOptions {
    std::vector<std::string> filenames;
    std::string output = "yaml";
    std::string out_dir;
    std::string templates;
    bool show_defaults = false;
};

} // namespace

void add_render_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<RenderOptions>();
    auto* cmd = app.add_subcommand("render", "render ModelDeployment specs into Kubernetes manifests");
    cmd->footer(std::string(k_render_long) + "\n\nExamples:\n" + k_render_examples);
    cmd->add_option("-f,--filename", opts->filenames,
                    "spec file, directory of specs, or - for standard input (repeatable)")
        ->required()
        ->type_name("SPEC|DIR|-");
    cmd->add_option("-o,--output", opts->output, "output format: yaml|json|name")
        ->check(CLI::IsMember({"yaml", "json", "name"}))
        ->type_name("FORMAT");
    cmd->add_option("--out-dir", opts->out_dir, "write one YAML file per object under DIR instead of printing")
        ->type_name("DIR");
    cmd->add_option("--templates", opts->templates, "templates laid over the built-in ones (same path replaces)")
        ->type_name("DIR");
    cmd->add_flag("--show-defaults", opts->show_defaults, "print the specs with every default applied, not manifests");
    cmd->callback([opts, &ctx] {
        static const std::map<std::string, render::OutputFormat> k_formats = {
            {"yaml", render::OutputFormat::yaml},
            {"json", render::OutputFormat::json},
            {"name", render::OutputFormat::name}};
        bool color = core::use_color(stderr, ctx.flags.no_color);
        auto warn = [color](const core::Error& warning) {
            core::print_warning(warning.headline() + (warning.hint.empty() ? "" : "\nhint: " + warning.hint), color);
        };
        auto done = render::run_render({opts->filenames, k_formats.at(opts->output), opts->out_dir, opts->templates,
                                        opts->show_defaults},
                                       std::cout, warn);
        std::cout << std::flush;
        ctx.check(done);
    });
}

} // namespace mlserve::cli
