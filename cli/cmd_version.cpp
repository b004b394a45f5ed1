#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <iostream>

#include "context.hpp"

namespace mlserve::cli {

void add_version_command(CLI::App& app, Context&) {
    auto* cmd = app.add_subcommand("version", "print the version, build and dependency versions");
    static std::string output = "text";
    cmd->add_option("-o,--output", output, "output format: text|json")->check(CLI::IsMember({"text", "json"}));
    set_examples(*cmd, "  kubectl mlserve version\n  kubectl mlserve version -o json\n");
    cmd->callback([] {
        nlohmann::ordered_json v = {
            {"version", MLSERVE_VERSION},
            {"compiler", __VERSION__},
            {"dependencies",
             {{"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                    std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                    std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
              {"CLI11", CLI11_VERSION}}}};
        if (output == "json") {
            std::cout << v.dump(2) << "\n";
            return;
        }
        std::cout << "kubectl-mlserve " << MLSERVE_VERSION << "\n";
        std::cout << "compiler: " << __VERSION__ << "\n";
        for (auto& [name, version] : v["dependencies"].items())
            std::cout << name << ": " << version.get<std::string>() << "\n";
    });
}

} // namespace mlserve::cli
