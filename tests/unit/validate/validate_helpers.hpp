#pragma once
// What the validate CLI tests share: fixtures, quoting, the real schemas' locations, and a clean environment.

#include <cstdlib>
#include <optional>
#include <string>

#include "support.hpp"

namespace mlserve::test {

inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

/// --schema-location flags for the real upstream schemas of shared/ (one Kubernetes version, the CRDs).
inline std::string shared_schemas(const std::string& kube_version = "1.35") {
    std::string flags;
    for (const char* dir : {"kserve/crd", "seldon/v1", "argo-rollouts", "prometheus-operator", "istio", "argo-cd",
                            "gateway-api"})
        flags += " --schema-location " + quoted(shared_dir() + "/schemas/" + dir);
    return "--schema-location " + quoted(shared_dir() + "/schemas/kubernetes/openapi-v3/" + kube_version) + flags;
}

/// Sets an environment variable for the lifetime of the guard (the binary run_cli starts inherits it).
class EnvGuard {
public:
    EnvGuard(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~EnvGuard() {
        if (m_old) setenv(m_name, m_old->c_str(), 1);
        else unsetenv(m_name);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

/// No default schema source: no $MLSERVE_SCHEMA_PATH and an empty data home.
struct NoDefaultSchemas {
    TempDir home;
    EnvGuard path{"MLSERVE_SCHEMA_PATH", ""};
    EnvGuard data{"XDG_DATA_HOME", home.path()};
};

} // namespace mlserve::test
