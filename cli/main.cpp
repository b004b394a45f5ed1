// kubectl-mlserve: flags and dispatch only; every verb is one call into lib/.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "core/terminal.hpp"
#include "core/text.hpp"

namespace {

const char* k_long_help = R"(Deploy machine-learning models to Kubernetes and roll new versions out safely.

One short ModelDeployment spec renders the InferenceService or SeldonDeployment, the canary, the HPA
and the monitoring, network and GitOps objects around it.)";

std::string footer() {
    return "Examples:\n"
           "  # Write a starter spec, then render it\n"
           "  kubectl mlserve init --format sklearn --backend kserve > model.yaml\n"
           "  kubectl mlserve render -f model.yaml\n\n"
           "Exit codes:\n" +
           mlserve::core::exit_code_table();
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return names;
}

} // namespace

int main(int argc, char** argv) {
    using namespace mlserve;
    cli::Context ctx;
    CLI::App app{k_long_help, "kubectl mlserve"};
    app.footer(footer());
    app.require_subcommand(1);
    app.fallthrough();
    auto& f = ctx.flags;
    app.add_option("--kubeconfig", f.kubeconfig, "path to the kubeconfig file (default $KUBECONFIG or ~/.kube/config)");
    app.add_option("--context", f.context, "the kubeconfig context to use");
    app.add_option("--cluster", f.cluster, "the kubeconfig cluster to use");
    app.add_option("--user", f.user, "the kubeconfig user to use");
    app.add_option("-n,--namespace", f.namespace_, "the namespace scope for this request");
    app.add_option("--request-timeout", f.request_timeout, "time to wait for one server request (0: no limit)");
    app.add_flag("--no-color", f.no_color, "never colour the output (also NO_COLOR, TERM=dumb)");
    app.add_flag("-v,--verbose", f.verbosity, "more detail on stderr (repeatable)");
    // `kubectl mlserve render ...` sets up render's flags only; anything else (help, a global flag first, a
    // mistyped command) gets every command, for the full help and the "did you mean" hint.
    if (argc < 2 || !cli::add_command(app, ctx, argv[1])) cli::add_all_commands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        core::Error error{core::ExitCode::usage, e.what(), "run 'kubectl mlserve --help' for usage", {}, {}, {}};
        // An unknown first word is most likely a mistyped subcommand.
        if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
            auto names = subcommand_names(app);
            error.message = "unknown command \"" + std::string(argv[1]) + "\" for \"kubectl mlserve\"";
            if (auto best = core::closest_match(argv[1], names); !best.empty())
                error.hint = "did you mean '" + best + "'?";
        }
        core::print_error(error, core::use_color(stderr, f.no_color));
        return static_cast<int>(core::ExitCode::usage);
    }
    if (ctx.error) {
        core::print_error(*ctx.error, core::use_color(stderr, f.no_color));
        return static_cast<int>(ctx.error->code);
    }
    return static_cast<int>(ctx.exit_code);
}
