// What the engine renders: interpolation, operators, key order, numbers, dates, reuse of one compiled
// template for many contexts.

#include <doctest/doctest.h>

#include "unit/template/helpers.hpp"

using mlserve::core::Json;
using mlserve::test::render;
using mlserve::test::yaml;

TEST_CASE("templates render interpolation, $if, $eval, $map, $merge and $let in template key order") {
    const std::string text = R"(
metadata:
  name: ${name}-predictor
  labels:
    $merge:
      - {app: '${name}'}
      - {$eval: labels}
spec:
  replicas: {$eval: 'scaling.min * 2'}
  canary: {$if: canary, then: '${canary}%'}
  args:
    $map: [a, b]
    each(x,i): --${x}=${i}
  scope:
    $let: {who: world}
    in: hello ${who}
)";
    auto out = render(text, yaml("name: fraud\nlabels: {team: ml}\nscaling: {min: 3}\ncanary: null\n"));
    REQUIRE(out.ok());
    CHECK(out->dump() == R"({"metadata":{"name":"fraud-predictor","labels":{"app":"fraud","team":"ml"}},)"
                         R"("spec":{"replicas":6,"args":["--a=0","--b=1"],"scope":"hello world"}})");
}

TEST_CASE("one compiled template evaluates many contexts without recompiling") {
    auto compiled = mlserve::test::compile_yaml("replicas: {$eval: n + 1}\nname: ${name}\n");
    REQUIRE(compiled.ok());
    for (int n = 0; n < 50; ++n) {
        auto out = mlserve::tmpl::evaluate(*compiled, Json{{"n", n}, {"name", "m" + std::to_string(n)}});
        REQUIRE(out.ok());
        CHECK((*out)["replicas"] == n + 1);
        CHECK((*out)["name"] == "m" + std::to_string(n));
    }
}

TEST_CASE("numbers follow JavaScript: integral results are integers, str() and interpolation print like JS") {
    auto out = render(R"([{$eval: '6 / 3'}, {$eval: '1 / 3'}, '${2 ** 70}', '${0.1 + 0.2}', {$eval: str(10 / 4)}, '${big}'])",
                      Json{{"big", 12345678901234567890.0}});
    REQUIRE(out.ok());
    CHECK(out->dump() == R"([2,0.3333333333333333,"1.1805916207174113e+21","0.30000000000000004","2.5","12345678901234567000"])");
    CHECK((*out)[0].is_number_integer());
}

TEST_CASE("len, indexing and slicing count code points, not bytes") {
    auto out = render(R"([{$eval: len(s)}, {$eval: 's[1]'}, {$eval: 's[-2:]'}, {$eval: uppercase(s)}])",
                      Json{{"s", "h\xc3\xa9llo \xf0\x9f\x98\x80"}});
    REQUIRE(out.ok());
    CHECK(*out == Json::array({7, "\xc3\xa9", " \xf0\x9f\x98\x80", "H\xc3\x89LLO \xf0\x9f\x98\x80"}));
}

TEST_CASE("$fromNow and fromNow() use the injected clock") {
    auto out = render("[{$fromNow: '1 day'}, {$eval: \"fromNow('-2h', '2020-02-29T00:00:00Z')\"}, {$eval: now}]",
                      Json::object());
    REQUIRE(out.ok());
    CHECK(*out == Json::array({"2017-01-20T16:27:20.974Z", "2020-02-28T22:00:00.000Z", "2017-01-19T16:27:20.974Z"}));
}

TEST_CASE("$if without a matching branch deletes the key, the item, or the whole result") {
    auto out = render("a: {$if: 'false', then: 1}\nb: [1, {$if: 'false', then: 2}, 3]\n", Json::object());
    REQUIRE(out.ok());
    CHECK(out->dump() == R"({"b":[1,3]})");
    auto top = render("{$if: 'false', then: 1}", Json::object());
    REQUIRE(top.ok());
    CHECK(top->is_null());
}

TEST_CASE("$$ escapes operators and interpolation") {
    auto out = render("{$$if: '$${x}', k: '$$${x}'}", Json{{"x", 1}});
    REQUIRE(out.ok());
    CHECK(out->dump() == R"({"$if":"${x}","k":"$${x}"})");
}

TEST_CASE("$sort, $reverse, $flattenDeep, $mergeDeep, $switch, $match (in condition order) and $find") {
    auto out = render(R"(
sorted: {$sort: [{n: b}, {n: a}], by(x): x.n}
reversed: {$reverse: [1, 2, 3]}
flat: {$flattenDeep: [1, [2, [3, [4]]]]}
deep: {$mergeDeep: [{a: {x: [1]}}, {a: {x: [2], y: 1}}]}
switch: {$switch: {'n > 1': big, $default: small}}
match: {$match: {'n > 1': big, 'n > 0': positive}}
found: {$find: [1, 5, 9], each(v): v > n}
)",
                      Json{{"n", 2}});
    REQUIRE(out.ok());
    CHECK(out->dump() == R"({"sorted":[{"n":"a"},{"n":"b"}],"reversed":[3,2,1],"flat":[1,2,3,4],)"
                         R"("deep":{"a":{"x":[1,2],"y":1}},"switch":"big","match":["positive","big"],"found":5})");
}

TEST_CASE("$json writes sorted keys without spaces, as json-e does") {
    auto out = render("{$json: {b: [1, 'x'], a: {$eval: 'null'}}}", Json::object());
    REQUIRE(out.ok());
    CHECK(*out == R"({"a":null,"b":[1,"x"]})");
}

TEST_CASE("context values are not copied into the scope: shadowing works through $let and $map") {
    auto out = render(R"({$let: {x: outer}, in: {$map: [inner], each(x): '${x}'}})", Json{{"x", "context"}});
    REQUIRE(out.ok());
    CHECK(*out == Json::array({"inner"}));
}
