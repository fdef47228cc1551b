#include "compose/shellwords.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace berth::compose {

namespace {

enum class Arg { None, Plain, Quoted };

// Quoting state while walking the line. Backticks and $(...) are recognised only so that their
// insides stay one word; they are never run.
struct Splitter {
    std::vector<std::string> words;
    std::string buf;
    Arg got = Arg::None;
    bool escaped = false, dquoted = false, squoted = false, backquoted = false, dollar = false;

    bool quoting() const { return squoted || dquoted || backquoted || dollar; }

    void flush() {
        if (got != Arg::None) words.push_back(buf);
        buf.clear();
        got = Arg::None;
    }
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

Error invalid() {
    return Error("invalid command line string");
}

}  // namespace

Result<std::vector<std::string>> split_shell_words(std::string_view line) {
    Splitter sp;
    for (char c : line) {
        if (sp.escaped) {
            sp.buf += c;
            sp.escaped = false;
            sp.got = Arg::Plain;
            continue;
        }
        if (c == '\\') {
            if (sp.squoted) {
                sp.buf += c;
            } else {
                sp.escaped = true;
            }
            continue;
        }
        if (is_space(c)) {
            if (sp.quoting()) {
                sp.buf += c;
            } else {
                sp.flush();
            }
            continue;
        }
        bool plain_context = !sp.squoted && !sp.dquoted;
        switch (c) {
            case '`':
                if (plain_context && !sp.dollar) sp.backquoted = !sp.backquoted;
                break;
            case ')':
                if (plain_context && !sp.backquoted) sp.dollar = !sp.dollar;
                break;
            case '(':
                if (plain_context && !sp.backquoted) {
                    if (sp.dollar || sp.buf.empty() || sp.buf.back() != '$') return invalid();
                    sp.dollar = true;
                    sp.buf += c;
                    continue;
                }
                break;
            case '"':
                if (!sp.squoted && !sp.dollar) {
                    if (sp.dquoted) sp.got = Arg::Quoted;
                    sp.dquoted = !sp.dquoted;
                    continue;
                }
                break;
            case '\'':
                if (!sp.dquoted && !sp.dollar) {
                    if (sp.squoted) sp.got = Arg::Quoted;
                    sp.squoted = !sp.squoted;
                    continue;
                }
                break;
            case ';':
            case '&':
            case '|':
            case '<':
            case '>':
                if (!sp.quoting()) {
                    // "2>file": the descriptor number belongs to the redirection, not to the words.
                    if (c == '>' && !sp.buf.empty() && sp.buf[0] >= '0' && sp.buf[0] <= '9') {
                        sp.got = Arg::None;
                    }
                    sp.flush();
                    if (sp.escaped || sp.quoting()) return invalid();
                    return sp.words;
                }
                break;
            default:
                break;
        }
        sp.got = Arg::Plain;
        sp.buf += c;
    }
    sp.flush();
    if (sp.escaped || sp.quoting()) return invalid();
    return sp.words;
}

}  // namespace berth::compose
