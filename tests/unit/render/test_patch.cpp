#include <doctest/doctest.h>

#include "render/patch.hpp"

using mlserve::core::Json;
using mlserve::render::json_equal;
using mlserve::render::json_patch;
using mlserve::render::merge_patch;
using mlserve::render::parse_pointer;

namespace {

Json j(const char* text) { return Json::parse(text); }

/// Applies a patch that must succeed and returns the result as compact JSON.
std::string patched(const char* doc, const char* patch) {
    auto result = json_patch(j(doc), j(patch));
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
    return result->dump();
}

/// Applies a patch that must fail and returns its message.
std::string patch_error(const char* doc, const char* patch, size_t* failed = nullptr) {
    auto result = json_patch(j(doc), j(patch), failed);
    REQUIRE_FALSE(result.ok());
    return result.error().message;
}

} // namespace

TEST_CASE("merge_patch follows the examples of RFC 7386 appendix A") {
    struct Case {
        const char* target;
        const char* patch;
        const char* result;
    };
    const Case cases[] = {
        {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
        {R"({"a":"b"})", R"({"a":null})", R"({})"},
        {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
        {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
        {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
        {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
        {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
        {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
        {R"({"a":"foo"})", R"(null)", R"(null)"},
        {R"({"a":"foo"})", R"("bar")", R"("bar")"},
        {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
        {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
        {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.patch);
        CHECK(merge_patch(j(c.target), j(c.patch)).dump() == c.result);
    }
}

TEST_CASE("merge_patch keeps the position of replaced keys and appends new ones") {
    CHECK(merge_patch(j(R"({"b":1,"a":{"y":1,"x":2}})"), j(R"({"a":{"y":3,"z":4},"c":5})")).dump() ==
          R"({"b":1,"a":{"y":3,"x":2,"z":4},"c":5})");
}

TEST_CASE("parse_pointer unescapes ~1 before ~0 and rejects malformed pointers") {
    auto tokens = parse_pointer("/a~1b/m~0n/~01/");
    REQUIRE(tokens.ok());
    CHECK(*tokens == std::vector<std::string>{"a/b", "m~n", "~1", ""});
    CHECK(parse_pointer("")->empty());
    CHECK(parse_pointer("a/b").error().message == "invalid JSON pointer 'a/b': it must start with '/'");
    CHECK(parse_pointer("/a~2").error().message == "invalid JSON pointer '/a~2': '~' must be followed by '0' or '1'");
    CHECK(parse_pointer("/a~").error().message == "invalid JSON pointer '/a~': '~' must be followed by '0' or '1'");
}

TEST_CASE("json_patch follows the examples of RFC 6902 appendix A") {
    // A.1 adding an object member
    CHECK(patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])") ==
          R"({"foo":"bar","baz":"qux"})");
    // A.2 adding an array element
    CHECK(patched(R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])") ==
          R"({"foo":["bar","qux","baz"]})");
    // A.3 removing an object member
    CHECK(patched(R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])") == R"({"foo":"bar"})");
    // A.4 removing an array element
    CHECK(patched(R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])") ==
          R"({"foo":["bar","baz"]})");
    // A.5 replacing a value
    CHECK(patched(R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])") ==
          R"({"baz":"boo","foo":"bar"})");
    // A.6 moving a value
    CHECK(patched(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
                  R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])") ==
          R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})");
    // A.7 moving an array element
    CHECK(patched(R"({"foo":["all","grass","cows","eat"]})", R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])") ==
          R"({"foo":["all","cows","eat","grass"]})");
    // A.8 testing a value: success
    CHECK(patched(R"({"baz":"qux","foo":["a",2,"c"]})",
                  R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])") ==
          R"({"baz":"qux","foo":["a",2,"c"]})");
    // A.9 testing a value: error
    CHECK(patch_error(R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])") ==
          R"(test /baz: the value is "qux", not "bar")");
    // A.10 adding a nested member object
    CHECK(patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])") ==
          R"({"foo":"bar","child":{"grandchild":{}}})");
    // A.11 ignoring unrecognized elements
    CHECK(patched(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])") ==
          R"({"foo":"bar","baz":"qux"})");
    // A.12 adding to a nonexistent target
    CHECK(patch_error(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])") ==
          "add /baz/bat: '/baz' does not exist");
    // A.14 ~ escape ordering
    CHECK(patched(R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])") == R"({"/":9,"~1":10})");
    // A.15 comparing strings and numbers
    CHECK(patch_error(R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":"10"}])") ==
          R"(test /~01: the value is 10, not "10")");
    // A.16 adding an array value
    CHECK(patched(R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])") ==
          R"({"foo":["bar",["abc","def"]]})");
}

TEST_CASE("json_patch applies copy, root operations and appends") {
    CHECK(patched(R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/c"}])") == R"({"a":{"b":1},"c":{"b":1}})");
    CHECK(patched(R"({"a":1})", R"([{"op":"replace","path":"","value":[1]}])") == "[1]");
    CHECK(patched(R"({"a":1})", R"([{"op":"add","path":"","value":{"b":2}}])") == R"({"b":2})");
    CHECK(patched(R"([1,2])", R"([{"op":"add","path":"/2","value":3}])") == "[1,2,3]");
    CHECK(patched(R"({"a":[1]})", R"([{"op":"move","from":"/a","path":"/a"}])") == R"({"a":[1]})");
    CHECK(patched(R"({"a":{"x":1},"b":2})", R"([{"op":"move","from":"/a/x","path":"/x"}])") ==
          R"({"a":{},"b":2,"x":1})");
    CHECK(patched(R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0}])") == R"({"a":1})");
}

TEST_CASE("json_patch refuses bad operations and says which one failed") {
    size_t failed = 99;
    CHECK(patch_error(R"({"a":[1,2]})", R"([{"op":"test","path":"/a/0","value":1},{"op":"remove","path":"/a/2"}])",
                      &failed) == "remove /a/2: index 2 is out of range at '/a' (the list has 2 items)");
    CHECK(failed == 1);
    CHECK(patch_error(R"({"a":[1]})", R"([{"op":"add","path":"/a/01","value":0}])") ==
          "add /a/01: '01' is not a list index (the value at '/a' is a list)");
    CHECK(patch_error(R"({"a":[1]})", R"([{"op":"replace","path":"/a/-","value":0}])") ==
          "replace /a/-: '-' (past the end of the list at '/a') can only be used to add");
    CHECK(patch_error(R"({"a":[1]})", R"([{"op":"add","path":"/a/5","value":0}])") ==
          "add /a/5: index 5 is out of range at '/a' (the list has 1 item)");
    CHECK(patch_error(R"({"a":"s"})", R"([{"op":"add","path":"/a/b","value":0}])") ==
          "add /a/b: '/a' is a string, so nothing can be added to it");
    CHECK(patch_error(R"({"a":"s"})", R"([{"op":"replace","path":"/a/b/c","value":0}])") ==
          "replace /a/b/c: '/a' is a string, so it has no member 'b'");
    CHECK(patch_error(R"({})", R"([{"op":"repalce","path":"/a","value":0}])") ==
          "unknown op 'repalce'; did you mean 'replace'?");
    CHECK(patch_error(R"({})", R"([{"path":"/a"}])") == "'op' is missing (add, remove, replace, move, copy or test)");
    CHECK(patch_error(R"({})", R"([{"op":"add","path":"/a"}])") == "add /a: 'value' is missing");
    CHECK(patch_error(R"({})", R"([{"op":"move","path":"/a"}])") == "move /a: 'from' is missing or not a string");
    CHECK(patch_error(R"({})", R"([{"op":"remove","path":"a"}])") ==
          "remove a: invalid JSON pointer 'a': it must start with '/'");
    CHECK(patch_error(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])") ==
          "move /a -> /a/b/c: a value cannot be moved into one of its own children");
    CHECK(patch_error(R"({"a":1})", R"([{"op":"remove","path":""}])") ==
          R"(remove "": the whole document cannot be removed)");
    CHECK(patch_error(R"({})", R"([1])") == "an operation must be an object like {op: add, path: /a, value: 1}");
    CHECK(patch_error(R"({})", R"({"op":"add"})", &failed) ==
          "a JSON patch must be a list of operations, not an object");
}

TEST_CASE("json_patch leaves the input untouched when a later operation fails") {
    Json doc = j(R"({"a":1})");
    auto result = json_patch(doc, j(R"([{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/zz"}])"));
    REQUIRE_FALSE(result.ok());
    CHECK(doc.dump() == R"({"a":1})");
}

TEST_CASE("json_equal ignores member order and compares numbers by value") {
    CHECK(json_equal(j(R"({"a":1,"b":[1,{"x":2,"y":3}]})"), j(R"({"b":[1.0,{"y":3,"x":2}],"a":1})")));
    CHECK_FALSE(json_equal(j(R"([1,2])"), j(R"([2,1])")));
    CHECK_FALSE(json_equal(j(R"({"a":1})"), j(R"({"a":1,"b":null})")));
    CHECK_FALSE(json_equal(j(R"("1")"), j("1")));
    CHECK_FALSE(json_equal(j("true"), j("1")));
}
