#include <iostream>

#include "context.hpp"
#include "spec/starter.hpp"

namespace mlserve::cli {

void add_init_command(CLI::App& app, Context& ctx) {
    static spec::StarterOptions options;
    auto* cmd = app.add_subcommand("init", "write a commented starter ModelDeployment spec");
    cmd->add_option("--format", options.format,
                    "model format: sklearn|xgboost|lightgbm|tensorflow|pytorch|onnx|triton|mlflow|huggingface|custom")
        ->capture_default_str();
    cmd->add_option("--backend", options.backend, "serving backend: kserve|seldon|deployment")->capture_default_str();
    cmd->add_option("--name", options.name, "metadata.name (default: <format>-model)");
    cmd->add_option("-o,--output", options.output, "write the spec to this file instead of standard output");
    cmd->add_flag("--force", options.force, "replace an existing output file");
    // CLI11 shows a subcommand's description in the parent's list too, so the long help leads the footer.
    set_examples(*cmd, "  # A scikit-learn model on KServe, to standard output\n"
                       "  kubectl mlserve init --format sklearn --backend kserve\n\n"
                       "  # A PyTorch model in namespace ml-production, into a file\n"
                       "  kubectl mlserve init --format pytorch --name fraud-detection -n ml-production -o model.yaml\n\n"
                       "  # Your own serving image as a plain Deployment\n"
                       "  kubectl mlserve init --format custom --backend deployment -o model.yaml\n");
    cmd->footer("The spec renders as it is: each field carries a comment and optional sections are shown commented\n"
                "out. It goes to standard output unless -o names a file, which is never replaced without --force.\n"
                "The namespace comes from -n/--namespace.\n\n" +
                cmd->get_footer());
    cmd->callback([&ctx] {
        options.namespace_ = ctx.flags.namespace_;
        auto text = spec::init_spec(options);
        if (ctx.check(text)) std::cout << *text;
    });
}

} // namespace mlserve::cli
