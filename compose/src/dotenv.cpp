// A port of the behaviour of compose-go's dotenv parser (dotenv/parser.go, godotenv.go, env.go),
// line counting included, so that a .env file means the same thing, and fails with the same
// message, under berth as under docker compose.
#include "compose/dotenv.hpp"

#include <filesystem>
#include <optional>
#include <unordered_map>

#include "common/fs.hpp"
#include "compose/template.hpp"
#include "go_text.hpp"

namespace berth::compose {

namespace {

struct DotenvError {
    std::string message;
};

// Values in definition order, with lookup by key for ${VAR} references to earlier keys.
class OrderedEnv {
  public:
    void set(const std::string& key, std::string value) {
        auto [it, fresh] = index_.emplace(key, pairs_.size());
        if (fresh) {
            pairs_.emplace_back(key, std::move(value));
        } else {
            pairs_[it->second].second = std::move(value);
        }
    }
    std::optional<std::string> find(const std::string& key) const {
        auto it = index_.find(key);
        if (it == index_.end()) return std::nullopt;
        return pairs_[it->second].second;
    }
    const EnvPairs& pairs() const { return pairs_; }

  private:
    EnvPairs pairs_;
    std::unordered_map<std::string, std::size_t> index_;
};

// The parser's own idea of a space: no line breaks, since those end statements.
bool inline_space(char32_t c) {
    return c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' ' || c == 0x85 || c == 0xA0;
}

std::string_view trim_left_inline(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        gotext::Rune r = gotext::decode(s, i);
        if (!inline_space(r.code)) break;
        i += r.size;
    }
    return s.substr(i);
}

bool key_punctuation(char32_t c) {
    return c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

// "export" followed by at least one of RE2's \s characters.
bool has_export_prefix(std::string_view s) {
    return s.size() > 6 && s.substr(0, 6) == "export" &&
           std::string_view("\t\n\f\r ").find(s[6]) != std::string_view::npos;
}

void append_octal(std::string& out, std::string_view digits) {
    // Go's rune-literal rule: exactly three octal digits worth at most 255. Anything else is
    // kept as written, minus the 0 that introduced it.
    bool valid = digits.size() == 3 &&
                 digits.find_first_not_of("01234567") == std::string_view::npos && digits[0] <= '3';
    if (!valid) {
        out += '\\';
        out += digits;
        return;
    }
    char32_t v = static_cast<char32_t>(((digits[0] - '0') << 6) | ((digits[1] - '0') << 3) |
                                       (digits[2] - '0'));
    out += gotext::encode(v);
}

std::optional<char> simple_escape(char c) {
    switch (c) {
        case 'a':
            return '\a';
        case 'b':
            return '\b';
        case 'f':
            return '\f';
        case 'n':
            return '\n';
        case 'r':
            return '\r';
        case 't':
            return '\t';
        case 'v':
            return '\v';
        case '\\':
            return '\\';
        case '"':
            return '"';
        default:
            return std::nullopt;
    }
}

// Double-quoted values: shell-like escapes, with \$ turned into the template escape $$ so that
// the expansion that follows leaves a literal dollar. Unknown escapes (\x41, \u00e9, "\ ") stay.
std::string expand_escapes(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char c = s[i + 1];
        if (c == '0') {
            std::size_t n = 0;
            while (n < 3 && i + 2 + n < s.size() && s[i + 2 + n] >= '0' && s[i + 2 + n] <= '9') ++n;
            append_octal(out, s.substr(i + 2, n));
            i += 1 + n;
        } else if (c == '$') {
            out += "$$";
            ++i;
        } else if (auto e = simple_escape(c)) {
            out += *e;
            ++i;
        } else {
            out += '\\';
        }
    }
    return out;
}

struct KeyName {
    std::string key;
    std::string_view rest;
    bool inherited = false;
};

class Parser {
  public:
    Parser(const Lookup& lookup, OrderedEnv& out) : lookup_(lookup), out_(out) {}

    void parse(std::string_view src) {
        for (;;) {
            src = statement_start(src);
            if (src.empty()) return;
            KeyName k = locate_key(src);
            if (k.key.find(' ') != std::string::npos) {
                fail("line " + std::to_string(line_) + ": key cannot contain a space");
            }
            if (k.inherited) {
                if (auto v = find(k.key)) out_.set(k.key, *v);
                src = k.rest;
                continue;
            }
            auto [value, rest] = extract_value(k.rest);
            out_.set(k.key, std::move(value));
            src = rest;
        }
    }

  private:
    const Lookup& lookup_;
    OrderedEnv& out_;
    int line_ = 1;

    // An empty Lookup means an empty environment.
    std::optional<std::string> find(const std::string& name) const {
        if (!lookup_) return std::nullopt;
        return lookup_(name);
    }

    [[noreturn]] static void fail(std::string message) { throw DotenvError{std::move(message)}; }

    // Skips blank space (counting line breaks) and whole-line comments.
    std::string_view statement_start(std::string_view src) {
        for (;;) {
            std::size_t i = 0;
            while (i < src.size()) {
                gotext::Rune r = gotext::decode(src, i);
                if (r.code == '\n') ++line_;
                if (!gotext::is_unicode_space(r.code)) break;
                i += r.size;
            }
            if (i == src.size()) return {};
            src = src.substr(i);
            if (src[0] != '#') return src;
            std::size_t eol = src.find('\n');
            if (eol == std::string_view::npos) return {};
            src = src.substr(eol);
        }
    }

    KeyName locate_key(std::string_view src) {
        if (has_export_prefix(src)) src = trim_left_inline(src.substr(6));
        KeyName k;
        std::size_t offset = 0;
        for (std::size_t i = 0; i < src.size();) {
            gotext::Rune r = gotext::decode(src, i);
            if (r.code == '=' || r.code == ':' || r.code == '\n') {
                k.key = std::string(src.substr(0, i));
                offset = i + 1;
                k.inherited = r.code == '\n';
                break;
            }
            if (!inline_space(r.code) && !key_punctuation(r.code) &&
                !gotext::is_letter_or_number(r.code)) {
                unexpected_character(src, i, r);
            }
            i += r.size;
        }
        if (src.empty()) fail("zero length string");
        if (k.inherited && k.key.find(' ') == std::string::npos) ++line_;
        k.key = std::string(gotext::trim_right_space(k.key));
        k.rest = trim_left_inline(src.substr(offset));
        return k;
    }

    [[noreturn]] void unexpected_character(std::string_view src, std::size_t at, gotext::Rune r) {
        std::string ch = r.code == gotext::kRuneError ? gotext::encode(r.code)
                                                      : std::string(src.substr(at, r.size));
        std::string_view first_line = src.substr(0, src.find('\n'));
        fail("line " + std::to_string(line_) + ": unexpected character " + gotext::quote(ch) +
             " in variable name " + gotext::quote(first_line));
    }

    std::pair<std::string, std::string_view> extract_value(std::string_view src) {
        if (src.empty() || (src[0] != '"' && src[0] != '\'')) return unquoted_value(src);
        return quoted_value(src);
    }

    std::pair<std::string, std::string_view> unquoted_value(std::string_view src) {
        std::size_t eol = src.find('\n');
        std::string_view value = src.substr(0, eol);
        std::string_view rest =
            eol == std::string_view::npos ? std::string_view{} : src.substr(eol + 1);
        ++line_;
        // Only a space introduces an inline comment, so "a#b" and "a\t#b" keep their '#'.
        value = value.substr(0, value.find(" #"));
        return {expand(gotext::trim_right_space(value)), rest};
    }

    std::pair<std::string, std::string_view> quoted_value(std::string_view src) {
        char quote = src[0];
        bool escaped = false;
        std::string chars;
        for (std::size_t i = 1; i < src.size(); ++i) {
            char c = src[i];
            if (c == '\n') ++line_;
            if (c == quote && !escaped) {
                std::string value = quote == '"' ? expand(expand_escapes(chars)) : chars;
                return {std::move(value), src.substr(i + 1)};
            }
            if (c == quote) {
                chars += c;  // \" or \' : the quote itself, without its backslash
            } else if (!escaped && c == '\\') {
                escaped = true;
                continue;
            } else {
                if (escaped) chars += '\\';
                chars += c;
            }
            escaped = false;
        }
        fail("line " + std::to_string(line_) + ": unterminated quoted value " +
             std::string(src.substr(0, src.find('\n'))));
    }

    std::string expand(std::string_view value) {
        Lookup chained = [this](const std::string& name) -> std::optional<std::string> {
            if (auto v = find(name)) return v;
            return out_.find(name);
        };
        Expansion e = expand_template(value, chained);
        if (e.failure) fail(e.failure->message());
        return std::move(e.text);
    }
};

std::string_view strip_bom(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    return text;
}

bool starts_with_digit(const std::string& key) {
    return !key.empty() && key[0] >= '0' && key[0] <= '9';
}

// Runs the parser into `out`, which may already hold values from earlier files.
Result<void> parse_into(std::string_view text, const Lookup& lookup, OrderedEnv& out) {
    try {
        Parser(lookup, out).parse(strip_bom(text));
    } catch (const DotenvError& e) {
        return Error(e.message);
    }
    return {};
}

// filepath.Abs: absolute and cleaned, so messages name the file the same way whatever the cwd.
std::string absolute_path(const std::string& path) {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(path, ec);
    if (ec) return path;
    std::string clean = abs.lexically_normal().string();
    while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    return clean;
}

Result<void> read_one(const std::string& given, const Environment& os_env, OrderedEnv& env) {
    std::string path = absolute_path(given);
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return Error("couldn't find env file: " + path);
    }
    if (std::filesystem::is_directory(status)) return Error(path + " is a directory");
    auto text = read_file(path);
    if (!text) return text.error();
    Lookup os_lookup = lookup_in(os_env);
    auto parsed = parse_into(*text, os_lookup, env);
    if (!parsed) return Error("failed to read " + path + ": " + parsed.error().message());
    return {};
}

}  // namespace

Result<EnvPairs> parse_dotenv(std::string_view text, const Lookup& lookup) {
    OrderedEnv env;
    auto parsed = parse_into(text, lookup, env);
    if (!parsed) return parsed.error();
    EnvPairs out;
    for (const auto& kv : env.pairs()) {
        if (!starts_with_digit(kv.first)) out.push_back(kv);
    }
    return out;
}

Result<Environment> read_env_files(const std::vector<std::string>& paths,
                                   const Environment& os_env) {
    OrderedEnv env;
    for (const std::string& path : paths) {
        auto done = read_one(path, os_env, env);
        if (!done) return done.error();
    }
    Environment out;
    for (const auto& [key, value] : env.pairs()) {
        if (!starts_with_digit(key)) out[key] = value;
    }
    return out;
}

}  // namespace berth::compose
