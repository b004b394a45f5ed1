// Fetching schema URLs. libcurl is loaded with dlopen on the first URL, so that validate runs without ever
// loading it (and its dozens of shared objects, DESIGN.md §9) when every schema location is local. Only curl.h's
// types and constants are used here; nothing links against libcurl.

#include <curl/curl.h>
#include <dlfcn.h>

#include "validate/schema_sources.hpp"

namespace mlserve::validate::schema_detail {

namespace {

// A schema document is a few MB at most; more is a wrong URL.
constexpr std::size_t k_max_download = 64u << 20;

struct Curl {
    void* handle = nullptr;
    CURL* (*easy_init)() = nullptr;
    CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
    CURLcode (*easy_perform)(CURL*) = nullptr;
    CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
    void (*easy_cleanup)(CURL*) = nullptr;
    const char* (*easy_strerror)(CURLcode) = nullptr;
    std::string error;
};

template <class F>
void bind(void* handle, const char* name, F& out, std::string& error) {
    void* symbol = dlsym(handle, name);
    if (!symbol && error.empty()) error = std::string("libcurl.so.4 lacks ") + name;
    out = reinterpret_cast<F>(symbol);
}

const Curl& curl() {
    static const Curl loaded = [] {
        Curl c;
        c.handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!c.handle) {
            const char* why = dlerror();
            c.error = std::string("cannot load libcurl.so.4") + (why ? ": " + std::string(why) : std::string());
            return c;
        }
        bind(c.handle, "curl_easy_init", c.easy_init, c.error);
        bind(c.handle, "curl_easy_setopt", c.easy_setopt, c.error);
        bind(c.handle, "curl_easy_perform", c.easy_perform, c.error);
        bind(c.handle, "curl_easy_getinfo", c.easy_getinfo, c.error);
        bind(c.handle, "curl_easy_cleanup", c.easy_cleanup, c.error);
        bind(c.handle, "curl_easy_strerror", c.easy_strerror, c.error);
        return c;
    }();
    return loaded;
}

struct Body {
    std::string text;
    bool too_big = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    const std::size_t bytes = size * count;
    if (body->text.size() + bytes > k_max_download) {
        body->too_big = true;
        return 0;
    }
    body->text.append(data, bytes);
    return bytes;
}

} // namespace

core::Result<std::string> fetch_url(const std::string& url) {
    const Curl& c = curl();
    if (!c.error.empty())
        return core::Error{core::ExitCode::failure, "cannot fetch schema " + url + ": " + c.error,
                           "install libcurl (Debian: apt-get install libcurl4) or download the schema and pass "
                           "its file with --schema-location",
                           {}, {}, {}};
    CURL* handle = c.easy_init();
    if (!handle) return core::Error{core::ExitCode::failure, "cannot fetch schema " + url + ": curl_easy_init failed",
                                    {}, {}, {}, {}};
    Body body;
    char error_text[CURL_ERROR_SIZE] = {};
    c.easy_setopt(handle, CURLOPT_URL, url.c_str());
    c.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    c.easy_setopt(handle, CURLOPT_MAXREDIRS, 5L);
    c.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 10L);
    c.easy_setopt(handle, CURLOPT_TIMEOUT, 60L);
    c.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    c.easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
    c.easy_setopt(handle, CURLOPT_USERAGENT, "kubectl-mlserve/" MLSERVE_VERSION);
    c.easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
    c.easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_data);
    c.easy_setopt(handle, CURLOPT_WRITEDATA, &body);
    const CURLcode code = c.easy_perform(handle);
    long status = 0;
    c.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    c.easy_cleanup(handle);
    if (body.too_big)
        return core::Error{core::ExitCode::failure, "cannot fetch schema " + url + ": larger than 64 MiB", {}, {}, {}, {}};
    if (code != CURLE_OK) {
        std::string why = error_text[0] ? error_text : c.easy_strerror(code);
        return core::Error{core::ExitCode::failure, "cannot fetch schema " + url + ": " + why,
                           "check the URL and that the server is reachable", {}, {}, {}};
    }
    if (status >= 400)
        return core::Error{core::ExitCode::failure,
                           "cannot fetch schema " + url + ": the server answered HTTP " + std::to_string(status),
                           "check the URL", {}, {}, {}};
    return std::move(body.text);
}

} // namespace mlserve::validate::schema_detail
