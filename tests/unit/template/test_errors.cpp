// Errors name the template file, line, column and the node's path, with a hint; hostile templates and
// contexts get an error, never a crash, a hang or a stack overflow.

#include <doctest/doctest.h>

#include "unit/template/helpers.hpp"

using mlserve::core::Json;
using mlserve::test::compile_yaml;
using mlserve::test::failure;
using mlserve::test::render;
using mlserve::test::yaml;

namespace {
const char* k_isvc = R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
spec:
  predictor:
    minReplicas: ${scaling.min}
    maxReplicas: {$eval: scaling.max}
)";
} // namespace

TEST_CASE("an unknown property of a context value names the file, line, column, path and the closest name") {
    auto compiled = compile_yaml(k_isvc, "templates/kserve/inferenceservice.yaml");
    REQUIRE(compiled.ok());
    auto out = mlserve::tmpl::evaluate(*compiled, yaml("name: m\nscaling: {minReplicas: 1, maxReplicas: 3}\n"));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == mlserve::core::ExitCode::usage);
    CHECK(out.error().headline() ==
          "templates/kserve/inferenceservice.yaml:7:18: spec.predictor.minReplicas: unknown context value 'scaling.min'");
    CHECK(out.error().hint == "did you mean 'scaling.minReplicas'?");
}

TEST_CASE("an unknown context name suggests the closest defined name, or lists them") {
    auto compiled = compile_yaml(k_isvc, "isvc.yaml");
    REQUIRE(compiled.ok());
    auto out = mlserve::tmpl::evaluate(*compiled, yaml("nmae: m\n"));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().headline() == "isvc.yaml:4:9: metadata.name: unknown context value 'name'");
    CHECK(out.error().hint == "did you mean 'nmae'?");
    auto other = mlserve::tmpl::evaluate(*compiled, yaml("model: m\nreplicas: 2\n"));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().hint == "defined names: model, replicas");
    auto prefix = mlserve::tmpl::evaluate(*compiled, yaml("name: m\nscaling: {minimum: 1, minReplicas: 3}\n"));
    REQUIRE_FALSE(prefix.ok());
    CHECK(prefix.error().hint == "did you mean one of 'scaling.minimum', 'scaling.minReplicas'?");
    auto none = mlserve::tmpl::evaluate(*compiled, yaml("name: m\nscaling: {lower: 1, upper: 3}\n"));
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().hint == "'scaling' has: lower, upper");
}

TEST_CASE("an expression error points at the expression inside its operator") {
    auto compiled = compile_yaml(k_isvc, "isvc.yaml");
    REQUIRE(compiled.ok());
    auto out = mlserve::tmpl::evaluate(*compiled, yaml("name: m\nscaling: {min: 1, maxx: 2}\n"));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().headline() == "isvc.yaml:8:26: spec.predictor.maxReplicas: unknown context value 'scaling.max'");
    CHECK(out.error().hint == "did you mean 'scaling.maxx'?");
}

TEST_CASE("a missing property is named by its whole dotted name from the context, or by itself after a computed base") {
    auto deep = compile_yaml("x: {$eval: 'spec.scaling.behavior.up'}\n", "t.yaml");
    REQUIRE(deep.ok());
    auto out = mlserve::tmpl::evaluate(*deep, yaml("spec: {scaling: {behavior: {scaleUp: 1}}}\n"));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message == "unknown context value 'spec.scaling.behavior.up'");
    CHECK(out.error().hint == "'spec.scaling.behavior' has: scaleUp");
    auto computed = compile_yaml("x: {$eval: 'list[0].missing'}\n", "t.yaml");
    REQUIRE(computed.ok());
    auto other = mlserve::tmpl::evaluate(*computed, yaml("list: [{present: 1}]\n"));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().message == "object has no property \"missing\"");
}

TEST_CASE("an unknown operator is refused at compile time with the closest operator") {
    auto compiled = compile_yaml("spec:\n  replicas:\n    $iff: canary\n    then: 1\n", "t.yaml");
    REQUIRE_FALSE(compiled.ok());
    CHECK(compiled.error().code == mlserve::core::ExitCode::usage);
    CHECK(compiled.error().headline() == "t.yaml:3:11: spec.replicas.$iff: unknown operator '$iff'");
    CHECK(compiled.error().hint == "did you mean '$if'? (or write '$$iff' for a literal key named '$iff')");
}

TEST_CASE("operator shape errors are found at compile time, before any context") {
    CHECK(failure("a: {$if: x, then: 1, thne: 2}\n", Json::object()) == "t.yaml:1:4: a: $if has undefined properties: thne");
    CHECK(failure("a: {$let: {x: 1}}\n", Json::object()) == "t.yaml:1:4: a: $let operator requires an `in` clause");
    CHECK(failure("a: {$eval: 1}\n", Json::object()) == "t.yaml:1:4: a: $eval must be given a string expression");
    CHECK(failure("a: {$map: [1], each(x): 1, $if: y}\n", Json::object()) == "t.yaml:1:4: a: only one operator allowed");
    CHECK(failure("a: {$map: [1]}\n", Json::object()) == "t.yaml:1:4: a: $map must have exactly two properties");
}

TEST_CASE("an unterminated ${ and other syntax errors fail compilation with their location") {
    CHECK(failure("metadata:\n  name: ${name\n", Json::object()) ==
          "t.yaml:2:9: metadata.name: unterminated ${..} expression");
    CHECK(failure("a: ${}\n", Json::object()) ==
          "t.yaml:1:4: a: Found: } token, expected one of: !, (, +, -, [, false, identifier, null, number, string, true, {");
    CHECK(failure("a: {$eval: '1 +'}\n", Json::object()) == "t.yaml:1:12: a: Unexpected end of input");
    CHECK(failure("a: {$eval: 'a = 1'}\n", Json{{"a", 1}}) == "t.yaml:1:12: a: Unexpected input for 'a = 1' at '= 1'");
}

TEST_CASE("division by zero, type errors and bad built-in arguments are located errors") {
    CHECK(failure("x: {$eval: '1 / n'}\n", Json{{"n", 0}}) == "t.yaml:1:12: x: division by zero");
    CHECK(failure("x: {$eval: '\"a\" - 1'}\n", Json::object()) == "t.yaml:1:12: x: infix: - expects number - number");
    CHECK(failure("x: ['${len(5)}']\n", Json::object()) == "t.yaml:1:5: x[0]: invalid arguments to builtin: len");
    CHECK(failure("x: {$eval: 'range(0, 10, 0)'}\n", Json::object()) ==
          "t.yaml:1:12: x: invalid arguments to builtin: range");
}

TEST_CASE("integer overflow: JSON-e numbers are doubles, and non-finite results are refused") {
    CHECK(failure("x: {$eval: '2 ** 5000'}\n", Json::object()) ==
          "t.yaml: x: an expression produced a number that is not finite (NaN or Infinity)");
    CHECK(failure("x: {$eval: 'a[1e300]'}\n", Json{{"a", Json::array({1})}}) ==
          "t.yaml:1:12: x: Found: e300 token, expected one of: ]");
    CHECK(failure("x: {$eval: 'a[10 ** 300]'}\n", Json{{"a", Json::array({1})}}) == "t.yaml:1:12: x: index out of bounds");
    auto clamped = render("x: {$eval: 'a[-(10 ** 300)]'}\n", Json{{"a", Json::array({7})}});
    REQUIRE(clamped.ok());
    CHECK((*clamped)["x"] == 7); // json-e clamps negative indexes at the start
    auto big = render("x: {$eval: 'n + 1'}\n", Json{{"n", UINT64_MAX}});
    REQUIRE(big.ok());
    CHECK((*big)["x"].get<double>() == 18446744073709551616.0);
    CHECK(failure("x: {$eval: 'range(0, 10 ** 300)'}\n", Json::object()) ==
          "t.yaml:1:12: x: invalid arguments to builtin: range");
}

TEST_CASE("huge strings are refused: repeated doubling, join and concatenation stop at 8 MiB") {
    const char* doubling = "$reduce: {$eval: 'range(0, 40)'}\ninitial: x\neach(acc, i): '${acc}${acc}'\n";
    CHECK(failure(doubling, Json::object()) ==
          "t.yaml:3:15: [\"each(acc, i)\"]: a string of 16777216 bytes is longer than the limit of 8 MiB");
    CHECK(failure("{$eval: 'join(range(0, 900000), \"0123456789\")'}", Json::object()).find("longer than the limit of 8 MiB") !=
          std::string::npos);
}

TEST_CASE("deep nesting is bounded: expressions, templates and values built at run time") {
    std::string parens = std::string(500, '(') + "1" + std::string(500, ')');
    CHECK(failure("{$eval: '" + parens + "'}", Json::object()) == "t.yaml:1:9: expression nested deeper than 128 levels");
    CHECK(failure("{$eval: '" + std::string(1000, '!') + "x'}", Json::object()) ==
          "t.yaml:1:9: expression nested deeper than 128 levels");
    std::string sum = "1";
    for (int i = 0; i < 300; ++i) sum += "+1";
    CHECK(failure("{$eval: '" + sum + "'}", Json::object()) == "t.yaml:1:9: expression nested deeper than 128 levels");

    // $let chains and nested arrays deeper than any YAML file may be (built in memory).
    Json let = Json{{"$eval", "x"}};
    for (int i = 0; i < 5000; ++i) {
        Json outer = Json::object();
        outer["$let"] = Json{{"x", i}};
        outer["in"] = std::move(let);
        let = std::move(outer);
    }
    // (moved, never copied: nlohmann's copy constructor recurses once per level)
    auto compiled = mlserve::tmpl::compile_template(mlserve::core::Document{std::move(let), {}, "let.yaml"});
    REQUIRE_FALSE(compiled.ok());
    CHECK(compiled.error().message == "template nested deeper than 256 levels");
    auto deep_array = [] {
        Json arrays = Json::array();
        for (int i = 0; i < 5000; ++i) {
            Json outer = Json::array();
            outer.push_back(std::move(arrays));
            arrays = std::move(outer);
        }
        return arrays;
    };
    REQUIRE_FALSE(mlserve::tmpl::compile_template(mlserve::core::Document{deep_array(), {}, "a.yaml"}).ok());
    Json initial = Json::object({{"$reduce", Json::array({1})}, {"each(a, x)", "${x}"}});
    initial["initial"] = deep_array();
    auto deep_initial = mlserve::tmpl::compile_template(mlserve::core::Document{std::move(initial), {}, "i.yaml"});
    REQUIRE_FALSE(deep_initial.ok());
    CHECK(deep_initial.error().headline() == "i.yaml: initial: template nested deeper than 256 levels");

    // $reduce nesting a value 1000 levels deep.
    auto reduce = compile_yaml("$reduce: {$eval: 'range(0, 1000)'}\ninitial: 0\neach(acc, i): {$eval: '[acc]'}\n");
    REQUIRE(reduce.ok());
    auto nested = mlserve::tmpl::evaluate(*reduce, Json::object());
    REQUIRE_FALSE(nested.ok());
    CHECK(nested.error().message == "a value is nested deeper than 256 levels");
    std::string zeros;
    for (int i = 0; i < 39; ++i) zeros += "[0]";
    CHECK(nested.error().path == zeros + "...");
    // A context nested deeper than the engine walks (built by moving: copies recurse per level).
    auto deep_context = [] {
        Json deep = 1;
        for (int i = 0; i < 400; ++i) {
            Json outer = Json::array();
            outer.push_back(std::move(deep));
            deep = std::move(outer);
        }
        Json context = Json::object();
        context["x"] = std::move(deep);
        return context;
    };
    CHECK(failure("{$eval: 'x == x'}", deep_context()) == "t.yaml:1:9: a value is nested deeper than 256 levels");
    CHECK(failure("{$eval: 'x'}", deep_context()) == "t.yaml: a value is nested deeper than 256 levels");
}

TEST_CASE("a context that refers to itself through YAML aliases is refused by the loader") {
    auto recursive = mlserve::core::parse_yaml("a: &x [1, *x]\n", "ctx.yaml");
    REQUIRE_FALSE(recursive.ok());
    CHECK(recursive.error().headline() == "ctx.yaml:1:11: unknown alias");
}

TEST_CASE("invalid UTF-8 is refused in templates and contexts") {
    auto docs = mlserve::core::parse_yaml("a: \"\xff\"\n", "bad.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().headline() == "bad.yaml:1:5: invalid UTF-8");
    CHECK(failure("a: ${x}\n", Json{{"x", std::string("\xc3\x28")}}) == "t.yaml: a: invalid UTF-8 in a value");
    CHECK(failure("a: ${x}-suffix\n", Json{{"x", std::string("\xff")}}) == "t.yaml: a: invalid UTF-8 in a value");
    CHECK(failure("a: {$eval: x}\n", Json{{"x", Json{{"k\xff", 1}}}}) == "t.yaml: a: invalid UTF-8 in a value");
}

TEST_CASE("runaway loops stop at the memory or step budget") {
    std::string nested = "{$map: {$eval: 'range(0, 1000000)'}, each(x): {$eval: 'range(0, 1000000)'}}";
    CHECK(failure(nested, Json::object()).find("MiB of memory") != std::string::npos);
}

TEST_CASE("invalid contexts and uncalled functions are template errors") {
    CHECK(failure("a: 1\n", Json{{"a b", 1}}) == "t.yaml: top level keys of context must follow /[a-zA-Z_][a-zA-Z0-9_]*/");
    CHECK(failure("a: {$eval: min}\n", Json::object()) == "t.yaml: a: evaluated template contained uncalled functions");
    CHECK(failure("a: [1, {b: {$eval: max}}]\n", Json::object()) ==
          "t.yaml: a[1].b: evaluated template contained uncalled functions");
    auto compiled = compile_yaml("a: 1\n");
    REQUIRE(compiled.ok());
    auto out = mlserve::tmpl::evaluate(*compiled, Json::array());
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message == "context must be an object");
}
