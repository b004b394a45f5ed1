// `kubectl mlserve validate` through the built binary: inputs, exit codes, flags and error text.

#include <doctest/doctest.h>

#include "validate_helpers.hpp"

using namespace mlserve::test;

namespace {
const std::string k_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
}

TEST_CASE("validate reads standard input and reports an object without kind at its line") {
    auto r = run_cli("validate -f - --schema-location /nonexistent-ok", k_pod + "---\napiVersion: v1\nmetadata:\n  name: q\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/nonexistent-ok") != std::string::npos);
    auto ok = run_cli("validate -f -", k_pod + "---\napiVersion: v1\nmetadata:\n  name: q\n");
    CHECK(ok.err == "");
    CHECK(ok.exit_code == 3);
    CHECK(ok.out == "<stdin>:2:7: warning[schema.not-found]: no schema for Pod (v1)\n"
                    "  hint: pass its CRD or OpenAPI document with --schema-location DIR|FILE|URL\n"
                    "<stdin>:6:1: error[input.missing-kind]: document 2 has no kind\n"
                    "  hint: add kind, e.g. kind: Deployment\n"
                    "note: no schema sources: pass --schema-location DIR|FILE|URL, or set MLSERVE_SCHEMA_PATH\n"
                    "note: no schema for v1 Pod (1 object): pass --schema-location with its CRD or OpenAPI document\n"
                    "1 error, 1 warning in 2 objects from 1 file\n");
}
