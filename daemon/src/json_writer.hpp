// A JSON object written straight into a string. `ps` renders hundreds of containers per request;
// building a json tree for each only to serialize it once cost several times the rest of the
// route. Keys are written as given: callers pass them in the order they want them read. With a
// set of keys, the others are left out (`ps` asks only for what its view shows).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "engine/flat_json.hpp"

namespace berth::daemon {

class JsonObjectWriter {
  public:
    using Keys = std::set<std::string, std::less<>>;

    explicit JsonObjectWriter(std::string& out, const Keys* only = nullptr)
        : out_(out), only_(only) {
        out_ += '{';
    }
    ~JsonObjectWriter() { out_ += '}'; }
    JsonObjectWriter(const JsonObjectWriter&) = delete;
    JsonObjectWriter& operator=(const JsonObjectWriter&) = delete;

    JsonObjectWriter& str(std::string_view key, std::string_view value) {
        if (!wanted(key)) return *this;
        quoted(key_(key), value);
        return *this;
    }
    JsonObjectWriter& num(std::string_view key, std::int64_t value) {
        if (!wanted(key)) return *this;
        key_(key) += std::to_string(value);
        return *this;
    }
    JsonObjectWriter& boolean(std::string_view key, bool value) {
        if (!wanted(key)) return *this;
        key_(key) += value ? "true" : "false";
        return *this;
    }
    // A value that is JSON text already ("[]", "null").
    JsonObjectWriter& raw(std::string_view key, std::string_view json) {
        if (!wanted(key)) return *this;
        key_(key) += json;
        return *this;
    }
    JsonObjectWriter& strings(std::string_view key, std::initializer_list<std::string_view> list) {
        if (!wanted(key)) return *this;
        std::string& out = key_(key);
        out += '[';
        bool first = true;
        for (auto s : list) {
            if (!first) out += ',';
            first = false;
            quoted(out, s);
        }
        out += ']';
        return *this;
    }
    JsonObjectWriter& object(std::string_view key, const std::map<std::string, std::string>& m) {
        if (!wanted(key)) return *this;
        std::string& out = key_(key);
        out += '{';
        bool first = true;
        for (const auto& [k, v] : m) {
            if (!first) out += ',';
            first = false;
            quoted(out, k);
            out += ':';
            quoted(out, v);
        }
        out += '}';
        return *this;
    }

  private:
    bool wanted(std::string_view key) const { return !only_ || only_->count(key) != 0; }
    static void quoted(std::string& out, std::string_view s) {
        out += '"';
        engine::json_escape_to(out, s);
        out += '"';
    }
    std::string& key_(std::string_view key) {
        if (!first_) out_ += ',';
        first_ = false;
        quoted(out_, key);
        out_ += ':';
        return out_;
    }

    std::string& out_;
    const Keys* only_;
    bool first_ = true;
};

}  // namespace berth::daemon
