// Runs json-e's own conformance suite (shared/conformance/json-e/specification.yml, read at test time)
// through compile_template + evaluate. Every case must pass.

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <iostream>

#include "core/yaml.hpp"
#include "support.hpp"
#include "template/template.hpp"

namespace {

using mlserve::core::Json;
namespace tmpl = mlserve::tmpl;

// The suite's fixed "now" (its header: time at test time is 2017-01-19T16:27:20.974Z).
std::chrono::system_clock::time_point suite_now() {
    using namespace std::chrono;
    return sys_days{year{2017} / January / 19} + hours{16} + minutes{27} + seconds{20} + milliseconds{974};
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Our messages are json-e's, except where the brief asks for more help: unknown names are quoted, a
// missing property of a context value names the whole dotted name, and unknown `$` keys are called
// unknown operators (with a "did you mean"). Those are mapped back here; everything else must be equal.
bool same_message(const std::string& theirs, const std::string& ours) {
    if (theirs == ours) return true;
    const std::string unknown = "unknown context value ";
    if (theirs.rfind(unknown, 0) == 0) return ours == unknown + "'" + theirs.substr(unknown.size()) + "'";
    const std::string no_property = "object has no property \"";
    if (theirs.rfind(no_property, 0) == 0) {
        std::string property = theirs.substr(no_property.size(), theirs.size() - no_property.size() - 1);
        return ours.rfind(unknown + "'", 0) == 0 && ends_with(ours, "." + property + "'");
    }
    if (theirs == "$<identifier> is reserved; use $$<identifier>") return ours.rfind("unknown operator '$", 0) == 0;
    return false;
}

// `expected` is "Class: message" or "Class at template<path>: message"; our path must end with json-e's
// (json-e leaves operator keys such as `in` out of its paths).
bool error_matches(const Json& expected, const mlserve::core::Error& error, std::string& why) {
    if (!expected.is_string()) return true; // error: true
    const std::string text = expected.get<std::string>();
    size_t colon = text.find(": ");
    std::string head = text.substr(0, colon), message = text.substr(colon + 2);
    if (size_t at = head.find(" at template"); at != std::string::npos) {
        std::string theirs = head.substr(at + 12);
        std::string ours = error.path.empty() || error.path[0] == '[' ? error.path : "." + error.path;
        if (!ends_with(ours, theirs)) {
            why = "path '" + error.path + "' does not end with '" + theirs + "'";
            return false;
        }
    }
    if (!same_message(message, error.message)) {
        why = "message '" + error.message + "', expected '" + message + "'";
        return false;
    }
    return true;
}

using Compile = std::function<mlserve::core::Result<tmpl::CompiledTemplate>(const mlserve::core::Document&)>;

// Runs every case through `compile` + evaluate; returns {passed, total}.
std::pair<int, int> run_suite(const Compile& compile) {
    const std::string path = mlserve::test::shared_dir() + "/conformance/json-e/specification.yml";
    auto text = mlserve::core::read_file(path);
    REQUIRE_MESSAGE(text.ok(), "cannot read " << path);
    auto docs = mlserve::core::parse_yaml(*text, "specification.yml");
    REQUIRE_MESSAGE(docs.ok(), docs.error().headline());

    tmpl::EvalOptions options;
    options.now = suite_now;
    int passed = 0, total = 0;
    for (const auto& doc : *docs) {
        const Json& c = doc.value;
        if (!c.contains("title")) continue; // section headers
        ++total;
        mlserve::core::Document tdoc{c.value("template", Json()), {}, "template"};
        const Json context = c.value("context", Json::object());
        auto compiled = compile(tdoc);
        mlserve::core::Result<Json> result =
            compiled.ok() ? tmpl::evaluate(*compiled, context, options) : mlserve::core::Result<Json>(compiled.error());
        std::string why;
        bool ok;
        // json-e parses expressions only when it evaluates them, so it reports a bad context before a bad
        // expression; we parse when compiling, without a context. There the context must still be refused
        // by itself.
        if (!compiled.ok() && c.value("error", Json()).is_string() &&
            c["error"].get<std::string>().find("keys of context") != std::string::npos) {
            auto empty = tmpl::compile_template(mlserve::core::Document{Json::object(), {}, "empty"});
            result = tmpl::evaluate(*empty, context, options);
        }
        if (c.contains("result")) {
            ok = result.ok() && nlohmann::json(*result) == nlohmann::json(c["result"]);
            if (!ok) why = result.ok() ? "got " + result->dump() : "error " + result.error().headline();
        } else {
            ok = !result.ok() && error_matches(c.contains("error") ? c["error"] : c["panic"], result.error(), why);
            if (!ok && result.ok()) why = "no error; got " + result->dump();
        }
        if (ok) ++passed;
        else MESSAGE("FAILED '" << c["title"].get<std::string>() << "': " << why);
    }
    return {passed, total};
}

} // namespace

TEST_CASE("json-e conformance: every case of specification.yml passes") {
    auto [passed, total] = run_suite([](const mlserve::core::Document& doc) { return tmpl::compile_template(doc); });
    std::cout << "json-e conformance: " << passed << "/" << total << " cases passed\n";
    CHECK(total > 1000);
    CHECK(passed == total);
}

// The built-in templates are compiled lazily (each $if branch when first taken): that must not change any
// result or error either.
TEST_CASE("json-e conformance: every case passes with $if branches compiled lazily") {
    auto [passed, total] =
        run_suite([](const mlserve::core::Document& doc) { return tmpl::compile_template_lazily(doc); });
    std::cout << "json-e conformance, lazily compiled: " << passed << "/" << total << " cases passed\n";
    CHECK(total > 1000);
    CHECK(passed == total);
}

// The built-in templates are also compiled without positions, which a Locator finds only for messages.
TEST_CASE("json-e conformance: every case passes with positions looked up on demand") {
    auto [passed, total] = run_suite([](const mlserve::core::Document& doc) {
        auto positioned = std::make_shared<const mlserve::core::Document>(doc);
        return tmpl::compile_template_lazily(mlserve::core::Document{doc.value, {}, doc.file},
                                             [positioned](std::string_view p) { return positioned->positions.find(p); });
    });
    std::cout << "json-e conformance, positions on demand: " << passed << "/" << total << " cases passed\n";
    CHECK(total > 1000);
    CHECK(passed == total);
}
