// compile_template_lazily: `$if` branches compiled when first taken. Results, errors and their locations
// must be those of compile_template; only errors in branches never taken go unreported.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/yaml.hpp"
#include "template/template.hpp"

using mlserve::core::Json;
namespace tmpl = mlserve::tmpl;

namespace {

mlserve::core::Document document(const std::string& yaml) {
    auto docs = mlserve::core::parse_yaml(yaml, "t.yaml");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    return docs->front();
}

/// The result, or "error: file:line:col: path: message", of one evaluation.
std::string outcome(const tmpl::CompiledTemplate& compiled, const Json& context) {
    auto result = tmpl::evaluate(compiled, context);
    return result.ok() ? result->dump() : "error: " + result.error().headline();
}

const char* k_template = "kind: Thing\n"
                         "spec:\n"
                         "  $if: big\n"
                         "  then:\n"
                         "    size: ${size * 2}\n"
                         "    extra:\n"
                         "      $if: size > 10\n"
                         "      then: {$eval: 'name + \"!\"'}\n"
                         "      else: [1, 2, {x: '${name}'}]\n"
                         "  else:\n"
                         "    $let: {small: true}\n"
                         "    in: {small: {$eval: small}, missing: {$eval: nope}}\n";

} // namespace

TEST_CASE("a lazily compiled template renders what the eager one renders, branch by branch") {
    auto eager = tmpl::compile_template(document(k_template));
    auto lazy = tmpl::compile_template_lazily(document(k_template));
    REQUIRE(eager.ok());
    REQUIRE(lazy.ok());
    const std::vector<Json> contexts = {
        {{"big", true}, {"size", 20}, {"name", "a"}},
        {{"big", true}, {"size", 3}, {"name", "b"}},
        {{"big", false}},
        {{"big", true}, {"size", 20}}, // name is missing: an error inside a deferred branch
        {{"size", 1}},                 // big is missing: an error in the condition
    };
    for (const auto& context : contexts) {
        CAPTURE(context.dump());
        CHECK(outcome(*lazy, context) == outcome(*eager, context));
    }
    CHECK(outcome(*lazy, contexts[0]) == R"({"kind":"Thing","spec":{"size":"40","extra":"a!"}})");
    CHECK(outcome(*lazy, contexts[1]) == R"({"kind":"Thing","spec":{"size":"6","extra":[1,2,{"x":"b"}]}})");
    CHECK(outcome(*lazy, contexts[2]) == "error: t.yaml:12:50: spec.else.in.missing: unknown context value 'nope'");
    CHECK(outcome(*lazy, contexts[3]) == "error: t.yaml:8:21: spec.then.extra.then: unknown context value 'name'");
}

TEST_CASE("an error in a lazily compiled branch is reported when the branch is taken, where it stands") {
    const std::string text = "a:\n"
                             "  $if: pick\n"
                             "  then: {$iff: x}\n"
                             "  else: ok\n";
    auto eager = tmpl::compile_template(document(text));
    REQUIRE_FALSE(eager.ok());
    auto lazy = tmpl::compile_template_lazily(document(text));
    REQUIRE(lazy.ok());
    CHECK(outcome(*lazy, {{"pick", false}}) == R"({"a":"ok"})");
    // Every evaluation that takes the branch reports the error eager compilation reports.
    for (int i = 0; i < 2; ++i) {
        auto taken = tmpl::evaluate(*lazy, {{"pick", true}});
        REQUIRE_FALSE(taken.ok());
        CHECK(taken.error().headline() == eager.error().headline());
        CHECK(taken.error().headline() == "t.yaml:3:16: a.then.$iff: unknown operator '$iff'");
        CHECK(taken.error().hint == eager.error().hint);
    }
}

TEST_CASE("a template compiled without positions finds them with its Locator, for messages only") {
    const mlserve::core::Document positioned = document(k_template);
    int lookups = 0;
    auto locate = [&](std::string_view pointer) {
        ++lookups;
        return positioned.positions.find(pointer);
    };
    auto eager = tmpl::compile_template(positioned);
    auto bare = tmpl::compile_template_lazily(mlserve::core::Document{positioned.value, {}, "t.yaml"}, locate);
    REQUIRE(eager.ok());
    REQUIRE(bare.ok());
    CHECK(outcome(*bare, {{"big", true}, {"size", 20}, {"name", "a"}}) ==
          R"({"kind":"Thing","spec":{"size":"40","extra":"a!"}})");
    CHECK(lookups == 0);
    // In the top, in a deferred branch, and in a branch of a deferred branch: the positions of the eager compile.
    CHECK(outcome(*bare, {{"size", 1}}) == outcome(*eager, {{"size", 1}}));
    CHECK(outcome(*bare, {{"big", false}}) == "error: t.yaml:12:50: spec.else.in.missing: unknown context value 'nope'");
    CHECK(outcome(*bare, {{"big", true}, {"size", 20}}) ==
          "error: t.yaml:8:21: spec.then.extra.then: unknown context value 'name'");
    CHECK(lookups == 3);

    const std::string text = "a:\n  $if: pick\n  then: {$iff: x}\n  else: ok\n";
    const mlserve::core::Document broken = document(text);
    auto lazy = tmpl::compile_template_lazily(mlserve::core::Document{broken.value, {}, "t.yaml"},
                                              [&](std::string_view pointer) { return broken.positions.find(pointer); });
    REQUIRE(lazy.ok());
    auto taken = tmpl::evaluate(*lazy, {{"pick", true}});
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().headline() == "t.yaml:3:16: a.then.$iff: unknown operator '$iff'");
}

TEST_CASE("a lazily compiled template may be evaluated by several threads at once") {
    auto lazy = tmpl::compile_template_lazily(document(k_template));
    REQUIRE(lazy.ok());
    constexpr int k_threads = 8;
    std::vector<std::string> results(k_threads * 2);
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t)
        threads.emplace_back([&, t] {
            const Json context = {{"big", true}, {"size", 10 + t}, {"name", "n"}};
            for (int round = 0; round < 2; ++round)
                results[static_cast<size_t>(t * 2 + round)] = outcome(*lazy, context);
        });
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < k_threads; ++t) {
        const std::string extra = 10 + t > 10 ? "\"n!\"" : R"([1,2,{"x":"n"}])";
        const std::string expected =
            R"({"kind":"Thing","spec":{"size":")" + std::to_string((10 + t) * 2) + R"(","extra":)" + extra + "}}";
        CHECK(results[static_cast<size_t>(t * 2)] == expected);
        CHECK(results[static_cast<size_t>(t * 2 + 1)] == expected);
    }
}
