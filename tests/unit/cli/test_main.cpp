#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support.hpp"

using mlserve::test::run_cli;

TEST_CASE("a mistyped subcommand suggests the closest one and exits 2") {
    auto r = run_cli("versoin");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "error: unknown command \"versoin\" for \"kubectl mlserve\"\nhint: did you mean 'version'?\n");
}

TEST_CASE("--help lists the exit codes and kubectl-style examples") {
    auto r = run_cli("--help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage: kubectl mlserve [OPTIONS] SUBCOMMAND") != std::string::npos);
    CHECK(r.out.find("  3  a check failed") != std::string::npos);
    CHECK(r.out.find("kubectl mlserve render -f model.yaml") != std::string::npos);
}

TEST_CASE("an unknown flag is a usage error on stderr") {
    auto r = run_cli("version --bogus");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--bogus") != std::string::npos);
}

TEST_CASE("version -o json is machine-readable") {
    auto r = run_cli("version -o json");
    REQUIRE(r.exit_code == 0);
    auto v = nlohmann::json::parse(r.out);
    CHECK(v["version"] == MLSERVE_VERSION);
    CHECK(v["dependencies"].contains("CLI11"));
}

// main sets up only the command named first; everything else must still parse as before.
TEST_CASE("a command named first runs alone; global flags before it and help still work") {
    auto help = run_cli("render --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: kubectl mlserve render [OPTIONS]") != std::string::npos);
    auto flag_first = run_cli("--no-color version -o json");
    CHECK(flag_first.exit_code == 0);
    CHECK(nlohmann::json::parse(flag_first.out)["version"] == MLSERVE_VERSION);
    auto nested = run_cli("templates list");
    CHECK(nested.exit_code == 0);
    CHECK(nested.out.find("kserve/inferenceservice.yaml\n") != std::string::npos);
    auto missing = run_cli("templates");
    CHECK(missing.exit_code == 2);
}
