// FlatJson: encoder and a strict parser for one level of scalars and string lists.
#include "engine/flat_json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace berth::engine {

void json_escape_to(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
}

void FlatJson::put(const std::string& key, Value v) {
    if (!values_.count(key)) order_.push_back(key);
    values_[key] = std::move(v);
}

void FlatJson::set(const std::string& key, std::string value) {
    put(key, {Value::Kind::String, std::move(value), {}});
}
void FlatJson::set(const std::string& key, std::int64_t value) {
    put(key, {Value::Kind::Raw, std::to_string(value), {}});
}
void FlatJson::set(const std::string& key, bool value) {
    put(key, {Value::Kind::Raw, value ? "true" : "false", {}});
}
void FlatJson::set_double(const std::string& key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", std::isfinite(value) ? value : 0.0);
    put(key, {Value::Kind::Raw, buf, {}});
}
void FlatJson::set(const std::string& key, std::vector<std::string> list) {
    put(key, {Value::Kind::List, {}, std::move(list)});
}

std::string FlatJson::str(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() || it->second.kind == Value::Kind::List ? fallback : it->second.text;
}
std::int64_t FlatJson::num(const std::string& key, std::int64_t fallback) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.kind != Value::Kind::Raw) return fallback;
    char* end = nullptr;
    long long v = std::strtoll(it->second.text.c_str(), &end, 10);
    return end == it->second.text.c_str() ? fallback : v;
}
double FlatJson::dbl(const std::string& key, double fallback) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.kind != Value::Kind::Raw) return fallback;
    char* end = nullptr;
    double v = std::strtod(it->second.text.c_str(), &end);
    return end == it->second.text.c_str() ? fallback : v;
}
bool FlatJson::flag(const std::string& key, bool fallback) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.kind != Value::Kind::Raw) return fallback;
    return it->second.text == "true";
}
std::vector<std::string> FlatJson::list(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? std::vector<std::string>{} : it->second.list;
}

std::string FlatJson::dump() const {
    std::string out = "{";
    for (const auto& key : order_) {
        const Value& v = values_.at(key);
        if (out.size() > 1) out += ',';
        out += '"';
        json_escape_to(out, key);
        out += "\":";
        if (v.kind == Value::Kind::Raw) {
            out += v.text;
        } else if (v.kind == Value::Kind::String) {
            out += '"';
            json_escape_to(out, v.text);
            out += '"';
        } else {
            out += '[';
            for (std::size_t i = 0; i < v.list.size(); ++i) {
                out += i ? ",\"" : "\"";
                json_escape_to(out, v.list[i]);
                out += '"';
            }
            out += ']';
        }
    }
    return out + "}";
}

namespace {

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    void skip_ws() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
    }
    bool eat(char c) {
        skip_ws();
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
};

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

bool hex4(Cursor& c, unsigned& v) {
    if (c.i + 4 > c.s.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
        char h = c.s[c.i++];
        v <<= 4;
        if (h >= '0' && h <= '9')
            v |= static_cast<unsigned>(h - '0');
        else if (h >= 'a' && h <= 'f')
            v |= static_cast<unsigned>(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F')
            v |= static_cast<unsigned>(h - 'A' + 10);
        else
            return false;
    }
    return true;
}

bool parse_escape(Cursor& c, std::string& out) {
    if (c.i >= c.s.size()) return false;
    char e = c.s[c.i++];
    switch (e) {
        case '"':
            out += '"';
            return true;
        case '\\':
            out += '\\';
            return true;
        case '/':
            out += '/';
            return true;
        case 'b':
            out += '\b';
            return true;
        case 'f':
            out += '\f';
            return true;
        case 'n':
            out += '\n';
            return true;
        case 'r':
            out += '\r';
            return true;
        case 't':
            out += '\t';
            return true;
        case 'u':
            break;
        default:
            return false;
    }
    unsigned cp = 0;
    if (!hex4(c, cp)) return false;
    // A surrogate pair encodes one code point above U+FFFF.
    if (cp >= 0xd800 && cp < 0xdc00 && c.s.substr(c.i, 2) == "\\u") {
        c.i += 2;
        unsigned lo = 0;
        if (!hex4(c, lo) || lo < 0xdc00 || lo > 0xdfff) return false;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    append_utf8(out, cp);
    return true;
}

bool parse_string(Cursor& c, std::string& out) {
    if (!c.eat('"')) return false;
    while (c.i < c.s.size()) {
        char ch = c.s[c.i++];
        if (ch == '"') return true;
        if (ch == '\\') {
            if (!parse_escape(c, out)) return false;
        } else {
            out += ch;
        }
    }
    return false;
}

bool parse_literal(Cursor& c, std::string& out) {
    c.skip_ws();
    std::size_t start = c.i;
    while (c.i < c.s.size() && c.s[c.i] != ',' && c.s[c.i] != '}' && c.s[c.i] != ' ' &&
           c.s[c.i] != '\n')
        ++c.i;
    out = std::string(c.s.substr(start, c.i - start));
    return !out.empty();
}

bool parse_list(Cursor& c, std::vector<std::string>& out) {
    if (c.eat(']')) return true;
    do {
        std::string item;
        if (!parse_string(c, item)) return false;
        out.push_back(std::move(item));
    } while (c.eat(','));
    return c.eat(']');
}

}  // namespace

Result<FlatJson> FlatJson::parse(std::string_view text) {
    Cursor c{text};
    FlatJson out;
    auto bad = [&c] { return Error("invalid JSON at byte " + std::to_string(c.i)); };
    if (!c.eat('{')) return bad();
    if (c.eat('}')) return out;
    do {
        std::string key;
        if (!parse_string(c, key) || !c.eat(':')) return bad();
        c.skip_ws();
        Value v;
        if (c.i < text.size() && text[c.i] == '"') {
            v.kind = Value::Kind::String;
            if (!parse_string(c, v.text)) return bad();
        } else if (c.eat('[')) {
            v.kind = Value::Kind::List;
            if (!parse_list(c, v.list)) return bad();
        } else if (!parse_literal(c, v.text)) {
            return bad();
        }
        out.put(key, std::move(v));
    } while (c.eat(','));
    if (!c.eat('}')) return bad();
    c.skip_ws();
    if (c.i != text.size()) return bad();
    return out;
}

}  // namespace berth::engine
