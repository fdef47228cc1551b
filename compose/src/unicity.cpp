// Sequences whose entries compose identifies by a key (a variable name, a mount target, a port):
// after layering files, an entry repeated under the same key replaces the earlier one in place.
#include <array>
#include <cctype>
#include <string>
#include <unordered_map>

#include "compose/error.hpp"
#include "compose/merge.hpp"
#include "tree_path.hpp"

namespace berth::compose {
namespace {

using detail::TreePath;

[[noreturn]] void unexpected(const Node& item, const TreePath& path) {
    fail(item.mark, path.str() + ": unexpected " + item.type_name() + " in this list");
}

// "KEY=VALUE" and "KEY" are both keyed by KEY.
std::string key_value_key(const Node& item, const TreePath& path) {
    if (!item.is_scalar()) unexpected(item, path);
    return item.text.substr(0, item.text.find('='));
}

std::string plain_key(const Node& item, const TreePath& path) {
    if (!item.is_scalar()) unexpected(item, path);
    return item.text;
}

std::string env_file_key(const Node& item, const TreePath& path) {
    if (item.is_scalar()) return item.text;
    if (!item.is_map()) return "";
    const Node* p = item.find("path");
    if (p == nullptr) fail(item.mark, "env_file entry " + path.str() + " has no path");
    return p->text;
}

// Where a short-syntax volume is mounted, read the way the short syntax is split: a one-letter
// first part followed by a colon is a Windows drive, `${...}` may hold colons, and options after
// the target are ignored.
class VolumeSpec {
  public:
    explicit VolumeSpec(const std::string& spec) : spec_(spec) {}

    std::string target(const Mark& mark) {
        if (spec_.empty()) fail(mark, "invalid empty volume spec");
        if (spec_.size() <= 2) return spec_;
        int braces = 0;
        for (std::size_t i = 0; i <= spec_.size(); ++i) {
            bool end = i == spec_.size();
            char c = end ? '\0' : spec_[i];
            bool drive = c == ':' && buffer_.size() == 1 &&
                         std::isalpha(static_cast<unsigned char>(buffer_[0]));
            if (!end && c == '$' && i + 1 < spec_.size() && spec_[i + 1] == '{') {
                ++braces;
            } else if (!end && c == '}' && braces > 0) {
                --braces;
            } else if (!drive && (c == ':' || end) && braces == 0) {
                if (const char* err = take(end)) fail(mark, "invalid spec: " + spec_ + ": " + err);
                buffer_.clear();
                continue;
            }
            if (!end) buffer_ += c;
        }
        return target_;
    }

  private:
    const char* take(bool end) {
        if (buffer_.empty()) return "empty section between colons";
        if (source_.empty() && !end) {
            source_ = buffer_;
            return nullptr;
        }
        // A lone part is the target of an anonymous volume.
        if (source_.empty() || target_.empty()) {
            target_ = buffer_;
            return nullptr;
        }
        return end ? nullptr : "too many colons";  // the last part holds options, which are ignored
    }

    std::string spec_;
    std::string buffer_;
    std::string source_;
    std::string target_;
};

std::string volume_key(const Node& item, const TreePath& path) {
    if (item.is_scalar()) return VolumeSpec(item.text).target(item.mark);
    if (!item.is_map()) return "";
    const Node* target = item.find("target");
    if (target == nullptr || !target->is_string()) {
        fail(item.mark, "service volume " + path.str() + " is missing a mount target");
    }
    return target->text;
}

// "/dev/sda:/dev/xvda:rwm" is keyed by the path inside the container.
std::string device_key(const Node& item, const TreePath& path) {
    if (item.is_scalar()) {
        auto first = item.text.find(':');
        if (first == std::string::npos) return item.text;
        return item.text.substr(first + 1, item.text.find(':', first + 1) - first - 1);
    }
    if (!item.is_map()) return "";
    const Node* target = item.find("target");
    if (target == nullptr || !target->is_string()) {
        fail(item.mark, "service device " + path.str() + " is missing a mount target");
    }
    return target->text;
}

// Short-syntax secrets and configs land in a default folder under their own name.
template <const char* DefaultDir>
std::string mount_key(const Node& item, const TreePath& path) {
    const std::string dir = DefaultDir;
    if (item.is_scalar()) return dir + "/" + item.text;
    if (!item.is_map()) unexpected(item, path);
    if (const Node* target = item.find("target")) return target->text;
    const Node* source = item.find("source");
    return dir + "/" + (source != nullptr ? source->text : "");
}

constexpr char kSecretsDir[] = "/run/secrets";
constexpr char kConfigsDir[] = "";

// The long syntax is keyed like "0.0.0.0:8080:80/tcp"; a short one by its text.
std::string port_key(const Node& item, const TreePath& path) {
    if (item.is_scalar()) {
        if (item.type() == ScalarType::Int || item.type() == ScalarType::String) {
            auto v = item.as_int();
            return v ? std::to_string(*v) : item.text;
        }
        return "";
    }
    if (!item.is_map()) return "";
    const Node* target = item.find("target");
    if (target == nullptr)
        fail(item.mark, "service ports " + path.str() + " is missing a target port");
    auto text_or = [&](const char* key, const char* dflt) {
        const Node* n = item.find(key);
        return n != nullptr ? n->text : std::string(dflt);
    };
    return text_or("host_ip", "0.0.0.0") + ":" + text_or("published", "") + ":" + target->text +
           "/" + text_or("protocol", "tcp");
}

using Indexer = std::string (*)(const Node&, const TreePath&);

struct Unique {
    std::string_view pattern;
    Indexer key;
};

constexpr std::array kUnique{
    Unique{"networks.*.labels", key_value_key},
    Unique{"networks.*.ipam.options", key_value_key},
    Unique{"services.*.annotations", key_value_key},
    Unique{"services.*.build.args", key_value_key},
    Unique{"services.*.build.additional_contexts", key_value_key},
    Unique{"services.*.build.platform", key_value_key},
    Unique{"services.*.build.tags", key_value_key},
    Unique{"services.*.build.labels", key_value_key},
    Unique{"services.*.cap_add", key_value_key},
    Unique{"services.*.cap_drop", key_value_key},
    Unique{"services.*.configs", mount_key<kConfigsDir>},
    Unique{"services.*.deploy.labels", key_value_key},
    Unique{"services.*.devices", device_key},
    Unique{"services.*.dns", key_value_key},
    Unique{"services.*.dns_opt", key_value_key},
    Unique{"services.*.dns_search", key_value_key},
    Unique{"services.*.environment", key_value_key},
    Unique{"services.*.env_file", env_file_key},
    Unique{"services.*.expose", plain_key},
    Unique{"services.*.labels", key_value_key},
    Unique{"services.*.links", key_value_key},
    Unique{"services.*.networks.*.aliases", key_value_key},
    Unique{"services.*.networks.*.link_local_ips", key_value_key},
    Unique{"services.*.ports", port_key},
    Unique{"services.*.profiles", key_value_key},
    Unique{"services.*.secrets", mount_key<kSecretsDir>},
    Unique{"services.*.sysctls", key_value_key},
    Unique{"services.*.tmpfs", key_value_key},
    Unique{"services.*.volumes", volume_key},
};

void dedupe(Node& seq, Indexer key, const TreePath& path) {
    std::vector<Node> kept;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < seq.items.size(); ++i) {
        Node& item = seq.items[i];
        std::string k = key(item, path.next("[" + std::to_string(i) + "]"));
        auto [it, fresh] = index.emplace(std::move(k), kept.size());
        if (fresh) {
            kept.push_back(std::move(item));
        } else {
            kept[it->second] = std::move(item);
        }
    }
    seq.items = std::move(kept);
}

void walk(Node& node, const TreePath& path) {
    if (node.is_map()) {
        for (Entry& e : node.entries) walk(e.value, path.next(e.key));
        return;
    }
    if (!node.is_seq()) return;
    for (const Unique& u : kUnique) {
        if (path.matches(u.pattern)) return dedupe(node, u.key, path);
    }
}

}  // namespace

void enforce_unicity(Node& root) {
    walk(root, TreePath{});
}

}  // namespace berth::compose
