#pragma once
// Internal to lib/spec: the three passes of load_spec (structure, defaults, checks) and what they share.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "spec/schema.hpp"

namespace mlserve::spec::detail {

/// The document being loaded and where findings go; builds errors that point into it.
class Reporter {
public:
    explicit Reporter(const core::Document& document) : m_document(document) {}

    /// An input error (exit 2) at `pointer`: file:line:col of the node (or its nearest written ancestor),
    /// the field path, the message and a hint.
    core::Error error(std::string_view pointer, std::string message, std::string hint = {}) const;
    /// Like error(), but located at the key of the entry (for fields that should not be there).
    core::Error error_at_key(std::string_view pointer, std::string message, std::string hint = {}) const;
    /// Records a non-fatal finding the same way.
    void warn(std::string_view pointer, std::string message, std::string hint = {});

    const core::Document& document() const { return m_document; }
    std::vector<core::Error>& warnings() { return m_warnings; }

private:
    const core::Document& m_document;
    std::vector<core::Error> m_warnings;
};

/// Pass 1: unknown fields, types, enums (legacy aliases normalised), formats of single values.
/// Returns the written value normalised: keys in table order, nulls dropped, numbers written for quantities
/// turned into strings.
core::Result<core::Json> check_structure(const core::Json& value, Reporter& reporter);

/// Pass 2, the one place defaults are applied: table defaults, empty values, then the computed ones
/// (runtime, protocol, maxReplicas, metric, target, engine). Errors when no runtime fits.
core::Result<core::Json> apply_defaults(const core::Json& written, Reporter& reporter);

/// Pass 3: checks that relate fields (names and host lengths, replicas, canary, runtimes, overrides).
core::Result<void> check_semantics(const core::Json& value, Reporter& reporter);

/// Pass 3 parts (checks_canary.cpp): canary engine, strategy, steps and model overlay; overrides' shape.
core::Result<void> check_canary(const core::Json& spec, Reporter& reporter);
core::Result<void> check_overrides(const core::Json& spec, Reporter& reporter);

/// Pass 3 part (checks_backends.cpp): what one backend's objects cannot express (Seldon's single protocol,
/// hpaSpec and predictor Service names; Argo's Service names and analysis without traffic routing).
core::Result<void> check_backends(const core::Json& value, Reporter& reporter);

/// Checks a single string value's Format (dns_label, quantity, duration, ...).
core::Result<void> check_format(Format format, const core::Json& value, std::string_view pointer,
                                Reporter& reporter);

/// A storageUri: a scheme KServe's storage initializer reads, with a bucket/claim/host after it.
core::Result<void> check_storage_uri(std::string_view uri, std::string_view pointer, Reporter& reporter);

/// The allowed values as "a, b, c".
std::string join(const std::vector<std::string>& values);

/// KServe MAJOR.MINOR compared: true when `version` >= `minimum` (both "MAJOR.MINOR").
bool version_at_least(std::string_view version, int major, int minor);

} // namespace mlserve::spec::detail
