// A small JSON object of scalars and string lists: the state, exit and log records of a
// container. Hand-written rather than a JSON library so that berth-monitor stays a few hundred
// KiB of resident memory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::engine {

// Appends s to out as a JSON string body (no quotes): ", \, control characters escaped; other
// bytes, UTF-8 included, as they are.
void json_escape_to(std::string& out, std::string_view s);

class FlatJson {
  public:
    void set(const std::string& key, std::string value);
    void set(const std::string& key, const char* value) { set(key, std::string(value)); }
    void set(const std::string& key, std::int64_t value);
    void set(const std::string& key, bool value);
    void set_double(const std::string& key, double value);
    void set(const std::string& key, std::vector<std::string> list);

    bool has(const std::string& key) const { return values_.count(key) != 0; }
    std::string str(const std::string& key, const std::string& fallback = "") const;
    std::int64_t num(const std::string& key, std::int64_t fallback = 0) const;
    double dbl(const std::string& key, double fallback = 0) const;
    bool flag(const std::string& key, bool fallback = false) const;
    std::vector<std::string> list(const std::string& key) const;

    // Keys in insertion order: `inspect` output reads in the documented order.
    std::string dump() const;
    static Result<FlatJson> parse(std::string_view text);

  private:
    struct Value {
        enum class Kind { String, Raw, List } kind = Kind::Raw;
        std::string text;  // the string, or the literal (number, true, false, null)
        std::vector<std::string> list;
    };
    void put(const std::string& key, Value v);

    std::vector<std::string> order_;
    std::map<std::string, Value> values_;
};

}  // namespace berth::engine
