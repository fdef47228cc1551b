#include "go_template.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

namespace berth::cli {

using json = nlohmann::json;

namespace {

// A field that is not there: Go prints it as "<no value>", unlike a present null ("<nil>").
json missing() {
    return json(json::value_t::discarded);
}

struct Operand {
    enum class Kind { Field, Constant, Function } kind = Kind::Constant;
    std::vector<std::string> path;  // Field: empty is the dot itself
    json value;                     // Constant
    std::string name;               // Function
};

using Command = std::vector<Operand>;
using Pipeline = std::vector<Command>;

}  // namespace

struct GoTemplate::Node {
    enum class Kind { Text, Action, If, Range, With } kind = Kind::Text;
    std::string text;
    Pipeline pipe;
    std::vector<Node> body, else_body;
};

namespace {

using Node = GoTemplate::Node;
using Args = std::vector<json>;
using Function = std::function<Result<json>(const Args&)>;

Error parse_error(const std::string& what) {
    return Error("template parsing error: template: :" + what);
}

Error exec_error(const std::string& what) {
    return Error("template: executing: " + what);
}

bool truthy(const json& v) {
    if (v.is_discarded() || v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) return !v.get_ref<const std::string&>().empty();
    return !v.empty();
}

std::string text_of(const json& v) {
    return go_print(v);
}

// ---- functions ----

Result<json> need(const Args& a, std::size_t n, const char* name) {
    if (a.size() != n) {
        return exec_error("wrong number of args for " + std::string(name) + ": want " +
                          std::to_string(n) + " got " + std::to_string(a.size()));
    }
    return json();
}

Result<json> fn_index(const Args& a) {
    if (a.empty()) return exec_error("wrong number of args for index: want at least 1 got 0");
    json cur = a[0];
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (cur.is_object() && a[i].is_string()) {
            auto it = cur.find(a[i].get<std::string>());
            cur = it == cur.end() ? missing() : *it;
        } else if (cur.is_array() && a[i].is_number_integer()) {
            auto n = a[i].get<long long>();
            if (n < 0 || static_cast<std::size_t>(n) >= cur.size()) {
                return exec_error("error calling index: index out of range: " + std::to_string(n));
            }
            cur = cur[static_cast<std::size_t>(n)];
        } else {
            return exec_error("error calling index: can't index item of type " +
                              std::string(cur.type_name()));
        }
    }
    return cur;
}

Result<json> fn_len(const Args& a) {
    if (auto ok = need(a, 1, "len"); !ok) return ok;
    const json& v = a[0];
    if (v.is_string()) return json(v.get_ref<const std::string&>().size());
    if (v.is_array() || v.is_object()) return json(v.size());
    return exec_error("error calling len: len of type " + std::string(v.type_name()));
}

Result<json> fn_join(const Args& a) {
    if (auto ok = need(a, 2, "join"); !ok) return ok;
    if (a[0].is_discarded() || a[0].is_null()) return json("");
    // Go passes a piped value last: `.Tags | join ","` hands join the separator first.
    if (!a[0].is_array() || !a[1].is_string()) {
        return exec_error(std::string("error calling join: wrong type for value; expected "
                                      "[]string; got ") +
                          (a[0].is_array() ? a[1].type_name() : a[0].type_name()));
    }
    std::string out;
    for (std::size_t i = 0; i < a[0].size(); ++i)
        out += (i ? text_of(a[1]) : "") + text_of(a[0][i]);
    return json(out);
}

Result<json> fn_split(const Args& a) {
    if (auto ok = need(a, 2, "split"); !ok) return ok;
    std::string s = text_of(a[0]), sep = text_of(a[1]);
    json out = json::array();
    if (sep.empty()) {
        for (char c : s) out.push_back(std::string(1, c));
        return out;
    }
    std::size_t start = 0;
    for (auto at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
        out.push_back(s.substr(start, at - start));
        start = at + sep.size();
    }
    out.push_back(s.substr(start));
    return out;
}

Result<json> map_chars(const Args& a, const char* name,
                       const std::function<std::string(std::string)>& f) {
    if (auto ok = need(a, 1, name); !ok) return ok;
    return json(f(text_of(a[0])));
}

std::string title(std::string s) {
    bool start = true;
    for (char& c : s) {
        if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        start = std::isspace(static_cast<unsigned char>(c)) != 0;
    }
    return s;
}

Result<json> fn_truncate(const Args& a) {
    if (auto ok = need(a, 2, "truncate"); !ok) return ok;
    std::string s = text_of(a[0]);
    if (!a[1].is_number_integer())
        return exec_error("error calling truncate: length is not an integer");
    auto n = std::max<long long>(0, a[1].get<long long>());
    return json(s.substr(0, std::min<std::size_t>(s.size(), static_cast<std::size_t>(n))));
}

Result<json> fn_pad(const Args& a) {
    if (auto ok = need(a, 3, "pad"); !ok) return ok;
    if (!a[1].is_number_integer() || !a[2].is_number_integer()) {
        return exec_error("error calling pad: padding is not an integer");
    }
    auto l = std::max<long long>(0, a[1].get<long long>());
    auto r = std::max<long long>(0, a[2].get<long long>());
    return json(std::string(static_cast<std::size_t>(l), ' ') + text_of(a[0]) +
                std::string(static_cast<std::size_t>(r), ' '));
}

// fmt.Sprint: a space between two operands when neither is a string.
Result<json> fn_print(const Args& a) {
    std::string out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0 && !a[i - 1].is_string() && !a[i].is_string()) out += ' ';
        out += text_of(a[i]);
    }
    return json(out);
}

Result<json> fn_println(const Args& a) {
    std::string out;
    for (std::size_t i = 0; i < a.size(); ++i) out += (i ? " " : "") + text_of(a[i]);
    return json(out + "\n");
}

bool same(const json& x, const json& y) {
    if (x.is_number() && y.is_number()) return x.get<double>() == y.get<double>();
    return x == y;
}

Result<json> fn_eq(const Args& a) {
    if (a.size() < 2) return exec_error("wrong number of args for eq: want at least 2");
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (same(a[0], a[i])) return json(true);
    }
    return json(false);
}

Result<json> fn_ne(const Args& a) {
    if (auto ok = need(a, 2, "ne"); !ok) return ok;
    return json(!same(a[0], a[1]));
}

Result<json> fn_not(const Args& a) {
    if (auto ok = need(a, 1, "not"); !ok) return ok;
    return json(!truthy(a[0]));
}

// Go's and/or return an operand, not a bool: the first that decides, else the last.
Result<json> fn_and(const Args& a) {
    if (a.empty()) return exec_error("wrong number of args for and: want at least 1");
    for (const auto& v : a) {
        if (!truthy(v)) return v;
    }
    return a.back();
}

Result<json> fn_or(const Args& a) {
    if (a.empty()) return exec_error("wrong number of args for or: want at least 1");
    for (const auto& v : a) {
        if (truthy(v)) return v;
    }
    return a.back();
}

const std::map<std::string, Function>& functions() {
    static const std::map<std::string, Function> table = {
        {"json",
         [](const Args& a) -> Result<json> {
             if (auto ok = need(a, 1, "json"); !ok) return ok;
             return json(a[0].is_discarded() ? "null" : a[0].dump());
         }},
        {"join", fn_join},
        {"split", fn_split},
        {"upper",
         [](const Args& a) {
             return map_chars(a, "upper", [](std::string s) {
                 for (char& c : s)
                     c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                 return s;
             });
         }},
        {"lower",
         [](const Args& a) {
             return map_chars(a, "lower", [](std::string s) {
                 for (char& c : s)
                     c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                 return s;
             });
         }},
        {"title", [](const Args& a) { return map_chars(a, "title", title); }},
        {"truncate", fn_truncate},
        {"pad", fn_pad},
        {"index", fn_index},
        {"len", fn_len},
        {"print", fn_print},
        {"println", fn_println},
        {"eq", fn_eq},
        {"ne", fn_ne},
        {"not", fn_not},
        {"and", fn_and},
        {"or", fn_or},
    };
    return table;
}

// ---- lexing ----

struct Token {
    enum class Kind { Word, Field, String, Number, Pipe } kind;
    std::string text;               // Word, String, Number
    std::vector<std::string> path;  // Field
};

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

Result<std::string> lex_string(std::string_view s, std::size_t& i) {
    char quote = s[i++];
    std::string out;
    while (i < s.size() && s[i] != quote) {
        char c = s[i++];
        if (quote == '"' && c == '\\' && i < s.size()) {
            char e = s[i++];
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        out += c;
    }
    if (i >= s.size()) return parse_error("1: unterminated quoted string");
    ++i;
    return out;
}

Result<std::vector<Token>> lex_action(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++i;
        } else if (c == '|') {
            out.push_back({Token::Kind::Pipe, "|", {}});
            ++i;
        } else if (c == '"' || c == '`') {
            auto str = lex_string(s, i);
            if (!str) return str.error();
            out.push_back({Token::Kind::String, *str, {}});
        } else if (c == '.') {
            Token t{Token::Kind::Field, "", {}};
            while (i < s.size() && s[i] == '.') {
                std::size_t start = ++i;
                while (i < s.size() && ident_char(s[i])) ++i;
                if (i == start) {
                    if (!t.path.empty()) return parse_error("1: unexpected . after term");
                    break;
                }
                t.path.emplace_back(s.substr(start, i - start));
            }
            out.push_back(std::move(t));
        } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
                   (c == '-' && i + 1 < s.size() &&
                    std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0)) {
            std::size_t start = i++;
            while (i < s.size() && (ident_char(s[i]) || s[i] == '.')) ++i;
            out.push_back({Token::Kind::Number, std::string(s.substr(start, i - start)), {}});
        } else if (ident_char(c)) {
            std::size_t start = i;
            while (i < s.size() && ident_char(s[i])) ++i;
            out.push_back({Token::Kind::Word, std::string(s.substr(start, i - start)), {}});
        } else if (c == '$' || c == '(' || c == ')') {
            return parse_error(std::string("1: unsupported \"") + c +
                               "\": variables and parentheses are not supported");
        } else {
            return parse_error(std::string("1: unexpected \"") + c + "\" in command");
        }
    }
    return out;
}

// The template cut into text and actions, with `{{-` and `-}}` trimming applied.
struct Piece {
    bool action = false;
    std::string text;
};

Result<std::size_t> action_end(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i + 1 < s.size(); ++i) {
        if (s[i] == '"' || s[i] == '`') {
            char q = s[i];
            for (++i; i < s.size() && s[i] != q; ++i) {
                if (q == '"' && s[i] == '\\') ++i;
            }
        } else if (s[i] == '}' && s[i + 1] == '}') {
            return i;
        }
    }
    return parse_error("1: unclosed action");
}

void trim_right(std::string& s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.pop_back();
}

Result<std::vector<Piece>> split_pieces(std::string_view s) {
    std::vector<Piece> out;
    bool trim_next = false;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto open = s.find("{{", pos);
        std::string text(s.substr(pos, open == std::string_view::npos ? s.npos : open - pos));
        if (trim_next) {
            auto first = text.find_first_not_of(" \t\r\n");
            text = first == std::string::npos ? "" : text.substr(first);
        }
        if (open == std::string_view::npos) {
            out.push_back({false, text});
            break;
        }
        std::size_t begin = open + 2;
        if (s.size() > begin + 1 && s[begin] == '-' &&
            std::isspace(static_cast<unsigned char>(s[begin + 1])) != 0) {
            trim_right(text);
            begin += 2;
        }
        out.push_back({false, text});
        auto close = action_end(s, begin);
        if (!close) return close.error();
        std::size_t end = *close;
        trim_next = end >= begin + 2 && s[end - 1] == '-' &&
                    std::isspace(static_cast<unsigned char>(s[end - 2])) != 0;
        out.push_back({true, std::string(s.substr(begin, end - begin - (trim_next ? 2 : 0)))});
        pos = end + 2;
    }
    return out;
}

// ---- parsing ----

Result<Operand> operand(const Token& t) {
    Operand o;
    switch (t.kind) {
        case Token::Kind::Field:
            o.kind = Operand::Kind::Field;
            o.path = t.path;
            return o;
        case Token::Kind::String:
            o.value = t.text;
            return o;
        case Token::Kind::Number: {
            auto v = json::parse(t.text, nullptr, false);
            if (v.is_discarded() || !v.is_number()) {
                return parse_error("1: bad number syntax: \"" + t.text + "\"");
            }
            o.value = v;
            return o;
        }
        case Token::Kind::Word:
            if (t.text == "true" || t.text == "false") {
                o.value = t.text == "true";
                return o;
            }
            if (t.text == "nil") {
                o.value = nullptr;
                return o;
            }
            if (!functions().contains(t.text)) {
                return parse_error("1: function \"" + t.text + "\" not defined");
            }
            o.kind = Operand::Kind::Function;
            o.name = t.text;
            return o;
        case Token::Kind::Pipe:
            break;
    }
    return parse_error("1: unexpected \"|\"");
}

Result<Pipeline> parse_pipeline(const std::vector<Token>& tokens, std::size_t from) {
    Pipeline pipe(1);
    for (std::size_t i = from; i < tokens.size(); ++i) {
        if (tokens[i].kind == Token::Kind::Pipe) {
            if (pipe.back().empty()) return parse_error("1: missing command");
            pipe.emplace_back();
            continue;
        }
        auto o = operand(tokens[i]);
        if (!o) return o.error();
        pipe.back().push_back(std::move(*o));
    }
    if (pipe.back().empty()) return parse_error("1: missing value for command");
    return pipe;
}

class Parser {
  public:
    explicit Parser(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {}

    Result<std::vector<Node>> top() {
        std::string stop;
        auto nodes = list(stop);
        if (!nodes) return nodes.error();
        if (!stop.empty()) return parse_error("1: unexpected {{" + stop + "}}");
        return nodes;
    }

  private:
    // Nodes up to an {{end}} or {{else}} (its tokens left in `stop_tokens_`), or to the end.
    Result<std::vector<Node>> list(std::string& stop) {
        std::vector<Node> out;
        while (pos_ < pieces_.size()) {
            const Piece& p = pieces_[pos_++];
            if (!p.action) {
                if (!p.text.empty()) out.push_back({Node::Kind::Text, p.text, {}, {}, {}});
                continue;
            }
            std::string_view a = p.text;
            auto first = a.find_first_not_of(" \t\r\n");
            if (first != a.npos && a.substr(first).starts_with("/*")) continue;  // a comment
            auto tokens = lex_action(a);
            if (!tokens) return tokens.error();
            if (tokens->empty()) return parse_error("1: missing value for command");
            const Token& head = tokens->front();
            std::string word = head.kind == Token::Kind::Word ? head.text : "";
            if (word == "end" || word == "else") {
                stop = word;
                stop_tokens_ = std::move(*tokens);
                return out;
            }
            if (word == "if" || word == "range" || word == "with") {
                auto node = control(word, *tokens);
                if (!node) return node.error();
                out.push_back(std::move(*node));
                continue;
            }
            auto pipe = parse_pipeline(*tokens, 0);
            if (!pipe) return pipe.error();
            out.push_back({Node::Kind::Action, "", std::move(*pipe), {}, {}});
        }
        return out;
    }

    Result<Node> control(const std::string& word, const std::vector<Token>& tokens) {
        Node node;
        node.kind = word == "if"      ? Node::Kind::If
                    : word == "range" ? Node::Kind::Range
                                      : Node::Kind::With;
        auto pipe = parse_pipeline(tokens, 1);
        if (!pipe) return pipe.error();
        node.pipe = std::move(*pipe);
        std::string stop;
        auto body = list(stop);
        if (!body) return body.error();
        node.body = std::move(*body);
        if (stop.empty()) return parse_error("1: unexpected EOF");
        if (stop == "end") return node;
        std::vector<Token> else_tokens = std::move(stop_tokens_);
        // {{else if X}} opens an if that shares this one's {{end}}.
        if (else_tokens.size() > 1 && else_tokens[1].kind == Token::Kind::Word &&
            (else_tokens[1].text == "if" || else_tokens[1].text == "with")) {
            std::vector<Token> rest(else_tokens.begin() + 1, else_tokens.end());
            auto nested = control(rest.front().text, rest);
            if (!nested) return nested.error();
            node.else_body.push_back(std::move(*nested));
            return node;
        }
        if (else_tokens.size() > 1) return parse_error("1: unexpected token after else");
        auto else_body = list(stop);
        if (!else_body) return else_body.error();
        if (stop != "end")
            return parse_error(stop.empty() ? "1: unexpected EOF"
                                            : "1: expected end; found {{else}}");
        node.else_body = std::move(*else_body);
        return node;
    }

    std::vector<Piece> pieces_;
    std::size_t pos_ = 0;
    std::vector<Token> stop_tokens_;
};

// ---- execution ----

Result<json> field(const json& dot, const std::vector<std::string>& path) {
    json cur = dot;
    for (const auto& name : path) {
        if (cur.is_discarded() || cur.is_null()) return missing();
        if (!cur.is_object()) {
            return exec_error("can't evaluate field " + name + " in type " + cur.type_name());
        }
        auto it = cur.find(name);
        cur = it == cur.end() ? missing() : *it;
    }
    return cur;
}

Result<json> eval_operand(const Operand& o, const json& dot) {
    if (o.kind == Operand::Kind::Field) return field(dot, o.path);
    return o.value;
}

Result<json> eval_pipeline(const Pipeline& pipe, const json& dot) {
    json prev;
    for (std::size_t i = 0; i < pipe.size(); ++i) {
        const Command& cmd = pipe[i];
        if (cmd.front().kind != Operand::Kind::Function) {
            if (cmd.size() > 1 || i > 0) return exec_error("can't give argument to non-function");
            auto v = eval_operand(cmd.front(), dot);
            if (!v) return v;
            prev = std::move(*v);
            continue;
        }
        Args args;
        for (std::size_t k = 1; k < cmd.size(); ++k) {
            if (cmd[k].kind == Operand::Kind::Function) {
                return exec_error("can't use function " + cmd[k].name + " as an argument");
            }
            auto v = eval_operand(cmd[k], dot);
            if (!v) return v;
            args.push_back(std::move(*v));
        }
        if (i > 0) args.push_back(prev);
        auto v = functions().at(cmd.front().name)(args);
        if (!v) return v;
        prev = std::move(*v);
    }
    return prev;
}

Result<void> run(const std::vector<Node>& nodes, const json& dot, std::string& out);

Result<void> run_range(const Node& n, const json& value, std::string& out) {
    if (!truthy(value)) return run(n.else_body, value, out);
    if (value.is_array()) {
        for (const auto& e : value) {
            if (auto ok = run(n.body, e, out); !ok) return ok;
        }
        return {};
    }
    if (value.is_object()) {
        // Go ranges over a map in key order.
        for (const auto& [k, v] : value.items()) {
            if (auto ok = run(n.body, v, out); !ok) return ok;
        }
        return {};
    }
    return exec_error(std::string("range can't iterate over ") + go_print(value));
}

Result<void> run(const std::vector<Node>& nodes, const json& dot, std::string& out) {
    for (const Node& n : nodes) {
        if (n.kind == Node::Kind::Text) {
            out += n.text;
            continue;
        }
        auto v = eval_pipeline(n.pipe, dot);
        if (!v) return v.error();
        Result<void> ok;
        switch (n.kind) {
            case Node::Kind::Action:
                out += go_print(*v);
                break;
            case Node::Kind::If:
                ok = run(truthy(*v) ? n.body : n.else_body, dot, out);
                break;
            case Node::Kind::With:
                ok = truthy(*v) ? run(n.body, *v, out) : run(n.else_body, dot, out);
                break;
            case Node::Kind::Range:
                ok = run_range(n, *v, out);
                break;
            case Node::Kind::Text:
                break;
        }
        if (!ok) return ok;
    }
    return {};
}

}  // namespace

Result<GoTemplate> GoTemplate::parse(std::string_view text) {
    auto pieces = split_pieces(text);
    if (!pieces) return pieces.error();
    auto nodes = Parser(std::move(*pieces)).top();
    if (!nodes) return nodes.error();
    GoTemplate t;
    t.nodes_ = std::make_shared<const std::vector<Node>>(std::move(*nodes));
    return t;
}

Result<std::string> GoTemplate::execute(const json& dot) const {
    std::string out;
    if (auto ok = run(*nodes_, dot, out); !ok) return ok.error();
    return out;
}

std::string go_print(const json& v) {
    if (v.is_discarded()) return "<no value>";
    if (v.is_null()) return "<nil>";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : " ") + go_print(e);
        return "[" + out + "]";
    }
    if (v.is_object()) {
        std::string out;
        for (const auto& [k, e] : v.items())
            out += (out.empty() ? "" : " ") + k + ":" + go_print(e);
        return "map[" + out + "]";
    }
    return v.dump();
}

std::string docker_format_text(std::string format, bool* table) {
    bool is_table = format.starts_with("table");
    if (is_table) format = format.substr(5);
    if (table) *table = is_table;
    auto first = format.find_first_not_of(' ');
    auto last = format.find_last_not_of(' ');
    format = first == std::string::npos ? "" : format.substr(first, last - first + 1);
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '\\' && i + 1 < format.size() &&
            (format[i + 1] == 't' || format[i + 1] == 'n')) {
            out += format[++i] == 't' ? '\t' : '\n';
        } else {
            out += format[i];
        }
    }
    return out;
}

}  // namespace berth::cli
