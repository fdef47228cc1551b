// YAML reading through yaml-cpp's event parser, so that this file decides alias expansion, merge
// keys and duplicate keys itself (the node API of yaml-cpp silently keeps duplicates and shares
// aliased nodes).
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>

#include "compose/error.hpp"
#include "compose/yaml.hpp"

namespace berth::compose {
namespace {

std::size_t count_nodes(const Node& n) {
    std::size_t total = 1;
    for (const auto& item : n.items) total += count_nodes(item);
    for (const auto& e : n.entries) total += count_nodes(e.value);
    return total;
}

bool plain_key_is_string(const Node& key) {
    if (key.is_null()) return false;
    return key.quoted || key.type() == ScalarType::String;
}

class TreeBuilder : public YAML::EventHandler {
  public:
    TreeBuilder(std::shared_ptr<const std::string> file, YamlLimits limits)
        : file_(std::move(file)), limits_(limits) {}

    Node take_document() { return std::move(doc_); }
    int document_start() const { return doc_start_; }
    Mark document_mark() const { return doc_mark_; }

    void OnDocumentStart(const YAML::Mark& mark) override {
        doc_start_ = mark.pos;
        doc_mark_ = to_mark(mark);
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node n = Node::null(to_mark(mark));
        remember(anchor, n);
        add(std::move(n));
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) fail(to_mark(mark), "unknown anchor referenced");
        copied_ += it->second.size;
        if (copied_ > limits_.max_alias_nodes) {
            fail(to_mark(mark), "document contains excessive aliasing");
        }
        Node copy = it->second.node;
        add(std::move(copy), /*from_alias=*/true);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node n = Node::plain(value, to_mark(mark));
        n.quoted =
            tag == "!" || (tag != "?" && tag != "!reset" && tag != "!override" && !tag.empty());
        if (tag == "!reset" || tag == "!override") n.tag = tag;
        if (tag == "tag:yaml.org,2002:str" || tag == "!!str") n.quoted = true;
        if (!n.quoted && tag != "!!str" && is_null_text(value) && n.tag.empty()) {
            n = Node::null(to_mark(mark));
            n.text = value;
        } else if (!n.quoted && n.tag.empty() == false && is_null_text(value)) {
            Mark m = n.mark;
            std::string t = n.tag;
            n = Node::null(m);
            n.tag = t;
        }
        remember(anchor, n);
        add(std::move(n));
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        Frame f;
        f.node = Node::sequence(to_mark(mark));
        if (tag == "!reset" || tag == "!override") f.node.tag = tag;
        f.anchor = anchor;
        stack_.push_back(std::move(f));
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        Frame f;
        f.node = Node::mapping(to_mark(mark));
        if (tag == "!reset" || tag == "!override") f.node.tag = tag;
        f.anchor = anchor;
        stack_.push_back(std::move(f));
    }
    void OnMapEnd() override {
        apply_merges(stack_.back());
        close();
    }

  private:
    struct Anchored {
        Node node;
        std::size_t size = 0;
    };
    struct Frame {
        Node node;
        YAML::anchor_t anchor = 0;
        bool have_key = false;
        Node key;
        // `<<` values, applied when the mapping ends so that explicit keys win wherever they
        // appear.
        std::vector<Node> merges;
    };

    Mark to_mark(const YAML::Mark& m) const { return Mark{file_, m.line + 1, m.column + 1}; }

    void remember(YAML::anchor_t anchor, const Node& n) {
        if (anchor != 0) anchors_[anchor] = Anchored{n, count_nodes(n)};
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        remember(f.anchor, f.node);
        add(std::move(f.node));
    }

    void add(Node n, bool from_alias = false) {
        if (stack_.empty()) {
            doc_ = std::move(n);
            return;
        }
        Frame& top = stack_.back();
        if (top.node.is_seq()) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (!top.have_key) {
            if (!n.is_scalar() && !n.is_null()) fail(n.mark, "mapping keys must be strings");
            top.key = std::move(n);
            top.have_key = true;
            return;
        }
        top.have_key = false;
        Node key = std::move(top.key);
        if (!key.quoted && key.text == "<<" && key.is_scalar()) {
            top.merges.push_back(std::move(n));
            return;
        }
        (void)from_alias;
        for (const auto& e : top.node.entries) {
            if (e.key == key.text) {
                fail(key.mark, "mapping key \"" + key.text + "\" already defined at line " +
                                   std::to_string(e.key_mark.line));
            }
        }
        bool is_string = plain_key_is_string(key);
        top.node.entries.push_back(Entry{key.text, key.mark, std::move(n), is_string});
    }

    static void merge_one(Node& target, const Node& source, const Mark& at) {
        if (!source.is_map()) fail(at, "map merge requires map or sequence of maps as the value");
        for (const auto& e : source.entries) {
            if (target.find(e.key) == nullptr) target.entries.push_back(e);
        }
    }

    static void apply_merges(Frame& f) {
        for (const Node& m : f.merges) {
            if (m.is_seq()) {
                for (const Node& item : m.items) merge_one(f.node, item, item.mark);
            } else {
                merge_one(f.node, m, m.mark);
            }
        }
    }

    std::shared_ptr<const std::string> file_;
    YamlLimits limits_;
    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, Anchored> anchors_;
    std::size_t copied_ = 0;
    Node doc_;
    int doc_start_ = -1;
    Mark doc_mark_;
};

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    }
    unsigned char next = byte(i + 1);
    if ((c == 0xE0 && next < 0xA0) || (c == 0xED && next > 0x9F) || (c == 0xF0 && next < 0x90) ||
        (c == 0xF4 && next > 0x8F)) {
        return 0;
    }
    return len;
}

// YAML streams are UTF-8 text of printable characters (YAML 1.2 §5.1, §5.2); the Go reader refuses
// anything else the same way. Checking first also keeps such bytes away from yaml-cpp 0.7, which
// can loop forever on some of them inside plain scalars.
void check_text(std::string_view text, const std::shared_ptr<const std::string>& file) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = utf8_length(text, i);
        if (len == 0) fail(Mark{file, line, column}, "invalid UTF-8 byte sequence");
        auto c = static_cast<unsigned char>(text[i]);
        bool c0 = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        // U+0080..U+009F except U+0085 (NEL) are C1 controls.
        auto second = len == 2 ? static_cast<unsigned char>(text[i + 1]) : 0;
        bool c1 = c == 0xC2 && second <= 0x9F && second != 0x85;
        if (c0 || c == 0x7F || c1)
            fail(Mark{file, line, column}, "control characters are not allowed");
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
}

}  // namespace

std::vector<Node> parse_yaml(std::string_view text, const std::string& filename,
                             YamlLimits limits) {
    auto file = std::make_shared<const std::string>(filename);
    check_text(text, file);
    std::istringstream in{std::string(text)};
    std::vector<Node> docs;
    try {
        YAML::Parser parser(in);
        int previous_start = -1;
        for (;;) {
            TreeBuilder builder(file, limits);
            if (!parser.HandleNextDocument(builder)) break;
            // On some malformed input yaml-cpp 0.7 reports the same empty document forever
            // without consuming anything; a document that starts where the last one did is that.
            if (builder.document_start() == previous_start) {
                fail(builder.document_mark(), "did not find expected node content");
            }
            previous_start = builder.document_start();
            docs.push_back(builder.take_document());
        }
    } catch (const YAML::Exception& e) {
        fail(Mark{file, e.mark.line + 1, e.mark.column + 1}, e.msg);
    }
    return docs;
}

}  // namespace berth::compose
